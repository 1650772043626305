// The motor schema: [mesh] template = "motor" with [mesh.motor...] and the
// [motor...] tables (stack, symmetry, winding, positions, load): SI values,
// defaults, the winding and symmetry checks positioned at their keys, the
// position and load forms, and the resolved-TOML round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/motor_winding.hpp"
#include "solver/winding.hpp"
#include "test_support.hpp"

namespace rotormag::cases {
namespace {

using testing::shipped_library;
namespace fs = std::filesystem;

fs::path test_directory() {
  return fs::temp_directory_path() / "rotormag_test_motor_case" /
         ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

const std::string kRegions = R"(
[[region]]
name = "magnet_*"
material = "N42SH"
[[region]]
name = "stator_core"
material = "M400-50A"
[[region]]
name = "rotor_core"
material = "M400-50A"
[[region]]
name = "coil_*"
material = "copper"
[[region]]
name = "airgap_*"
material = "air"
[[region]]
name = "slot_opening"
material = "air"
[[region]]
name = "shaft"
material = "air"
[[region]]
name = "pocket"
material = "air"

[[boundary]]
name = "stator_outer"
type = "dirichlet"
)";

// The Prius motor with every key of the schema written out.
const std::string kPrius = R"(schema_version = 1
name = "prius"
temperature_C = 100.0

[mesh]
template = "motor"
order = 1
element_size_mm = 3.0

[mesh.motor]
band_element_size_mm = 0.5
airgap_element_size_mm = 0.0
magnet_element_size_mm = 1.5
slot_element_size_mm = 0.0
size_grading = 0.8
band_inner_radius_mm = 80.45
band_outer_radius_mm = 80.7

[mesh.motor.stator]
slots = 48
bore_radius_mm = 80.95
outer_radius_mm = 134.62
slot_shape = "semi_closed"
winding_layers = 1
layer_split = "radial"

[mesh.motor.stator.semi_closed]
opening_width_mm = 1.93
opening_depth_mm = 1.0
wedge_depth_mm = 0.5
body_depth_mm = 33.3
top_width_mm = 5.0
bottom_width_mm = 8.0
bottom_fillet_radius_mm = 4.0

[mesh.motor.rotor]
type = "interior_v"
poles = 8
shaft_radius_mm = 55.32
outer_radius_mm = 80.2

[mesh.motor.rotor.interior_v]
v_bottom_depth_mm = 10.96
bridge_mm = 1.5
top_span_mm = 42.0
center_post_width_mm = 0.5
magnet_offset_mm = 0.25
magnet_length_mm = 18.9
magnet_thickness_mm = 6.5
magnet_recess_mm = 1.0
rib_width_mm = 14.0

[motor]
stack_length_mm = 83.82
symmetry = "sector"
speed_rpm = 1500.0

[motor.winding]
turns_per_coil = 9
parallel_paths = 1
coil_pitch_slots = 0

[motor.positions]
start_deg = 0.0
stop_deg = 7.5
step_deg = 0.5

[motor.load]
current_peak_A = 250.0
current_angle_deg = 120.0
)";

// The smallest motor case: everything else from the defaults.
std::string minimal_motor(const std::string& mesh_motor = "", const std::string& motor = "") {
  return "schema_version = 1\n\n[mesh]\ntemplate = \"motor\"\n" + mesh_motor + "\n[motor]\nstack_length_mm = 50.0\n" +
         motor + kRegions;
}

Case load(const std::string& text, const std::string& name = "motor.toml") {
  return load_case_text(text, (test_directory() / name).string(), shipped_library());
}

// The issues of a case that must fail.
std::vector<CaseIssue> issues_of(const std::string& text) {
  try {
    load(text);
  } catch (const CaseError& e) {
    return e.issues();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

// The one issue at `key` (failing the test when there is none).
CaseIssue issue_at(const std::vector<CaseIssue>& issues, const std::string& key) {
  for (const auto& i : issues)
    if (i.key_path == key) return i;
  std::string all;
  for (const auto& i : issues) all += i.format() + "\n";
  ADD_FAILURE() << "no issue at " << key << "; reported:\n" << all;
  return {};
}

// 1-based line and column of `needle` in `text` (the first occurrence).
std::pair<int, int> where(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return {line, static_cast<int>(at - line_start) + 1};
}

// The issue at `key` is positioned at `value_text` (e.g. "50" in "slots = 50").
void expect_at(const std::string& text, const std::string& key, const std::string& line_text,
               const std::string& value_text, const std::string& message_part) {
  const CaseIssue issue = issue_at(issues_of(text), key);
  auto [line, col] = where(text, line_text);
  col += static_cast<int>(line_text.find(value_text));
  EXPECT_EQ(issue.where.line, line) << issue.format();
  EXPECT_EQ(issue.where.column, col) << issue.format();
  EXPECT_NE(issue.message.find(message_part), std::string::npos) << issue.format();
}

void expect_round_trip(const Case& c) {
  const Case again = load(c.resolved_toml, "resolved.toml");
  EXPECT_EQ(again.resolved_toml, c.resolved_toml);
  EXPECT_EQ(again.motor.positions_deg, c.motor.positions_deg);
  EXPECT_EQ(again.motor.load, c.motor.load);
  EXPECT_EQ(again.motor.id_A, c.motor.id_A);
  EXPECT_EQ(again.motor.iq_A, c.motor.iq_A);
  EXPECT_EQ(again.motor.phase_currents_A, c.motor.phase_currents_A);
  EXPECT_EQ(again.motor.stack_length_m, c.motor.stack_length_m);
  EXPECT_EQ(again.motor.sector_deg, c.motor.sector_deg);
  EXPECT_EQ(again.motor.antiperiodic, c.motor.antiperiodic);
  EXPECT_EQ(again.motor.coil_pitch_slots, c.motor.coil_pitch_slots);
  EXPECT_EQ(again.mesh.kind, c.mesh.kind);
  EXPECT_EQ(again.mesh.motor.sector_deg, c.mesh.motor.sector_deg);
  EXPECT_EQ(again.mesh.motor.rotor.kind, c.mesh.motor.rotor.kind);
  EXPECT_EQ(again.mesh.motor.stator.slot_shape, c.mesh.motor.stator.slot_shape);
}

TEST(MotorCase, PriusParsesIntoSIValues) {
  const Case c = load(kPrius + kRegions);
  ASSERT_EQ(c.mesh.kind, MeshSpec::Kind::motor);
  const mesh::MotorGeometry& g = c.mesh.motor;
  EXPECT_NEAR(c.mesh.options.element_size_m, 3e-3, 1e-15);
  EXPECT_NEAR(g.sizes.band_element_size_m, 0.5e-3, 1e-15);
  EXPECT_EQ(g.sizes.airgap_element_size_m, 0.0);
  EXPECT_NEAR(g.sizes.magnet_element_size_m, 1.5e-3, 1e-15);
  EXPECT_DOUBLE_EQ(g.sizes.size_grading, 0.8);
  EXPECT_NEAR(g.band_inner_radius_m, 80.45e-3, 1e-15);
  EXPECT_NEAR(g.band_outer_radius_m, 80.7e-3, 1e-15);
  EXPECT_EQ(g.stator.slots, 48);
  EXPECT_NEAR(g.stator.bore_radius_m, 80.95e-3, 1e-15);
  EXPECT_NEAR(g.stator.outer_radius_m, 134.62e-3, 1e-15);
  EXPECT_EQ(g.stator.slot_shape, mesh::SlotShape::semi_closed);
  EXPECT_EQ(g.stator.winding_layers, 1);
  EXPECT_EQ(g.stator.layer_split, mesh::LayerSplit::radial);
  EXPECT_NEAR(g.stator.semi_closed.opening_width_m, 1.93e-3, 1e-15);
  EXPECT_NEAR(g.stator.semi_closed.wedge_depth_m, 0.5e-3, 1e-15);
  EXPECT_NEAR(g.stator.semi_closed.body_depth_m, 33.3e-3, 1e-15);
  EXPECT_NEAR(g.stator.semi_closed.bottom_fillet_radius_m, 4e-3, 1e-15);
  EXPECT_EQ(g.rotor.kind, mesh::RotorKind::interior_v);
  EXPECT_EQ(g.rotor.poles, 8);
  EXPECT_NEAR(g.rotor.shaft_radius_m, 55.32e-3, 1e-15);
  EXPECT_NEAR(g.rotor.outer_radius_m, 80.2e-3, 1e-15);
  EXPECT_NEAR(g.rotor.interior_v.v_bottom_depth_m, 10.96e-3, 1e-15);
  EXPECT_NEAR(g.rotor.interior_v.center_post_width_m, 0.5e-3, 1e-15);
  EXPECT_NEAR(g.rotor.interior_v.magnet_offset_m, 0.25e-3, 1e-15);
  EXPECT_NEAR(g.rotor.interior_v.magnet_length_m, 18.9e-3, 1e-15);
  EXPECT_NEAR(g.rotor.interior_v.rib_width_m, 14e-3, 1e-15);

  const MotorSpec& m = c.motor;
  EXPECT_TRUE(m.present);
  EXPECT_NEAR(m.stack_length_m, 83.82e-3, 1e-15);
  EXPECT_EQ(m.symmetry, MotorSpec::Symmetry::sector);
  ASSERT_TRUE(m.speed_rpm.has_value());
  EXPECT_DOUBLE_EQ(*m.speed_rpm, 1500.0);
  EXPECT_EQ(m.turns_per_coil, 9);
  EXPECT_EQ(m.parallel_paths, 1);
  EXPECT_EQ(m.coil_pitch_slots, 6);  // automatic: full pitch, 48 / 8
  EXPECT_EQ(m.slots, 48);
  EXPECT_EQ(m.poles, 8);
  EXPECT_EQ(m.layers, 1);
  // The smallest sector of the 48-slot 8-pole single-layer winding: one pole, anti-periodic.
  EXPECT_DOUBLE_EQ(g.sector_deg, 45.0);
  EXPECT_DOUBLE_EQ(m.sector_deg, 45.0);
  EXPECT_TRUE(m.antiperiodic);
  ASSERT_EQ(m.positions_deg.size(), 16u);
  EXPECT_EQ(m.positions_deg.front(), 0.0);
  EXPECT_EQ(m.positions_deg.back(), 7.5);
  EXPECT_EQ(m.load, MotorSpec::Load::dq);
  EXPECT_NEAR(m.id_A, -125.0, 1e-12);                     // 250 cos 120
  EXPECT_NEAR(m.iq_A, 250.0 * std::sqrt(3.0) / 2, 1e-12);  // 250 sin 120
  expect_round_trip(c);
}

TEST(MotorCase, DefaultsAreThePriusStructDefaults) {
  const Case c = load(minimal_motor());
  const mesh::MotorGeometry d;
  const mesh::MotorGeometry& g = c.mesh.motor;
  EXPECT_EQ(g.stator.slots, d.stator.slots);
  EXPECT_EQ(g.stator.bore_radius_m, d.stator.bore_radius_m);
  EXPECT_EQ(g.stator.semi_closed.body_depth_m, d.stator.semi_closed.body_depth_m);
  EXPECT_EQ(g.stator.open.width_m, d.stator.open.width_m);
  EXPECT_EQ(g.rotor.kind, d.rotor.kind);
  EXPECT_EQ(g.rotor.poles, d.rotor.poles);
  EXPECT_EQ(g.rotor.interior_v.top_span_m, d.rotor.interior_v.top_span_m);
  EXPECT_EQ(g.rotor.spoke.magnet_width_m, d.rotor.spoke.magnet_width_m);
  EXPECT_EQ(g.sizes.size_grading, d.sizes.size_grading);
  EXPECT_EQ(g.band_inner_radius_m, 0.0);
  EXPECT_EQ(c.motor.turns_per_coil, 1);
  EXPECT_EQ(c.motor.parallel_paths, 1);
  EXPECT_EQ(c.motor.symmetry, MotorSpec::Symmetry::sector);
  EXPECT_EQ(c.motor.positions_deg, std::vector<double>{0.0});
  EXPECT_EQ(c.motor.load, MotorSpec::Load::none);
  EXPECT_FALSE(c.motor.speed_rpm.has_value());
  EXPECT_EQ(g.sector_deg, 45.0);
  expect_round_trip(c);
}

TEST(MotorCase, FullSymmetryMeshesTheWholeMachine) {
  const Case c = load(minimal_motor("", "symmetry = \"full\"\n"));
  EXPECT_EQ(c.motor.symmetry, MotorSpec::Symmetry::full);
  EXPECT_EQ(c.mesh.motor.sector_deg, 360.0);
  EXPECT_EQ(c.motor.sector_deg, 360.0);
  EXPECT_FALSE(c.motor.antiperiodic);
  expect_round_trip(c);
}

// The sector follows the winding (solver::smallest_sector), not only gcd(Q, 2p).
TEST(MotorCase, SectorIsTheWindingsSmallestSector) {
  struct Machine {
    int slots, poles, layers;
  };
  for (const Machine& k : {Machine{12, 10, 2}, Machine{12, 10, 1}, Machine{9, 8, 2}, Machine{36, 6, 2}, Machine{24, 4, 1}}) {
    const std::string mesh_motor = "[mesh.motor.stator]\nslots = " + std::to_string(k.slots) +
                                   "\nwinding_layers = " + std::to_string(k.layers) + "\n[mesh.motor.rotor]\ntype = "
                                   "\"surface_magnet\"\npoles = " + std::to_string(k.poles) + "\n";
    const Case c = load(minimal_motor(mesh_motor));
    solver::WindingSpec spec;
    spec.slots = k.slots;
    spec.poles = k.poles;
    spec.layers = k.layers;
    const auto smallest = solver::smallest_sector(solver::design_winding(spec));
    EXPECT_EQ(c.mesh.motor.sector_deg, smallest.sector_deg) << k.slots << "/" << k.poles << "/" << k.layers;
    EXPECT_EQ(c.motor.antiperiodic, smallest.antiperiodic) << k.slots << "/" << k.poles << "/" << k.layers;
    EXPECT_EQ(c.motor.slots, k.slots);
    EXPECT_EQ(c.motor.poles, k.poles);
    EXPECT_EQ(c.motor.layers, k.layers);
    expect_round_trip(c);
  }
}

TEST(MotorCase, WindingErrorsArePositionedAtTheirKeys) {
  // 50 slots, 8 poles: t = gcd(50, 4) = 2, Q/(3t) = 50/6 is no integer.
  const std::string unbalanced = minimal_motor("[mesh.motor.stator]\nslots = 50\n");
  expect_at(unbalanced, "mesh.motor.stator.slots", "slots = 50", "50", "no balanced 3-phase winding");
  // A single layer needs an even number of slots.
  const std::string odd = minimal_motor("[mesh.motor.stator]\nslots = 9\nwinding_layers = 1\n[mesh.motor.rotor]\npoles = 8\n");
  expect_at(odd, "mesh.motor.stator.winding_layers", "winding_layers = 1", "1", "single-layer");
  const std::string pitch = minimal_motor("", "[motor.winding]\ncoil_pitch_slots = 30\n");
  expect_at(pitch, "motor.winding.coil_pitch_slots", "coil_pitch_slots = 30", "30", "between 1 and Q/2 = 24");
  // 48 slots, 8 poles, single layer: each phase splits into at most 4 groups.
  const std::string paths = minimal_motor("", "[motor.winding]\nparallel_paths = 3\n");
  expect_at(paths, "motor.winding.parallel_paths", "parallel_paths = 3", "3", "parallel paths must divide");
  const std::string odd_poles = minimal_motor("[mesh.motor.rotor]\npoles = 7\n");
  expect_at(odd_poles, "mesh.motor.rotor.poles", "poles = 7", "7", "even");
  // With a template the winding's slots, poles and layers are the template's.
  const std::string given = minimal_motor("", "[motor.winding]\nslots = 48\n");
  expect_at(given, "motor.winding.slots", "slots = 48", "48", "come from mesh.motor.stator.slots");
}

TEST(MotorCase, WrongSubtablesAndKeysAreRejected) {
  expect_at(minimal_motor("[mesh.motor.rotor]\ntype = \"interior_v\"\n[mesh.motor.rotor.spoke]\nbridge_mm = 1.0\n"),
            "mesh.motor.rotor.spoke", "[mesh.motor.rotor.spoke]", "[", "given but the rotor type is 'interior_v'");
  expect_at(minimal_motor("[mesh.motor.stator.open]\nwidth_mm = 5.0\n"), "mesh.motor.stator.open", "[mesh.motor.stator.open]",
            "[", "given but slot_shape is 'semi_closed'");
  expect_at(minimal_motor("[mesh.motor.rotor]\ntype = \"interior_vv\"\n"), "mesh.motor.rotor.type",
            "type = \"interior_vv\"", "\"", "did you mean 'interior_v'?");
  expect_at(minimal_motor("[mesh.motor.rotor.interior_v]\nbrige_mm = 1.0\n"), "mesh.motor.rotor.interior_v.brige_mm",
            "brige_mm", "b", "did you mean 'bridge_mm'?");
  expect_at(minimal_motor("[mesh.motor]\nsector_deg = 45.0\n"), "mesh.motor.sector_deg", "sector_deg = 45.0", "45", "motor.symmetry");
  expect_at(minimal_motor("[mesh.motor.rotor]\ntype = \"surface_magnet\"\n[mesh.motor.rotor.surface_magnet]\npole_arc_ratio = 1.5\n"),
            "mesh.motor.rotor.surface_magnet.pole_arc_ratio", "pole_arc_ratio = 1.5", "1.5", "(0, 1]");
  expect_at(minimal_motor("[mesh.motor.rotor.interior_v]\nbridge_mm = -1.0\n"), "mesh.motor.rotor.interior_v.bridge_mm",
            "bridge_mm = -1.0", "-1.0", "length must be > 0 mm");
  expect_at(minimal_motor("", "sector_deg = 45.0\n"), "motor.sector_deg", "sector_deg = 45.0", "45", "for a .msh mesh");
}

TEST(MotorCase, EveryRotorTypeAndSlotShapeReadsItsTable) {
  const Case spoke = load(minimal_motor(R"([mesh.motor.stator]
slot_shape = "open_rectangular"
winding_layers = 2
layer_split = "tangential"
[mesh.motor.stator.open]
width_mm = 7.0
depth_mm = 21.0
[mesh.motor.rotor]
type = "spoke"
[mesh.motor.rotor.spoke]
magnet_width_mm = 5.0
magnet_length_mm = 15.0
open_to_airgap = true
bridge_mm = 0.0
inner_pocket_depth_mm = 2.0
)"));
  const auto& g = spoke.mesh.motor;
  EXPECT_EQ(g.stator.slot_shape, mesh::SlotShape::open_rectangular);
  EXPECT_EQ(g.stator.layer_split, mesh::LayerSplit::tangential);
  EXPECT_NEAR(g.stator.open.width_m, 7e-3, 1e-15);
  EXPECT_NEAR(g.stator.open.depth_m, 21e-3, 1e-15);
  EXPECT_EQ(g.rotor.kind, mesh::RotorKind::spoke);
  EXPECT_TRUE(g.rotor.spoke.open_to_airgap);
  EXPECT_EQ(g.rotor.spoke.bridge_m, 0.0);
  EXPECT_NEAR(g.rotor.spoke.inner_pocket_depth_m, 2e-3, 1e-15);
  expect_round_trip(spoke);
  EXPECT_NE(spoke.resolved_toml.find("[mesh.motor.stator.open]"), std::string::npos) << spoke.resolved_toml;
  EXPECT_EQ(spoke.resolved_toml.find("[mesh.motor.stator.semi_closed]"), std::string::npos) << spoke.resolved_toml;

  const Case bar = load(minimal_motor(R"([mesh.motor.rotor]
type = "interior_bar"
[mesh.motor.rotor.interior_bar]
magnet_width_mm = 30.0
magnet_thickness_mm = 4.0
magnet_depth_mm = 3.0
bridge_mm = 1.2
)"));
  EXPECT_EQ(bar.mesh.motor.rotor.kind, mesh::RotorKind::interior_bar);
  EXPECT_NEAR(bar.mesh.motor.rotor.interior_bar.magnet_width_m, 30e-3, 1e-15);
  EXPECT_NEAR(bar.mesh.motor.rotor.interior_bar.bridge_m, 1.2e-3, 1e-15);
  expect_round_trip(bar);

  const Case spm = load(minimal_motor(R"([mesh.motor.rotor]
type = "surface_magnet"
outer_radius_mm = 76.0
[mesh.motor.rotor.surface_magnet]
magnet_thickness_mm = 3.5
pole_arc_ratio = 0.75
magnetization = "parallel"
)"));
  EXPECT_EQ(spm.mesh.motor.rotor.kind, mesh::RotorKind::surface_magnet);
  EXPECT_NEAR(spm.mesh.motor.rotor.surface.magnet_thickness_m, 3.5e-3, 1e-15);
  EXPECT_DOUBLE_EQ(spm.mesh.motor.rotor.surface.pole_arc_ratio, 0.75);
  EXPECT_EQ(spm.mesh.motor.rotor.surface.magnetization, mesh::SurfaceMagnetization::parallel);
  expect_round_trip(spm);
}

TEST(MotorCase, PositionsFromARangeIncludeStopOnAStep) {
  auto positions = [](const std::string& table) { return load(minimal_motor("", "[motor.positions]\n" + table)).motor.positions_deg; };
  EXPECT_EQ(positions("start_deg = 0\nstop_deg = 7.5\nstep_deg = 1.5\n"), (std::vector<double>{0, 1.5, 3, 4.5, 6, 7.5}));
  // stop not on a step: the last step below it.
  EXPECT_EQ(positions("start_deg = 0\nstop_deg = 7\nstep_deg = 1.5\n"), (std::vector<double>{0, 1.5, 3, 4.5, 6}));
  // 0.1 is not exact in binary: 10 steps still end on stop, exactly.
  const auto tenths = positions("start_deg = 0.0\nstop_deg = 1.0\nstep_deg = 0.1\n");
  ASSERT_EQ(tenths.size(), 11u);
  EXPECT_EQ(tenths.back(), 1.0);
  EXPECT_EQ(tenths[3], 3 * 0.1);
  const auto thirds = positions("start_deg = -1.0\nstop_deg = 1.0\nstep_deg = 0.6666666666666666\n");
  ASSERT_EQ(thirds.size(), 4u);
  EXPECT_EQ(thirds.back(), 1.0);
  EXPECT_EQ(positions("start_deg = 5\nstop_deg = 5\nstep_deg = 1\n"), std::vector<double>{5});
  EXPECT_EQ(positions("angles_deg = [0, 2.5, -1, 30]\n"), (std::vector<double>{0, 2.5, -1, 30}));
  EXPECT_EQ(positions("start_deg = 0\nstop_deg = 9999\nstep_deg = 1\n").size(), 10000u);

  const Case c = load(minimal_motor("", "[motor.positions]\nstart_deg = 0.0\nstop_deg = 1.0\nstep_deg = 0.1\n"));
  expect_round_trip(c);
  EXPECT_NE(c.resolved_toml.find("angles_deg"), std::string::npos);
}

TEST(MotorCase, BadPositionsArePositioned) {
  const std::string both = minimal_motor("", "[motor.positions]\nstart_deg = 0\nstop_deg = 1\nstep_deg = 1\nangles_deg = [0]\n");
  expect_at(both, "motor.positions.angles_deg", "angles_deg = [0]", "[", "not both");
  expect_at(minimal_motor("", "[motor.positions]\nstart_deg = 0\nstop_deg = 1\nstep_deg = 0\n"), "motor.positions.step_deg",
            "step_deg = 0", "0", "step must be > 0");
  expect_at(minimal_motor("", "[motor.positions]\nstart_deg = 2\nstop_deg = 1\nstep_deg = 1\n"), "motor.positions.stop_deg",
            "stop_deg = 1", "1", "must not be below start_deg");
  expect_at(minimal_motor("", "[motor.positions]\nstart_deg = 0\nstop_deg = 10000\nstep_deg = 1\n"),
            "motor.positions.step_deg", "step_deg = 1", "1", "gives 10001 rotor positions; at most 10000");
  expect_at(minimal_motor("", "[motor.positions]\nangles_deg = []\n"), "motor.positions.angles_deg", "angles_deg = []", "[",
            "at least one");
  const auto missing = issues_of(minimal_motor("", "[motor.positions]\nstart_deg = 0\nstep_deg = 1\n"));
  EXPECT_NE(issue_at(missing, "motor.positions.stop_deg").message.find("missing required key"), std::string::npos);
}

TEST(MotorCase, LoadForms) {
  auto loaded = [](const std::string& table) { return load(minimal_motor("", "[motor.load]\n" + table)).motor; };
  const MotorSpec dq = loaded("id_A = -50.0\niq_A = 120.0\n");
  EXPECT_EQ(dq.load, MotorSpec::Load::dq);
  EXPECT_EQ(dq.id_A, -50.0);
  EXPECT_EQ(dq.iq_A, 120.0);
  const MotorSpec q_only = loaded("iq_A = 80\n");
  EXPECT_EQ(q_only.load, MotorSpec::Load::dq);
  EXPECT_EQ(q_only.id_A, 0.0);
  EXPECT_EQ(q_only.iq_A, 80.0);
  // Angle from the d-axis towards the q-axis: 90 = pure q-axis current, exactly.
  const MotorSpec q = loaded("current_peak_A = 100\ncurrent_angle_deg = 90\n");
  EXPECT_EQ(q.load, MotorSpec::Load::dq);
  EXPECT_EQ(q.id_A, 0.0);
  EXPECT_EQ(q.iq_A, 100.0);
  const MotorSpec weakening = loaded("current_peak_A = 100\ncurrent_angle_deg = 135\n");
  EXPECT_NEAR(weakening.id_A, -100 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(weakening.iq_A, 100 / std::sqrt(2.0), 1e-12);
  const MotorSpec phases = loaded("phase_currents_A = [10.0, -5.0, -5.0]\n");
  EXPECT_EQ(phases.load, MotorSpec::Load::phase);
  EXPECT_EQ(phases.phase_currents_A, (std::vector<double>{10, -5, -5}));
  EXPECT_EQ(loaded("").load, MotorSpec::Load::none);

  for (const char* table : {"id_A = -50.0\niq_A = 120.0\n", "current_peak_A = 100\ncurrent_angle_deg = 135\n",
                            "phase_currents_A = [10.0, -5.0, -5.0]\n"})
    expect_round_trip(load(minimal_motor("", std::string("[motor.load]\n") + table)));

  expect_at(minimal_motor("", "[motor.load]\niq_A = 10\ncurrent_peak_A = 10\ncurrent_angle_deg = 90\n"),
            "motor.load.current_peak_A", "current_peak_A = 10", "1", "this table mixes {id_A, iq_A} and");
  expect_at(minimal_motor("", "[motor.load]\ncurrent_angle_deg = 90\n"), "motor.load.current_angle_deg",
            "current_angle_deg = 90", "9", "needs current_peak_A");
  expect_at(minimal_motor("", "[motor.load]\ncurrent_peak_A = -1\ncurrent_angle_deg = 90\n"), "motor.load.current_peak_A",
            "current_peak_A = -1", "-", ">= 0 A");
  expect_at(minimal_motor("", "[motor.load]\nphase_currents_A = [1.0, 2.0]\n"), "motor.load.phase_currents_A",
            "phase_currents_A = [1.0, 2.0]", "[", "three phase currents");
}

TEST(MotorCase, StackLengthIsRequiredAndPositive) {
  const std::string zero = "schema_version = 1\n[mesh]\ntemplate = \"motor\"\n[motor]\nstack_length_mm = 0.0\n" + kRegions;
  expect_at(zero, "motor.stack_length_mm", "stack_length_mm = 0.0", "0", "length must be > 0 mm");
  const std::string none = "schema_version = 1\n[mesh]\ntemplate = \"motor\"\n[motor]\nspeed_rpm = 100.0\n" + kRegions;
  EXPECT_NE(issue_at(issues_of(none), "motor.stack_length_mm").message.find("missing required key"), std::string::npos);
  const std::string no_motor = "schema_version = 1\n[mesh]\ntemplate = \"motor\"\n" + kRegions;
  expect_at(no_motor, "motor", "template = \"motor\"", "\"", "needs a [motor] table");
  const std::string not_a_motor =
      "schema_version = 1\n[mesh]\ntemplate = \"ipm_v_rotor\"\n[motor]\nstack_length_mm = 50.0\n" + kRegions;
  expect_at(not_a_motor, "motor", "[motor]", "[", "is not a motor");
}

// A .msh motor gives its sector, sign and winding; they are checked against
// the winding's smallest sector.
class MshMotor : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(test_directory());
    std::ofstream(test_directory() / "machine.msh") << "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n";
  }
  static std::string text(const std::string& motor, const std::string& winding = "slots = 48\npoles = 8\nlayers = 1\n") {
    return "schema_version = 1\n[mesh]\nfile = \"machine.msh\"\n\n[motor]\nstack_length_mm = 50.0\n" + motor +
           "\n[motor.winding]\n" + winding + kRegions;
  }
};

TEST_F(MshMotor, SectorMustBeAMultipleOfTheSmallestWithItsSign) {
  const Case c = load(text("sector_deg = 45.0\nantiperiodic = true\n"));
  EXPECT_EQ(c.mesh.kind, MeshSpec::Kind::file);
  EXPECT_EQ(c.motor.sector_deg, 45.0);
  EXPECT_TRUE(c.motor.antiperiodic);
  EXPECT_EQ(c.motor.slots, 48);
  EXPECT_EQ(c.motor.poles, 8);
  EXPECT_EQ(c.motor.layers, 1);
  expect_round_trip(c);
  // Two smallest sectors: periodic.
  const Case two = load(text("sector_deg = 90.0\n"));
  EXPECT_FALSE(two.motor.antiperiodic);
  expect_round_trip(two);
  expect_round_trip(load(text("sector_deg = 360\nspeed_rpm = 3000\n")));

  expect_at(text("sector_deg = 90.0\nantiperiodic = true\n"), "motor.antiperiodic", "antiperiodic = true", "true",
            "a 90 deg sector of this machine is periodic");
  expect_at(text("sector_deg = 45.0\n"), "motor.antiperiodic", "[motor]", "[", "set antiperiodic = true");
  expect_at(text("sector_deg = 60.0\n"), "motor.sector_deg", "sector_deg = 60.0", "6", "must be 45, 90, 180 or 360");
  expect_at(text("sector_deg = 135.0\nantiperiodic = true\n"), "motor.sector_deg", "sector_deg = 135.0", "1",
            "is not a symmetry sector");
  expect_at(text(""), "motor.sector_deg", "[motor]", "[", "missing required key 'sector_deg'");
  expect_at(text("sector_deg = 45.0\nantiperiodic = true\n", "slots = 48\nlayers = 1\n"), "motor.winding.poles",
            "[motor.winding]", "[", "missing required key 'poles'");
  expect_at(text("sector_deg = 45.0\nantiperiodic = true\n", "slots = 50\npoles = 8\nlayers = 1\n"), "motor.winding.slots",
            "slots = 50", "5", "no balanced 3-phase winding");
  expect_at(text("sector_deg = 360.0\nsymmetry = \"full\"\n"), "motor.symmetry", "symmetry = \"full\"", "\"",
            "symmetry is for mesh.template");
}

// One machine described by a template and by a .msh: the resolved winding and
// sector, and the WindingSpec made of them, are the same whatever the mesh kind.
TEST_F(MshMotor, WindingSpecAndSectorDoNotDependOnTheMeshKind) {
  const std::string winding = "turns_per_coil = 9\nparallel_paths = 2\n";
  const Case from_template = load(minimal_motor("", "[motor.winding]\n" + winding));
  const Case from_file = load(text("sector_deg = 45.0\nantiperiodic = true\n", "slots = 48\npoles = 8\nlayers = 1\n" + winding));
  for (const Case* c : {&from_template, &from_file}) {
    const solver::WindingSpec w = winding_spec(c->motor);
    EXPECT_EQ(w.slots, 48);
    EXPECT_EQ(w.poles, 8);
    EXPECT_EQ(w.layers, 1);
    EXPECT_EQ(w.turns_per_coil, 9);
    EXPECT_EQ(w.parallel_paths, 2);
    EXPECT_EQ(w.coil_pitch_slots, 6);   // the automatic pitch, resolved
    EXPECT_EQ(c->motor.sector_deg, 45.0);
    EXPECT_TRUE(c->motor.antiperiodic);
  }
}

// The case drives mesh::build_motor: the Prius sector (one pole, 6 slots) is
// meshed and every region binds.
TEST(MotorCase, PriusSectorMeshesAndBinds) {
  const Case c = load(kPrius + kRegions);
  const mesh::Mesh m = build_mesh(c);
  for (const char* name : {"stator_core", "slot_opening", "coil_1_1", "coil_6_1", "airgap_stator", "airgap_rotor",
                           "rotor_core", "shaft", "pocket", "magnet_1_a", "magnet_1_b"})
    EXPECT_GE(m.find_region(name), 0) << name;
  EXPECT_LT(m.find_region("coil_7_1"), 0);  // 45 deg: slots 1 to 6 only
  EXPECT_LT(m.find_region("magnet_2_a"), 0);
  EXPECT_EQ(bind_regions(c, m).size(), m.regions.size());
}

TEST(MotorCase, MeshEstimateRefusesAbsurdMotorMeshes) {
  const Case c = load(minimal_motor("[mesh.motor]\nslot_element_size_mm = 0.001\n"));
  try {
    build_mesh(c);
    ADD_FAILURE() << "meshed";
  } catch (const CaseError& e) {
    ASSERT_EQ(e.issues().size(), 1u);
    EXPECT_EQ(e.issues()[0].key_path, "mesh.motor.slot_element_size_mm") << e.what();
    EXPECT_NE(e.issues()[0].message.find("RotorMag refuses meshes"), std::string::npos) << e.what();
  }
}

TEST(MotorCase, GeometryErrorsAreReportedAtTheirKeysInMillimetres) {
  // Open slots 30 mm wide on a 48-slot bore of 81 mm radius (slot pitch 10.6 mm).
  const fs::path path = test_directory() / "wide.toml";
  fs::create_directories(path.parent_path());
  const std::string text = minimal_motor("[mesh.motor.stator]\nslot_shape = \"open_rectangular\"\n[mesh.motor.stator.open]\nwidth_mm = 30.0\n");
  std::ofstream(path) << text;
  const Case c = load_case(path.string(), shipped_library());
  try {
    build_mesh(c);
    ADD_FAILURE() << "meshed";
  } catch (const CaseError& e) {
    ASSERT_EQ(e.issues().size(), 1u);
    const CaseIssue& issue = e.issues()[0];
    EXPECT_EQ(issue.key_path, "mesh.motor.stator.open.width_mm") << e.what();
    EXPECT_EQ(issue.where.line, where(text, "width_mm = 30.0").first) << e.what();
    EXPECT_NE(issue.message.find("cannot build the motor: the slots are too wide"), std::string::npos) << e.what();
    EXPECT_NE(issue.message.find(" mm"), std::string::npos) << e.what();
    EXPECT_EQ(issue.message.find("_m "), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rotormag::cases

// The [demag] schema: temperatures, candidates (grades and compositions),
// load events in every form, the defaults, the checks positioned at their
// keys, the candidates' materials in the resolved case, and the round trip
// load -> resolved -> load -> the same resolved text (the fuzz oracle).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cases/composition.hpp"
#include "test_support.hpp"

namespace rotormag::cases {
namespace {

using testing::shipped_library;
using testing::source_path;
namespace fs = std::filesystem;

const std::string kRegions = R"(
[[region]]
name = "magnet_*"
material = "N42SH"
[[region]]
name = "*_core"
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

// The Prius motor (template defaults) with `demag` appended; `extra` goes before [mesh].
std::string motor_with(const std::string& demag, const std::string& extra = "") {
  return "schema_version = 1\n" + extra +
         "\n[mesh]\ntemplate = \"motor\"\nelement_size_mm = 3.0\n\n[motor]\nstack_length_mm = 83.82\n"
         "[motor.positions]\nangles_deg = [0.0, 1.875]\n" +
         kRegions + "\n" + demag;
}

const std::string kMinimalDemag = R"([demag]
temperatures_C = [150.0]
[[demag.event]]
name = "peak"
negative_d_current_A = 400.0
)";

Case load(const std::string& text, const std::string& name = "demag.toml") {
  return load_case_text(text, (fs::temp_directory_path() / "rotormag_test_demag_case" / name).string(),
                        shipped_library());
}

std::vector<CaseIssue> issues_of(const std::string& text) {
  try {
    load(text);
  } catch (const CaseError& e) {
    return e.issues();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

std::string all(const std::vector<CaseIssue>& issues) {
  std::string out;
  for (const auto& i : issues) out += i.format() + "\n";
  return out;
}

CaseIssue issue_at(const std::vector<CaseIssue>& issues, const std::string& key) {
  for (const auto& i : issues)
    if (i.key_path == key) return i;
  ADD_FAILURE() << "no issue at " << key << "; reported:\n" << all(issues);
  return {};
}

std::pair<int, int> where(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return {line, static_cast<int>(at - line_start) + 1};
}

// The case fails with an issue at `key`, positioned at `value_text` within
// the first line containing `line_text`, whose message contains `message_part`.
void expect_at(const std::string& text, const std::string& key, const std::string& line_text,
               const std::string& value_text, const std::string& message_part) {
  const auto issues = issues_of(text);
  const CaseIssue issue = issue_at(issues, key);
  auto [line, col] = where(text, line_text);
  col += static_cast<int>(line_text.find(value_text));
  EXPECT_EQ(issue.where.line, line) << issue.format();
  EXPECT_EQ(issue.where.column, col) << issue.format();
  EXPECT_NE(issue.message.find(message_part), std::string::npos) << issue.format();
}

// What the fuzzer checks: the resolved case loads and is a fixed point; and
// the demag spec read back is the same.
void expect_round_trip(const Case& c) {
  const Case again = load(c.resolved_toml, "resolved.toml");
  EXPECT_EQ(again.resolved_toml, c.resolved_toml);
  const DemagSpec &a = again.demag, &b = c.demag;
  EXPECT_EQ(a.present, b.present);
  EXPECT_EQ(a.temperatures_C, b.temperatures_C);
  EXPECT_EQ(a.loss_threshold, b.loss_threshold);
  EXPECT_EQ(a.find_onset, b.find_onset);
  EXPECT_EQ(a.price_scenario, b.price_scenario);
  EXPECT_EQ(a.gbd_faces, b.gbd_faces);
  EXPECT_EQ(a.rated_load_given, b.rated_load_given);
  EXPECT_EQ(a.rated_id_A, b.rated_id_A);
  EXPECT_EQ(a.rated_iq_A, b.rated_iq_A);
  ASSERT_EQ(a.candidates.size(), b.candidates.size());
  for (std::size_t i = 0; i < a.candidates.size(); ++i) {
    const auto &x = a.candidates[i], &y = b.candidates[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.grade, y.grade);
    EXPECT_EQ(x.by_composition, y.by_composition);
    EXPECT_EQ(x.base_grade, y.base_grade);
    EXPECT_EQ(x.Dy_added_wt_pct, y.Dy_added_wt_pct);
    EXPECT_EQ(x.Tb_added_wt_pct, y.Tb_added_wt_pct);
    EXPECT_EQ(x.gbd_element, y.gbd_element);
    EXPECT_EQ(x.gbd_wt_pct, y.gbd_wt_pct);
    EXPECT_EQ(x.gbd_depth_m, y.gbd_depth_m);
    EXPECT_EQ(x.Ce_fraction_of_RE, y.Ce_fraction_of_RE);
  }
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const auto &x = a.events[i], &y = b.events[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.current_A, y.current_A);
    EXPECT_EQ(x.id_A, y.id_A);
    EXPECT_EQ(x.iq_A, y.iq_A);
    EXPECT_EQ(x.phase_currents_A, y.phase_currents_A);
    EXPECT_EQ(x.positions_deg, y.positions_deg);
  }
  EXPECT_EQ(again.materials.size(), c.materials.size());
  for (const auto& [name, m] : c.materials) EXPECT_EQ(again.materials.count(name), 1u) << name;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The ```toml block after `heading` in docs/case-file.md.
std::string docs_example(const std::string& heading) {
  const std::string doc = read_text(source_path("docs/case-file.md"));
  const auto h = doc.find(heading);
  EXPECT_NE(h, std::string::npos) << heading;
  if (h == std::string::npos) return "";
  const auto begin = doc.find("```toml\n", h);
  const auto end = doc.find("```\n", begin + 8);
  return doc.substr(begin + 8, end - begin - 8);
}

TEST(DemagCase, DocsExampleParsesIntoSIValues) {
  const std::string text = docs_example("### A full example: N42SH against a Tb-GBD grade in the Prius motor");
  const Case c = load(text, "prius_demag.toml");
  const DemagSpec& d = c.demag;
  ASSERT_TRUE(d.present);
  EXPECT_EQ(d.where.line, where(text, "[demag]").first);
  EXPECT_EQ(d.temperatures_C, (std::vector<double>{150.0, 180.0}));
  EXPECT_EQ(d.loss_threshold, 0.01);
  EXPECT_TRUE(d.find_onset);
  EXPECT_EQ(d.price_scenario, "late-2025");
  EXPECT_EQ(d.gbd_faces, DemagSpec::GbdFaces::pole_faces);
  EXPECT_TRUE(d.rated_load_given);
  EXPECT_EQ(d.rated_id_A, -125.0);
  EXPECT_EQ(d.rated_iq_A, 216.5);

  ASSERT_EQ(d.candidates.size(), 3u);
  EXPECT_EQ(d.candidates[0].name, "N42SH");
  EXPECT_EQ(d.candidates[0].grade, "N42SH");
  EXPECT_FALSE(d.candidates[0].by_composition);
  EXPECT_EQ(d.candidates[1].name, "Tb-GBD");
  EXPECT_EQ(d.candidates[1].grade, "N48-GBD-Tb");
  EXPECT_FALSE(d.candidates[1].by_composition);
  const DemagCandidateSpec& composed = d.candidates[2];
  EXPECT_EQ(composed.name, "N42 + 0.5 Tb GBD");
  EXPECT_TRUE(composed.by_composition);
  EXPECT_EQ(composed.grade, "");
  EXPECT_EQ(composed.base_grade, "N42");
  EXPECT_EQ(composed.Dy_added_wt_pct, 0.0);
  EXPECT_EQ(composed.Tb_added_wt_pct, 0.0);
  EXPECT_EQ(composed.gbd_element, GbdElement::Tb);
  EXPECT_EQ(composed.gbd_wt_pct, 0.5);
  EXPECT_NEAR(composed.gbd_depth_m, 2e-3, 1e-18);
  EXPECT_LT(composed.Ce_fraction_of_RE, 0.0);  // the base's
  EXPECT_EQ(composed.where.line, where(text, "name = \"N42 + 0.5 Tb GBD\"").first - 1);

  ASSERT_EQ(d.events.size(), 3u);
  EXPECT_EQ(d.events[0].name, "peak -id");
  EXPECT_EQ(d.events[0].kind, DemagEventSpec::Kind::negative_d);
  EXPECT_EQ(d.events[0].current_A, 400.0);
  EXPECT_EQ(d.events[0].positions_deg, (std::vector<double>{0.0, 3.75}));
  EXPECT_EQ(d.events[1].name, "short circuit");
  EXPECT_EQ(d.events[1].kind, DemagEventSpec::Kind::short_circuit);
  EXPECT_EQ(d.events[1].current_A, 600.0);
  EXPECT_TRUE(d.events[1].positions_deg.empty());  // those of [motor.positions]
  EXPECT_EQ(d.events[2].kind, DemagEventSpec::Kind::dq);
  EXPECT_EQ(d.events[2].id_A, -250.0);
  EXPECT_EQ(d.events[2].iq_A, 200.0);
  EXPECT_TRUE(d.events[2].positions_deg.empty());

  // Every candidate's material is in the case: the resolved case holds it.
  for (const char* name : {"N42SH", "N48-GBD-Tb", "N42"}) {
    ASSERT_EQ(c.materials.count(name), 1u) << name;
    EXPECT_EQ(c.materials.at(name).kind, Material::Kind::magnet);
    EXPECT_NE(c.resolved_toml.find(std::string("[resolved_materials.") + name + "]"), std::string::npos) << name;
  }
  expect_round_trip(c);
}

TEST(DemagCase, DefaultsAreFilledAndWrittenBack) {
  const Case c = load(motor_with(kMinimalDemag));
  const DemagSpec& d = c.demag;
  ASSERT_TRUE(d.present);
  EXPECT_EQ(d.loss_threshold, 0.01);
  EXPECT_TRUE(d.find_onset);
  EXPECT_EQ(d.price_scenario, shipped_library().default_price_scenario());
  EXPECT_EQ(d.price_scenario, "late-2025");
  EXPECT_EQ(d.gbd_faces, DemagSpec::GbdFaces::pole_faces);
  EXPECT_FALSE(d.rated_load_given);
  EXPECT_TRUE(d.candidates.empty());
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_TRUE(d.events[0].positions_deg.empty());
  // The resolved [demag]: defaults written, no positions for the event, no candidates.
  const std::string& r = c.resolved_toml;
  EXPECT_NE(r.find("loss_threshold = 0.01"), std::string::npos) << r;
  EXPECT_NE(r.find("find_onset = true"), std::string::npos) << r;
  EXPECT_NE(r.find("price_scenario = "), std::string::npos) << r;
  EXPECT_NE(r.find("late-2025"), std::string::npos) << r;
  EXPECT_NE(r.find("pole_faces"), std::string::npos) << r;
  EXPECT_EQ(r.find("positions_deg"), std::string::npos) << r;
  EXPECT_EQ(r.find("demag.candidate"), std::string::npos) << r;
  EXPECT_EQ(r.find("rated_load"), std::string::npos) << r;
  expect_round_trip(c);

  // Without [demag]: nothing.
  const Case none = load(motor_with(""));
  EXPECT_FALSE(none.demag.present);
  EXPECT_EQ(none.resolved_toml.find("[demag"), std::string::npos) << none.resolved_toml;
}

TEST(DemagCase, EveryEventForm) {
  const Case c = load(motor_with(R"([demag]
temperatures_C = [180, -60, 300, 20.5]
loss_threshold = 0.05
find_onset = false
price_scenario = "may-2022-peak"
gbd_faces = "all_faces"
[demag.rated_load]
iq_A = 150
[[demag.event]]
name = "weakening"
negative_d_current_A = 0
[[demag.event]]
name = "short circuit"
short_circuit_peak_A = 612.5
positions_deg = [-7.5, 0.1, 1e-7]
[[demag.event]]
name = "d only"
id_A = -300.0
[[demag.event]]
name = "q only"
iq_A = 1e6
[[demag.event]]
name = "phases"
phase_currents_A = [400.0, -200.0, -200]
positions_deg = [2.5]
)"));
  const DemagSpec& d = c.demag;
  EXPECT_EQ(d.temperatures_C, (std::vector<double>{180.0, -60.0, 300.0, 20.5}));  // as given
  EXPECT_EQ(d.loss_threshold, 0.05);
  EXPECT_FALSE(d.find_onset);
  EXPECT_EQ(d.price_scenario, "may-2022-peak");
  EXPECT_EQ(d.gbd_faces, DemagSpec::GbdFaces::all_faces);
  EXPECT_TRUE(d.rated_load_given);
  EXPECT_EQ(d.rated_id_A, 0.0);
  EXPECT_EQ(d.rated_iq_A, 150.0);
  ASSERT_EQ(d.events.size(), 5u);
  EXPECT_EQ(d.events[0].kind, DemagEventSpec::Kind::negative_d);
  EXPECT_EQ(d.events[0].current_A, 0.0);
  EXPECT_EQ(d.events[1].kind, DemagEventSpec::Kind::short_circuit);
  EXPECT_EQ(d.events[1].current_A, 612.5);
  EXPECT_EQ(d.events[1].positions_deg, (std::vector<double>{-7.5, 0.1, 1e-7}));
  EXPECT_EQ(d.events[2].kind, DemagEventSpec::Kind::dq);
  EXPECT_EQ(d.events[2].id_A, -300.0);
  EXPECT_EQ(d.events[2].iq_A, 0.0);
  EXPECT_EQ(d.events[3].kind, DemagEventSpec::Kind::dq);
  EXPECT_EQ(d.events[3].id_A, 0.0);
  EXPECT_EQ(d.events[3].iq_A, 1e6);
  EXPECT_EQ(d.events[4].kind, DemagEventSpec::Kind::phase);
  EXPECT_EQ(d.events[4].phase_currents_A, (std::vector<double>{400.0, -200.0, -200.0}));
  EXPECT_EQ(d.events[4].positions_deg, (std::vector<double>{2.5}));
  // No candidates: the material bound to the magnets; nothing added.
  EXPECT_TRUE(d.candidates.empty());
  expect_round_trip(c);
}

TEST(DemagCase, CompositionsAreComposedAndTheirBasesResolved) {
  const Case c = load(motor_with(R"([demag]
temperatures_C = [150.0]
[[demag.candidate]]
name = "lean SH"
base_grade = "N42SH"
Dy_added_wt_pct = -1.5
[[demag.candidate]]
name = "N48 + Tb bulk"
base_grade = "N48"
Tb_added_wt_pct = 2.0
Dy_added_wt_pct = 0.25
[[demag.candidate]]
name = "Dy GBD shallow"
base_grade = "N48"
gbd_element = "Dy"
gbd_wt_pct = 0.7
gbd_depth_mm = 0.3
Ce_fraction_of_RE = 0.0
[[demag.candidate]]
name = "GBD over the data"
base_grade = "N42"
gbd_element = "Tb"
gbd_wt_pct = 2.5
[[demag.event]]
name = "peak"
negative_d_current_A = 400.0
)"));
  const auto& k = c.demag.candidates;
  ASSERT_EQ(k.size(), 4u);
  EXPECT_TRUE(k[0].by_composition);
  EXPECT_EQ(k[0].base_grade, "N42SH");
  EXPECT_EQ(k[0].Dy_added_wt_pct, -1.5);
  EXPECT_EQ(k[0].gbd_element, GbdElement::none);
  EXPECT_EQ(k[1].Tb_added_wt_pct, 2.0);
  EXPECT_EQ(k[1].Dy_added_wt_pct, 0.25);
  EXPECT_EQ(k[2].gbd_element, GbdElement::Dy);
  EXPECT_EQ(k[2].gbd_wt_pct, 0.7);
  EXPECT_NEAR(k[2].gbd_depth_m, 0.3e-3, 1e-18);
  EXPECT_EQ(k[2].Ce_fraction_of_RE, 0.0);
  EXPECT_EQ(k[3].gbd_depth_m, 0.0);  // the model's default
  EXPECT_EQ(k[3].gbd_wt_pct, 2.5);   // over the data: a warning of compose(), not an error
  for (const char* base : {"N42SH", "N48", "N42"}) EXPECT_EQ(c.materials.count(base), 1u) << base;
  expect_round_trip(c);

  // The composed material is what compose() gives on the resolved base.
  Candidate candidate;
  candidate.name = k[2].name;
  candidate.base = c.materials.at("N48");
  candidate.gbd_element = GbdElement::Dy;
  candidate.gbd_wt_pct = k[2].gbd_wt_pct;
  candidate.gbd_depth_m = k[2].gbd_depth_m;
  candidate.Ce_fraction_of_RE = k[2].Ce_fraction_of_RE;
  const ComposedMagnet m = compose(candidate);
  EXPECT_NEAR(m.material.grade.gbd.depth_m, 0.3e-3, 1e-18);
}

TEST(DemagCase, CaseOwnMagnetsServeAsGradeAndBaseAndTravelInTheResolvedCase) {
  const std::string own = R"(
[materials.my_core]
kind = "magnet"
Br20_T = 1.36
HcJ20_kA_per_m = 955.0
alpha_Br_pct_per_C = -0.12
beta_HcJ_pct_per_C = -0.62
Dy_wt_pct = 0.0
RE_wt_pct = 30.5
composition_confidence = "supplier"
source = "test"
)";
  // The case's own magnet, used only by [demag] (the regions bind N42SH).
  const Case c = load(motor_with(R"([demag]
temperatures_C = [120.0, 140.0]
[[demag.candidate]]
name = "as is"
grade = "my_core"
[[demag.candidate]]
name = "diffused"
base_grade = "my_core"
gbd_element = "Tb"
gbd_wt_pct = 0.4
[[demag.event]]
name = "peak"
id_A = -200.0
iq_A = 100.0
)") + own);
  ASSERT_EQ(c.materials.count("my_core"), 1u);
  EXPECT_NE(c.resolved_toml.find("[resolved_materials.my_core]"), std::string::npos);
  // The resolved case has no [materials]: the magnet comes back from [resolved_materials].
  expect_round_trip(c);
  const Case again = load(c.resolved_toml, "resolved.toml");
  EXPECT_EQ(again.materials.at("my_core").grade.Br20_T, 1.36);
}

TEST(DemagCase, RoundTripOfTheFuzzSeedsAndAwkwardNumbers) {
  for (const char* seed : {"tests/fuzz/corpus/case_file/demag_prius_candidates.toml",
                           "tests/fuzz/corpus/case_file/demag_spm_own_magnet.toml"}) {
    SCOPED_TRACE(seed);
    const Case c = load_case(source_path(seed), shipped_library());
    ASSERT_TRUE(c.demag.present);
    expect_round_trip(c);
  }
  // Numbers that do not survive a careless mm -> m -> mm or print.
  for (const char* depth : {"0.1", "0.3", "2.7", "1e-5", "99.99", "3.3333333333333335"}) {
    SCOPED_TRACE(depth);
    const Case c = load(motor_with(std::string(R"([demag]
temperatures_C = [0.1, 0.30000000000000004, -59.99999999999999]
loss_threshold = 0.49999999999999994
rated_load = { id_A = -0.1, iq_A = 1e-300 }
[[demag.candidate]]
name = "c"
base_grade = "N48"
Dy_added_wt_pct = 0.1
Tb_added_wt_pct = 0.2
gbd_element = "Tb"
gbd_wt_pct = 0.30000000000000004
gbd_depth_mm = )") + depth + R"(
Ce_fraction_of_RE = 0.1
[[demag.event]]
name = "e"
phase_currents_A = [-0.0, 5e-324, 999999.9999999999]
positions_deg = [1e300, -1e-300, 0.1]
)"));
    expect_round_trip(c);
  }
}

TEST(DemagCase, TopLevelChecksArePositioned) {
  const auto text = [](const std::string& line) {
    return motor_with("[demag]\n" + line + "\n[[demag.event]]\nname = \"e\"\nnegative_d_current_A = 1.0\n");
  };
  expect_at(text("temperatures_C = [150.0, 400.0]"), "demag.temperatures_C", "temperatures_C = [150.0, 400.0]", "[",
            "in [-60, 300] C, got 400 (entry 1)");
  expect_at(text("temperatures_C = [150.0, 180.0, 150]"), "demag.temperatures_C", "temperatures_C = [150.0, 180.0",
            "[", "150 C is given twice (entries 0 and 2)");
  expect_at(text("temperatures_C = []"), "demag.temperatures_C", "temperatures_C = []", "[", "at least one");
  expect_at(text("temperatures_C = [nan]"), "demag.temperatures_C", "temperatures_C = [nan]", "[", "got nan");
  expect_at(text("temperatures_C = [100.0]\nloss_threshold = 0.7"), "demag.loss_threshold", "loss_threshold = 0.7",
            "0.7", "(0, 0.5)");
  expect_at(text("temperatures_C = [100.0]\nloss_threshold = 0"), "demag.loss_threshold", "loss_threshold = 0", "0",
            "(0, 0.5)");
  expect_at(text("temperatures_C = [100.0]\nprice_scenario = \"late-2052\""), "demag.price_scenario",
            "price_scenario = \"late-2052\"", "\"", "did you mean 'late-2025'?");
  expect_at(text("temperatures_C = [100.0]\nprice_scenario = \"\""), "demag.price_scenario", "price_scenario = \"\"",
            "\"", "unknown price scenario ''");
  expect_at(text("temperatures_C = [100.0]\ngbd_faces = \"pole_face\""), "demag.gbd_faces", "gbd_faces = \"pole_face\"", "\"",
            "did you mean 'pole_faces'?");
  expect_at(text("temperatures_C = [100.0]\nfind_onset = 1"), "demag.find_onset", "find_onset = 1", "1",
            "expected a boolean");
  expect_at(text("temperatures_C = [100.0]\ntemperature_C = 20.0"), "demag.temperature_C", "temperature_C = 20.0",
            "t", "did you mean 'temperatures_C'?");
  expect_at(text("temperatures_C = [100.0]\nrated_load = {}"), "demag.rated_load", "rated_load = {}", "{",
            "id_A and/or iq_A");
  expect_at(text("temperatures_C = [100.0]\nrated_load = { id_A = -10.0, iq = 5.0 }"), "demag.rated_load.iq",
            "rated_load = { id_A = -10.0, iq = 5.0 }", "iq", "did you mean 'iq_A'?");
  expect_at(text("temperatures_C = [100.0]\nrated_load = { id_A = 2e6 }"), "demag.rated_load.id_A",
            "rated_load = { id_A = 2e6 }", "2e6", "<= 1e+06 A");
  // Required: temperatures and events.
  {
    const std::string t = motor_with("[demag]\n[[demag.event]]\nname = \"e\"\nnegative_d_current_A = 1.0\n");
    expect_at(t, "demag.temperatures_C", "[demag]", "[", "missing required key 'temperatures_C'");
  }
  expect_at(motor_with("[demag]\ntemperatures_C = [20.0]\n"), "demag.event", "[demag]", "[", "at least one load event");
  expect_at(motor_with("[demag]\ntemperatures_C = [20.0]\nevent = []\n"), "demag.event", "event = []", "[",
            "empty event list");
  expect_at(motor_with("", "demag = 3\n"), "demag", "demag = 3", "3", "expected a table");
}

TEST(DemagCase, DemagNeedsAMotor) {
  const std::string text = R"(schema_version = 1
[mesh]
template = "ipm_v_rotor"
[[region]]
name = "*"
material = "air"
[[boundary]]
name = "stator_outer"
type = "dirichlet"
[demag]
temperatures_C = [150.0]
[[demag.event]]
name = "e"
negative_d_current_A = 1.0
)";
  const auto issues = issues_of(text);
  expect_at(text, "demag", "[demag]", "[", "[demag] needs [motor]");
  EXPECT_EQ(issues.size(), 1u) << all(issues);
}

TEST(DemagCase, CandidateChecksArePositioned) {
  const auto text = [](const std::string& candidate) {
    return motor_with("[demag]\ntemperatures_C = [150.0]\n[[demag.candidate]]\n" + candidate +
                      "\n[[demag.event]]\nname = \"e\"\nnegative_d_current_A = 1.0\n");
  };
  expect_at(text("name = \"a\"\ngrade = \"N24SH\""), "demag.candidate[0].grade", "grade = \"N24SH\"", "\"",
            "unknown magnet 'N24SH' (a magnet of the library or of the case's [materials]); did you mean 'N42SH'?");
  expect_at(text("name = \"a\"\ngrade = \"M400-50A\""), "demag.candidate[0].grade", "grade = \"M400-50A\"", "\"",
            "'M400-50A' is not a magnet (it is a B-H curve (soft iron))");
  expect_at(text("name = \"a\"\nbase_grade = \"copper\""), "demag.candidate[0].base_grade", "base_grade = \"copper\"",
            "\"", "'copper' is not a magnet");
  expect_at(text("name = \"a\"\ngrade = \"N42SH\"\ngbd_wt_pct = 0.5"), "demag.candidate[0].gbd_wt_pct",
            "gbd_wt_pct = 0.5", "0", "composition key: it needs base_grade");
  expect_at(text("name = \"a\"\ngrade = \"N42SH\"\nbase_grade = \"N42\""), "demag.candidate[0].base_grade",
            "base_grade = \"N42\"", "\"", "give either grade");
  expect_at(text("name = \"a\""), "demag.candidate[0]", "[[demag.candidate]]", "[", "missing 'grade'");
  expect_at(text("grade = \"N42SH\""), "demag.candidate[0].name", "[[demag.candidate]]", "[", "missing required key 'name'");
  expect_at(text("name = \"\"\ngrade = \"N42SH\""), "demag.candidate[0].name", "name = \"\"", "\"", "must not be empty");
  expect_at(text("name = \"a\"\ngrade = \"N42SH\"\n[[demag.candidate]]\nname = \"a\"\ngrade = \"N48\""),
            "demag.candidate[1].name", "name = \"a\"\ngrade = \"N48\"", "\"", "candidate 'a' is given twice");
  expect_at(text("name = \"a\"\ngrad = \"N42SH\""), "demag.candidate[0].grad", "grad = ", "g", "did you mean 'grade'?");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\ngbd_element = \"tb\""), "demag.candidate[0].gbd_element",
            "gbd_element = \"tb\"", "\"", "did you mean 'Tb'?");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\ngbd_element = \"Tb\"\ngbd_wt_pct = 4.0"),
            "demag.candidate[0].gbd_wt_pct", "gbd_wt_pct = 4.0", "4", "must lie in (0, 3] wt%");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\ngbd_element = \"Tb\""), "demag.candidate[0].gbd_element",
            "gbd_element = \"Tb\"", "\"", "needs gbd_wt_pct");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\ngbd_wt_pct = 0.5"), "demag.candidate[0].gbd_wt_pct",
            "gbd_wt_pct = 0.5", "0", "needs gbd_element = \"Tb\" or \"Dy\"");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\ngbd_element = \"Dy\"\ngbd_wt_pct = 0.5\ngbd_depth_mm = 0.0"),
            "demag.candidate[0].gbd_depth_mm", "gbd_depth_mm = 0.0", "0", "(0, 100] mm");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\nDy_added_wt_pct = 16.0"), "demag.candidate[0].Dy_added_wt_pct",
            "Dy_added_wt_pct = 16.0", "1", "[-15, 15]");
  expect_at(text("name = \"a\"\nbase_grade = \"N42\"\nCe_fraction_of_RE = 1.0"), "demag.candidate[0].Ce_fraction_of_RE",
            "Ce_fraction_of_RE = 1.0", "1", "[0, 0.99]");
  // compose() refuses: N42 holds no Dy to remove. At the key, with the model's reason.
  expect_at(text("name = \"lean\"\nbase_grade = \"N42\"\nDy_added_wt_pct = -1.0"), "demag.candidate[0].Dy_added_wt_pct",
            "Dy_added_wt_pct = -1.0", "-", "cannot compose candidate 'lean' from 'N42': removes more bulk HRE than base 'N42' holds");
  expect_at(text("name = \"lean\"\nbase_grade = \"N42SH\"\nDy_added_wt_pct = 1.0\nTb_added_wt_pct = -0.5"),
            "demag.candidate[0].Tb_added_wt_pct", "Tb_added_wt_pct = -0.5", "-", "removes more bulk HRE");
  // A broken case-local magnet is reported once, at its own table.
  {
    const std::string t = text("name = \"a\"\ngrade = \"broken\"") + "\n[materials.broken]\nkind = \"magnet\"\nsource = \"x\"\n";
    for (const auto& i : issues_of(t)) EXPECT_EQ(i.key_path.rfind("demag", 0), std::string::npos) << i.format();
  }
}

TEST(DemagCase, EventChecksArePositioned) {
  const auto text = [](const std::string& event) {
    return motor_with("[demag]\ntemperatures_C = [150.0]\n[[demag.event]]\n" + event + "\n");
  };
  expect_at(text("name = \"e\"\nnegative_d_current_A = 400.0\nid_A = -10.0"), "demag.event[0].id_A", "id_A = -10.0",
            "-", "this event mixes negative_d_current_A and {id_A, iq_A}");
  {
    const std::string t = text("name = \"e\"\nshort_circuit_peak_A = 600.0\niq_A = 5.0\nphase_currents_A = [1, 2, 3]");
    const auto issues = issues_of(t);
    EXPECT_NE(issue_at(issues, "demag.event[0].iq_A").message.find("mixes short_circuit_peak_A and {id_A, iq_A}"),
              std::string::npos);
    EXPECT_NE(issue_at(issues, "demag.event[0].phase_currents_A").message.find("mixes short_circuit_peak_A and phase_currents_A"),
              std::string::npos);
  }
  expect_at(text("name = \"e\""), "demag.event[0]", "[[demag.event]]", "[", "missing the event's current");
  expect_at(text("name = \"e\"\nnegative_d_current_A = -400.0"), "demag.event[0].negative_d_current_A",
            "negative_d_current_A = -400.0", "-", ">= 0 A");
  expect_at(text("name = \"e\"\nshort_circuit_peak_A = inf"), "demag.event[0].short_circuit_peak_A",
            "short_circuit_peak_A = inf", "inf", "finite");
  expect_at(text("name = \"e\"\niq_A = 1000001.0"), "demag.event[0].iq_A", "iq_A = 1000001.0", "1", "<= 1e+06 A");
  expect_at(text("name = \"e\"\nphase_currents_A = [1.0, 2.0]"), "demag.event[0].phase_currents_A",
            "phase_currents_A = [1.0, 2.0]", "[", "three phase currents");
  expect_at(text("name = \"e\"\nphase_currents_A = [1.0, 2.0, -2e6]"), "demag.event[0].phase_currents_A",
            "phase_currents_A = [", "[", "got -2e+06 (entry 2)");
  expect_at(text("name = \"e\"\nnegative_d_current_A = 1.0\npositions_deg = []"), "demag.event[0].positions_deg",
            "positions_deg = []", "[", "at least one rotor position");
  expect_at(text("name = \"e\"\nnegative_d_current_A = 1.0\npositions_deg = [0.0, nan]"), "demag.event[0].positions_deg",
            "positions_deg = [", "[", "finite numbers, got nan (entry 1)");
  {
    std::string many = "name = \"e\"\nnegative_d_current_A = 1.0\npositions_deg = [";
    for (int i = 0; i <= 10000; ++i) many += (i ? ", " : "") + std::to_string(i);
    many += "]";
    expect_at(text(many), "demag.event[0].positions_deg", "positions_deg = [", "[", "at most 10000 rotor positions, got 10001");
  }
  expect_at(text("name = \"e\"\nnegative_d_current_A = 1.0\n[[demag.event]]\nname = \"e\"\niq_A = 1.0"),
            "demag.event[1].name", "name = \"e\"\niq_A", "\"", "event 'e' is given twice");
  expect_at(text("name = \"e\"\nnegative_d_current_A = 1.0\nposition_deg = [0.0]"), "demag.event[0].position_deg",
            "position_deg = [0.0]", "p", "did you mean 'positions_deg'?");
  expect_at(text("name = \"e\"\nnegative_d_current = 1.0"), "demag.event[0].negative_d_current", "negative_d_current =",
            "n", "did you mean 'negative_d_current_A'?");
}

TEST(DemagCase, CaseOwnPriceScenariosAreNotReadYet) {
  const std::string t = motor_with(kMinimalDemag, "[price_scenarios.mine]\ncurrency = \"EUR\"\n");
  expect_at(t, "price_scenarios", "[price_scenarios.mine]", "[", "not supported yet");
}

TEST(DemagCase, EveryProblemIsReportedAtOnce) {
  const std::string t = motor_with(R"([demag]
temperatures_C = [400.0]
loss_threshold = 0.7
[[demag.candidate]]
name = "x"
grade = "N42HS"
[[demag.event]]
name = "e"
negative_d_current_A = 1.0
id_A = 1.0
)");
  const auto issues = issues_of(t);
  EXPECT_EQ(issues.size(), 4u) << all(issues);
}

}  // namespace
}  // namespace rotormag::cases

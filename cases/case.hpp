#pragma once
// The typed case: what `rotormag run` solves, after the TOML case file has
// been parsed, validated and resolved against the material library.
// SI units inside; the case file uses engineers' units with units in key names.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cases/materials.hpp"
#include "mesh/mesh.hpp"
#include "mesh/motor_geometry.hpp"
#include "mesh/templates.hpp"

namespace rotormag::cases {

// Where a value came from in a case or library file.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;
};

// One problem found in a case file: printed as `file:line:col: key.path: message`.
struct CaseIssue {
  SourcePosition where;
  std::string key_path;
  std::string message;
  std::string format() const;
};

// All problems found at once (the parser never stops at the first).
class CaseError : public std::runtime_error {
 public:
  explicit CaseError(std::vector<CaseIssue> issues);
  const std::vector<CaseIssue>& issues() const { return issues_; }

 private:
  std::vector<CaseIssue> issues_;
};

struct MeshSpec {
  enum class Kind { file, concentric_layers, ipm_v_rotor, motor } kind = Kind::ipm_v_rotor;
  std::string file;                     // Kind::file: absolute or relative to the case file, resolved
  mesh::ConcentricLayers layers;        // Kind::concentric_layers
  mesh::SlotlessVRotor ipm_v_rotor;     // Kind::ipm_v_rotor (the demo: a V rotor in a slotless ring)
  mesh::MotorGeometry motor;            // Kind::motor ([mesh.motor]); sector_deg is set from [motor]
  mesh::MeshingOptions options;         // order, element size
  SourcePosition where;                 // of the [mesh] table
};

// How a magnet region is magnetized: from the mesh template, or given.
struct Magnetization {
  enum class Kind { from_mesh, parallel, radial } kind = Kind::from_mesh;
  double angle_rad = 0.0;   // parallel
  double sign = 1.0;        // radial: +1 outwards
};

// Binds regions (exact name or a glob with '*') to a material, and optionally
// a magnetization and a source current density.
struct RegionBinding {
  std::string pattern;
  std::string material;                 // name in the library (or the case's own [materials])
  Magnetization magnetization;
  double current_density_A_per_m2 = 0.0;
  SourcePosition where;
};

struct DirichletBoundary {
  std::string boundary;                 // name of a 1D physical group
  double value_Wb_per_m = 0.0;          // A_z on that boundary
  SourcePosition where;
};

struct SolverSettings {
  int newton_max_iterations = 50;
  double newton_residual_tolerance = 1e-8;   // ||R|| / ||R0||
  double newton_update_tolerance = 1e-8;     // ||dA||_inf / ||A||_inf
  bool line_search = true;
  double cg_relative_tolerance = 1e-12;
  int cg_max_iterations = 20000;
  // The CG's preconditioner: the aggregation multigrid (its cycle in double or
  // in single precision) or Jacobi. Spelled "multigrid", "multigrid-single",
  // "jacobi" in the case file (preconditioner_name).
  enum class Preconditioner { multigrid, multigrid_single, jacobi } preconditioner = Preconditioner::multigrid;
};

// The case-file spelling of a preconditioner, and the preconditioner a
// spelling names (nullopt for none; a command-line option may use it).
const char* preconditioner_name(SolverSettings::Preconditioner p);
std::optional<SolverSettings::Preconditioner> parse_preconditioner(std::string_view name);

// [motor]: the case is a motor analysed over rotor positions (a motor
// template, or a .msh following docs/motor-mesh.md). SI inside.
struct MotorSpec {
  bool present = false;
  SourcePosition where;
  double stack_length_m = 0;
  // The symmetry a motor template asks for (motor.symmetry): the smallest
  // sector the slots, poles and winding allow, or the whole machine. A .msh
  // gives its sector instead (motor.sector_deg, motor.antiperiodic).
  enum class Symmetry { sector, full } symmetry = Symmetry::sector;
  // The model's sector and the winding, resolved by load_case whatever the
  // mesh kind: for a template, slots, poles and layers are those of
  // [mesh.motor] and the sector follows from `symmetry`; for a .msh they are
  // those of [motor] and [motor.winding], the sector checked against the
  // winding. Consumers read these and never the mesh kind; winding_spec()
  // (cases/motor_winding.hpp) makes the solver's WindingSpec of them.
  double sector_deg = 0;               // the span of the model, mechanical degrees (360: the whole machine)
  bool antiperiodic = false;           // the next sector is the negative of this one
  int slots = 0, poles = 0, layers = 1;
  int turns_per_coil = 1;
  int parallel_paths = 1;
  int coil_pitch_slots = 0;            // in the file 0 asks for the automatic pitch; resolved, never 0
  // Rotor positions, mechanical degrees.
  std::vector<double> positions_deg;
  // Stator load.
  enum class Load { none, dq, phase } load = Load::none;
  double id_A = 0, iq_A = 0;           // peak, amplitude-invariant dq (also from current_peak_A + angle)
  std::vector<double> phase_currents_A;  // Load::phase: a, b, c
  std::optional<double> speed_rpm;     // back-EMF
};

// [demag]: irreversible demagnetization of the rotor magnets under worst-case
// loads (solver/demagnetization.hpp), for one or more candidate magnets at one
// or more temperatures. Needs [motor].
struct DemagCandidateSpec {
  std::string name;                    // label in the results (unique)
  std::string grade;                   // a magnet in the library or [materials]; or, with a composition:
  bool by_composition = false;
  std::string base_grade;              // composition: the base magnet
  double Dy_added_wt_pct = 0, Tb_added_wt_pct = 0;
  GbdElement gbd_element = GbdElement::none;
  double gbd_wt_pct = 0;
  double gbd_depth_m = 0;              // 0: the model's default
  double Ce_fraction_of_RE = -1;       // < 0: the base's
  SourcePosition where;
};

struct DemagEventSpec {
  std::string name;                    // label in the results (unique)
  // negative_d: i_d = -current_A, i_q = 0 (peak field weakening / overload);
  // short_circuit: the same, current_A the short-circuit peak (e.g. 2 psi_PM / L_d);
  // dq: id_A, iq_A; phase: phase_currents_A (a, b, c), fixed.
  enum class Kind { negative_d, short_circuit, dq, phase } kind = Kind::negative_d;
  double current_A = 0;                // negative_d, short_circuit: peak magnitude, >= 0
  double id_A = 0, iq_A = 0;           // dq
  std::vector<double> phase_currents_A;
  std::vector<double> positions_deg;  // empty: those of [motor.positions]
  SourcePosition where;
};

struct DemagSpec {
  bool present = false;
  SourcePosition where;
  std::vector<double> temperatures_C;              // magnet temperatures, each analysed from undamaged magnets
  std::vector<DemagCandidateSpec> candidates;      // empty: the material bound to the magnet regions
  std::vector<DemagEventSpec> events;              // at least one
  bool rated_load_given = false;                   // torque loss at the rated load
  double rated_id_A = 0, rated_iq_A = 0;
  std::string price_scenario;                      // "": the library's default (late 2025)
                                                   // (load_case fills in the default's name; "" only
                                                   // when the library has no price scenarios)
  double loss_threshold = 0.01;                    // irreversible loss that counts as onset
  bool find_onset = true;
  // Where a GBD magnet took up its HRE: the faces the magnetization crosses
  // ("pole_faces"), or every face ("all_faces"); gbd_faces_name.
  enum class GbdFaces { pole_faces, all_faces } gbd_faces = GbdFaces::pole_faces;
};

// The case-file spelling of DemagSpec::gbd_faces.
const char* gbd_faces_name(DemagSpec::GbdFaces f);

struct Case {
  int schema_version = 1;
  std::string name;
  std::string path;                     // the case file
  std::string resolved_toml;            // the case with defaults filled, as TOML text
  double temperature_C = 20.0;
  MeshSpec mesh;
  std::vector<RegionBinding> regions;
  std::vector<DirichletBoundary> dirichlet;
  SolverSettings solver;
  MotorSpec motor;
  DemagSpec demag;
  std::map<std::string, Material> materials;  // every material the bindings use, resolved
};

// Parses and validates a case file against the library. Throws CaseError
// with every problem found (syntax, unknown keys with a suggestion, wrong
// types, out-of-range values, unknown materials).
Case load_case(const std::string& path, const MaterialLibrary& library);

// The same from text in memory (the fuzzer, tests): `virtual_path` names the
// file in messages and relative mesh.file paths resolve against its folder.
Case load_case_text(const std::string& text, const std::string& virtual_path, const MaterialLibrary& library);

// One mesh region with what the case says about it.
struct ResolvedRegion {
  const Material* material = nullptr;
  mesh::MagnetizationHint magnetization;   // kind none for non-magnets
  double current_density_A_per_m2 = 0.0;
};

// Binds every mesh region to exactly one binding. Throws CaseError for a
// binding that matches no region, a region matched by none or by two, a
// magnet without a magnetization, a Dirichlet boundary not in the mesh.
std::vector<ResolvedRegion> bind_regions(const Case& c, const mesh::Mesh& m);

// Builds the mesh the case describes (template or file).
mesh::Mesh build_mesh(const Case& c);

}  // namespace rotormag::cases

#pragma once
// The typed case: what `rotormag run` solves, after the TOML case file has
// been parsed, validated and resolved against the material library.
// SI units inside; the case file uses engineers' units with units in key names.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
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
  mesh::IpmVRotor ipm_v_rotor;          // Kind::ipm_v_rotor
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
  std::string preconditioner = "multigrid";  // "multigrid" (aggregation AMG) or "jacobi"
};

// [motor]: the case is a motor analysed over rotor positions (a motor
// template, or a .msh following docs/motor-mesh.md). SI inside.
struct MotorSpec {
  bool present = false;
  SourcePosition where;
  double stack_length_m = 0;
  // Symmetry: the smallest sector the slots, poles and winding allow
  // (automatic), or the whole machine. For a .msh file the sector is given.
  enum class Symmetry { sector, full } symmetry = Symmetry::sector;
  double sector_deg = 0;               // .msh only: the mesh's span (360: whole machine)
  bool antiperiodic = false;           // .msh only
  // Winding (slots, poles and layers come from a template; a .msh gives them).
  int slots = 0, poles = 0, layers = 1;
  int turns_per_coil = 1;
  int parallel_paths = 1;
  int coil_pitch_slots = 0;            // 0: automatic
  // Rotor positions, mechanical degrees.
  std::vector<double> positions_deg;
  // Stator load.
  enum class Load { none, dq, phase } load = Load::none;
  double id_A = 0, iq_A = 0;           // peak, amplitude-invariant dq (also from current_peak_A + angle)
  std::vector<double> phase_currents_A;  // Load::phase: a, b, c
  std::optional<double> speed_rpm;     // back-EMF
};

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

#pragma once
// Results files: NAME.hdf (HDF5 with a VTKHDF 1.0 UnstructuredGrid under
// /VTKHDF that ParaView 5.11 / VTK 9.1 open directly, plus the solver's own
// data in other groups) and summary.json. Both written atomically: to a
// temporary name in the same directory, then renamed.

#include <string>
#include <vector>

#include "mesh/mesh.hpp"

namespace rotormag::postproc {

// Fields of one solved case. Cell arrays have one entry (or 3 components,
// interleaved xyz) per triangle; point arrays one per mesh node.
struct FieldData {
  std::vector<double> A_Wb_per_m;     // point data, A_z
  std::vector<double> B_T;            // cell data, 3 components (z = 0), element average
  std::vector<double> Bmag_T;         // cell data
  std::vector<double> H_A_per_m;      // cell data, 3 components
  std::vector<double> Hm_A_per_m;     // cell data: H . m inside magnets (0 elsewhere)
  // More cell arrays, one value per triangle (demagnetization: margin,
  // demag_coef, Br_eff, worst h ...). Names must not clash with the above.
  struct CellArray {
    std::string name;
    std::string units;
    std::vector<double> values;
    int components = 1;               // 3: interleaved xyz
  };
  std::vector<CellArray> extra_cells;
  // Point arrays beyond A (one value or `components` per node).
  std::vector<CellArray> extra_points;
  // false: a grid of named arrays only (the merged sweep file holds every
  // case's fields as "<case>.<array>"); A, B, Bmag, H, Hm are then empty.
  bool has_solution_fields = true;
};

struct NewtonStep {
  double residual_norm = 0;   // ||R|| before the step
  double update_norm = 0;     // ||dA||_inf of the step
  double step_length = 1;     // line-search factor
  int cg_iterations = 0;
};

struct RunInfo {
  std::string case_name;
  std::string case_path;
  std::string resolved_case_toml;
  std::string backend;            // "cpu" or "cuda"
  int order = 1;
  std::size_t elements = 0;
  std::size_t nodes = 0;          // mesh nodes (P2 mid-edge nodes included)
  std::size_t dofs = 0;           // unknowns (nodes minus Dirichlet nodes)
  int newton_iterations = 0;
  bool converged = false;
  double energy_J_per_m = 0;      // magnetic energy per unit depth (docs/results.md)
  double wall_s = 0;
  double temperature_C = 20;
  std::vector<NewtonStep> history;
};

// Writes DIR/NAME.hdf. Throws std::runtime_error naming the path on failure,
// leaving nothing under the final name.
void write_results_hdf(const std::string& path, const mesh::Mesh& mesh, const FieldData& fields,
                       const RunInfo& info);

// Writes DIR/summary.json (keys documented in docs/results.md).
void write_summary_json(const std::string& path, const RunInfo& info);

}  // namespace rotormag::postproc

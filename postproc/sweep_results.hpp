#pragma once
// The merged file of a sweep (docs/sweeps.md, "The merged file"):
//   DIR/SWEEP.hdf          /VTKHDF: every geometry group's machine at 0 deg
//                          (one grid, groups side by side in the same piece,
//                          cell array `geometry_group`), and every case's
//                          demagnetization state and damaged field as
//                          "<case>.<array>" (NaN on the other groups' cells);
//                          /steps/<k>: the same for rotor position k (the
//                          undamaged field of each case's motor run);
//                          /Sweep: the table of scalar results (one dataset
//                          per column), every case's summary.json and
//                          case.toml, the plan; @complete = 1 last.
//   DIR/SWEEP.step_<k>.hdf and DIR/SWEEP.hdf.series when there are several
//   positions (ParaView's file series, time = rotor angle in degrees).
// Reading back a case's own results files is here too.
#include <string>
#include <vector>

#include "mesh/mesh.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc {

// A results file's grid (`group`: "VTKHDF" or "steps/<k>") with its arrays:
// the mesh (nodes, triangles, regions named from /RotorMag/regions) and every
// PointData / CellData array except `region`, as float64.
struct StoredGrid {
  mesh::Mesh mesh;
  std::vector<FieldData::CellArray> point_arrays, cell_arrays;
};
StoredGrid read_stored_grid(const std::string& path, const std::string& group);

// The grid group names of a motor results file's positions ("steps/0", ...).
std::vector<std::string> stored_step_groups(const std::string& path);

struct SweepColumn {
  std::string name;
  std::string units;                   // "" for text
  std::vector<double> numbers;         // numeric column (NaN: no value)
  std::vector<std::string> texts;      // text column (numbers empty)
};

struct SweepFileContent {
  std::string name;                    // the sweep's name: SWEEP = name
  std::string plan_json;
  mesh::Mesh at0;                      // merged grid and arrays at 0 deg
  FieldData at0_fields;
  std::vector<double> step_deg;        // rotor positions
  std::vector<mesh::Mesh> step_mesh;
  std::vector<FieldData> step_fields;
  std::vector<SweepColumn> table;      // one row per case
  std::vector<std::string> case_ids, case_summaries, case_tomls;
};

// Writes DIR/NAME.hdf (and the step files and series) atomically: the series
// file last. Returns the path of NAME.hdf.
std::string write_sweep_file(const std::string& directory, const SweepFileContent& content);

}  // namespace rotormag::postproc

#pragma once
// The parts of a results file shared by the single-run writer
// (vtkhdf_writer.cpp) and the motor writer (motor_results_writer.cpp):
// checking a grid and its fields, one VTKHDF 1.0 UnstructuredGrid group, and
// the /RotorMag group. Internal to postproc/.
#include <hdf5.h>

#include <string>
#include <vector>

#include "mesh/mesh.hpp"
#include "postproc/hdf5_handles.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc::detail {

// How validate_grid names things in its messages: "<who>: <mesh>.y has ...",
// "<who>: <fields>.B_T has ..." (no "<fields>." when `fields` is empty).
struct GridNames {
  std::string who;             // the public function, e.g. "write_results_hdf"
  std::string mesh = "mesh";
  std::string fields;
};

// Throws std::invalid_argument naming the array for anything that would make
// the grid inconsistent (sizes, node and region indices, element order).
void validate_grid(const mesh::Mesh& m, const FieldData& f, const GridNames& names);

// Creates `parent/name` as a complete VTKHDF 1.0 UnstructuredGrid group
// (attributes Version and Type, one piece, PointData/CellData/FieldData), the
// layout of docs/results.md. `m` and `f` must have passed validate_grid.
void write_vtkhdf_grid(hid_t parent, const char* name, const mesh::Mesh& m, const FieldData& f);

// Creates /RotorMag with everything of docs/results.md except the completeness
// flag, and returns it open so that a caller can add its own groups first.
hdf5::Handle write_rotormag_group(hid_t file, const std::vector<mesh::Region>& regions, const RunInfo& info);

// Sets /RotorMag@complete = 1: call it last, readers refuse a file without it.
void mark_complete(hid_t rotormag);

}  // namespace rotormag::postproc::detail

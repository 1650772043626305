// NAME.hdf: a VTKHDF 1.0 UnstructuredGrid under /VTKHDF (what VTK 9.1's
// vtkHDFReader and ParaView 5.11 read) plus the solver's own data under
// /RotorMag, which VTK ignores. Layout and pitfalls: docs/results.md and
// reference/formats.md. Written with the HDF5 C API, default file-format
// settings, so that HDF5 1.10 readers can open it.

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "postproc/atomic_file.hpp"
#include "postproc/results_file.hpp"
#include "postproc/hdf5_handles.hpp"

namespace rotormag::postproc {
namespace {

using namespace hdf5;

// VTK cell type ids.
constexpr std::uint8_t kVtkTriangle = 5;
constexpr std::uint8_t kVtkQuadraticTriangle = 22;


Handle group(hid_t parent, const char* name) {
  return Handle(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                fmt::format("cannot create group {}", name));
}

// Variable-length UTF-8 strings: h5py reads them as str, VTK never sees them.
Handle vlen_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "H5Tset_size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "H5Tset_cset");
  return t;
}

void string_attribute(hid_t obj, const char* name, const std::string& value) {
  Handle type = vlen_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              fmt::format("cannot create attribute {}", name));
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), fmt::format("cannot write attribute {}", name));
}

template <class T>
void numeric_attribute(hid_t obj, const char* name, const std::vector<T>& values, bool scalar = true) {
  const hsize_t n = values.size();
  Handle space(scalar && n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose,
               "H5Screate");
  Handle attr(H5Acreate2(obj, name, H5Types<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, fmt::format("cannot create attribute {}", name));
  check(H5Awrite(attr.get(), H5Types<T>::mem(), values.data()),
        fmt::format("cannot write attribute {}", name));
}

// A 1D (cols == 0) or 2D (rows x cols) dataset; `units` becomes an attribute.
template <class T>
void dataset(hid_t parent, const char* name, const T* data, hsize_t rows, hsize_t cols = 0,
             const char* units = nullptr) {
  const hsize_t dims[2] = {rows, cols};
  Handle space(H5Screate_simple(cols == 0 ? 1 : 2, dims, nullptr), H5Sclose, "H5Screate_simple");
  Handle set(H5Dcreate2(parent, name, H5Types<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                        H5P_DEFAULT),
             H5Dclose, fmt::format("cannot create dataset {}", name));
  if (rows > 0)  // an empty dataset needs no write (and has no buffer)
    check(H5Dwrite(set.get(), H5Types<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          fmt::format("cannot write dataset {}", name));
  if (units) string_attribute(set.get(), "units", units);
}

template <class T>
void dataset(hid_t parent, const char* name, const std::vector<T>& v, const char* units = nullptr) {
  dataset(parent, name, v.data(), v.size(), 0, units);
}

// ---------------------------------------------------------------- validation

void expect_size(const char* array, std::size_t got, std::size_t want, const std::string& what) {
  if (got != want)
    throw std::invalid_argument(
        fmt::format("write_results_hdf: {} has {} values, expected {} ({})", array, got, want, what));
}

// Everything that could make the file inconsistent is checked before the
// temp file is even created.
void validate(const mesh::Mesh& m, const FieldData& f) {
  if (m.order != 1 && m.order != 2)
    throw std::invalid_argument(fmt::format("write_results_hdf: mesh.order is {}, expected 1 or 2", m.order));
  const std::size_t nodes = m.node_count(), cells = m.triangle_count();
  expect_size("mesh.y", m.y.size(), nodes, "one per node");
  expect_size("mesh.triangles", m.triangles.size(), cells * m.nodes_per_triangle(),
              fmt::format("{} per triangle x {} triangles", m.nodes_per_triangle(), cells));
  for (std::size_t i = 0; i < m.triangles.size(); ++i)
    if (m.triangles[i] < 0 || static_cast<std::size_t>(m.triangles[i]) >= nodes)
      throw std::invalid_argument(fmt::format(
          "write_results_hdf: mesh.triangles[{}] = {} is not a node index (0..{})", i, m.triangles[i], nodes));
  for (std::size_t c = 0; c < cells; ++c)
    if (m.triangle_region[c] < 0 || static_cast<std::size_t>(m.triangle_region[c]) >= m.regions.size())
      throw std::invalid_argument(fmt::format(
          "write_results_hdf: mesh.triangle_region[{}] = {} is not a region index (0..{})", c,
          m.triangle_region[c], m.regions.size()));
  expect_size("A_Wb_per_m", f.A_Wb_per_m.size(), nodes, "one per node");
  expect_size("B_T", f.B_T.size(), 3 * cells, "3 per triangle");
  expect_size("Bmag_T", f.Bmag_T.size(), cells, "one per triangle");
  expect_size("H_A_per_m", f.H_A_per_m.size(), 3 * cells, "3 per triangle");
  expect_size("Hm_A_per_m", f.Hm_A_per_m.size(), cells, "one per triangle");
}

// ---------------------------------------------------------------- contents

// VTK 9.1 silently reads an empty grid for 2-column Points, unsigned or
// mismatched Connectivity/Offsets types, or non-uint8 Types: hence float64
// N x 3, int64 for both, uint8.
void write_vtkhdf(hid_t file, const mesh::Mesh& m, const FieldData& f) {
  Handle vtk = group(file, "VTKHDF");
  numeric_attribute<std::int64_t>(vtk.get(), "Version", {1, 0}, false);
  {
    // Exactly 16 chars, NULLPAD: newer VTK rejects a trailing NUL.
    const std::string type_name = "UnstructuredGrid";
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
    check(H5Tset_size(type.get(), type_name.size()), "H5Tset_size");
    check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "H5Tset_strpad");
    check(H5Tset_cset(type.get(), H5T_CSET_ASCII), "H5Tset_cset");
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
    Handle attr(H5Acreate2(vtk.get(), "Type", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "cannot create attribute Type");
    check(H5Awrite(attr.get(), type.get(), type_name.data()), "cannot write attribute Type");
  }

  const std::size_t nodes = m.node_count(), cells = m.triangle_count();
  const std::size_t npt = static_cast<std::size_t>(m.nodes_per_triangle());
  // One piece.
  const std::int64_t n_points = static_cast<std::int64_t>(nodes);
  const std::int64_t n_cells = static_cast<std::int64_t>(cells);
  const std::int64_t n_ids = static_cast<std::int64_t>(m.triangles.size());
  dataset(vtk.get(), "NumberOfPoints", &n_points, 1);
  dataset(vtk.get(), "NumberOfCells", &n_cells, 1);
  dataset(vtk.get(), "NumberOfConnectivityIds", &n_ids, 1);

  std::vector<double> points(3 * nodes, 0.0);
  for (std::size_t i = 0; i < nodes; ++i) {
    points[3 * i] = m.x[i];
    points[3 * i + 1] = m.y[i];
  }
  dataset(vtk.get(), "Points", points.data(), nodes, 3, "m");

  // Gmsh's 6-node triangle numbering is VTK's: connectivity copies as is.
  const std::vector<std::int64_t> connectivity(m.triangles.begin(), m.triangles.end());
  dataset(vtk.get(), "Connectivity", connectivity);
  std::vector<std::int64_t> offsets(cells + 1);
  for (std::size_t c = 0; c <= cells; ++c) offsets[c] = static_cast<std::int64_t>(c * npt);
  dataset(vtk.get(), "Offsets", offsets);
  const std::vector<std::uint8_t> types(cells, m.order == 1 ? kVtkTriangle : kVtkQuadraticTriangle);
  dataset(vtk.get(), "Types", types);

  {
    Handle pd = group(vtk.get(), "PointData");
    dataset(pd.get(), "A", f.A_Wb_per_m, "Wb/m");
  }
  {
    Handle cd = group(vtk.get(), "CellData");
    dataset(cd.get(), "B", f.B_T.data(), cells, 3, "T");
    dataset(cd.get(), "Bmag", f.Bmag_T, "T");
    dataset(cd.get(), "H", f.H_A_per_m.data(), cells, 3, "A/m");
    dataset(cd.get(), "Hm", f.Hm_A_per_m, "A/m");
    const std::vector<std::int32_t> region(m.triangle_region.begin(), m.triangle_region.end());
    dataset(cd.get(), "region", region, "1");
  }
  Handle fd = group(vtk.get(), "FieldData");  // empty; readers expect the group
}

void write_rotormag(hid_t file, const mesh::Mesh& m, const RunInfo& info) {
  Handle rm = group(file, "RotorMag");
  string_attribute(rm.get(), "format", "RotorMag results 1");
  string_attribute(rm.get(), "case_name", info.case_name);
  string_attribute(rm.get(), "case_path", info.case_path);
  {
    Handle type = vlen_string_type();
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
    Handle set(H5Dcreate2(rm.get(), "case", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose, "cannot create dataset case");
    const char* p = info.resolved_case_toml.c_str();
    check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p), "cannot write dataset case");
  }
  {
    // regions[i] is the name of region index i (the CellData "region" value);
    // region_ids[i] its physical tag.
    std::vector<const char*> names;
    std::vector<std::int32_t> ids;
    for (const auto& r : m.regions) {
      names.push_back(r.name.c_str());
      ids.push_back(r.id);
    }
    Handle type = vlen_string_type();
    const hsize_t n = names.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "H5Screate_simple");
    Handle set(H5Dcreate2(rm.get(), "regions", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose, "cannot create dataset regions");
    if (n > 0)
      check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, names.data()),
            "cannot write dataset regions");
    dataset(rm.get(), "region_ids", ids);
  }
  {
    Handle s = group(rm.get(), "solver");
    string_attribute(s.get(), "backend", info.backend);
    numeric_attribute<std::int32_t>(s.get(), "order", {info.order});
    numeric_attribute<std::int64_t>(s.get(), "elements", {static_cast<std::int64_t>(info.elements)});
    numeric_attribute<std::int64_t>(s.get(), "dofs", {static_cast<std::int64_t>(info.dofs)});
    numeric_attribute<std::int32_t>(s.get(), "newton_iterations", {info.newton_iterations});
    numeric_attribute<std::int32_t>(s.get(), "converged", {info.converged ? 1 : 0});
    // Attributes cannot carry attributes: the unit goes in a sibling "<name>_units".
    numeric_attribute<double>(s.get(), "energy_J_per_m", {info.energy_J_per_m});
    string_attribute(s.get(), "energy_J_per_m_units", "J/m");
    numeric_attribute<double>(s.get(), "wall_s", {info.wall_s});
    string_attribute(s.get(), "wall_s_units", "s");
    numeric_attribute<double>(s.get(), "temperature_C", {info.temperature_C});
    string_attribute(s.get(), "temperature_C_units", "degC");

    std::vector<double> residual, update, step;
    std::vector<std::int32_t> cg;
    for (const auto& h : info.history) {
      residual.push_back(h.residual_norm);
      update.push_back(h.update_norm);
      step.push_back(h.step_length);
      cg.push_back(h.cg_iterations);
    }
    dataset(s.get(), "residual_history", residual, "A");
    dataset(s.get(), "update_history", update, "Wb/m");
    dataset(s.get(), "step_length_history", step, "1");
    dataset(s.get(), "cg_iterations_history", cg, "1");
  }
  // Last: a reader may refuse a file without it.
  numeric_attribute<std::int32_t>(rm.get(), "complete", {1});
}

void write_hdf_file(const std::string& tmp, const mesh::Mesh& m, const FieldData& f, const RunInfo& info) {
  SilenceHdf5Errors quiet;
  Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("cannot create HDF5 file {}", tmp));
  write_vtkhdf(file.get(), m, f);
  write_rotormag(file.get(), m, info);
  // All object handles are closed by now, so this really closes (and flushes) the file.
  file.close(fmt::format("cannot close HDF5 file {}", tmp));
}

}  // namespace

void write_results_hdf(const std::string& path, const mesh::Mesh& mesh, const FieldData& fields,
                       const RunInfo& info) {
  validate(mesh, fields);
  write_file_atomically(path, [&](const std::string& tmp) { write_hdf_file(tmp, mesh, fields, info); });
}

}  // namespace rotormag::postproc

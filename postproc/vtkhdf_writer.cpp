// NAME.hdf: a VTKHDF 1.0 UnstructuredGrid under /VTKHDF (what VTK 9.1's
// vtkHDFReader and ParaView 5.11 read) plus the solver's own data under
// /RotorMag, which VTK ignores. Layout and pitfalls: docs/results.md and
// reference/formats.md. Written with the HDF5 C API, default file-format
// settings, so that HDF5 1.10 readers can open it.
//
// The grid group and /RotorMag are written by functions that the motor
// writer uses too (vtkhdf_writer.hpp): a motor file holds one grid per rotor
// position, each in the same layout.

#include "postproc/vtkhdf_writer.hpp"

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "postproc/atomic_file.hpp"
#include "postproc/hdf5_write.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc {
namespace detail {
namespace {

using namespace hdf5;

// VTK cell type ids.
constexpr std::uint8_t kVtkTriangle = 5;
constexpr std::uint8_t kVtkQuadraticTriangle = 22;

std::string field_label(const GridNames& names, const char* array) {
  return names.fields.empty() ? std::string(array) : names.fields + "." + array;
}

void expect_size(const GridNames& names, const std::string& array, std::size_t got, std::size_t want,
                 const std::string& what) {
  if (got != want)
    throw std::invalid_argument(
        fmt::format("{}: {} has {} values, expected {} ({})", names.who, array, got, want, what));
}

// One named array: rows x components (a plain vector when 1 component).
void array_dataset(hid_t group, const FieldData::CellArray& a, std::size_t rows) {
  if (a.components == 1)
    dataset(group, a.name.c_str(), a.values, a.units.c_str());
  else
    dataset(group, a.name.c_str(), a.values.data(), rows, static_cast<hsize_t>(a.components), a.units.c_str());
}

}  // namespace

// Everything that could make the file inconsistent is checked before the
// temp file is even created.
void validate_grid(const mesh::Mesh& m, const FieldData& f, const GridNames& names) {
  const std::string& who = names.who;
  const std::string& mesh = names.mesh;
  if (m.order != 1 && m.order != 2)
    throw std::invalid_argument(fmt::format("{}: {}.order is {}, expected 1 or 2", who, mesh, m.order));
  const std::size_t nodes = m.node_count(), cells = m.triangle_count();
  expect_size(names, mesh + ".y", m.y.size(), nodes, "one per node");
  expect_size(names, mesh + ".triangles", m.triangles.size(), cells * m.nodes_per_triangle(),
              fmt::format("{} per triangle x {} triangles", m.nodes_per_triangle(), cells));
  for (std::size_t i = 0; i < m.triangles.size(); ++i)
    if (m.triangles[i] < 0 || static_cast<std::size_t>(m.triangles[i]) >= nodes)
      throw std::invalid_argument(fmt::format("{}: {}.triangles[{}] = {} is not a node index (0..{})", who, mesh, i,
                                              m.triangles[i], nodes));
  for (std::size_t c = 0; c < cells; ++c)
    if (m.triangle_region[c] < 0 || static_cast<std::size_t>(m.triangle_region[c]) >= m.regions.size())
      throw std::invalid_argument(fmt::format("{}: {}.triangle_region[{}] = {} is not a region index (0..{})", who,
                                              mesh, c, m.triangle_region[c], m.regions.size()));
  if (f.has_solution_fields) {
    expect_size(names, field_label(names, "A_Wb_per_m"), f.A_Wb_per_m.size(), nodes, "one per node");
    expect_size(names, field_label(names, "B_T"), f.B_T.size(), 3 * cells, "3 per triangle");
    expect_size(names, field_label(names, "Bmag_T"), f.Bmag_T.size(), cells, "one per triangle");
    expect_size(names, field_label(names, "H_A_per_m"), f.H_A_per_m.size(), 3 * cells, "3 per triangle");
    expect_size(names, field_label(names, "Hm_A_per_m"), f.Hm_A_per_m.size(), cells, "one per triangle");
  }
  for (const auto& a : f.extra_points) {
    expect_size(names, field_label(names, a.name.c_str()), a.values.size(), nodes * a.components, "per node");
    if (a.name.empty() || a.name == "A" || a.name.find('/') != std::string::npos)
      throw std::invalid_argument(fmt::format("{}: extra point array name '{}' is empty, has a '/' or is taken", who,
                                              a.name));
  }
  for (const auto& a : f.extra_cells) {
    expect_size(names, field_label(names, a.name.c_str()), a.values.size(), cells * a.components, "per triangle");
    for (const char* taken : {"B", "Bmag", "H", "Hm", "region"})
      if (a.name == taken || a.name.empty() || a.name.find('/') != std::string::npos)
        throw std::invalid_argument(fmt::format("{}: extra cell array name '{}' is empty, has a '/' or is taken", who,
                                                a.name));
  }
}

// VTK 9.1 silently reads an empty grid for 2-column Points, unsigned or
// mismatched Connectivity/Offsets types, or non-uint8 Types: hence float64
// N x 3, int64 for both, uint8.
void write_vtkhdf_grid(hid_t parent, const char* name, const mesh::Mesh& m, const FieldData& f) {
  Handle vtk = create_group(parent, name);
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
    Handle pd = create_group(vtk.get(), "PointData");
    if (f.has_solution_fields) dataset(pd.get(), "A", f.A_Wb_per_m, "Wb/m");
    for (const auto& a : f.extra_points) array_dataset(pd.get(), a, nodes);
  }
  {
    Handle cd = create_group(vtk.get(), "CellData");
    if (f.has_solution_fields) {
      dataset(cd.get(), "B", f.B_T.data(), cells, 3, "T");
      dataset(cd.get(), "Bmag", f.Bmag_T, "T");
      dataset(cd.get(), "H", f.H_A_per_m.data(), cells, 3, "A/m");
      dataset(cd.get(), "Hm", f.Hm_A_per_m, "A/m");
    }
    for (const auto& a : f.extra_cells) array_dataset(cd.get(), a, cells);
    const std::vector<std::int32_t> region(m.triangle_region.begin(), m.triangle_region.end());
    dataset(cd.get(), "region", region, "1");
  }
  Handle fd = create_group(vtk.get(), "FieldData");  // empty; readers expect the group
}

Handle write_rotormag_group(hid_t file, const std::vector<mesh::Region>& regions, const RunInfo& info) {
  Handle rm = create_group(file, "RotorMag");
  string_attribute(rm.get(), "format", "RotorMag results 1");
  string_attribute(rm.get(), "case_name", info.case_name);
  string_attribute(rm.get(), "case_path", info.case_path);
  string_dataset(rm.get(), "case", info.resolved_case_toml);
  {
    // regions[i] is the name of region index i (the CellData "region" value);
    // region_ids[i] its physical tag.
    std::vector<const char*> names;
    std::vector<std::int32_t> ids;
    for (const auto& r : regions) {
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
    Handle s = create_group(rm.get(), "solver");
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
  return rm;
}

void mark_complete(hid_t rotormag) { numeric_attribute<std::int32_t>(rotormag, "complete", {1}); }

}  // namespace detail

namespace {

void write_hdf_file(const std::string& tmp, const mesh::Mesh& m, const FieldData& f, const RunInfo& info) {
  using namespace hdf5;
  SilenceHdf5Errors quiet;
  Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("cannot create HDF5 file {}", tmp));
  detail::write_vtkhdf_grid(file.get(), "VTKHDF", m, f);
  {
    Handle rm = detail::write_rotormag_group(file.get(), m.regions, info);
    detail::mark_complete(rm.get());  // last
  }
  // All object handles are closed by now, so this really closes (and flushes) the file.
  file.close(fmt::format("cannot close HDF5 file {}", tmp));
}

}  // namespace

void write_results_hdf(const std::string& path, const mesh::Mesh& mesh, const FieldData& fields,
                       const RunInfo& info) {
  detail::validate_grid(mesh, fields, {"write_results_hdf"});
  write_file_atomically(path, [&](const std::string& tmp) { write_hdf_file(tmp, mesh, fields, info); });
}

}  // namespace rotormag::postproc

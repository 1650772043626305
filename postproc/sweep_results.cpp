// Reading a case's grids back, and writing the merged sweep file
// (postproc/sweep_results.hpp). HDF5 C API, 1.10-compatible calls.
#include "postproc/sweep_results.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

#include "postproc/atomic_file.hpp"
#include "postproc/hdf5_write.hpp"
#include "postproc/motor_results.hpp"
#include "postproc/motor_results_parts.hpp"
#include "postproc/vtkhdf_writer.hpp"

namespace rotormag::postproc {

namespace {

using namespace hdf5;

[[noreturn]] void unreadable(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}", path, what));
}

// A dataset as T (HDF5 converts), with its column count (1 for 1-D).
template <class T>
std::vector<T> read_dataset(const std::string& path, hid_t parent, const std::string& name, hsize_t* cols = nullptr) {
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) unreadable(path, "dataset '" + name + "' is missing");
  Handle set(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, path + ": cannot open " + name);
  Handle space(H5Dget_space(set.get()), H5Sclose, "H5Dget_space");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 1 || rank > 2) unreadable(path, "dataset '" + name + "' is not 1-D or 2-D");
  hsize_t dims[2] = {0, 1};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  if (rank == 1) dims[1] = 1;
  if (cols) *cols = dims[1];
  std::vector<T> v(dims[0] * dims[1]);
  if (!v.empty()) check(H5Dread(set.get(), H5Types<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()),
                        path + ": cannot read " + name);
  return v;
}

// A dataset's "units" attribute, "" when absent.
std::string units_of(hid_t parent, const std::string& name) {
  Handle set(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open " + name);
  if (H5Aexists(set.get(), "units") <= 0) return "";
  Handle a(H5Aopen(set.get(), "units", H5P_DEFAULT), H5Aclose, "cannot open attribute units");
  Handle type(H5Aget_type(a.get()), H5Tclose, "H5Aget_type");
  if (H5Tget_class(type.get()) != H5T_STRING) return "";
  if (H5Tis_variable_str(type.get()) > 0) {
    char* raw = nullptr;
    Handle mem = vlen_string_type();
    check(H5Aread(a.get(), mem.get(), &raw), "cannot read attribute units");
    std::string out = raw ? raw : "";
    H5free_memory(raw);
    return out;
  }
  std::string out(H5Tget_size(type.get()), '\0');
  check(H5Aread(a.get(), type.get(), out.data()), "cannot read attribute units");
  return out.substr(0, out.find('\0'));
}

std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), "H5Gget_info");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string s(static_cast<size_t>(std::max<ssize_t>(n, 0)), '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, s.data(), s.size() + 1, H5P_DEFAULT);
    names.push_back(s);
  }
  return names;
}

std::vector<std::string> read_strings(const std::string& path, hid_t parent, const char* name) {
  Handle set(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose, path + ": cannot open " + name);
  Handle space(H5Dget_space(set.get()), H5Sclose, "H5Dget_space");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);
  Handle type = vlen_string_type();
  std::vector<char*> raw(n, nullptr);
  if (n > 0) check(H5Dread(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), path + ": " + name);
  std::vector<std::string> out(raw.begin(), raw.end());
  if (n > 0) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, raw.data());
  return out;
}

void strings_dataset(hid_t parent, const char* name, const std::vector<std::string>& values) {
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  Handle type = vlen_string_type();
  const hsize_t n = ptrs.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "H5Screate_simple");
  Handle set(H5Dcreate2(parent, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
             std::string("cannot create dataset ") + name);
  if (n > 0)
    check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()),
          std::string("cannot write dataset ") + name);
}

std::string step_group_name(size_t k, size_t n) {
  const std::string g = motor_step_group(k, n);
  return g.substr(g.rfind('/') + 1);
}

void write_sweep_hdf(const std::string& tmp, const SweepFileContent& c) {
  SilenceHdf5Errors quiet;
  Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("cannot create HDF5 file {}", tmp));
  detail::write_vtkhdf_grid(file.get(), "VTKHDF", c.at0, c.at0_fields);
  if (!c.step_mesh.empty()) {
    Handle steps = create_group(file.get(), "steps");
    for (size_t k = 0; k < c.step_mesh.size(); ++k)
      detail::write_vtkhdf_grid(steps.get(), step_group_name(k, c.step_mesh.size()).c_str(), c.step_mesh[k],
                                c.step_fields[k]);
  }
  Handle sweep = create_group(file.get(), "Sweep");
  string_attribute(sweep.get(), "format", "RotorMag sweep 1");
  string_attribute(sweep.get(), "name", c.name);
  string_dataset(sweep.get(), "plan", c.plan_json);
  {
    // Region names of the merged grids: CellData/region indexes this list.
    std::vector<std::string> regions;
    for (const auto& r : c.at0.regions) regions.push_back(r.name);
    strings_dataset(sweep.get(), "regions", regions);
  }
  {
    Handle table = create_group(sweep.get(), "table");
    std::vector<std::string> names;
    for (const auto& col : c.table) {
      names.push_back(col.name);
      if (col.numbers.empty() && !col.texts.empty())
        strings_dataset(table.get(), col.name.c_str(), col.texts);
      else
        dataset(table.get(), col.name.c_str(), col.numbers, col.units.empty() ? nullptr : col.units.c_str());
    }
    strings_dataset(sweep.get(), "table_columns", names);
  }
  {
    Handle cases = create_group(sweep.get(), "cases");
    for (size_t i = 0; i < c.case_ids.size(); ++i) {
      Handle one = create_group(cases.get(), c.case_ids[i].c_str());
      string_dataset(one.get(), "summary_json", c.case_summaries[i]);
      string_dataset(one.get(), "case_toml", c.case_tomls[i]);
    }
  }
  if (!c.step_deg.empty()) dataset(sweep.get(), "position_deg", c.step_deg, "deg");
  numeric_attribute<std::int32_t>(sweep.get(), "complete", {1});  // last
  sweep.close("cannot close /Sweep");
  file.close(fmt::format("cannot close HDF5 file {}", tmp));
}

}  // namespace

StoredGrid read_stored_grid(const std::string& path, const std::string& group) {
  SilenceHdf5Errors quiet;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) unreadable(path, "HDF5 cannot open it (" + hdf5_error_text() + ")");
  Handle file(id, H5Fclose, "H5Fopen");
  if (H5Lexists(file.get(), "RotorMag", H5P_DEFAULT) <= 0) unreadable(path, "no /RotorMag group: not a results file");
  Handle rm(H5Gopen2(file.get(), "RotorMag", H5P_DEFAULT), H5Gclose, path + ": /RotorMag");
  Handle vtk(H5Gopen2(file.get(), group.c_str(), H5P_DEFAULT), H5Gclose, path + ": cannot open /" + group);

  StoredGrid g;
  hsize_t cols = 0;
  const std::vector<double> points = read_dataset<double>(path, vtk.get(), "Points", &cols);
  if (cols != 3) unreadable(path, "/" + group + "/Points is not N x 3");
  const size_t nodes = points.size() / 3;
  g.mesh.x.resize(nodes);
  g.mesh.y.resize(nodes);
  for (size_t i = 0; i < nodes; ++i) {
    g.mesh.x[i] = points[3 * i];
    g.mesh.y[i] = points[3 * i + 1];
  }
  const auto connectivity = read_dataset<std::int64_t>(path, vtk.get(), "Connectivity");
  const auto types = read_dataset<std::uint8_t>(path, vtk.get(), "Types");
  if (types.empty()) unreadable(path, "/" + group + " has no cells");
  g.mesh.order = types.front() == 22 ? 2 : 1;
  g.mesh.triangles.assign(connectivity.begin(), connectivity.end());
  if (g.mesh.triangles.size() != types.size() * size_t(g.mesh.nodes_per_triangle()))
    unreadable(path, "/" + group + ": connectivity does not match the cell count");
  const std::vector<std::string> region_names = read_strings(path, rm.get(), "regions");
  const auto region_ids = read_dataset<std::int32_t>(path, rm.get(), "region_ids");
  for (size_t r = 0; r < region_names.size(); ++r) {
    mesh::Region region;
    region.name = region_names[r];
    region.id = r < region_ids.size() ? region_ids[r] : int(r);
    g.mesh.regions.push_back(region);
  }
  // One named array of CellData or PointData, with its components and units.
  auto read_array = [&](hid_t group, const std::string& name) {
    FieldData::CellArray a;
    a.name = name;
    hsize_t components = 1;
    a.values = read_dataset<double>(path, group, name, &components);
    a.components = int(components);
    a.units = units_of(group, name);
    return a;
  };
  {
    Handle cd(H5Gopen2(vtk.get(), "CellData", H5P_DEFAULT), H5Gclose, path + ": CellData");
    for (const std::string& name : member_names(cd.get())) {
      if (name == "region") {
        const auto region = read_dataset<std::int32_t>(path, cd.get(), name);
        g.mesh.triangle_region.assign(region.begin(), region.end());
        continue;
      }
      g.cell_arrays.push_back(read_array(cd.get(), name));
    }
  }
  {
    Handle pd(H5Gopen2(vtk.get(), "PointData", H5P_DEFAULT), H5Gclose, path + ": PointData");
    for (const std::string& name : member_names(pd.get())) {
      g.point_arrays.push_back(read_array(pd.get(), name));
    }
  }
  if (g.mesh.triangle_region.size() != types.size()) unreadable(path, "/" + group + ": CellData/region is missing");
  return g;
}

std::vector<std::string> stored_step_groups(const std::string& path) {
  SilenceHdf5Errors quiet;
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) unreadable(path, "HDF5 cannot open it (" + hdf5_error_text() + ")");
  Handle file(id, H5Fclose, "H5Fopen");
  if (H5Lexists(file.get(), "steps", H5P_DEFAULT) <= 0) return {};
  Handle steps(H5Gopen2(file.get(), "steps", H5P_DEFAULT), H5Gclose, path + ": /steps");
  std::vector<std::string> out;
  for (const std::string& n : member_names(steps.get())) out.push_back("steps/" + n);
  return out;  // by name: zero-padded, so in position order
}

std::string write_sweep_file(const std::string& directory, const SweepFileContent& content) {
  const std::string dir = directory.empty() ? "." : directory;
  detail::validate_grid(content.at0, content.at0_fields, {"write_sweep_file", "at0", "at0_fields"});
  for (size_t k = 0; k < content.step_mesh.size(); ++k)
    detail::validate_grid(content.step_mesh[k], content.step_fields.at(k),
                          {"write_sweep_file", fmt::format("step_mesh[{}]", k), fmt::format("step_fields[{}]", k)});
  const std::string hdf_name = content.name + ".hdf";
  const std::string hdf = dir + "/" + hdf_name;
  const size_t n = content.step_mesh.size();
  AtomicFileGroup files;
  files.write(hdf, [&](const std::string& tmp) { write_sweep_hdf(tmp, content); });
  if (n > 1) {
    std::vector<std::string> names;
    for (size_t k = 0; k < n; ++k) {
      names.push_back(motor_step_file_name(content.name, k, n));
      files.write(dir + "/" + names.back(), [&](const std::string& tmp) {
        detail::write_step_link_file(tmp, hdf_name, motor_step_group(k, n));
      });
    }
    files.write_text(hdf + ".series", detail::file_series_json(names, content.step_deg));
  }
  files.commit();
  return hdf;
}

}  // namespace rotormag::postproc

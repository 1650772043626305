#include "postproc/results_reader.hpp"

#include <filesystem>
#include <utility>

#include "postproc/hdf5_handles.hpp"
#include "postproc/motor_results.hpp"

namespace rotormag::postproc {
namespace {

using namespace hdf5;

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw IncompleteResultsError(path + ": not a complete RotorMag results file: " + why);
}

bool has_attribute(hid_t obj, const char* name) { return H5Aexists(obj, name) > 0; }

template <class T>
T read_scalar(const std::string& path, hid_t obj, const char* name) {
  if (!has_attribute(obj, name)) refuse(path, std::string("attribute '") + name + "' is missing");
  Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, std::string("cannot open attribute ") + name);
  T v{};
  check(H5Aread(a.get(), H5Types<T>::mem(), &v), std::string("cannot read attribute ") + name);
  return v;
}

std::string read_string(const std::string& path, hid_t obj, const char* name) {
  if (!has_attribute(obj, name)) refuse(path, std::string("attribute '") + name + "' is missing");
  Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, std::string("cannot open attribute ") + name);
  Handle type(H5Aget_type(a.get()), H5Tclose, "H5Aget_type");
  if (H5Tget_class(type.get()) != H5T_STRING) refuse(path, std::string("attribute '") + name + "' is not a string");
  if (H5Tis_variable_str(type.get()) > 0) {
    char* p = nullptr;  // read with the stored type: same character set, no conversion
    check(H5Aread(a.get(), type.get(), &p), std::string("cannot read attribute ") + name);
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  std::string s(H5Tget_size(type.get()), '\0');
  check(H5Aread(a.get(), type.get(), s.data()), std::string("cannot read attribute ") + name);
  return s.substr(0, s.find('\0'));
}

// A results file that passed the checks common to every reader, still open.
struct OpenResults {
  Handle file;
  Handle rotormag;
};

// Refuses a missing, foreign, truncated or unfinished file; `complete` is
// written last, so without it the writer did not finish.
OpenResults open_complete(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) refuse(path, "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) refuse(path, "not an HDF5 file (truncated or another format)");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) refuse(path, "HDF5 cannot open it (" + hdf5_error_text() + ")");
  Handle file(id, H5Fclose, "H5Fopen");
  if (H5Lexists(file.get(), "RotorMag", H5P_DEFAULT) <= 0) refuse(path, "group /RotorMag is missing");
  Handle rm(H5Gopen2(file.get(), "RotorMag", H5P_DEFAULT), H5Gclose, "cannot open /RotorMag");
  if (!has_attribute(rm.get(), "complete") || read_scalar<std::int32_t>(path, rm.get(), "complete") != 1)
    refuse(path, "the completeness flag /RotorMag@complete is missing (the run did not finish writing)");
  const std::string format = read_string(path, rm.get(), "format");
  if (format.rfind("RotorMag results", 0) != 0) refuse(path, "unknown format '" + format + "'");
  if (H5Lexists(file.get(), "VTKHDF", H5P_DEFAULT) <= 0) refuse(path, "group /VTKHDF is missing");
  return {std::move(file), std::move(rm)};
}

}  // namespace

ResultsSummary read_results_summary(const std::string& path) {
  SilenceHdf5Errors quiet;
  OpenResults r = open_complete(path);
  const hid_t rm = r.rotormag.get();
  ResultsSummary s;
  s.format = read_string(path, rm, "format");
  s.case_name = read_string(path, rm, "case_name");
  if (H5Lexists(rm, "solver", H5P_DEFAULT) <= 0) refuse(path, "group /RotorMag/solver is missing");
  Handle solver(H5Gopen2(rm, "solver", H5P_DEFAULT), H5Gclose, "cannot open /RotorMag/solver");
  s.backend = read_string(path, solver.get(), "backend");
  s.order = read_scalar<std::int32_t>(path, solver.get(), "order");
  s.elements = read_scalar<std::int64_t>(path, solver.get(), "elements");
  s.dofs = read_scalar<std::int64_t>(path, solver.get(), "dofs");
  s.newton_iterations = read_scalar<std::int32_t>(path, solver.get(), "newton_iterations");
  s.converged = read_scalar<std::int32_t>(path, solver.get(), "converged") == 1;
  s.energy_J_per_m = read_scalar<double>(path, solver.get(), "energy_J_per_m");
  s.temperature_C = read_scalar<double>(path, solver.get(), "temperature_C");
  return s;
}

MotorPositions read_motor_positions(const std::string& path) {
  SilenceHdf5Errors quiet;
  OpenResults r = open_complete(path);
  if (H5Lexists(r.rotormag.get(), "motor", H5P_DEFAULT) <= 0)
    throw IncompleteResultsError(path + ": not a RotorMag motor results file: group /RotorMag/motor is missing "
                                 "(a single-position results file?)");
  const char* table = "/RotorMag/motor/position_deg";
  if (H5Lexists(r.file.get(), table, H5P_DEFAULT) <= 0) refuse(path, std::string("dataset ") + table + " is missing");
  Handle set(H5Dopen2(r.file.get(), table, H5P_DEFAULT), H5Dclose, std::string("cannot open ") + table);
  Handle space(H5Dget_space(set.get()), H5Sclose, "H5Dget_space");
  if (H5Sget_simple_extent_ndims(space.get()) != 1) refuse(path, std::string(table) + " is not one-dimensional");
  MotorPositions m;
  m.positions = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
  if (m.positions == 0) refuse(path, std::string(table) + " is empty");
  m.position_deg.resize(m.positions);
  check(H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.position_deg.data()),
        std::string("cannot read ") + table);
  // Every position's grid must be there (the step files link to them).
  if (H5Lexists(r.file.get(), "steps", H5P_DEFAULT) <= 0) refuse(path, "group /steps is missing");
  Handle steps(H5Gopen2(r.file.get(), "steps", H5P_DEFAULT), H5Gclose, "cannot open /steps");
  H5G_info_t info{};
  check(H5Gget_info(steps.get(), &info), "H5Gget_info /steps");
  if (info.nlinks != m.positions)
    refuse(path, "/steps has " + std::to_string(info.nlinks) + " groups for " + std::to_string(m.positions) +
                     " positions");
  for (std::size_t k = 0; k < m.positions; ++k) {
    const std::string group = motor_step_group(k, m.positions);
    if (H5Lexists(r.file.get(), group.c_str(), H5P_DEFAULT) <= 0) refuse(path, "group " + group + " is missing");
  }
  return m;
}

}  // namespace rotormag::postproc

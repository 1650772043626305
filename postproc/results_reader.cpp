#include "postproc/results_reader.hpp"

#include <filesystem>

#include "postproc/hdf5_handles.hpp"

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

}  // namespace

ResultsSummary read_results_summary(const std::string& path) {
  SilenceHdf5Errors quiet;
  if (!std::filesystem::is_regular_file(path)) refuse(path, "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) refuse(path, "not an HDF5 file (truncated or another format)");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) refuse(path, "HDF5 cannot open it (" + hdf5_error_text() + ")");
  Handle file(id, H5Fclose, "H5Fopen");
  if (H5Lexists(file.get(), "RotorMag", H5P_DEFAULT) <= 0) refuse(path, "group /RotorMag is missing");
  Handle rm(H5Gopen2(file.get(), "RotorMag", H5P_DEFAULT), H5Gclose, "cannot open /RotorMag");
  // `complete` is written last: without it the writer did not finish.
  if (!has_attribute(rm.get(), "complete") || read_scalar<std::int32_t>(path, rm.get(), "complete") != 1)
    refuse(path, "the completeness flag /RotorMag@complete is missing (the run did not finish writing)");
  ResultsSummary s;
  s.format = read_string(path, rm.get(), "format");
  if (s.format.rfind("RotorMag results", 0) != 0) refuse(path, "unknown format '" + s.format + "'");
  s.case_name = read_string(path, rm.get(), "case_name");
  if (H5Lexists(rm.get(), "solver", H5P_DEFAULT) <= 0) refuse(path, "group /RotorMag/solver is missing");
  if (H5Lexists(file.get(), "VTKHDF", H5P_DEFAULT) <= 0) refuse(path, "group /VTKHDF is missing");
  Handle solver(H5Gopen2(rm.get(), "solver", H5P_DEFAULT), H5Gclose, "cannot open /RotorMag/solver");
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

}  // namespace rotormag::postproc

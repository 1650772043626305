// A motor run's results (motor_results.hpp; layout in docs/results.md,
// "Motor runs"): NAME.hdf with one VTKHDF grid per rotor position under
// /steps, /VTKHDF a hard link to position 0 and /RotorMag with the table;
// one tiny NAME.step_<k>.hdf per position whose /VTKHDF is an external link
// into NAME.hdf (VTK 9.1 has no temporal VTKHDF, but ParaView's .hdf.series
// reader opens one file per time, and HDF5 follows the link for it); the
// series file; summary.json. All through one AtomicFileGroup.

#include <hdf5.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "postproc/atomic_file.hpp"
#include "postproc/hdf5_handles.hpp"
#include "postproc/motor_results.hpp"
#include "postproc/motor_results_parts.hpp"
#include "postproc/vtkhdf_writer.hpp"

namespace rotormag::postproc {
namespace {

constexpr const char* kWho = "write_motor_results";

[[noreturn]] void invalid(const std::string& what) { throw std::invalid_argument(fmt::format("{}: {}", kWho, what)); }

// ---------------------------------------------------------------- validation

void expect_per_position(const std::string& array, std::size_t got, std::size_t n) {
  if (got != n) invalid(fmt::format("{} has {} values, expected {} (one per step)", array, got, n));
}

void expect_phases(const std::string& array, const std::array<std::vector<double>, 3>& abc, std::size_t n) {
  static const char* const kPhase[3] = {"a", "b", "c"};
  for (std::size_t p = 0; p < 3; ++p) expect_per_position(fmt::format("{}[{}] ({})", array, p, kPhase[p]), abc[p].size(), n);
}

bool same_regions(const std::vector<mesh::Region>& a, const std::vector<mesh::Region>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const mesh::Region& x, const mesh::Region& y) { return x.id == y.id && x.name == y.name; });
}

// Everything is checked before the first temporary file is created, so that
// a caller's bug never costs a half-written set of files.
void validate(const std::string& name, const std::vector<MotorStep>& steps, const MotorTable& t) {
  if (name.empty() || name.find('/') != std::string::npos)
    invalid(fmt::format("name '{}' must be a file name without '/'", name));
  if (steps.empty()) invalid("steps is empty: a motor run has at least one position");
  const std::size_t n = steps.size();
  for (std::size_t k = 0; k < n; ++k) {
    const MotorStep& s = steps[k];
    if (!s.mesh) invalid(fmt::format("steps[{}].mesh is null", k));
    detail::validate_grid(*s.mesh, s.fields,
                          {kWho, fmt::format("steps[{}].mesh", k), fmt::format("steps[{}].fields", k)});
    // ParaView's series needs a number for the time.
    if (!std::isfinite(s.position_deg)) invalid(fmt::format("steps[{}].position_deg is {}", k, s.position_deg));
    // One /RotorMag/regions table serves every step's CellData/region.
    if (!same_regions(s.mesh->regions, steps[0].mesh->regions))
      invalid(fmt::format("steps[{}].mesh.regions differs from steps[0].mesh.regions (names and ids must match)", k));
  }
  expect_per_position("table.position_deg", t.position_deg.size(), n);
  for (std::size_t k = 0; k < n; ++k)
    if (std::abs(t.position_deg[k] - steps[k].position_deg) > 1e-9 * std::max(1.0, std::abs(t.position_deg[k])))
      invalid(fmt::format("table.position_deg[{}] = {} differs from steps[{}].position_deg = {}", k,
                          t.position_deg[k], k, steps[k].position_deg));
  expect_per_position("table.electrical_angle_deg", t.electrical_angle_deg.size(), n);
  expect_phases("table.current_A", t.current_A, n);
  expect_per_position("table.torque_Nm", t.torque_Nm.size(), n);
  expect_per_position("table.torque_check_Nm", t.torque_check_Nm.size(), n);
  expect_phases("table.flux_linkage_Wb", t.flux_linkage_Wb, n);
  expect_per_position("table.psi_d_Wb", t.psi_d_Wb.size(), n);
  expect_per_position("table.psi_q_Wb", t.psi_q_Wb.size(), n);
  expect_per_position("table.coenergy_J", t.coenergy_J.size(), n);
  expect_per_position("table.newton_iterations", t.newton_iterations.size(), n);
  if (t.back_emf) {
    const BackEmfTable& e = *t.back_emf;
    expect_phases("table.back_emf.phase_V", e.phase_V, n);
    expect_per_position("table.back_emf.line_ab_V", e.line_ab_V.size(), n);
    const std::size_t h = e.harmonic_order.size();
    if (e.phase_a_harmonics_V.size() != h)
      invalid(fmt::format("table.back_emf.phase_a_harmonics_V has {} values, expected {} (one per harmonic_order)",
                          e.phase_a_harmonics_V.size(), h));
    if (e.line_harmonics_V.size() != h)
      invalid(fmt::format("table.back_emf.line_harmonics_V has {} values, expected {} (one per harmonic_order)",
                          e.line_harmonics_V.size(), h));
  }
}

// ---------------------------------------------------------------- files

void write_main_hdf(const std::string& tmp, const std::vector<MotorStep>& steps, const RunInfo& info,
                    const MotorTable& table) {
  using namespace hdf5;
  SilenceHdf5Errors quiet;
  Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("cannot create HDF5 file {}", tmp));
  {
    Handle all(H5Gcreate2(file.get(), "steps", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
               "cannot create group steps");
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const std::string group = motor_step_group(k, steps.size());
      const std::string leaf = group.substr(group.rfind('/') + 1);
      detail::write_vtkhdf_grid(all.get(), leaf.c_str(), *steps[k].mesh, steps[k].fields);
    }
  }
  // A hard link, not a copy: NAME.hdf alone opens at position 0, for free.
  check(H5Lcreate_hard(file.get(), motor_step_group(0, steps.size()).c_str(), file.get(), "VTKHDF", H5P_DEFAULT,
                       H5P_DEFAULT),
        "cannot link /VTKHDF to position 0");
  {
    Handle rm = detail::write_rotormag_group(file.get(), steps[0].mesh->regions, info);
    detail::write_motor_table_group(rm.get(), table);
    detail::mark_complete(rm.get());  // last
  }
  file.close(fmt::format("cannot close HDF5 file {}", tmp));
}

std::size_t step_digits(std::size_t count) {
  std::size_t digits = 1;
  for (std::size_t last = count > 0 ? count - 1 : 0; last >= 10; last /= 10) ++digits;
  return std::max<std::size_t>(3, digits);
}

}  // namespace

namespace detail {

// The link stores the target's name relative to the step file: HDF5 looks
// for it in the directory of the file that holds the link, so DIR can be
// moved or opened from any working directory.
void write_step_link_file(const std::string& tmp, const std::string& target_file, const std::string& target_group) {
  using namespace hdf5;
  SilenceHdf5Errors quiet;
  Handle file(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("cannot create HDF5 file {}", tmp));
  check(H5Lcreate_external(target_file.c_str(), target_group.c_str(), file.get(), "VTKHDF", H5P_DEFAULT,
                           H5P_DEFAULT),
        "cannot create the external link /VTKHDF");
  file.close(fmt::format("cannot close HDF5 file {}", tmp));
}

std::string file_series_json(const std::vector<std::string>& files_, const std::vector<double>& times) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < files_.size(); ++k) files.push_back({{"name", files_[k]}, {"time", times.at(k)}});
  nlohmann::ordered_json j;
  j["file-series-version"] = "1.0";
  j["files"] = files;
  return j.dump(2) + "\n";
}

}  // namespace detail

std::string motor_step_file_name(const std::string& name, std::size_t k, std::size_t count) {
  return fmt::format("{}.step_{:0{}}.hdf", name, k, step_digits(count));
}

std::string motor_step_group(std::size_t k, std::size_t count) {
  return fmt::format("/steps/{:0{}}", k, step_digits(count));
}

void write_motor_results(const std::string& directory, const std::string& name, const std::vector<MotorStep>& steps,
                         const RunInfo& info, const MotorTable& table) {
  validate(name, steps, table);
  const std::string dir = directory.empty() ? "." : directory;
  const auto in_dir = [&](const std::string& file) { return dir + "/" + file; };
  const std::string hdf_name = name + ".hdf";
  const std::size_t n = steps.size();

  // Rename order = write order: the grids, the step files pointing into them,
  // summary.json, and the series file that ParaView opens last of all.
  AtomicFileGroup files;
  files.write(in_dir(hdf_name), [&](const std::string& tmp) { write_main_hdf(tmp, steps, info, table); });
  for (std::size_t k = 0; k < n; ++k)
    files.write(in_dir(motor_step_file_name(name, k, n)),
                [&](const std::string& tmp) { detail::write_step_link_file(tmp, hdf_name, motor_step_group(k, n)); });
  files.write_text(in_dir("summary.json"), detail::motor_summary_json(info, table));
  std::vector<std::string> step_files;
  std::vector<double> times;
  for (std::size_t k = 0; k < n; ++k) {
    step_files.push_back(motor_step_file_name(name, k, n));
    times.push_back(steps[k].position_deg);
  }
  files.write_text(in_dir(hdf_name + ".series"), detail::file_series_json(step_files, times));
  files.commit();
}

}  // namespace rotormag::postproc

// /RotorMag/motor in a motor NAME.hdf: the per-position table as datasets
// (one row per rotor position, `units` attribute on each), the sweep's
// scalars as attributes, the winding table, back_emf/. Layout:
// docs/results.md, "Motor runs".

#include <hdf5.h>

#include <array>
#include <cstdint>
#include <vector>

#include "postproc/hdf5_write.hpp"
#include "postproc/motor_results_parts.hpp"

namespace rotormag::postproc::detail {
namespace {

using namespace hdf5;

// Phases a, b, c as the columns of an n x 3 dataset (row-major), so that
// row k is position k, like every other dataset of the group.
void phase_dataset(hid_t parent, const char* name, const std::array<std::vector<double>, 3>& abc,
                   const char* units) {
  const std::size_t n = abc[0].size();
  std::vector<double> rows(3 * n);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t p = 0; p < 3; ++p) rows[3 * k + p] = abc[p][k];
  Handle set = dataset(parent, name, rows.data(), n, 3, units);
  string_attribute(set.get(), "columns", "a,b,c");
}

// Attributes cannot carry attributes: the unit goes in "<name>_units", as in /RotorMag/solver.
void scalar_with_units(hid_t obj, const std::string& name, double value, const char* units) {
  numeric_attribute<double>(obj, name.c_str(), {value});
  string_attribute(obj, (name + "_units").c_str(), units);
}

void write_back_emf(hid_t motor, const BackEmfTable& e) {
  Handle g = create_group(motor, "back_emf");
  scalar_with_units(g.get(), "speed_rpm", e.speed_rpm, "rpm");
  string_attribute(g.get(), "method", e.method);
  scalar_with_units(g.get(), "phase_a_rms_V", e.phase_a_rms_V, "V");
  scalar_with_units(g.get(), "line_rms_V", e.line_rms_V, "V");
  phase_dataset(g.get(), "phase_V", e.phase_V, "V");
  dataset(g.get(), "line_ab_V", e.line_ab_V, "V");
  dataset(g.get(), "harmonic_order", e.harmonic_order, "1");
  dataset(g.get(), "phase_a_harmonics_V", e.phase_a_harmonics_V, "V");
  dataset(g.get(), "line_harmonics_V", e.line_harmonics_V, "V");
}

}  // namespace

void write_motor_table_group(hid_t rotormag, const MotorTable& t) {
  Handle g = create_group(rotormag, "motor");
  dataset(g.get(), "position_deg", t.position_deg, "deg");
  dataset(g.get(), "electrical_angle_deg", t.electrical_angle_deg, "deg");
  phase_dataset(g.get(), "current_A", t.current_A, "A");
  dataset(g.get(), "torque_Nm", t.torque_Nm, "N m");
  dataset(g.get(), "torque_check_Nm", t.torque_check_Nm, "N m");  // NaN where there is no check annulus
  phase_dataset(g.get(), "flux_linkage_Wb", t.flux_linkage_Wb, "Wb");
  dataset(g.get(), "psi_d_Wb", t.psi_d_Wb, "Wb");
  dataset(g.get(), "psi_q_Wb", t.psi_q_Wb, "Wb");
  dataset(g.get(), "coenergy_J", t.coenergy_J, "J");
  const std::vector<std::int32_t> newton(t.newton_iterations.begin(), t.newton_iterations.end());
  dataset(g.get(), "newton_iterations", newton, "1");

  scalar_with_units(g.get(), "torque_avg_Nm", t.torque_avg_Nm, "N m");
  scalar_with_units(g.get(), "torque_ripple_pct", t.torque_ripple_pct, "%");
  scalar_with_units(g.get(), "torque_peak_to_peak_Nm", t.torque_peak_to_peak_Nm, "N m");
  scalar_with_units(g.get(), "stack_length_m", t.stack_length_m, "m");
  numeric_attribute<std::int32_t>(g.get(), "model_copies", {t.model_copies});
  string_attribute(g.get(), "torque_check_region", t.torque_check_region);
  string_dataset(g.get(), "winding_table", t.winding_table);
  if (t.back_emf) write_back_emf(g.get(), *t.back_emf);
}

}  // namespace rotormag::postproc::detail

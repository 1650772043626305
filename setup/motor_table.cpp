#include "setup/motor_table.hpp"

#include <cmath>

#include "setup/result_fields.hpp"

namespace rotormag::setup {

namespace {

const double kPi = std::acos(-1.0);

}  // namespace

postproc::MotorTable motor_table(const std::vector<solver::PositionResult>& positions,
                                 const solver::PositionSummary& summary, const MotorModel& model,
                                 const cases::Case& c) {
  postproc::MotorTable table;
  for (const solver::PositionResult& r : positions) {
    table.position_deg.push_back(r.angle_rad * 180 / kPi);
    table.electrical_angle_deg.push_back(r.theta_e_rad * 180 / kPi);
    for (int k = 0; k < 3; ++k) {
      table.current_A[k].push_back(r.current_A[k]);
      table.flux_linkage_Wb[k].push_back(r.flux_linkage_Wb[k]);
    }
    table.torque_Nm.push_back(r.torque_Nm);
    table.torque_check_Nm.push_back(r.torque_check_Nm);
    table.torque_check_region = r.torque_check_region;
    table.psi_d_Wb.push_back(r.psi_d_Wb);
    table.psi_q_Wb.push_back(r.psi_q_Wb);
    table.coenergy_J.push_back(r.coenergy_J);
    table.newton_iterations.push_back(r.newton_iterations);
  }
  table.torque_avg_Nm = summary.torque_avg_Nm;
  table.torque_ripple_pct = summary.torque_ripple_pct;
  table.torque_peak_to_peak_Nm = summary.torque_peak_to_peak_Nm;
  if (summary.back_emf.available) {
    const solver::BackEmf& b = summary.back_emf;
    postproc::BackEmfTable e;
    e.speed_rpm = b.speed_rpm;
    e.method = b.method;
    e.phase_V = b.phase_V;
    e.line_ab_V = b.line_ab_V;
    e.harmonic_order = b.harmonic_order;
    e.phase_a_harmonics_V = b.phase_a_harmonics_V;
    e.line_harmonics_V = b.line_harmonics_V;
    e.phase_a_rms_V = b.phase_a_rms_V;
    e.line_rms_V = b.line_rms_V;
    table.back_emf = e;
  }
  table.winding_table = model.layout.table();
  table.stack_length_m = c.motor.stack_length_m;
  table.model_copies = model.copies;
  return table;
}

std::vector<postproc::MotorStep> motor_steps(const std::vector<solver::PositionResult>& positions) {
  std::vector<postproc::MotorStep> steps;
  for (const solver::PositionResult& r : positions)
    steps.push_back({r.angle_rad * 180 / kPi, &r.machine.mesh, fields_for_output(r.solution)});
  return steps;
}

}  // namespace rotormag::setup

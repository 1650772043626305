#pragma once
// A hand-made motor run for test_motor_results and the sample writer that
// feeds check_motor_series.py and plot_motor.py: three small grids with
// different node counts (P1 square, P1 square with a centre node, one P2
// triangle), the same two regions, cycled over the positions; smooth
// synthetic machine quantities (4 pole pairs, 0..90 degrees = one electrical
// period for the sweep).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "postproc/motor_results.hpp"
#include "tests/postproc/sample_results.hpp"

namespace rotormag::postproc::testing {

struct MotorSample {
  std::vector<Sample> grids;      // owns the meshes; step k uses grids[k % 3]
  std::vector<double> position_deg;
  RunInfo info;
  MotorTable table;

  // Built on demand: MotorStep points into `grids`, so a copied MotorSample
  // must not share the steps of the original.
  std::vector<MotorStep> steps() const {
    std::vector<MotorStep> out;
    for (std::size_t k = 0; k < position_deg.size(); ++k) {
      const Sample& g = grids[k % grids.size()];
      out.push_back({position_deg[k], &g.mesh, g.fields});
    }
    return out;
  }
};

inline std::vector<mesh::Region> motor_regions() { return {{10, "iron", {}}, {20, "magnet", {}}}; }

// Unit square with a centre node: 5 nodes, 4 linear triangles.
inline Sample p1_square_with_centre() {
  Sample s;
  s.mesh.order = 1;
  s.mesh.x = {0, 1, 1, 0, 0.5};
  s.mesh.y = {0, 0, 1, 1, 0.5};
  s.mesh.triangles = {0, 1, 4, 1, 2, 4, 2, 3, 4, 3, 0, 4};
  s.mesh.triangle_region = {0, 1, 0, 1};
  s.mesh.regions = motor_regions();
  fill_fields(s);
  s.info = sample_info(1, 4);
  return s;
}

inline MotorSample motor_sample(std::size_t positions, bool with_back_emf) {
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kPolePairs = 4;
  MotorSample m;
  m.grids = {p1_square(), p1_square_with_centre(), p2_triangle()};
  m.grids[2].mesh.regions = motor_regions();  // one region table for every step
  const double step_deg = positions > 1 ? 90.0 / static_cast<double>(positions - 1) : 0.0;
  for (std::size_t k = 0; k < positions; ++k) m.position_deg.push_back(step_deg * static_cast<double>(k));

  m.info = sample_info(1, 4);
  m.info.case_name = "motor_sample";
  m.info.case_path = "cases/examples/motor_sample.toml";

  MotorTable& t = m.table;
  t.position_deg = m.position_deg;
  t.torque_check_region = "gap_check";
  t.winding_table = "slot  1  2  3\nphase A -C  B\n";
  t.stack_length_m = 0.05;
  t.model_copies = 8;
  const double psi_pm_Wb = 0.08, i_peak_A = 10;
  for (std::size_t k = 0; k < positions; ++k) {
    const double theta_e = kPolePairs * m.position_deg[k] * kPi / 180;
    t.electrical_angle_deg.push_back(theta_e * 180 / kPi);
    double torque = 3.0 + 0.4 * std::sin(6 * theta_e) + 0.1 * std::cos(12 * theta_e);
    t.torque_Nm.push_back(torque);
    // No check annulus result at position 1: written as NaN / null.
    t.torque_check_Nm.push_back(k == 1 ? std::nan("") : torque * 1.01 - 0.02);
    for (int p = 0; p < 3; ++p) {
      const double shift = 2 * kPi / 3 * p;
      t.current_A[p].push_back(-i_peak_A * std::sin(theta_e - shift));
      t.flux_linkage_Wb[p].push_back(psi_pm_Wb * std::cos(theta_e - shift) + 0.01 * std::cos(3 * (theta_e - shift)));
    }
    t.psi_d_Wb.push_back(psi_pm_Wb);
    t.psi_q_Wb.push_back(0.002 * std::sin(6 * theta_e));
    t.coenergy_J.push_back(0.5 + 0.01 * std::cos(6 * theta_e));
    t.newton_iterations.push_back(5 + static_cast<int>(k % 3));
  }
  double sum = 0, lo = t.torque_Nm[0], hi = t.torque_Nm[0];
  for (double v : t.torque_Nm) {
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  t.torque_avg_Nm = sum / static_cast<double>(positions);
  t.torque_peak_to_peak_Nm = hi - lo;
  t.torque_ripple_pct = 100 * (hi - lo) / std::abs(t.torque_avg_Nm);

  if (with_back_emf) {
    BackEmfTable e;
    e.speed_rpm = 1500;
    e.method = "spectral";
    const double omega_e = kPolePairs * e.speed_rpm * 2 * kPi / 60;
    for (std::size_t k = 0; k < positions; ++k) {
      const double theta_e = t.electrical_angle_deg[k] * kPi / 180;
      for (int p = 0; p < 3; ++p) {
        const double a = theta_e - 2 * kPi / 3 * p;
        e.phase_V[p].push_back(-omega_e * (psi_pm_Wb * std::sin(a) + 0.03 * std::sin(3 * a)));
      }
      e.line_ab_V.push_back(e.phase_V[0].back() - e.phase_V[1].back());
    }
    e.harmonic_order = {1, 2, 3, 4, 5};
    e.phase_a_harmonics_V = {omega_e * psi_pm_Wb, 0, omega_e * 0.03, 0, 0};
    e.line_harmonics_V = {std::sqrt(3.0) * omega_e * psi_pm_Wb, 0, 0, 0, 0};
    e.phase_a_rms_V = std::sqrt(0.5) * omega_e * std::hypot(psi_pm_Wb, 0.03);
    e.line_rms_V = std::sqrt(1.5) * omega_e * psi_pm_Wb;
    t.back_emf = e;
  }
  return m;
}

}  // namespace rotormag::postproc::testing

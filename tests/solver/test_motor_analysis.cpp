// The motor machinery on the Prius-like IPM template (48 slots, 8 poles,
// single-layer winding; coarse P1 meshes so that the checks stay quick):
// a sector and the whole machine agree, the sign conventions hold, cogging
// torque has its period and zero mean, and Arkkio's torque equals the
// derivative of the co-energy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "mesh/motor_geometry.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/winding.hpp"
#include "support/backends.hpp"
#include "validation/prius_model.hpp"

namespace rm = rotormag;
using rm::solver::MaterialSpec;

namespace {

const double kPi = std::acos(-1.0);
constexpr double mm = 1e-3;
double rad(double deg) { return deg * kPi / 180; }

using rm::validation::PriusModel;
PriusModel prius(double sector_deg, double element_size = 4 * mm, int order = 1) {
  return rm::validation::prius(sector_deg, element_size, order);
}
rm::solver::RotorPositions sweep_of(const PriusModel& p, std::vector<double> degrees) {
  return rm::validation::prius_positions(p, degrees);
}

rm::solver::StatorLoad dq(double id, double iq) {
  rm::solver::StatorLoad l;
  l.kind = rm::solver::StatorLoad::Kind::dq;
  l.id_A = id;
  l.iq_A = iq;
  return l;
}

double relative(double a, double b, double scale) { return std::abs(a - b) / scale; }

}  // namespace

// One 45-degree anti-periodic sector and the whole machine, meshed as eight
// turned copies of that sector (the same triangles), under load at two rotor
// positions: torque and flux linkages agree to 1e-6 relative.
BACKEND_TEST(MotorAnalysis, WholeMachineAgreesWithTheSector) {
  auto backend = rm::testing::test_backend();
  const PriusModel sector = prius(45), full = prius(360);
  EXPECT_EQ(full.band->machine().triangle_count(), 8 * sector.band->machine().triangle_count());
  const auto load = dq(-20, 150);
  const std::vector<double> angles = {0.0, 2.3};
  const auto a = rm::solver::solve_positions(*sector.band, sector.regions, sector.winding, load,
                                             sweep_of(sector, angles), *backend);
  const auto b = rm::solver::solve_positions(*full.band, full.regions, full.winding, load, sweep_of(full, angles),
                                             *backend);
  for (size_t k = 0; k < angles.size(); ++k) {
    const double psi_scale = std::max({std::abs(b[k].flux_linkage_Wb[0]), std::abs(b[k].flux_linkage_Wb[1]),
                                       std::abs(b[k].flux_linkage_Wb[2])});
    std::printf("position %.1f deg: torque sector %.9g, whole %.9g N m; psi_a %.9g / %.9g Wb\n", angles[k],
                a[k].torque_Nm, b[k].torque_Nm, a[k].flux_linkage_Wb[0], b[k].flux_linkage_Wb[0]);
    EXPECT_LT(relative(a[k].torque_Nm, b[k].torque_Nm, std::abs(b[k].torque_Nm)), 1e-6);
    for (int ph = 0; ph < 3; ++ph)
      EXPECT_LT(relative(a[k].flux_linkage_Wb[ph], b[k].flux_linkage_Wb[ph], psi_scale), 1e-6) << "phase " << ph;
  }
}

// Conventions (docs/motor-analysis.md): with no current, psi_a peaks where
// the electrical angle is 0 (a north pole faces phase A's axis), psi_q ~ 0
// and psi_d > 0 there; +i_q gives positive (counter-clockwise) torque and
// -i_q negative; the torque of the band and of the second annulus agree.
BACKEND_TEST(MotorAnalysis, SignConventions) {
  auto backend = rm::testing::test_backend();
  const PriusModel p = prius(45);
  // theta_e = 0 at theta0 = (axis_A - pi/2) / p, modulo one electrical period (90 deg).
  const double period = 90.0;
  double theta0 = std::fmod((p.winding.axis_A_elec_rad - kPi / 2) / 4 * 180 / kPi, period);
  if (theta0 < 0) theta0 += period;
  std::vector<double> angles;
  for (int k = -3; k <= 3; ++k) angles.push_back(theta0 + 7.5 * k);
  const auto r = rm::solver::solve_positions(*p.band, p.regions, p.winding, {}, sweep_of(p, angles), *backend);
  const auto peak = std::max_element(r.begin(), r.end(), [](const auto& x, const auto& y) {
    return x.flux_linkage_Wb[0] < y.flux_linkage_Wb[0];
  });
  EXPECT_EQ(peak - r.begin(), 3) << "psi_a should peak at theta_e = 0 (" << theta0 << " deg)";
  EXPECT_NEAR(r[3].theta_e_rad, 0.0, 1e-12);
  EXPECT_GT(r[3].psi_d_Wb, 0.05);
  EXPECT_LT(std::abs(r[3].psi_q_Wb), 0.02 * r[3].psi_d_Wb);
  std::printf("no load at theta_e = 0: psi_a %.5f Wb, psi_d %.5f Wb, psi_q %.2e Wb\n", r[3].flux_linkage_Wb[0],
              r[3].psi_d_Wb, r[3].psi_q_Wb);

  const auto plus = rm::solver::solve_positions(*p.band, p.regions, p.winding, dq(0, 150), sweep_of(p, {theta0 + 1}),
                                                *backend);
  const auto minus = rm::solver::solve_positions(*p.band, p.regions, p.winding, dq(0, -150),
                                                 sweep_of(p, {theta0 + 1}), *backend);
  std::printf("i_q = +150 A: %.3f N m (check %.3f); i_q = -150 A: %.3f N m\n", plus[0].torque_Nm,
              plus[0].torque_check_Nm, minus[0].torque_Nm);
  EXPECT_GT(plus[0].torque_Nm, 10.0);
  EXPECT_LT(minus[0].torque_Nm, -10.0);
  EXPECT_LT(relative(plus[0].torque_check_Nm, plus[0].torque_Nm, std::abs(plus[0].torque_Nm)), 0.02);
  // The currents follow the rotor: i_a = -i_q sin(theta_e).
  EXPECT_NEAR(plus[0].current_A[0], -150 * std::sin(plus[0].theta_e_rad), 1e-9);
}

// Cogging torque (no current): period 360 / LCM(48, 8) = 7.5 degrees and zero
// mean. Two periods sampled every 1.25 degrees on a P2 mesh (cogging is a
// fraction of a percent of the rated torque: P1 at this size puts ~40 % of
// its peak-to-peak in mesh noise): the second period equals the first within
// 3 % of the peak-to-peak (the stator mesh is not the same under every slot),
// and the mean over one period is below 2 % of it.
BACKEND_TEST(MotorAnalysis, CoggingTorqueHasItsPeriodAndZeroMean) {
  auto backend = rm::testing::test_backend();
  const PriusModel p = prius(45, 3 * mm, 2);
  const int per_period = 6;
  std::vector<double> angles;
  for (int k = 0; k < 2 * per_period; ++k) angles.push_back(7.5 / per_period * k);
  const auto r = rm::solver::solve_positions(*p.band, p.regions, p.winding, {}, sweep_of(p, angles), *backend);
  double lo = 1e300, hi = -1e300, mean = 0, worst = 0;
  for (int k = 0; k < per_period; ++k) {
    lo = std::min(lo, r[k].torque_Nm);
    hi = std::max(hi, r[k].torque_Nm);
    mean += r[k].torque_Nm / per_period;
  }
  for (int k = 0; k < per_period; ++k) worst = std::max(worst, std::abs(r[k + per_period].torque_Nm - r[k].torque_Nm));
  std::printf("cogging: peak-to-peak %.4f N m, mean %.2e N m, worst period mismatch %.2e N m\n", hi - lo, mean, worst);
  EXPECT_GT(hi - lo, 0.1);
  EXPECT_LT(worst, 0.03 * (hi - lo));
  EXPECT_LT(std::abs(mean), 0.02 * (hi - lo));
}

// Virtual work: at constant currents T = dW'/dtheta. The co-energy at
// theta +- 0.5 deg (the same currents: a phase load) gives the derivative by
// central differences; Arkkio's torque at theta agrees within 1 %.
BACKEND_TEST(MotorAnalysis, TorqueEqualsTheCoenergyDerivative) {
  auto backend = rm::testing::test_backend();
  const PriusModel p = prius(45, 3 * mm);
  rm::solver::StatorLoad load;
  load.kind = rm::solver::StatorLoad::Kind::phase;
  load.phase_A = {120.0, -60.0, -60.0};
  for (double theta : {3.0, 10.0}) {
    const double d = 0.5;
    const auto r = rm::solver::solve_positions(*p.band, p.regions, p.winding, load,
                                               sweep_of(p, {theta - d, theta, theta + d}), *backend);
    const double virtual_work = (r[2].coenergy_J - r[0].coenergy_J) / rad(2 * d);
    std::printf("theta %.1f deg: Arkkio %.4f N m, dW'/dtheta %.4f N m\n", theta, r[1].torque_Nm, virtual_work);
    EXPECT_LT(relative(r[1].torque_Nm, virtual_work, std::abs(virtual_work)), 0.01) << theta;
  }
}

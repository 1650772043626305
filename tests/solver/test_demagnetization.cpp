// Irreversible demagnetization (solver/demagnetization.hpp) against an exact
// case: a uniformly magnetized cylinder (R = 10 mm, mu_rec = 1, Br along +x)
// inside a circle r = Rb = 30 mm where A = -B0 y (a uniform opposing field
// B0 along -x). With mu = mu0 everywhere the field inside the magnet is
// uniform for any remanence Br' (a concentric layered problem):
//   h = -H.m = Br' (1 + R^2/Rb^2) / (2 mu0) + B0 / mu0.
// The damaged state is the operating point on the magnet's curve, where the
// recoil line meets it: Br' = J(h*) (mu_rec = 1) with h* from the line above,
// a scalar equation solved here by bisection. Onset (1 % loss, at the
// curve's HD1 where J(HD1) = 0.99 Jr, the settled state included):
//   B0_onset = mu0 HD1 - J(HD1) (1 + R^2/Rb^2) / 2.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "kernels/config.hpp"
#include "mesh/templates.hpp"
#include "solver/demagnetization.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/moving_band.hpp"
#include "support/backends.hpp"

namespace rm = rotormag;
using rm::kernels::mu0;

namespace {

constexpr double mm = 1e-3;
const double kPi = std::acos(-1.0);
constexpr double R = 10 * mm, Rb = 30 * mm;

rm::solver::MagnetModel test_magnet() {
  rm::solver::MagnetModel m;
  m.name = "test grade";
  m.Br20_T = 1.2;
  m.alpha_Br_per_K = 0;
  m.HcJ20_A_per_m = 800e3;
  m.beta_HcJ_per_K = 0;
  m.mu_rec20 = 1.0;  // mu = mu0 everywhere: the exact solution above holds
  m.squareness = 0.95;
  m.coefficient_range_high_C = 200;
  m.max_working_temperature_C = 200;
  return m;
}

struct Cylinder {
  std::unique_ptr<rm::solver::MovingBand> band;
  rm::solver::DemagSetup setup;
};

Cylinder cylinder(const rm::solver::MagnetModel& model) {
  rm::mesh::ConcentricLayers g;
  g.radii_m = {R, 12 * mm, 13 * mm, Rb};
  g.region_names = {"magnet", "airgap_rotor", "band", "airgap_stator"};
  g.magnetization = {{rm::mesh::MagnetizationKind::parallel, 0.0, 1.0}, {}, {}, {}};
  g.circle_names = {"", "band_rotor", "band_stator", ""};
  g.outer_boundary = "outer";
  rm::mesh::MeshingOptions options{2, 1.5 * mm};
  Cylinder c;
  c.band = std::make_unique<rm::solver::MovingBand>(rm::mesh::build_concentric_layers(g, options), 2 * kPi, 1.0,
                                                   "cylinder");
  const auto& m = c.band->machine();
  const int magnet = m.find_region("magnet");
  c.setup.regions.resize(m.regions.size());
  c.setup.regions[magnet].material.kind = rm::solver::MaterialSpec::Kind::magnet;
  c.setup.regions[magnet].material.mu_r = model.mu_rec(20);
  c.setup.regions[magnet].material.remanence_T = model.remanence_T(20);
  c.setup.regions[magnet].magnetization = m.regions[magnet].magnetization;
  const size_t ne = m.triangle_count();
  c.setup.is_magnet.assign(ne, 0);
  c.setup.knee.assign(ne, rm::solver::KneeCurve{});
  c.setup.volume_weight.assign(ne, 0.0);
  const int npe = m.nodes_per_triangle();
  for (size_t e = 0; e < ne; ++e) {
    if (m.triangle_region[e] != magnet) continue;
    c.setup.is_magnet[e] = 1;
    c.setup.knee[e] = model.at(20);
    const int* v = &m.triangles[e * npe];
    c.setup.volume_weight[e] = 0.5 * std::abs((m.x[v[1]] - m.x[v[0]]) * (m.y[v[2]] - m.y[v[0]]) -
                                              (m.x[v[2]] - m.x[v[0]]) * (m.y[v[1]] - m.y[v[0]]));
  }
  return c;
}

rm::solver::DemagSummary run(const Cylinder& c, double B0) {
  rm::solver::MotorSweep sweep;
  sweep.stack_length_m = 1;
  sweep.dirichlet = {{"outer", 0.0, [B0](double, double y) { return -B0 * y; }}};
  rm::solver::DemagSettings settings;
  settings.find_onset = false;
  settings.loss_positions_rad = {0.0};
  rm::solver::ModelWinding no_winding;
  auto backend = rm::testing::test_backend();
  return rm::solver::analyse_demagnetization(*c.band, no_winding, c.setup, {{"applied field", {}, {0.0, 0.7}}},
                                             std::nullopt, sweep, settings, *backend);
}

// h* with Br' = J(h*): F(h) = J(h) k / (2 mu0) + B0 / mu0 - h is decreasing.
double settled_h(const rm::solver::KneeCurve& curve, double B0) {
  const double k = 1 + (R / Rb) * (R / Rb);
  double lo = 0, hi = 2 * curve.HcJ_A_per_m();
  for (int i = 0; i < 200; ++i) {
    const double h = 0.5 * (lo + hi);
    (curve.J_T(h) * k / (2 * mu0) + B0 / mu0 - h > 0 ? lo : hi) = h;
  }
  return 0.5 * (lo + hi);
}

double min_coef(const rm::solver::DemagSummary& s, const rm::solver::DemagSetup& setup) {
  double c = 1;
  for (size_t e = 0; e < setup.is_magnet.size(); ++e)
    if (setup.is_magnet[e]) c = std::min(c, s.final_state.demag_coef[e]);
  return c;
}

}  // namespace

// No loss (no element below 99 % of its remanence) 0.5 % below the onset
// field, loss 0.5 % above it.
TEST(Demagnetization, OnsetOfACylinderInAnOpposingFieldWithinHalfAPercent) {
  const auto model = test_magnet();
  const Cylinder c = cylinder(model);
  const auto curve = model.at(20);
  const double hd1 = curve.irreversible_loss_field_A_per_m(0.01);
  const double B0_onset = mu0 * hd1 - curve.J_T(hd1) * (1 + (R / Rb) * (R / Rb)) / 2;
  ASSERT_GT(B0_onset, 0.05);
  const auto below = run(c, 0.995 * B0_onset), above = run(c, 1.005 * B0_onset);
  std::printf("HD1 %.1f kA/m, Hk %.1f kA/m, onset B0 %.4f T: min demag_coef %.5f (0.995 B0), %.5f (1.005 B0)\n",
              hd1 / 1e3, curve.knee_field_A_per_m() / 1e3, B0_onset, min_coef(below, c.setup),
              min_coef(above, c.setup));
  EXPECT_GE(min_coef(below, c.setup), 0.99);
  EXPECT_EQ(below.volume_pct_coef_below_099, 0.0);
  EXPECT_LT(min_coef(above, c.setup), 0.99);
  EXPECT_NEAR(above.volume_pct_coef_below_099, 100.0, 1e-9);  // the field is uniform: all or nothing
}

// Well past the knee (B0 = 1.2 x onset) the settled remanence equals the hand
// calculation Br' = J(h*) within 2e-4 (relative), in every magnet element,
// and the margin reported is Hk - h*.
TEST(Demagnetization, RecoilRemanenceMatchesTheHandCalculation) {
  const auto model = test_magnet();
  const Cylinder c = cylinder(model);
  const auto curve = model.at(20);
  const double hd1 = curve.irreversible_loss_field_A_per_m(0.01);
  const double B0 = 1.2 * (mu0 * hd1 - curve.J_T(hd1) * (1 + (R / Rb) * (R / Rb)) / 2);
  const auto s = run(c, B0);
  const double h_star = settled_h(curve, B0);
  const double br_star = curve.J_T(h_star);
  double worst = 0, mean = 0, n = 0;
  for (size_t e = 0; e < c.setup.is_magnet.size(); ++e) {
    if (!c.setup.is_magnet[e]) continue;
    worst = std::max(worst, std::abs(s.final_state.remanence_T[e] - br_star) / br_star);
    mean += s.final_state.remanence_T[e];
    n += 1;
  }
  std::printf("h* = %.2f kA/m, Br' = %.5f T (demag_coef %.4f); FE mean Br' %.5f T, worst relative difference %.2e; "
              "%d solves\n",
              h_star / 1e3, br_star, br_star / curve.remanence_T(), mean / n, worst, s.events.front().solves);
  EXPECT_LT(worst, 2e-4);
  EXPECT_NEAR(s.min_margin_A_per_m, curve.knee_field_A_per_m() - h_star, 2e-4 * curve.HcJ_A_per_m());
  EXPECT_LT(br_star / curve.remanence_T(), 0.97);  // a real loss, not a rounding
}

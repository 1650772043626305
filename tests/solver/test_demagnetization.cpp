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

// The magnet of the cylinder as `model` at T (and so at any other T).
rm::solver::DemagSetup magnet_at(const rm::solver::MovingBand& band, const rm::solver::MagnetModel& model, double T) {
  const auto& m = band.machine();
  const int magnet = m.find_region("magnet");
  auto candidate = std::make_shared<rm::solver::DemagCandidate>();
  candidate->magnet = model;
  candidate->regions.resize(m.regions.size());
  candidate->regions[magnet].magnetization = m.regions[magnet].magnetization;
  candidate->magnet_region.assign(m.regions.size(), 0);
  candidate->magnet_region[magnet] = 1;
  return rm::solver::demag_setup(m, candidate, T);
}

Cylinder cylinder(const rm::solver::MagnetModel& model, double element_size_m = 1.5 * mm) {
  rm::mesh::ConcentricLayers g;
  g.radii_m = {R, 12 * mm, 13 * mm, Rb};
  g.region_names = {"magnet", "airgap_rotor", "band", "airgap_stator"};
  g.magnetization = {{rm::mesh::MagnetizationKind::parallel, 0.0, 1.0}, {}, {}, {}};
  g.circle_names = {"", "band_rotor", "band_stator", ""};
  g.outer_boundary = "outer";
  rm::mesh::MeshingOptions options{2, element_size_m};
  Cylinder c;
  c.band = std::make_unique<rm::solver::MovingBand>(rm::mesh::build_concentric_layers(g, options), 2 * kPi, 1.0,
                                                   "cylinder");
  c.setup = magnet_at(*c.band, model, 20);
  return c;
}

rm::solver::RotorPositions opposing_field(double B0) {
  rm::solver::RotorPositions rotor;
  rotor.stack_length_m = 1;
  rotor.dirichlet = {{"outer", 0.0, [B0](double, double y) { return -B0 * y; }}};
  return rotor;
}

const std::vector<rm::solver::DemagLoadEvent> kAppliedField = {{"applied field", {}, {0.0, 0.7}}};

rm::solver::DemagSummary run(const Cylinder& c, double B0) {
  rm::solver::DemagSettings settings;
  settings.find_onset = false;
  settings.loss_positions_rad = {0.0};
  rm::solver::ModelWinding no_winding;
  auto backend = rm::testing::test_backend();
  return rm::solver::analyse_demagnetization(*c.band, no_winding, c.setup, kAppliedField, std::nullopt,
                                             opposing_field(B0), settings, *backend);
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
BACKEND_TEST(Demagnetization, OnsetOfACylinderInAnOpposingFieldWithinHalfAPercent) {
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
BACKEND_TEST(Demagnetization, RecoilRemanenceMatchesTheHandCalculation) {
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

// Set-ups analysed together (every field solve one solve_batch) give exactly
// what each gives alone, onset searches included: here every set-up has the
// same system matrix (mu = mu0 everywhere), so even the batch's multigrid
// hierarchy is each one's own and the arithmetic per case is the same: equal
// to the last bit (asserted to 1e-12 relative). Three set-ups in B0 = 1.2 x
// the onset field of the test grade at 20 C: that grade at 20 C (damaged)
// and 60 C (damaged more; HcJ falls 0.5 %/K) and a harder grade at 20 C (no
// loss; it finds no onset current up to 16 x, its onset temperature above
// 20 C by the upward search); the damaged ones find theirs by bisection
// from -40 C. A coarser mesh than above: the logic is tested, not the field.
BACKEND_TEST(Demagnetization, SetUpsAnalysedTogetherGiveWhatEachGivesAlone) {
  auto model = test_magnet();
  model.beta_HcJ_per_K = -0.005;
  model.alpha_Br_per_K = -0.001;
  model.coefficient_range_low_C = -40;
  auto harder = model;
  harder.HcJ20_A_per_m = 1000e3;
  const Cylinder c = cylinder(model, 3 * mm);
  const auto curve = test_magnet().at(20);
  const double hd1 = curve.irreversible_loss_field_A_per_m(0.01);
  const double B0 = 1.2 * (mu0 * hd1 - curve.J_T(hd1) * (1 + (R / Rb) * (R / Rb)) / 2);
  const std::vector<rm::solver::DemagSetup> setups = {magnet_at(*c.band, model, 20), magnet_at(*c.band, model, 60),
                                                      magnet_at(*c.band, harder, 20)};
  const std::vector<rm::solver::DemagLoadEvent> events = {{"applied field", {}, {0.0}}};
  rm::solver::DemagSettings settings;
  settings.bisection_steps = 3;
  settings.onset_temperature_low_C = -40;
  settings.loss_positions_rad = {0.0};
  rm::solver::ModelWinding no_winding;
  auto backend = rm::testing::test_backend();
  const auto rotor = opposing_field(B0);
  const auto together =
      rm::solver::analyse_demagnetization(*c.band, no_winding, setups, events, std::nullopt, rotor, settings, *backend);
  ASSERT_EQ(together.size(), setups.size());
  auto same = [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b)); };
  for (size_t i = 0; i < setups.size(); ++i) {
    const auto alone = rm::solver::analyse_demagnetization(*c.band, no_winding, setups[i], events, std::nullopt,
                                                           rotor, settings, *backend);
    const auto& t = together[i];
    std::printf("set-up %zu at %g C: %.1f %% below 0.99, margin %.1f kA/m, onset current %s, onset temperature %s C\n",
                i, t.temperature_C, t.volume_pct_coef_below_099, t.min_margin_A_per_m / 1e3,
                t.onset_current_scale ? std::to_string(*t.onset_current_scale).c_str() : "-",
                t.onset_temperature_C ? std::to_string(*t.onset_temperature_C).c_str() : "-");
    EXPECT_TRUE(same(t.min_margin_A_per_m, alone.min_margin_A_per_m)) << i;
    EXPECT_TRUE(same(t.volume_pct_coef_below_099, alone.volume_pct_coef_below_099)) << i;
    ASSERT_EQ(t.onset_current_scale.has_value(), alone.onset_current_scale.has_value()) << i;
    if (t.onset_current_scale) {
      EXPECT_TRUE(same(*t.onset_current_scale, *alone.onset_current_scale)) << i;
    }
    ASSERT_EQ(t.onset_temperature_C.has_value(), alone.onset_temperature_C.has_value()) << i;
    if (t.onset_temperature_C) {
      EXPECT_TRUE(same(*t.onset_temperature_C, *alone.onset_temperature_C)) << i;
    }
    EXPECT_EQ(t.notes, alone.notes) << i;
    EXPECT_EQ(t.events.front().solves, alone.events.front().solves) << i;
    ASSERT_EQ(t.final_state.demag_coef.size(), alone.final_state.demag_coef.size());
    for (size_t e = 0; e < t.final_state.demag_coef.size(); ++e) {
      ASSERT_TRUE(same(t.final_state.demag_coef[e], alone.final_state.demag_coef[e])) << i << ", element " << e;
      ASSERT_TRUE(same(t.final_state.worst_h[e], alone.final_state.worst_h[e])) << i << ", element " << e;
    }
  }
  // The three cases the set-ups were chosen for.
  EXPECT_GT(together[0].volume_pct_coef_below_099, 0.0);
  EXPECT_LT(together[1].min_margin_A_per_m, together[0].min_margin_A_per_m);
  EXPECT_EQ(together[2].volume_pct_coef_below_099, 0.0);
  EXPECT_FALSE(together[2].onset_current_scale.has_value());
  ASSERT_TRUE(together[2].onset_temperature_C.has_value());
  EXPECT_GT(*together[2].onset_temperature_C, 20.0);
  ASSERT_TRUE(together[0].onset_temperature_C.has_value());
  EXPECT_LT(*together[0].onset_temperature_C, 20.0);
}

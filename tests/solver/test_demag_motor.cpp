// Demagnetization on the Prius-like motor (coarse P1 sector): the damage must
// be monotone in what drives it. A higher magnet temperature or a larger
// negative d-axis current never gives less demagnetized volume, and a grade
// with higher HcJ at equal Br never does worse. Magnets: N42SH-like (Br20
// 1.3 T, HcJ20 1592 kA/m, alpha -0.12 %/C, beta -0.55 %/C, SQ 0.95).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "solver/demagnetization.hpp"
#include "support/backends.hpp"
#include "validation/prius_model.hpp"

namespace rm = rotormag;

namespace {

rm::solver::MagnetModel grade(double HcJ20_A_per_m) {
  rm::solver::MagnetModel m;
  m.name = "test grade";
  m.Br20_T = 1.3;
  m.alpha_Br_per_K = -0.0012;
  m.HcJ20_A_per_m = HcJ20_A_per_m;
  m.beta_HcJ_per_K = -0.0055;
  m.mu_rec20 = 1.05;
  m.squareness = 0.95;
  m.coefficient_range_high_C = 200;
  m.max_working_temperature_C = 200;
  return m;
}

struct Damage {
  double volume_pct;   // demag_coef < 0.99
  double mean_loss;    // 1 - volume-weighted mean demag_coef
  double psi_loss_pct;
};

// The magnets of the Prius model as `model` at T.
rm::solver::DemagSetup magnets_at(const rm::validation::PriusModel& p, const rm::solver::MagnetModel& model,
                                  double T) {
  const auto& m = p.band->machine();
  auto candidate = std::make_shared<rm::solver::DemagCandidate>();
  candidate->magnet = model;
  candidate->regions = p.regions;
  candidate->magnet_region.assign(m.regions.size(), 0);
  for (size_t r = 0; r < m.regions.size(); ++r) candidate->magnet_region[r] = m.regions[r].name.rfind("magnet_", 0) == 0;
  return rm::solver::demag_setup(m, candidate, T);
}

rm::solver::StatorLoad negative_d(double id_A) {
  rm::solver::StatorLoad load;
  load.kind = rm::solver::StatorLoad::Kind::dq;
  load.id_A = id_A;
  return load;
}

Damage damage(const rm::validation::PriusModel& p, const rm::solver::MagnetModel& model, double T, double id_A) {
  const rm::solver::DemagSetup s = magnets_at(p, model, T);
  const size_t ne = s.is_magnet.size();
  rm::solver::DemagSettings settings;
  settings.find_onset = false;
  settings.loss_positions_rad = {0.0};
  auto backend = rm::testing::test_backend();
  const auto r = rm::solver::analyse_demagnetization(*p.band, p.winding, s, {{"-id", negative_d(id_A), {0.0, 0.065}}},
                                                     std::nullopt, rm::validation::prius_positions(p, {0.0}), settings,
                                                     *backend);
  double coef = 0, volume = 0;
  for (size_t e = 0; e < ne; ++e)
    if (s.is_magnet[e]) {
      coef += s.volume_weight[e] * r.final_state.demag_coef[e];
      volume += s.volume_weight[e];
    }
  return {r.volume_pct_coef_below_099, 1 - coef / volume, r.flux_linkage_loss_pct};
}

}  // namespace

BACKEND_TEST(DemagnetizationOnTheMotor, MonotoneInTemperatureCurrentAndCoercivity) {
  const auto p = rm::validation::prius(45, 5e-3);
  const double I = -110;  // at 150 C just past the knee of N42SH (HcJ 454 kA/m), far past it at 180 C
  const Damage base = damage(p, grade(1592e3), 150, I);
  const Damage hotter = damage(p, grade(1592e3), 180, I);
  const Damage stronger = damage(p, grade(1592e3), 150, 1.5 * I);
  const Damage harder = damage(p, grade(1990e3), 180, I);
  std::printf("damaged volume (coef < 0.99) / mean loss / flux loss: 150 C %.2f %% / %.4f / %.3f %%; 180 C %.2f %% / "
              "%.4f / %.3f %%; 150 C 1.5 I %.2f %% / %.4f / %.3f %%; 180 C, HcJ 1990 kA/m %.2f %% / %.4f / %.3f %%\n",
              base.volume_pct, base.mean_loss, base.psi_loss_pct, hotter.volume_pct, hotter.mean_loss,
              hotter.psi_loss_pct, stronger.volume_pct, stronger.mean_loss, stronger.psi_loss_pct, harder.volume_pct,
              harder.mean_loss, harder.psi_loss_pct);
  EXPECT_GT(hotter.volume_pct, 0.0) << "the load should damage something at 180 C";
  EXPECT_GE(hotter.volume_pct, base.volume_pct);
  EXPECT_GE(hotter.mean_loss, base.mean_loss);
  EXPECT_GE(stronger.volume_pct, base.volume_pct);
  EXPECT_GE(stronger.mean_loss, base.mean_loss);
  EXPECT_LE(harder.volume_pct, hotter.volume_pct);
  EXPECT_LE(harder.mean_loss, hotter.mean_loss);
  EXPECT_GE(hotter.psi_loss_pct, base.psi_loss_pct - 1e-9);
}

// The set-ups of one case analysed together (every field solve at a rotor
// position one solve_batch) give what each gives alone: the lockstep keeps
// every set-up's own brackets and warm starts, and the cases of a batch
// converge independently. Three set-ups: N42SH-like at 150 C (just past the
// knee) and 180 C (far past it), a higher-HcJ grade at 100 C (no loss);
// torque at a rated load. (The onset searches: test_demagnetization.cpp.)
// Not bitwise: a batch's multigrid hierarchy (its aggregates) is built from
// the first case's matrix, a set-up alone from its own, so a case's Newton
// iterates differ within the solver's tolerance (demag_coef by ~1e-13 here;
// with the Jacobi preconditioner they are equal). 1e-8 relative on the
// figures and 1e-8 on demag_coef (in [-1, 1]) leave room for that.
BACKEND_TEST(DemagnetizationOnTheMotor, SetUpsAnalysedTogetherGiveWhatEachGivesAlone) {
  const auto p = rm::validation::prius(45, 5e-3);
  const std::vector<rm::solver::DemagSetup> setups = {magnets_at(p, grade(1592e3), 150),
                                                      magnets_at(p, grade(1592e3), 180),
                                                      magnets_at(p, grade(1990e3), 100)};
  const std::vector<rm::solver::DemagLoadEvent> events = {{"-id", negative_d(-110), {0.0}}};
  rm::solver::StatorLoad rated;
  rated.kind = rm::solver::StatorLoad::Kind::dq;
  rated.id_A = -50;
  rated.iq_A = 100;
  rm::solver::DemagSettings settings;
  settings.find_onset = false;
  settings.loss_positions_rad = {0.0};
  const auto rotor = rm::validation::prius_positions(p, {0.0});
  auto backend = rm::testing::test_backend();

  const std::vector<rm::solver::DemagSummary> together =
      rm::solver::analyse_demagnetization(*p.band, p.winding, setups, events, rated, rotor, settings, *backend);
  ASSERT_EQ(together.size(), setups.size());
  auto same = [](double a, double b) { return std::abs(a - b) <= 1e-8 * std::max(std::abs(a), std::abs(b)); };
  int damaged = 0;
  for (size_t i = 0; i < setups.size(); ++i) {
    const rm::solver::DemagSummary alone =
        rm::solver::analyse_demagnetization(*p.band, p.winding, setups[i], events, rated, rotor, settings, *backend);
    const rm::solver::DemagSummary& t = together[i];
    double worst = 0;
    for (size_t e = 0; e < t.final_state.demag_coef.size(); ++e)
      worst = std::max(worst, std::abs(t.final_state.demag_coef[e] - alone.final_state.demag_coef[e]));
    std::printf("set-up %zu at %g C: %.2f %% below 0.99, flux loss %.4f %% (alone %.4f %%), torque loss %.4f %%, "
                "margin %.1f kA/m; largest demag_coef difference %.2e\n",
                i, t.temperature_C, t.volume_pct_coef_below_099, t.flux_linkage_loss_pct, alone.flux_linkage_loss_pct,
                t.torque_loss_pct.value_or(NAN), t.min_margin_A_per_m / 1e3, worst);
    damaged += t.volume_pct_coef_below_099 > 0;
    EXPECT_TRUE(same(t.flux_linkage_loss_pct, alone.flux_linkage_loss_pct)) << i;
    EXPECT_TRUE(same(t.psi_d_no_load_after_Wb, alone.psi_d_no_load_after_Wb)) << i;
    ASSERT_TRUE(t.torque_loss_pct && alone.torque_loss_pct) << i;
    EXPECT_TRUE(same(*t.torque_loss_pct, *alone.torque_loss_pct)) << i;
    EXPECT_TRUE(same(t.min_margin_A_per_m, alone.min_margin_A_per_m)) << i;
    EXPECT_EQ(t.min_margin_region, alone.min_margin_region) << i;
    EXPECT_TRUE(same(t.volume_pct_coef_below_099, alone.volume_pct_coef_below_099)) << i;
    ASSERT_EQ(t.volume_pct_coef_above.size(), alone.volume_pct_coef_above.size()) << i;
    for (size_t k = 0; k < t.volume_pct_coef_above.size(); ++k)
      EXPECT_TRUE(same(t.volume_pct_coef_above[k], alone.volume_pct_coef_above[k])) << i << " " << k;
    EXPECT_EQ(t.notes, alone.notes) << i;
    ASSERT_EQ(t.events.size(), alone.events.size()) << i;
    EXPECT_EQ(t.events[0].solves, alone.events[0].solves) << i;
    EXPECT_EQ(t.events[0].worst_position_rad, alone.events[0].worst_position_rad) << i;
    EXPECT_LE(worst, 1e-8) << i;
  }
  EXPECT_GE(damaged, 1) << "at least one set-up should be damaged";
  EXPECT_LT(damaged, static_cast<int>(setups.size())) << "at least one set-up should come through";
}

// The setup layer's translations: a magnet region's law at T is the curve the
// knee test uses (one formula, the solver's), every kind of case load becomes
// the solver's load as documented, and the sampled magnet curve a demag row
// carries is the solver's curve at the row's temperature.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "setup/demag_table.hpp"
#include "setup/magnet_material.hpp"
#include "setup/stator_load.hpp"
#include "test_support.hpp"

namespace rotormag::setup {
namespace {

const cases::Material& grade(const char* name) {
  const cases::Material* m = cases::testing::shipped_library().find(name);
  if (!m) throw std::runtime_error(std::string("no grade ") + name);
  return *m;
}

// The field solve's magnet and the knee test's curve come from one model:
// equal to the last bit at every temperature, also where the linear laws
// would need clamping.
TEST(SetupMagnets, RegionLawIsTheKneeCurvesRecoilLine) {
  for (const char* name : {"N42SH", "N48", "N48-GBD-Tb", "Ce-N35"})
    for (double T : {-40.0, 20.0, 100.0, 150.0, 180.0, 300.0}) {
      const solver::MagnetModel model = magnet_model(grade(name));
      const solver::KneeCurve curve = model.at(T);
      const solver::MaterialSpec law = material_at(grade(name), T);
      EXPECT_EQ(law.kind, solver::MaterialSpec::Kind::magnet);
      EXPECT_EQ(law.remanence_T, curve.remanence_T()) << name << " at " << T << " C";
      EXPECT_EQ(law.mu_r, curve.mu_rec()) << name << " at " << T << " C";
    }
  // A grade's linear law where no clamp acts: Br20 (1 + alpha dT).
  const cases::MagnetGrade& g = grade("N42SH").grade;
  EXPECT_NEAR(material_at(grade("N42SH"), 150).remanence_T, g.Br20_T * (1 + g.alpha_Br_per_K * 130), 1e-15);
}

TEST(SetupLoads, EveryCaseLoadBecomesTheDocumentedSolverLoad) {
  cases::DemagEventSpec e;
  e.kind = cases::DemagEventSpec::Kind::short_circuit;
  e.current_A = 150;
  solver::StatorLoad l = stator_load(e);
  EXPECT_EQ(l.kind, solver::StatorLoad::Kind::dq);
  EXPECT_EQ(l.id_A, -150);
  EXPECT_EQ(l.iq_A, 0);
  e.kind = cases::DemagEventSpec::Kind::phase;
  e.phase_currents_A = {10, -4, -6};
  l = stator_load(e);
  EXPECT_EQ(l.kind, solver::StatorLoad::Kind::phase);
  EXPECT_EQ(l.phase_A[1], -4);
  EXPECT_DOUBLE_EQ(current_magnitude(l), 10);

  cases::MotorSpec m;
  EXPECT_EQ(stator_load(m).kind, solver::StatorLoad::Kind::none);
  m.load = cases::MotorSpec::Load::dq;
  m.id_A = -30;
  m.iq_A = 40;
  l = stator_load(m);
  EXPECT_DOUBLE_EQ(current_magnitude(l), 50);
  EXPECT_TRUE(same_load(l, stator_load(m)));
  EXPECT_FALSE(same_load(l, stator_load(e)));

  cases::DemagSpec d;
  EXPECT_FALSE(rated_load(d).has_value());
  d.rated_load_given = true;
  d.rated_id_A = -125;
  d.rated_iq_A = 216.5;
  ASSERT_TRUE(rated_load(d).has_value());
  EXPECT_EQ(rated_load(d)->iq_A, 216.5);
}

// The curve a demag row carries for the report: the solver's J(h) at the
// row's temperature, sampled from -0.05 to 1.2 times the largest HcJ, with the
// GBD curve of the most diffused element beside it.
TEST(SetupDemagTable, MagnetCurveIsTheSolversCurveAtTheRowsTemperature) {
  const solver::MagnetModel model = magnet_model(grade("N48-GBD-Tb"));
  ASSERT_TRUE(model.gbd.present());
  auto candidate = std::make_shared<solver::DemagCandidate>();
  candidate->magnet = model;
  candidate->HcJ_gain_A_per_m = {0.0, 100e3, 300e3};
  solver::DemagSetup s;
  s.temperature_C = 150;
  s.is_magnet = {1, 1, 0};
  s.candidate = candidate;
  const postproc::MagnetCurveTable t = magnet_curve(s);
  const solver::KneeCurve core = model.at(150), top = model.at(150, 100e3);
  ASSERT_EQ(t.h_A_per_m.size(), 121u);
  ASSERT_EQ(t.J_max_gain_T.size(), 121u);
  EXPECT_DOUBLE_EQ(t.h_A_per_m.front(), -0.05 * top.HcJ_A_per_m());
  EXPECT_DOUBLE_EQ(t.h_A_per_m.back(), 1.2 * top.HcJ_A_per_m());
  for (size_t k = 0; k < t.h_A_per_m.size(); ++k) {
    EXPECT_EQ(t.J_T[k], core.J_T(t.h_A_per_m[k]));
    EXPECT_EQ(t.J_max_gain_T[k], top.J_T(t.h_A_per_m[k]));
    if (k > 0) {
      EXPECT_LT(t.J_T[k], t.J_T[k - 1]);  // strictly decreasing (dJ/dh < 0)
    }
  }
  EXPECT_EQ(t.Br_T, core.remanence_T());
  EXPECT_EQ(t.HcJ_A_per_m, core.HcJ_A_per_m());
  EXPECT_EQ(t.knee_field_A_per_m, core.knee_field_A_per_m());
  // Only magnet elements count: the third element's 300 kA/m is not a magnet's.
  EXPECT_NEAR(t.HcJ_gain_max_A_per_m, top.HcJ_A_per_m() - core.HcJ_A_per_m(), 1e-6);
  EXPECT_NEAR(t.HcJ_gain_min_A_per_m, 0.0, 1e-6);
  // Without a GBD gain there is one curve.
  candidate->HcJ_gain_A_per_m.clear();
  EXPECT_TRUE(magnet_curve(s).J_max_gain_T.empty());
}

}  // namespace
}  // namespace rotormag::setup

// The shipped magnet grades at temperature (through setup::magnet_model), the
// composition model against its sourced relations and the library's low-HRE
// grades, and the HRE mass and cost against hand calculations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "setup/magnet_material.hpp"
#include "cases/composition.hpp"
#include "cases/hre_cost.hpp"
#include "test_support.hpp"

namespace rotormag::cases {
namespace {

using testing::shipped_library;
constexpr double mu0 = 4.0e-7 * 3.14159265358979323846;

const Material& grade(const char* name) {
  const Material* m = shipped_library().find(name);
  if (!m) throw std::runtime_error(std::string("no grade ") + name);
  return *m;
}

bool contains(const std::vector<std::string>& texts, const std::string& part) {
  return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

// --- the library at temperature ---------------------------------------------

TEST(MagnetGrades, ReproduceTheirSourcesAt20C) {
  // Arnold datasheet values (magnet_grades_arnold_datasheets.csv) at 20 C: the curve starts at Br and ends at HcJ.
  struct Row { const char* name; double Br, HcJ_kA; };
  for (const Row& r : {Row{"N35", 1.17, 954.9}, Row{"N42", 1.30, 954.9}, Row{"N48", 1.38, 954.9},
                       Row{"N52", 1.45, 875.4}, Row{"N42M", 1.30, 1114.1}, Row{"N50M", 1.41, 1114.1},
                       Row{"N42H", 1.30, 1352.8}, Row{"N42SH", 1.30, 1592.0}, Row{"N38UH", 1.22, 1989.4},
                       Row{"N35EH", 1.17, 2387.3}, Row{"N33AH", 1.14, 2705.6}}) {
    const solver::KneeCurve c = setup::magnet_model(grade(r.name)).at(20.0);
    EXPECT_DOUBLE_EQ(c.remanence_T(), r.Br) << r.name;
    EXPECT_NEAR(c.HcJ_A_per_m(), r.HcJ_kA * 1e3, 1e-6) << r.name;
    EXPECT_NEAR(c.J_T(c.HcJ_A_per_m()), 0.0, 1e-12) << r.name;
    EXPECT_DOUBLE_EQ(c.mu_rec(), 1.05) << r.name;
  }
}

TEST(MagnetGrades, FollowAlphaAndBetaLikeReferenceTableA2_1) {
  // Table A2-1 (knee_onset_examples_derived.csv), rounded to 3 decimals / 1 kA/m.
  struct Row { const char* name; double T, Br, HcJ, Hk, B_knee; };
  for (const Row& r : {Row{"N42SH", 150, 1.097, 454, 431, 0.528}, Row{"N42SH", 120, 1.144, 716, 681, 0.246},
                       Row{"N38UH", 180, 0.986, 366, 348, 0.527}, Row{"N35EH", 200, 0.917, 368, 349, 0.456},
                       Row{"N42H", 120, 1.144, 582, 553, 0.415}, Row{"N33AH", 200, 0.894, 879, 835, -0.208}}) {
    SCOPED_TRACE(std::string(r.name) + " at " + std::to_string(r.T) + " C");
    const solver::KneeCurve c = setup::magnet_model(grade(r.name)).at(r.T);
    EXPECT_NEAR(c.remanence_T(), r.Br, 0.0006);
    EXPECT_NEAR(c.HcJ_A_per_m() / 1e3, r.HcJ, 0.5);
    EXPECT_NEAR(c.knee_field_A_per_m() / 1e3, r.Hk, 1.0);
    EXPECT_NEAR(c.remanence_T() - mu0 * c.mu_rec() * c.knee_field_A_per_m(), r.B_knee, 0.0013);
  }
  // N42SH at 150 C as the issue states it: HcJ 454 kA/m, Br 1.097 T, Hk 431 kA/m, B at the knee 0.528 T.
  const solver::KneeCurve c = setup::magnet_model(grade("N42SH")).at(150);
  EXPECT_NEAR(c.HcJ_A_per_m(), 453.72e3, 1e-6);
  EXPECT_NEAR(c.remanence_T(), 1.0972, 1e-12);
  EXPECT_NEAR(c.knee_field_A_per_m(), 431.034e3, 1.0);
  EXPECT_NEAR(c.remanence_T() - mu0 * 1.05 * c.knee_field_A_per_m(), 0.528, 0.0005);
}

TEST(MagnetGrades, WarningsFlagEstimatesAndExtrapolation) {
  const solver::MagnetModel sh = setup::magnet_model(grade("N42SH"));
  EXPECT_TRUE(sh.squareness_estimated);
  EXPECT_TRUE(contains(sh.warnings(150), "knee shape estimated"));
  EXPECT_FALSE(contains(sh.warnings(150), "outside"));
  EXPECT_TRUE(contains(sh.warnings(170), "outside 20..150 C"));
  EXPECT_TRUE(contains(sh.warnings(170), "maximum working temperature"));
  const solver::MagnetModel tb = setup::magnet_model(grade("N48-GBD-Tb"));
  EXPECT_TRUE(contains(tb.warnings(60), "GBD profile"));
  const solver::MagnetModel ce = setup::magnet_model(grade("Ce-N35"));
  EXPECT_TRUE(contains(ce.warnings(60), "estimates, not measurements"));
  EXPECT_TRUE(contains(ce.warnings(150), "outside the measured curves"));
  EXPECT_THROW(setup::magnet_model(grade("air")), std::invalid_argument);
}

TEST(MagnetGrades, RecoilPermeabilityDriftOfFemmN30EH) {
  // magnet_femm_N30EH_by_temperature.csv: mu_r 1.02782 (20 C) .. 1.14626 (180 C).
  const Material& m = grade("N30EH-FEMM");
  const solver::MagnetModel model = setup::magnet_model(m);
  EXPECT_NEAR(model.at(20).mu_rec(), 1.02782, 0.0001);
  EXPECT_NEAR(model.at(180).mu_rec(), 1.14626, 0.0001);   // the secant's end points
  EXPECT_NEAR(model.at(100).remanence_T(), 1.0303, 0.015);  // FEMM's implied Br; linear alpha: 1.0169
  // The solver's linear magnet law at T uses the drifted mu_rec too.
  const solver::MaterialSpec spec = setup::material_at(m, 180);
  EXPECT_NEAR(spec.mu_r, 1.0278 + 0.00074 * 160, 1e-12);
  EXPECT_NEAR(spec.remanence_T, 1.1138 * (1 - 0.001087 * 160), 1e-12);
  // Unchanged for a grade without drift: exactly the old formula.
  const solver::MaterialSpec sh = setup::material_at(grade("N42SH"), 100);
  EXPECT_EQ(sh.mu_r, 1.05);
  EXPECT_EQ(sh.remanence_T, 1.30 * (1.0 + -0.0012 * (100 - 20.0)));
}

TEST(MagnetGrades, CeGradeUsesItsCurves) {
  const Material& m = grade("Ce-N35");
  const solver::MagnetModel model = setup::magnet_model(m);
  ASSERT_EQ(model.measured.size(), 4u);
  for (const JHCurve& table : m.grade.jh_curves) {
    const solver::KneeCurve c = model.at(table.temperature_C);
    ASSERT_TRUE(c.measured());
    for (std::size_t i = 0; i < table.h_A_per_m.size(); ++i)
      EXPECT_NEAR(c.J_T(table.h_A_per_m[i]), table.J_T[i], 1e-12) << table.temperature_C << " C point " << i;
  }
  const solver::KneeCurve c = model.at(65);   // between the 50 and 80 C tables
  double previous = c.J_T(0);
  for (int i = 1; i <= 5000; ++i) {
    const double J = c.J_T(c.HcJ_A_per_m() * 1.1 * i / 5000);
    EXPECT_LT(J, previous);
    previous = J;
  }
  EXPECT_NEAR(c.J_T(c.knee_field_A_per_m()), 0.9 * c.remanence_T(), 1e-10);
  const solver::MaterialSpec spec = setup::material_at(m, 65);
  EXPECT_DOUBLE_EQ(spec.remanence_T, c.remanence_T());
  EXPECT_NEAR(spec.mu_r, 1.05, 0.01);
}

// --- the composition model --------------------------------------------------

Candidate on(const char* base, const char* name = "candidate") {
  Candidate c;
  c.base = grade(base);
  c.name = name;
  return c;
}

TEST(Composition, NoAdditionsReproduceTheBase) {
  for (const char* name : {"N48", "N42SH", "N33AH", "Ce-N35", "N48-GBD-Tb"}) {
    const ComposedMagnet r = compose(on(name));
    const MagnetGrade &a = r.material.grade, &b = grade(name).grade;
    EXPECT_EQ(a.Br20_T, b.Br20_T) << name;
    EXPECT_EQ(a.HcJ20_A_per_m, b.HcJ20_A_per_m) << name;
    EXPECT_EQ(a.alpha_Br_per_K, b.alpha_Br_per_K) << name;
    EXPECT_EQ(a.beta_HcJ_per_K, b.beta_HcJ_per_K) << name;
    EXPECT_EQ(a.squareness, b.squareness) << name;
    EXPECT_EQ(a.density_kg_per_m3, b.density_kg_per_m3) << name;
    EXPECT_EQ(a.mu_rec, b.mu_rec) << name;
    EXPECT_EQ(a.gbd.surface_gain_A_per_m, b.gbd.surface_gain_A_per_m) << name;
    EXPECT_EQ(a.jh_curves.size(), b.jh_curves.size()) << name;
    EXPECT_FALSE(r.outside_data) << name;
    EXPECT_EQ(r.material.name, "candidate");
  }
}

TEST(Composition, BulkDyAndTbMoveHcJAndBrAsTheRelationsSay) {
  Candidate dy = on("N48");
  dy.Dy_added_wt_pct = 1.0;
  const ComposedMagnet a = compose(dy);
  EXPECT_NEAR(a.material.grade.HcJ20_A_per_m - 954.9e3, 210e3, 1e-6);   // +180..+240 kA/m per wt%: midpoint
  EXPECT_NEAR(a.material.grade.Br20_T - 1.38, -0.021, 1e-12);           // -0.016..-0.026 T per wt%: midpoint
  EXPECT_NEAR(a.HcJ20_A_per_m.low - 954.9e3, 180e3, 1e-6);
  EXPECT_NEAR(a.HcJ20_A_per_m.high - 954.9e3, 240e3, 1e-6);
  EXPECT_NEAR(a.Br20_T.low, 1.38 - 0.026, 1e-12);
  EXPECT_NEAR(a.Br20_T.high, 1.38 - 0.016, 1e-12);
  // beta moves with HcJ20 along the prior's slope: +1.26e-4 %/C per kA/m.
  EXPECT_NEAR(a.material.grade.beta_HcJ_per_K, -0.0062 + 1.26e-6 * 210, 1e-15);
  EXPECT_GT(a.material.grade.density_kg_per_m3, 7500.0);
  EXPECT_DOUBLE_EQ(a.material.grade.composition.Dy_wt_pct, 1.0);

  Candidate tb = on("N48");
  tb.Tb_added_wt_pct = 1.0;
  const ComposedMagnet b = compose(tb);
  // 1.5x Dy per atom; per wt% x M_Dy/M_Tb = 162.50/158.93.
  EXPECT_NEAR(b.material.grade.HcJ20_A_per_m - 954.9e3, 1.5 * 210e3 * 162.50 / 158.93, 1e-6);
  EXPECT_NEAR(b.material.grade.Br20_T - 1.38, -0.021 * 162.50 / 158.93, 1e-12);
  EXPECT_TRUE(contains(b.warnings, "1.5x Dy per atom"));
  EXPECT_TRUE(b.low_confidence);

  // A leaner N42SH: removing 1 wt% of its (estimated) 3.03 wt% Dy.
  Candidate lean = on("N42SH");
  lean.Dy_added_wt_pct = -1.0;
  const ComposedMagnet c = compose(lean);
  EXPECT_NEAR(c.material.grade.HcJ20_A_per_m, 1592e3 - 210e3, 1e-6);
  EXPECT_NEAR(c.material.grade.Br20_T, 1.30 + 0.021, 1e-12);
  EXPECT_NEAR(c.material.grade.composition.Dy_wt_pct, 2.03, 1e-12);
  EXPECT_LE(c.HcJ20_A_per_m.low, c.HcJ20_A_per_m.mid);
  EXPECT_LE(c.HcJ20_A_per_m.mid, c.HcJ20_A_per_m.high);
}

TEST(Composition, GbdAddsTheMeasuredGainsAsASurfaceProfile) {
  Candidate tb = on("N48");
  tb.gbd_element = GbdElement::Tb;
  tb.gbd_wt_pct = 0.5;
  const ComposedMagnet a = compose(tb);
  const MagnetGrade& g = a.material.grade;
  EXPECT_EQ(g.HcJ20_A_per_m, 954.9e3);                 // the core is the base
  EXPECT_NEAR(g.gbd.surface_gain_A_per_m, 744.5e3, 1e-6);   // 727..762 kA/m: midpoint
  EXPECT_NEAR(g.Br20_T, 1.38 * (1 - 0.011), 1e-12);    // 0..-2.2 %: midpoint
  EXPECT_NEAR(a.Br20_T.low, 1.38 * (1 - 0.022), 1e-12);
  EXPECT_NEAR(a.gbd_surface_gain_A_per_m.low, 727e3, 1e-6);
  EXPECT_NEAR(a.gbd_surface_gain_A_per_m.high, 762e3, 1e-6);
  EXPECT_NEAR(g.gbd.depth_m, 2e-3, 1e-15);
  // beta of the gain = beta_core + 1.26e-4 (HcJ_core + gain) [%/C, kA/m].
  EXPECT_NEAR(g.gbd.beta_gain_per_K * 100, -0.62 + 1.26e-4 * (954.9 + 744.5), 1e-12);
  EXPECT_EQ(g.max_working_temperature_C, 150.0);        // HcJ 1699 kA/m: SH suffix
  EXPECT_FALSE(a.outside_data);

  Candidate dy = on("N48");
  dy.gbd_element = GbdElement::Dy;
  dy.gbd_wt_pct = 0.5;
  const ComposedMagnet b = compose(dy);
  EXPECT_NEAR(b.material.grade.gbd.surface_gain_A_per_m, 330e3, 1e-6);   // 250..410 kA/m: midpoint
  EXPECT_EQ(b.material.grade.Br20_T, 1.38);                             // "~0" Br change
  EXPECT_LT(b.material.grade.gbd.surface_gain_A_per_m, g.gbd.surface_gain_A_per_m);

  // The profile falls with depth, and per element HcJ follows it at temperature.
  const solver::MagnetModel model = setup::magnet_model(a.material);
  double previous = model.gbd_HcJ_gain_A_per_m(0.0);
  EXPECT_NEAR(previous, 744.5e3, 1e-6);
  for (int i = 1; i <= 50; ++i) {
    const double gain = model.gbd_HcJ_gain_A_per_m(i * 0.1e-3);
    EXPECT_LT(gain, previous);
    previous = gain;
    EXPECT_GT(model.at(150, gain).HcJ_A_per_m(), model.at(150).HcJ_A_per_m());
  }
  // At 150 C the surface of the diffused N48 is about as strong as bulk N42SH, the core far weaker.
  const double surface = model.at(150, model.gbd_HcJ_gain_A_per_m(0)).HcJ_A_per_m();
  EXPECT_NEAR(surface, 954.9e3 * (1 - 0.0062 * 130) + 744.5e3 * (1 + g.gbd.beta_gain_per_K * 130), 1e-6);
  EXPECT_GT(surface, 0.85 * setup::magnet_model(grade("N42SH")).at(150).HcJ_A_per_m());
}

TEST(Composition, ReproducesTheLibrarysLowHreGrades) {
  struct Case { const char* library; double Dy; GbdElement gbd; };
  for (const Case& k : {Case{"N48-GBD-Tb", 0, GbdElement::Tb}, Case{"N48-GBD-Dy", 0, GbdElement::Dy},
                        Case{"N48-Dy4", 4.0, GbdElement::none}}) {
    SCOPED_TRACE(k.library);
    Candidate c = on("N48", k.library);
    c.Dy_added_wt_pct = k.Dy;
    c.gbd_element = k.gbd;
    c.gbd_wt_pct = k.gbd == GbdElement::none ? 0.0 : 0.5;
    const MagnetGrade& got = compose(c).material.grade;
    const MagnetGrade& lib = grade(k.library).grade;
    // The library rounds to 4-5 significant digits.
    EXPECT_NEAR(got.Br20_T, lib.Br20_T, 1e-4);
    EXPECT_NEAR(got.HcJ20_A_per_m, lib.HcJ20_A_per_m, 1.0);
    EXPECT_NEAR(got.beta_HcJ_per_K, lib.beta_HcJ_per_K, 1e-6);   // 4 decimals in %/C
    EXPECT_NEAR(got.density_kg_per_m3, lib.density_kg_per_m3, 0.1);
    EXPECT_NEAR(got.HcB_A_per_m, lib.HcB_A_per_m, 100.0);
    EXPECT_EQ(got.max_working_temperature_C, lib.max_working_temperature_C);
    EXPECT_NEAR(got.gbd.surface_gain_A_per_m, lib.gbd.surface_gain_A_per_m, 1e-6);
    EXPECT_EQ(got.gbd.wt_pct, lib.gbd.wt_pct);
    if (lib.gbd.present()) {
      EXPECT_NEAR(got.gbd.beta_gain_per_K, lib.gbd.beta_gain_per_K, 1e-6);
    }
    EXPECT_NEAR(got.composition.Dy_wt_pct, lib.composition.Dy_wt_pct, 1e-12);
  }
  // The reduced-Dy grade lies between SH and UH, as intended.
  EXPECT_GT(grade("N48-Dy4").grade.HcJ20_A_per_m, grade("N42SH").grade.HcJ20_A_per_m);
  EXPECT_LT(grade("N48-Dy4").grade.HcJ20_A_per_m, grade("N38UH").grade.HcJ20_A_per_m);
}

TEST(Composition, WarnsOutsideTheData) {
  Candidate much = on("N48");
  much.Dy_added_wt_pct = 11.0;
  const ComposedMagnet a = compose(much);
  EXPECT_TRUE(a.outside_data);
  EXPECT_TRUE(contains(a.warnings, "above 10 wt%"));

  Candidate deep = on("N48");
  deep.gbd_element = GbdElement::Tb;
  deep.gbd_wt_pct = 1.5;
  const ComposedMagnet b = compose(deep);
  EXPECT_TRUE(b.outside_data);
  EXPECT_TRUE(contains(b.warnings, "< 1 wt%"));

  Candidate ce = on("N48");
  ce.Ce_fraction_of_RE = 0.3;
  const ComposedMagnet c = compose(ce);
  EXPECT_TRUE(c.outside_data);
  EXPECT_TRUE(c.low_confidence);
  EXPECT_TRUE(contains(c.warnings, "not modelled parametrically"));
  EXPECT_EQ(c.material.grade.HcJ20_A_per_m, grade("N48").grade.HcJ20_A_per_m);

  Candidate ce_base = on("Ce-N35");
  ce_base.Dy_added_wt_pct = 1.0;
  const ComposedMagnet d = compose(ce_base);
  EXPECT_TRUE(d.outside_data);
  EXPECT_TRUE(contains(d.warnings, "measured J-H curves"));

  Candidate twice = on("N48-GBD-Tb");
  twice.gbd_element = GbdElement::Dy;
  twice.gbd_wt_pct = 0.5;
  EXPECT_TRUE(compose(twice).outside_data);

  Candidate both = on("N42SH");
  both.gbd_element = GbdElement::Tb;
  both.gbd_wt_pct = 0.5;
  const ComposedMagnet e = compose(both);
  EXPECT_TRUE(contains(e.warnings, "added (assumed"));
  EXPECT_FALSE(e.outside_data);

  Candidate remove = on("N42SH");
  remove.Dy_added_wt_pct = -4.0;   // it holds 3.03
  EXPECT_THROW(compose(remove), std::invalid_argument);
  Candidate no_amount = on("N48");
  no_amount.gbd_element = GbdElement::Tb;
  EXPECT_THROW(compose(no_amount), std::invalid_argument);
  Candidate steel;
  steel.base = grade("M270-35A");
  EXPECT_THROW(compose(steel), std::invalid_argument);
}

TEST(Composition, SuffixWorkingTemperatures) {
  // grade_suffixes.csv
  EXPECT_EQ(suffix_working_temperature_C(955e3), 80);
  EXPECT_EQ(suffix_working_temperature_C(1114e3), 100);
  EXPECT_EQ(suffix_working_temperature_C(1353e3), 120);
  EXPECT_EQ(suffix_working_temperature_C(1592e3), 150);
  EXPECT_EQ(suffix_working_temperature_C(1990e3), 180);
  EXPECT_EQ(suffix_working_temperature_C(2388e3), 200);
  EXPECT_EQ(suffix_working_temperature_C(2706e3), 220);
  EXPECT_EQ(suffix_working_temperature_C(876e3), 60);
}

// --- HRE mass and cost ------------------------------------------------------

TEST(HreCost, HandCalculationsUnderLate2025Prices) {
  const PriceScenario& s = *shipped_library().price_scenario();
  const double V = 1.0e-4;   // 100 cm3 of magnet per rotor
  // GBD Tb: V rho wt% / 100 = kg of Tb; times 8.25 M CNY/t of Tb metal.
  const MagnetGrade& tb = grade("N48-GBD-Tb").grade;
  const HreBill a = hre_bill(V, tb, s);
  EXPECT_EQ(a.currency, "CNY");
  EXPECT_EQ(a.scenario, "late-2025");
  EXPECT_NEAR(a.magnet_kg, 1e-4 * 7503.5, 1e-12);
  EXPECT_NEAR(a.Tb.kg, 1e-4 * 7503.5 * 0.5 / 100, 1e-15);
  EXPECT_NEAR(a.Tb.cost, 1e-4 * 7503.5 * 0.005 * 8250000 / 1000, 1e-9);   // 30.95 CNY
  EXPECT_NEAR(a.Tb.cost, 30.952, 0.001);
  EXPECT_EQ(a.Tb.product, "Tb metal");
  EXPECT_EQ(a.Dy.kg, 0.0);
  EXPECT_DOUBLE_EQ(a.hre_cost, a.Tb.cost);
  // Light RE: 31 wt% at the 2025-12-31 Pr-Nd alloy price.
  EXPECT_NEAR(a.light_RE.kg, 0.75035 * 0.31, 1e-12);
  EXPECT_NEAR(a.light_RE.cost, 0.75035 * 0.31 * 735, 1e-9);
  EXPECT_NEAR(a.rare_earth_cost, a.hre_cost + a.light_RE.cost, 1e-12);
  EXPECT_TRUE(contains(a.notes, "not included"));

  // Bulk Dy priced as Dy-Fe alloy (80 wt% Dy): N42SH with 3.03 wt% (estimated).
  const HreBill b = hre_bill(V, grade("N42SH").grade, s);
  EXPECT_NEAR(b.Dy.kg, 0.75 * 0.0303, 1e-15);
  EXPECT_NEAR(b.Dy.cost, 0.75 * 0.0303 * 1510000 / 1000 / 0.80, 1e-9);   // 42.89 CNY
  EXPECT_NEAR(b.Dy.cost, 42.893, 0.001);
  EXPECT_TRUE(contains(b.notes, "composition estimated"));
  // The GBD candidate holds less HRE than the bulk-Dy grade, but Tb costs ~4.4x Dy per kg.
  EXPECT_LT(a.hre_kg, b.hre_kg);

  // Plain numbers: 2 wt% Dy + 0.3 wt% Tb in 250 cm3 at 7.55 g/cm3.
  const HreBill c = hre_bill(2.5e-4, 7550, 2.0, 0.3, s);
  EXPECT_NEAR(c.magnet_kg, 1.8875, 1e-12);
  EXPECT_NEAR(c.Dy.kg, 1.8875 * 0.02, 1e-15);
  EXPECT_NEAR(c.Tb.kg, 1.8875 * 0.003, 1e-15);
  EXPECT_NEAR(c.hre_cost, 1.8875 * 0.02 * 1887.5 + 1.8875 * 0.003 * 8250, 1e-9);
  EXPECT_EQ(c.light_RE.kg, 0.0);

  // Ce: 20 % of 31 wt% priced as oxide (Ce mass fraction 0.8141).
  const HreBill d = hre_bill(V, grade("Ce-N35").grade, s);
  EXPECT_NEAR(d.Ce.kg, V * 7490 * 0.31 * 0.2, 1e-12);
  EXPECT_NEAR(d.Ce.cost, d.Ce.kg * 11500 / 1000 / 0.8141, 1e-9);
  EXPECT_NEAR(d.light_RE.kg, V * 7490 * 0.31 * 0.8, 1e-12);
}

TEST(HreCost, ScenariosAndUnknownCompositions) {
  const MagnetGrade& tb = grade("N48-GBD-Tb").grade;
  const HreBill peak = hre_bill(1e-4, tb, *shipped_library().price_scenario("may-2022-peak"));
  // 2022: Tb only as oxide, 14.95 M CNY/t of Tb4O7 -> per kg of Tb / 0.8502.
  EXPECT_NEAR(peak.Tb.price_per_kg, 14950000.0 / 1000 / 0.8502, 1e-9);
  EXPECT_EQ(peak.Tb.product, "Tb oxide");
  const HreBill april = hre_bill(1e-4, grade("Ce-N35").grade, *shipped_library().price_scenario("april-2025"));
  EXPECT_FALSE(april.Ce.priced);
  EXPECT_TRUE(contains(april.notes, "no Ce price"));
  MagnetGrade unknown;
  unknown.density_kg_per_m3 = 7500;
  const HreBill u = hre_bill(1e-4, unknown, *shipped_library().price_scenario());
  EXPECT_FALSE(u.composition_stated);
  EXPECT_EQ(u.hre_kg, 0.0);
  EXPECT_TRUE(contains(u.notes, "states no composition"));
  EXPECT_THROW(hre_bill(1e-4, 0.0, 1.0, 0.0, *shipped_library().price_scenario()), std::invalid_argument);
}

}  // namespace
}  // namespace rotormag::cases

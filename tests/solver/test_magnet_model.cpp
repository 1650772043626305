// The magnet model at temperature (solver/magnet_model.hpp): the tanh knee's
// exact properties, the reference's table A2-1, mu_rec drift, the GBD gain
// and profile, measured-curve interpolation. Tolerances are stated per check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "solver/magnet_model.hpp"

namespace rotormag::solver {
namespace {

constexpr double mu0 = 4.0e-7 * 3.14159265358979323846;

struct CurveCase {
  double Jr, mu_rec, HcJ, SQ;
};

// A spread of realistic curves: cold and hot, square and round, mu_rec 1..1.1.
const std::vector<CurveCase> curve_cases = {
    {1.30, 1.05, 1592.0e3, 0.95},   // N42SH at 20 C
    {1.0972, 1.05, 453.72e3, 0.95}, // N42SH at 150 C
    {1.17, 1.05, 954.9e3, 0.90},
    {1.38, 1.00, 954.9e3, 0.98},    // no reversible slope
    {0.92, 1.10, 600e3, 0.85},
    {1.20, 1.03, 1200e3, 0.70},     // a round curve
};

bool contains(const std::vector<std::string>& texts, const std::string& part) {
  return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

TEST(KneeCurve, ExactAtRemanenceCoercivityAndKnee) {
  for (const CurveCase& k : curve_cases) {
    const KneeCurve c = KneeCurve::parametric(k.Jr, k.mu_rec, k.HcJ, k.SQ);
    SCOPED_TRACE(c.knee_definition());
    EXPECT_TRUE(c.notes().empty());
    EXPECT_NEAR(c.J_T(0.0), k.Jr, 1e-15 * k.Jr);
    EXPECT_NEAR(c.J_T(k.HcJ), 0.0, 1e-12 * k.Jr);                      // J(HcJ) = 0 (in fact exactly)
    EXPECT_DOUBLE_EQ(c.HcJ_A_per_m(), k.HcJ);
    EXPECT_NEAR(c.J_T(c.knee_field_A_per_m()), 0.9 * k.Jr, 1e-10 * k.Jr);   // J(Hk) = 0.9 Jr
    EXPECT_NEAR(c.knee_field_A_per_m(), k.SQ * k.HcJ, 1e-9 * k.HcJ);   // the width reproduces SQ
    EXPECT_NEAR(c.squareness(), k.SQ, 1e-9);
    EXPECT_DOUBLE_EQ(c.remanence_T(), k.Jr);
    EXPECT_NEAR(c.mu_rec(), k.mu_rec, 1e-15);
    EXPECT_NE(c.knee_definition().find("0.9 Jr"), std::string::npos);
  }
}

TEST(KneeCurve, MonotoneWithSlopeAtLeastMu0AndSmooth) {
  for (const CurveCase& k : curve_cases) {
    const KneeCurve c = KneeCurve::parametric(k.Jr, k.mu_rec, k.HcJ, k.SQ);
    SCOPED_TRACE(c.knee_definition());
    // Fine grid over -0.5 HcJ .. 3 HcJ (recoil side, knee, full reversal).
    const int n = 40000;
    double previous = c.J_T(-0.5 * k.HcJ);
    double max_slope = 0.0;
    for (int i = 1; i <= n; ++i) {
      const double h = k.HcJ * (-0.5 + 3.5 * i / n);
      const double J = c.J_T(h);
      if (k.mu_rec > 1.0) {
        EXPECT_LT(J, previous) << "h = " << h;
      } else {
        EXPECT_LE(J, previous) << "h = " << h;
      }
      previous = J;
      EXPECT_LE(c.dB_dh(h), -mu0 * (1.0 - 1e-12)) << "h = " << h;   // |dB/dH| >= mu0
      EXPECT_LE(c.dJ_dh(h), -mu0 * (k.mu_rec - 1.0) * (1.0 - 1e-12)) << "h = " << h;
      max_slope = std::max(max_slope, std::abs(c.dJ_dh(h)));
    }
    // dB/dh against central differences, step 1e-3 of the knee width: the
    // truncation error is ~(step/w)^2 = 1e-6 of the largest slope.
    const double step = 1e-3 * c.knee_width_A_per_m();
    for (int i = 0; i <= 2000; ++i) {
      const double h = k.HcJ * (-0.2 + 1.4 * i / 2000.0);
      const double fd = (c.B_T(h + step) - c.B_T(h - step)) / (2 * step);
      EXPECT_NEAR(fd, c.dB_dh(h), 1e-5 * (max_slope + mu0)) << "h = " << h;
      // Continuity: a step of 1e-9 HcJ moves B by at most the slope times the step (+ rounding).
      EXPECT_LE(std::abs(c.B_T(h + 1e-9 * k.HcJ) - c.B_T(h)), (max_slope + mu0) * 1e-9 * k.HcJ * 1.01 + 1e-15);
    }
  }
}

TEST(KneeCurve, MatchesTheRecoilLineBelowTheKnee) {
  // Below the knee the curve is B = Br + mu0 mu_rec H up to the knee term,
  // |J - Jlin| <= 2 A0 exp(-(HcJ - h) / w): near h = 0 that is below 1e-11
  // relative for SQ >= 0.9 (w <= 0.034 HcJ) and up to 0.5 HcJ below 1e-12 for SQ >= 0.95.
  for (const CurveCase& k : curve_cases) {
    if (k.SQ < 0.9) continue;
    const KneeCurve c = KneeCurve::parametric(k.Jr, k.mu_rec, k.HcJ, k.SQ);
    const double w = c.knee_width_A_per_m();
    for (double f : {-0.5, -0.1, 0.0, 0.01, 0.1, 0.3, 0.5, 0.7}) {
      const double h = f * k.HcJ;
      const double line = k.Jr - mu0 * k.mu_rec * h;   // B on the recoil line
      const double bound = 2.0 * k.Jr * std::exp(-(k.HcJ - h) / w) + 1e-15 * k.Jr;
      EXPECT_NEAR(c.B_T(h), line, bound) << "h/HcJ = " << f;
      EXPECT_NEAR(c.recoil_remanence_T(h), k.Jr, bound) << "h/HcJ = " << f;
      if (std::abs(f) <= 0.1) {
        EXPECT_NEAR(c.B_T(h), line, 1e-11 * k.Jr) << "h/HcJ = " << f;
        EXPECT_NEAR(c.recoil_remanence_T(h), k.Jr, 1e-11 * k.Jr) << "h/HcJ = " << f;
      }
      if (k.SQ >= 0.95 && f <= 0.5) {
        EXPECT_NEAR(c.recoil_remanence_T(h), k.Jr, 1e-12 * k.Jr) << "h/HcJ = " << f;
      }
    }
    EXPECT_EQ(c.recoil_remanence_T(-1e5), k.Jr);   // exactly Jr for h <= 0
    EXPECT_EQ(c.recoil_remanence_T(0.0), k.Jr);
  }
}

TEST(KneeCurve, RecoilRemanenceFallsPastTheKnee) {
  const KneeCurve c = KneeCurve::parametric(1.0972, 1.05, 453.72e3, 0.95);   // N42SH at 150 C
  const double Hk = c.knee_field_A_per_m();
  // Br' = B(h) + mu0 mu_rec h, the Ansys construction.
  EXPECT_NEAR(c.recoil_remanence_T(Hk), c.B_T(Hk) + mu0 * c.mu_rec() * Hk, 1e-15);
  EXPECT_LT(c.recoil_remanence_T(Hk), 0.95 * c.remanence_T());
  double previous = c.remanence_T();
  for (double f : {0.85, 0.9, 0.93, 0.95, 0.97, 1.0, 1.05, 1.2}) {
    const double Br = c.recoil_remanence_T(f * c.HcJ_A_per_m());
    EXPECT_LE(Br, previous) << f;
    previous = Br;
  }
  EXPECT_LT(c.recoil_remanence_T(1.2 * c.HcJ_A_per_m()), 0.0);   // fully reversed past HcJ
  // The loss at Hk is 10 % - k Hk / Jr; HD5 (5 % loss) and a 1 % onset lie below Hk.
  const double k = mu0 * 0.05;
  EXPECT_NEAR(1 - c.recoil_remanence_T(Hk) / c.remanence_T(), 0.1 - k * Hk / c.remanence_T(), 1e-12);
  const double HD5 = c.irreversible_loss_field_A_per_m(0.05), H1 = c.irreversible_loss_field_A_per_m(0.01);
  EXPECT_NEAR(c.recoil_remanence_T(HD5), 0.95 * c.remanence_T(), 1e-9);
  EXPECT_NEAR(c.recoil_remanence_T(H1), 0.99 * c.remanence_T(), 1e-9);
  EXPECT_LT(H1, HD5);
  EXPECT_LT(HD5, Hk);
  EXPECT_GT(H1, Hk - 6 * c.knee_width_A_per_m());
}

// Table A2-1 of shared/reference/demagnetization.md (knee_onset_examples_derived.csv):
// Arnold Br/HcJ20/alpha/beta, mu_rec 1.05, SQ 0.95. Tolerances: the table's
// rounding (Br and B 3 decimals: 0.6 mT; fields to 1 kA/m: 0.5 kA/m + the
// rounding of HcJ carried into Hk).
struct TableRow {
  const char* grade;
  double Br20, HcJ20_kA, beta_pct, T, Br, HcJ, Hk, Br_over_mu0murec, B_knee;
  bool knee_in_2nd_quadrant;
};

TEST(KneeCurve, ReproducesReferenceTableA2_1) {
  const std::vector<TableRow> rows = {
      {"N42", 1.30, 954.9, -0.62, 20, 1.300, 955, 907, 985, 0.103, true},
      {"N42H", 1.30, 1352.8, -0.57, 120, 1.144, 582, 553, 867, 0.415, true},
      {"N42SH", 1.30, 1592.0, -0.55, 20, 1.300, 1592, 1512, 985, -0.696, false},
      {"N42SH", 1.30, 1592.0, -0.55, 120, 1.144, 716, 681, 867, 0.246, true},
      {"N42SH", 1.30, 1592.0, -0.55, 150, 1.097, 454, 431, 832, 0.528, true},
      {"N38UH", 1.22, 1989.4, -0.51, 120, 1.074, 975, 926, 814, -0.148, false},
      {"N38UH", 1.22, 1989.4, -0.51, 150, 1.030, 670, 637, 780, 0.189, true},
      {"N38UH", 1.22, 1989.4, -0.51, 180, 0.986, 366, 348, 747, 0.527, true},
      {"N35EH", 1.17, 2387.3, -0.47, 150, 0.987, 929, 882, 748, -0.177, false},
      {"N35EH", 1.17, 2387.3, -0.47, 180, 0.945, 592, 562, 716, 0.203, true},
      {"N35EH", 1.17, 2387.3, -0.47, 200, 0.917, 368, 349, 695, 0.456, true},
      {"N33AH", 1.14, 2705.6, -0.375, 200, 0.894, 879, 835, 677, -0.208, false},
  };
  for (const TableRow& r : rows) {
    SCOPED_TRACE(std::string(r.grade) + " at " + std::to_string(r.T) + " C");
    MagnetModel m;
    m.Br20_T = r.Br20;
    m.alpha_Br_per_K = -0.0012;
    m.HcJ20_A_per_m = r.HcJ20_kA * 1e3;
    m.beta_HcJ_per_K = r.beta_pct / 100;
    m.mu_rec20 = 1.05;
    m.squareness = 0.95;
    const KneeCurve c = m.at(r.T);
    EXPECT_NEAR(c.remanence_T(), r.Br, 0.0006);
    EXPECT_NEAR(c.HcJ_A_per_m() / 1e3, r.HcJ, 0.5);
    EXPECT_NEAR(c.knee_field_A_per_m() / 1e3, r.Hk, 0.5 + 0.5);
    EXPECT_NEAR(c.remanence_T() / (mu0 * c.mu_rec()) / 1e3, r.Br_over_mu0murec, 0.5 + 0.5);
    // B at the knee as the reference defines it: on the recoil line at Hk.
    const double B_knee = c.remanence_T() - mu0 * c.mu_rec() * c.knee_field_A_per_m();
    EXPECT_NEAR(B_knee, r.B_knee, 0.0006 + mu0 * 1.05 * 500);
    EXPECT_EQ(c.knee_field_A_per_m() < c.remanence_T() / (mu0 * c.mu_rec()), r.knee_in_2nd_quadrant);
  }
  // The row the issue names: N42SH at 150 C, to the digits the table gives.
  MagnetModel n42sh;
  n42sh.Br20_T = 1.30;
  n42sh.alpha_Br_per_K = -0.0012;
  n42sh.HcJ20_A_per_m = 1592.0e3;
  n42sh.beta_HcJ_per_K = -0.0055;
  const KneeCurve c = n42sh.at(150);
  EXPECT_NEAR(c.HcJ_A_per_m(), 453.72e3, 1e-6);         // 1592 (1 - 0.0055 x 130)
  EXPECT_NEAR(c.remanence_T(), 1.0972, 1e-12);          // 1.30 (1 - 0.0012 x 130)
  EXPECT_NEAR(c.knee_field_A_per_m(), 0.95 * 453.72e3, 1e-3);
  EXPECT_NEAR(c.remanence_T() - mu0 * 1.05 * c.knee_field_A_per_m(), 0.528, 0.0005);
  // On the curve itself J has lost 10 % at Hk (the 0.9 Jr definition): B there is lower.
  EXPECT_NEAR(c.B_T(c.knee_field_A_per_m()), 0.9 * 1.0972 - mu0 * 0.95 * 453.72e3, 1e-9);
}

TEST(KneeCurve, UnreachableSquarenessFallsBackAndSaysSo) {
  // N33AH at 20 C: mu0 (mu_rec - 1) 0.95 HcJ = 0.16 T > 0.1 Jr = 0.114 T.
  const KneeCurve c = KneeCurve::parametric(1.14, 1.05, 2705.6e3, 0.95);
  ASSERT_FALSE(c.notes().empty());
  EXPECT_NE(c.notes()[0].find("not reachable"), std::string::npos) << c.notes()[0];
  EXPECT_NEAR(c.J_T(c.knee_field_A_per_m()), 0.9 * 1.14, 1e-10 * 1.14);
  EXPECT_LT(c.knee_field_A_per_m(), 0.95 * 2705.6e3);
  EXPECT_NEAR(c.J_T(2705.6e3), 0.0, 1e-12);
  // Hk lies on the near-linear part: where the recoil line reaches 0.9 Jr.
  EXPECT_NEAR(c.knee_field_A_per_m(), 0.1 * 1.14 / (mu0 * 0.05), 1e-6 * 2705.6e3);
  EXPECT_NEAR(c.recoil_remanence_T(c.knee_field_A_per_m()), 1.14, 1e-8);   // knee term exp(-19.4)
}

TEST(MagnetModel, TemperatureScalingAndRecoilDrift) {
  // FEMM's N30EH: mu_r 1.02782 at 20 C .. 1.14626 at 180 C (magnet_femm_N30EH_by_temperature.csv).
  MagnetModel m;
  m.Br20_T = 1.1138;
  m.alpha_Br_per_K = -0.001087;
  m.HcJ20_A_per_m = 2388e3;
  m.beta_HcJ_per_K = -0.0047;
  m.mu_rec20 = 1.0278;
  m.mu_rec_per_K = 0.00074;
  const double femm_T[] = {20, 60, 100, 140, 180};
  const double femm_mu[] = {1.02782, 1.04816, 1.07653, 1.08829, 1.14626};
  for (int i = 0; i < 5; ++i) {
    const KneeCurve c = m.at(femm_T[i]);
    // The 20 -> 180 C secant against FEMM's five values: within 0.03 (FEMM's steps
    // are uneven: 1.088 at 140 C against 1.117 on the secant).
    EXPECT_NEAR(c.mu_rec(), femm_mu[i], 0.03) << femm_T[i];
    EXPECT_NEAR(c.mu_rec(), 1.0278 + 0.00074 * (femm_T[i] - 20), 1e-14);
    EXPECT_NEAR(c.remanence_T(), 1.1138 * (1 - 0.001087 * (femm_T[i] - 20)), 1e-14);
    EXPECT_NEAR(c.HcJ_A_per_m(), 2388e3 * (1 - 0.0047 * (femm_T[i] - 20)), 1e-6);
    EXPECT_NEAR(c.J_T(c.knee_field_A_per_m()), 0.9 * c.remanence_T(), 1e-10);
  }
  // 180 C: mu_rec 1.146 makes SQ 0.95 unreachable; the curve says so.
  EXPECT_TRUE(contains(m.warnings(180), "not reachable"));
}

TEST(MagnetModel, CoercivityGainScalesWithItsOwnBeta) {
  MagnetModel m;
  m.Br20_T = 1.365;
  m.HcJ20_A_per_m = 954.9e3;
  m.beta_HcJ_per_K = -0.0062;
  const double gain = 744.5e3;
  // Default: the gain scales with beta like the rest.
  EXPECT_NEAR(m.at(150, gain).HcJ_A_per_m(), (954.9e3 + gain) * (1 - 0.0062 * 130), 1e-6);
  // With its own coefficient.
  m.beta_gain_per_K = -0.004059;
  EXPECT_NEAR(m.at(150, gain).HcJ_A_per_m(), 954.9e3 * (1 - 0.0062 * 130) + gain * (1 - 0.004059 * 130), 1e-6);
  EXPECT_NEAR(m.at(20, gain).HcJ_A_per_m(), 954.9e3 + gain, 1e-6);
  EXPECT_GT(m.at(150, gain).knee_field_A_per_m(), m.at(150).knee_field_A_per_m());
  // Remanence is not touched by the gain.
  EXPECT_EQ(m.at(150, gain).remanence_T(), m.at(150).remanence_T());
}

TEST(MagnetModel, WarningsSayWhatIsExtrapolatedOrEstimated) {
  MagnetModel m;
  m.name = "N42SH";
  m.Br20_T = 1.30;
  m.HcJ20_A_per_m = 1592e3;
  m.beta_HcJ_per_K = -0.0055;
  m.coefficient_range_low_C = 20;
  m.coefficient_range_high_C = 150;
  m.max_working_temperature_C = 150;
  EXPECT_TRUE(m.warnings(100).empty());
  EXPECT_TRUE(contains(m.warnings(180), "outside 20..150 C"));
  EXPECT_TRUE(contains(m.warnings(180), "maximum working temperature"));
  m.squareness_estimated = true;
  EXPECT_TRUE(contains(m.warnings(100), "knee shape estimated"));
  m.cautions.push_back("composition outside the data");
  EXPECT_TRUE(contains(m.warnings(100), "N42SH: composition outside the data"));
  // HcJ reaches zero at 20 + 1/0.0055 = 202 C: clamped, said.
  EXPECT_TRUE(contains(m.warnings(230), "clamped"));
  EXPECT_GT(m.at(230).HcJ_A_per_m(), 0.0);
}

TEST(GbdProfile, FallsMonotonicallyWithDepth) {
  GbdProfile p{744.5e3, 2e-3};
  EXPECT_DOUBLE_EQ(p.gain_A_per_m(0.0), 744.5e3);
  EXPECT_DOUBLE_EQ(p.gain_A_per_m(-1e-3), 744.5e3);   // inside a face counts as the face
  EXPECT_NEAR(p.gain_A_per_m(2e-3), 744.5e3 / std::exp(1.0), 1e-6);
  double previous = p.gain_A_per_m(0.0);
  for (int i = 1; i <= 200; ++i) {
    const double g = p.gain_A_per_m(i * 0.05e-3);
    EXPECT_LT(g, previous);
    EXPECT_GT(g, 0.0);
    previous = g;
  }
  // Slab mean (both faces diffused) against a midpoint-rule integral: 1e-6 relative.
  const double t = 5e-3;
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double x = (i + 0.5) * t / n;
    sum += p.gain_A_per_m(std::min(x, t - x));
  }
  EXPECT_NEAR(p.slab_mean_gain_A_per_m(t), sum / n, 1e-6 * 744.5e3);
  MagnetModel m;
  m.gbd = p;
  EXPECT_DOUBLE_EQ(m.gbd_HcJ_gain_A_per_m(1e-3), p.gain_A_per_m(1e-3));
  EXPECT_EQ(MagnetModel{}.gbd_HcJ_gain_A_per_m(0.0), 0.0);   // no GBD: no gain
}

// Measured curves: tables made from the parametric curve at three temperatures.
MagnetModel measured_model() {
  MagnetModel m;
  m.name = "tabulated";
  m.Br20_T = 1.17;
  m.HcJ20_A_per_m = 867.4e3;
  m.alpha_Br_per_K = -0.00135;
  m.beta_HcJ_per_K = -0.00717;
  for (double T : {20.0, 60.0, 100.0}) {
    const double Jr = 1.17 * (1 - 0.00135 * (T - 20)), HcJ = 867.4e3 * (1 - 0.00717 * (T - 20));
    const KneeCurve c = KneeCurve::parametric(Jr, 1.05, HcJ, 0.9);
    MeasuredJH t;
    t.temperature_C = T;
    for (double x : {0.0, 0.3, 0.6, 0.75, 0.82, 0.86, 0.9, 0.93, 0.96, 0.98, 1.0, 1.04}) {
      t.h_A_per_m.push_back(x * HcJ);
      t.J_T.push_back(c.J_T(x * HcJ));
    }
    m.measured.push_back(t);
  }
  return m;
}

TEST(MeasuredCurves, ReproduceTheTablesAtTheirTemperatures) {
  const MagnetModel m = measured_model();
  for (const MeasuredJH& t : m.measured) {
    const KneeCurve c = m.at(t.temperature_C);
    EXPECT_TRUE(c.measured());
    for (std::size_t i = 0; i < t.h_A_per_m.size(); ++i)
      EXPECT_NEAR(c.J_T(t.h_A_per_m[i]), t.J_T[i], 1e-12) << t.temperature_C << " C, point " << i;
    EXPECT_DOUBLE_EQ(c.remanence_T(), t.J_T[0]);
    EXPECT_NEAR(c.J_T(c.HcJ_A_per_m()), 0.0, 1e-12);
  }
}

TEST(MeasuredCurves, InterpolateMonotonicallyInFieldAndTemperature) {
  const MagnetModel m = measured_model();
  for (double T : {20.0, 35.0, 60.0, 80.0, 99.0}) {
    const KneeCurve c = m.at(T);
    SCOPED_TRACE(std::to_string(T) + " C");
    double previous = c.J_T(-0.2 * c.HcJ_A_per_m());
    for (int i = 1; i <= 20000; ++i) {
      const double h = c.HcJ_A_per_m() * (-0.2 + 1.5 * i / 20000.0);
      const double J = c.J_T(h);
      EXPECT_LT(J, previous) << "h = " << h;
      previous = J;
      EXPECT_LE(c.dB_dh(h), -mu0 * (1.0 - 1e-12));
    }
    EXPECT_NEAR(c.J_T(c.HcJ_A_per_m()), 0.0, 1e-12);
    EXPECT_NEAR(c.J_T(c.knee_field_A_per_m()), 0.9 * c.remanence_T(), 1e-10);
    // Jr and HcJ linear between the tables (the tables follow alpha/beta here).
    EXPECT_NEAR(c.remanence_T(), 1.17 * (1 - 0.00135 * (T - 20)), 1e-12);
    EXPECT_NEAR(c.HcJ_A_per_m(), 867.4e3 * (1 - 0.00717 * (T - 20)), 1e-3);
    // Close to the parametric curve the tables came from (shape blend): 0.5 % of Jr.
    const KneeCurve p = KneeCurve::parametric(c.remanence_T(), 1.05, c.HcJ_A_per_m(), 0.9);
    for (double x : {0.2, 0.5, 0.8, 0.88, 0.92, 0.97})
      EXPECT_NEAR(c.J_T(x * c.HcJ_A_per_m()), p.J_T(x * c.HcJ_A_per_m()), 0.005 * c.remanence_T()) << x;
    // The recoil line of the table's first segment; remanence after damage <= Jr.
    EXPECT_NEAR(c.mu_rec(), 1.05, 0.002);
    EXPECT_EQ(c.recoil_remanence_T(0.0), c.remanence_T());
    EXPECT_LT(c.recoil_remanence_T(c.knee_field_A_per_m()), c.remanence_T());
  }
  EXPECT_TRUE(m.warnings(60).empty());
  EXPECT_TRUE(contains(m.warnings(120), "outside the measured curves"));
  // Extrapolated along the secants, still a valid curve.
  const KneeCurve hot = m.at(120);
  EXPECT_NEAR(hot.HcJ_A_per_m(), 867.4e3 * (1 - 0.00717 * 100), 1e-3);
  EXPECT_NEAR(hot.J_T(hot.HcJ_A_per_m()), 0.0, 1e-12);
  // A GBD-like gain moves HcJ by the gain (scaled with beta).
  EXPECT_NEAR(m.at(60, 100e3).HcJ_A_per_m(), m.at(60).HcJ_A_per_m() + 100e3 * (1 - 0.00717 * 40), 1e-3);
}

TEST(KneeCurve, DefaultConstructedIsAValidPlaceholder) {
  const std::vector<KneeCurve> curves(3);
  EXPECT_DOUBLE_EQ(curves[1].remanence_T(), 1.0);
  EXPECT_NEAR(curves[1].J_T(curves[1].HcJ_A_per_m()), 0.0, 1e-15);
  EXPECT_THROW(KneeCurve::parametric(0.0, 1.05, 1e6, 0.95), std::invalid_argument);
  EXPECT_THROW(KneeCurve::parametric(1.0, 0.9, 1e6, 0.95), std::invalid_argument);
}

}  // namespace
}  // namespace rotormag::solver

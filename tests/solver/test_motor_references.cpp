// Self-checks of the exact references for T3, T4 and T6
// (validation/motor_references.hpp, shared/reference/validation_ladder.md
// sections 1.4, 1.5, 1.7). No finite elements here: each reference is checked
// against an independent route to the same answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "validation/motor_references.hpp"

namespace rt = rotormag::validation;

namespace {

constexpr double mm = 1e-3;
constexpr double pi = rt::detail::pi;
constexpr double deg = pi / 180;
constexpr double mu0 = rotormag::kernels::mu0;

// Relative comparison with an absolute floor (for quantities that vanish).
void expect_close(double value, double reference, double rel, double floor, const char* what) {
  EXPECT_NEAR(value, reference, rel * std::abs(reference) + floor) << what;
}

// ---------------------------------------------------------------------------
// T3
// ---------------------------------------------------------------------------

// Rotor core 20 mm, magnet to 25 mm, stator bore 26.5 mm, Br = 1.2 T.
rt::DiametricRing t3_ring(double mu_r) { return {20 * mm, 25 * mm, 26.5 * mm, mu_r, 1.2}; }

const std::vector<double> t3_angles = {0.0, 0.3, 1.0, 2.2, -2.9, 4.0};

TEST(T3DiametricRing, GeneralSolutionEqualsClosedFormAtUnitPermeability) {
  const auto ring = t3_ring(1.0);
  const auto general = rt::diametric_ring_general(ring);
  const auto closed = rt::diametric_ring_closed_form(ring);
  for (int l = 0; l < 2; ++l) {
    expect_close(general.C[l], closed.C[l], 1e-12, 0, "C");
    expect_close(general.D[l], closed.D[l], 1e-12, 0, "D");
  }
  // Field values in both layers, interfaces and iron surfaces included.
  for (double r : {ring.Rr, 21 * mm, 24.9 * mm, ring.Rm, 25.7 * mm, ring.Rs})
    for (double t : t3_angles) {
      const double scale = ring.Br * 1e-12;  // 1e-12 relative to Br for B; to Br r for A
      EXPECT_NEAR(general.A(r, t), closed.A(r, t), scale * r) << "r = " << r << ", theta = " << t;
      EXPECT_NEAR(general.B_r(r, t), closed.B_r(r, t), scale) << "r = " << r << ", theta = " << t;
      EXPECT_NEAR(general.B_theta(r, t), closed.B_theta(r, t), scale) << "r = " << r << ", theta = " << t;
    }
}

TEST(T3DiametricRing, RadialFluxDensityAtTheBore) {
  const auto ring = t3_ring(1.0);
  const double expected = ring.Br * (ring.Rm * ring.Rm - ring.Rr * ring.Rr) / (ring.Rs * ring.Rs - ring.Rr * ring.Rr);
  EXPECT_NEAR(rt::diametric_ring_general(ring).B_r(ring.Rs, 0.0), expected, 1e-12 * expected);
  EXPECT_NEAR(rt::diametric_ring_closed_form(ring).B_r(ring.Rs, 0.0), expected, 1e-12 * expected);
  std::printf("T3: B_r(Rs, 0) = %.12f T\n", expected);
}

TEST(T3DiametricRing, NaturalBoundaryAndInterfaceConditionsHold) {
  for (double mu_r : {1.0, 1.05}) {
    SCOPED_TRACE(mu_r);
    const auto ring = t3_ring(mu_r);
    const auto f = rt::diametric_ring_general(ring);
    using L = rt::DiametricRingField::Layer;
    const double tol = 1e-12 * ring.Br;  // on mu0 H and B [T]
    for (double t : t3_angles) {
      // H_theta = 0 on the iron surfaces.
      EXPECT_NEAR(mu0 * f.H_theta_in(L::magnet, ring.Rr, t), 0.0, tol);
      EXPECT_NEAR(mu0 * f.H_theta_in(L::gap, ring.Rs, t), 0.0, tol);
      // A (hence B_r) and H_theta continuous at Rm.
      EXPECT_NEAR(f.A_in(L::magnet, ring.Rm, t), f.A_in(L::gap, ring.Rm, t), tol * ring.Rm);
      EXPECT_NEAR(f.B_r_in(L::magnet, ring.Rm, t), f.B_r_in(L::gap, ring.Rm, t), tol);
      EXPECT_NEAR(mu0 * f.H_theta_in(L::magnet, ring.Rm, t), mu0 * f.H_theta_in(L::gap, ring.Rm, t), tol);
    }
    // Not a vacuous check: with mu_r != 1, B_theta (unlike H_theta) jumps at Rm.
    if (mu_r != 1.0) {
      EXPECT_GT(std::abs(f.B_theta_in(L::magnet, ring.Rm, 1.0) - f.B_theta_in(L::gap, ring.Rm, 1.0)), 1e-3);
    }
  }
}

TEST(T3DiametricRing, FieldIsTheCurlOfThePotential) {
  const auto f = rt::diametric_ring_general(t3_ring(1.05));
  const double dt = 1e-5, dr = 1e-7;  // central differences: O(h^2) truncation ~1e-10 relative
  for (double r : {21 * mm, 24 * mm, 25.5 * mm, 26 * mm})
    for (double t : t3_angles) {
      const double Br_fd = (f.A(r, t + dt) - f.A(r, t - dt)) / (2 * dt * r);
      const double Bt_fd = -(f.A(r + dr, t) - f.A(r - dr, t)) / (2 * dr);
      EXPECT_NEAR(Br_fd, f.B_r(r, t), 1e-8);
      EXPECT_NEAR(Bt_fd, f.B_theta(r, t), 1e-8);
    }
}

// T3 is T4 with p = 1, parallel, alpha_p = 1 (uniform M along x: only n = 1
// survives). So the T4 k = 1 formula and both per-harmonic solves give T3 for
// any mu_r, a scalar-potential check of the 4x4 A solution as the ladder asks.
TEST(T3DiametricRing, EqualsT4WithOnePoleFullPitchParallelMagnet) {
  for (double mu_r : {1.0, 1.05, 3.0}) {
    SCOPED_TRACE(mu_r);
    const auto ring = t3_ring(mu_r);
    const auto f = rt::diametric_ring_general(ring);
    const rt::SlotlessSpm spm{ring.Rr, ring.Rm, ring.Rs, 1, 1.0, ring.Br, mu_r, rt::Magnetization::parallel, 7};
    const rt::SlotlessSpmField series(spm);
    const rt::ScalarPotentialHarmonic phi(spm, 1);
    const rt::VectorPotentialHarmonic vec(spm, 1);
    const double tol = 1e-12 * ring.Br;
    for (double r : {ring.Rr, 22 * mm, ring.Rm - 1e-9, ring.Rm, 25.9 * mm, ring.Rs}) {
      const double t = 0.7;
      EXPECT_NEAR(vec.g(r), (f.C[f.layer_at(r)] * r + f.D[f.layer_at(r)] / r), tol * r);
      EXPECT_NEAR(phi.at(r).B_r * std::cos(t), f.B_r(r, t), tol);
      EXPECT_NEAR(phi.at(r).B_theta * std::sin(t), f.B_theta(r, t), tol);
      if (r >= ring.Rm) {
        EXPECT_NEAR(series.B_r(r, t), f.B_r(r, t), tol);
        EXPECT_NEAR(series.B_theta(r, t), f.B_theta(r, t), tol);
        EXPECT_NEAR(series.A(r, t), f.A(r, t), tol * r);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// T4
// ---------------------------------------------------------------------------

// Rotor iron 25 mm, magnets 5 mm thick, 1 mm gap.
rt::SlotlessSpm t4_machine(int p, double alpha_p, rt::Magnetization mag, double mu_r, int harmonics = 41) {
  return {25 * mm, 30 * mm, 31 * mm, p, alpha_p, 1.2, mu_r, mag, harmonics};
}

// The magnetization harmonics are the Fourier coefficients of the piecewise
// pattern, computed here by Gauss-Legendre quadrature over one period (the
// integrand is smooth on each pole arc, so this is exact to round-off).
TEST(T4SlotlessSpm, MagnetizationHarmonicsAreTheFourierCoefficients) {
  static const double x[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
  static const double w[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};
  for (auto mag : {rt::Magnetization::radial, rt::Magnetization::parallel})
    for (int p : {1, 2, 4})
      for (double alpha_p : {0.7, 0.8, 1.0}) {
        const auto m = t4_machine(p, alpha_p, mag, 1.05);
        const double M = m.Br / mu0, beta = alpha_p * pi / (2 * p);
        for (int n = 1; n <= 41; n += 2) {
          const int k = n * p;
          // integral over the N pole [-beta, beta] and the S pole [pi/p - beta, pi/p + beta]
          double Mr = 0, Mt = 0;
          for (int pole = 0; pole < 2; ++pole) {
            const double centre = pole * pi / p, sign = pole == 0 ? 1.0 : -1.0;
            const int panels = 64;
            for (int j = 0; j < panels; ++j) {
              const double a = centre - beta + 2 * beta * j / panels, h = beta / panels, mid = a + h;
              for (int q = 0; q < 4; ++q)
                for (double s : {-1.0, 1.0}) {
                  const double t = mid + s * h * x[q], local = t - centre;
                  double mr, mt;  // polar components of M on this pole
                  if (mag == rt::Magnetization::radial) {
                    mr = sign * M;
                    mt = 0;
                  } else {  // along the pole's d-axis
                    mr = sign * M * std::cos(local);
                    mt = -sign * M * std::sin(local);
                  }
                  Mr += h * w[q] * mr * std::cos(k * t);
                  Mt += h * w[q] * mt * std::sin(k * t);
                }
            }
          }
          Mr *= p / pi;  // a_n = (2 / period) * integral, period = 2 pi / p
          Mt *= p / pi;
          const auto h = rt::magnetization_harmonic(m, n);
          ASSERT_EQ(h.k, k);
          EXPECT_NEAR(h.M_r, Mr, 1e-12 * M) << "n = " << n << ", p = " << p << ", alpha_p = " << alpha_p;
          EXPECT_NEAR(h.M_theta, Mt, 1e-12 * M) << "n = " << n << ", p = " << p << ", alpha_p = " << alpha_p;
        }
      }
}

// The series, harmonic by harmonic, against the two direct 4x4 solves, for
// radial and parallel magnets, mu_r = 1 and 1.05, p = 1 (with the special
// k = 1 formula), 2 and 4, at the magnet surface, mid-gap and the bore.
TEST(T4SlotlessSpm, SeriesEqualsDirectSolvesHarmonicByHarmonic) {
  double worst = 0;
  for (auto mag : {rt::Magnetization::radial, rt::Magnetization::parallel})
    for (double mu_r : {1.0, 1.05})
      for (int p : {1, 2, 4})
        for (double alpha_p : {0.8, 1.0}) {
          const auto m = t4_machine(p, alpha_p, mag, mu_r);
          const rt::SlotlessSpmField series(m);
          for (int i = 0; i < series.harmonic_count(); ++i) {
            const rt::ScalarPotentialHarmonic phi(m, series.n(i));
            const rt::VectorPotentialHarmonic vec(m, series.n(i));
            // this harmonic's magnitude: B_r at the magnet surface, where it is largest
            const double size = std::abs(vec.at(m.Rm).B_r);
            // Round-off floor: the field of a harmonic is a difference of terms of
            // size mu0 (|M_rn| + |M_thetan|). For parallel magnets it nearly cancels
            // when sinc((k-1) beta) = 0 (e.g. p = 2, alpha_p = 0.8, n = 53: 4.5e-11 T
            // out of 0.03 T), and the routes then differ by ~1e-18 T, 1e-16 of the terms.
            const auto h = vec.magnetization();
            const double floor = 1e-13 * mu0 * (std::abs(h.M_r) + std::abs(h.M_theta));
            const char* label = mag == rt::Magnetization::radial ? "radial" : "parallel";
            for (double r : {m.Rm, 30.5 * mm, m.Rs}) {
              const auto s = series.harmonic(i, r), a = phi.at(r), b = vec.at(r);
              const double tol = 1e-10 * size + floor;  // 1e-10 relative to the harmonic
              EXPECT_NEAR(s.B_r, a.B_r, tol) << label << " mu_r " << mu_r << " p " << p << " alpha_p " << alpha_p << " n " << series.n(i) << " r " << r;
              EXPECT_NEAR(s.B_theta, a.B_theta, tol) << label << " mu_r " << mu_r << " p " << p << " alpha_p " << alpha_p << " n " << series.n(i) << " r " << r;
              EXPECT_NEAR(s.B_r, b.B_r, tol) << label << " mu_r " << mu_r << " p " << p << " alpha_p " << alpha_p << " n " << series.n(i) << " r " << r;
              EXPECT_NEAR(s.B_theta, b.B_theta, tol) << label << " mu_r " << mu_r << " p " << p << " alpha_p " << alpha_p << " n " << series.n(i) << " r " << r;
              EXPECT_NEAR(s.A, b.A, tol * r / series.k(i)) << label << " mu_r " << mu_r << " p " << p << " alpha_p " << alpha_p << " n " << series.n(i) << " r " << r;
              if (size > 1e-6 * m.Br)  // relative report over the harmonics that do not cancel
                worst = std::max({worst, std::abs(s.B_r - a.B_r) / size, std::abs(s.B_r - b.B_r) / size,
                                  std::abs(s.B_theta - a.B_theta) / size, std::abs(s.B_theta - b.B_theta) / size});
            }
          }
        }
  std::printf("T4: worst per-harmonic difference series vs direct solves: %.2e of the harmonic (harmonics > 1e-6 Br)\n", worst);
}

// Inside the magnet the direct solves must agree with each other too, and the
// vector-potential one must meet the natural and interface conditions.
TEST(T4SlotlessSpm, DirectSolvesAgreeInTheMagnetAndMeetTheConditions) {
  for (auto mag : {rt::Magnetization::radial, rt::Magnetization::parallel})
    for (double mu_r : {1.0, 1.05})
      for (int p : {1, 2, 4}) {
        const auto m = t4_machine(p, 0.8, mag, mu_r, 21);
        for (int n = 1; n <= 41; n += 2) {
          const rt::ScalarPotentialHarmonic phi(m, n);
          const rt::VectorPotentialHarmonic vec(m, n);
          const double size = std::abs(vec.at(m.Rm).B_r) + std::abs(vec.at(m.Rr).B_r) + 1e-300;
          const double tol = 1e-10 * size;
          for (double r : {m.Rr, 26 * mm, 28 * mm, m.Rm - 1e-9}) {
            EXPECT_NEAR(phi.at(r).B_r, vec.at(r).B_r, tol) << "n " << n << " p " << p << " r " << r;
            EXPECT_NEAR(phi.at(r).B_theta, vec.at(r).B_theta, tol) << "n " << n << " p " << p << " r " << r;
          }
          EXPECT_NEAR(mu0 * vec.H_theta_in(true, m.Rr), 0.0, tol);   // rotor iron surface
          EXPECT_NEAR(mu0 * vec.H_theta_in(false, m.Rs), 0.0, tol);  // stator bore
          EXPECT_NEAR(mu0 * vec.H_theta_in(true, m.Rm), mu0 * vec.H_theta_in(false, m.Rm), tol);
          EXPECT_NEAR(vec.g_in(true, m.Rm), vec.g_in(false, m.Rm), tol * m.Rm);
        }
      }
}

TEST(T4SlotlessSpm, FieldIsTheCurlOfThePotential) {
  for (auto mag : {rt::Magnetization::radial, rt::Magnetization::parallel})
    for (int p : {1, 4}) {
      const rt::SlotlessSpmField f(t4_machine(p, 0.8, mag, 1.05, 21));
      // central differences; truncation (k h)^2/6 <= 1e-7 relative for k <= 164
      const double dt = 1e-6, dr = 1e-8;
      for (double r : {30.2 * mm, 30.5 * mm, 30.8 * mm})
        for (double t : {0.0, 0.1, 0.33, 1.0, 2.5}) {
          const double Br_fd = (f.A(r, t + dt) - f.A(r, t - dt)) / (2 * dt * r);
          const double Bt_fd = -(f.A(r + dr, t) - f.A(r - dr, t)) / (2 * dr);
          EXPECT_NEAR(Br_fd, f.B_r(r, t), 1e-7) << "p " << p << " r " << r << " t " << t;
          EXPECT_NEAR(Bt_fd, f.B_theta(r, t), 1e-6) << "p " << p << " r " << r << " t " << t;
        }
    }
}

TEST(T4SlotlessSpm, WholeDomainVectorPotentialEqualsSeriesInTheGap) {
  const auto m = t4_machine(2, 0.8, rt::Magnetization::parallel, 1.05, 41);
  const rt::SlotlessSpmField series(m);
  const rt::SlotlessSpmVectorPotential whole(m);
  for (double r : {m.Rm, 30.5 * mm, m.Rs})
    for (double t : {0.0, 0.2, 0.9, 2.0}) {
      EXPECT_NEAR(whole.A(r, t), series.A(r, t), 1e-12 * r);
      EXPECT_NEAR(whole.B_r(r, t), series.B_r(r, t), 1e-12);
      EXPECT_NEAR(whole.B_theta(r, t), series.B_theta(r, t), 1e-12);
    }
  // Anti-periodicity over a pole pitch, with the rotor turned.
  auto turned = m;
  turned.rotor_angle = 0.1;
  const rt::SlotlessSpmVectorPotential w2(turned);
  for (double r : {26 * mm, 30.5 * mm})
    EXPECT_NEAR(w2.A(r, 0.4 + pi / m.p), -w2.A(r, 0.4), 1e-15);
  EXPECT_NEAR(w2.A(27 * mm, 0.3), whole.A(27 * mm, 0.2), 1e-15);
}

TEST(T4SlotlessSpm, SeriesConverges) {
  for (auto mag : {rt::Magnetization::radial, rt::Magnetization::parallel}) {
    const double r = 30.5 * mm;  // mid-gap
    const rt::SlotlessSpmField f41(t4_machine(4, 0.8, mag, 1.05, 41));
    const rt::SlotlessSpmField f81(t4_machine(4, 0.8, mag, 1.05, 81));
    const double b41 = f41.B_r(r, 0.0), b81 = f81.B_r(r, 0.0);
    std::printf("T4 %s: B_r(mid-gap, d-axis) = %.9f T (41 harmonics), %.9f T (81)\n",
                mag == rt::Magnetization::radial ? "radial" : "parallel", b41, b81);
    EXPECT_LT(std::abs(b81 - b41), 1e-4);
    EXPECT_GT(b81, 0.8);  // a N pole: strong positive radial field
  }
}

// Full-pitch radial magnets: near the pole centre the field is the 1-D one,
// B_r = c/r. Thin layers (3 mm magnet, 1 mm gap on a 50 mm rotor) put the pole
// edges pi/(2p) away, so their influence is below exp(-pi^2/(2 p ln(Rs/Rr)))
// = exp(-32) for p = 2; the series is summed to k = 6000 so that the
// truncation at mid-gap, (Rm/r)^k, is below 1e-20.
TEST(T4SlotlessSpm, FullPitchRadialMatchesOneDimensionalSolution) {
  double worst = 0;
  for (double mu_r : {1.0, 1.05})
    for (int p : {1, 2}) {
      const rt::SlotlessSpm m{50 * mm, 53 * mm, 54 * mm, p, 1.0, 1.2, mu_r, rt::Magnetization::radial, 3000 / p};
      const rt::SlotlessSpmField f(m);
      for (double r : {53.5 * mm, m.Rs}) {
        const double one_d = rt::full_pitch_radial_B_r(m.Rr, m.Rm, m.Rs, m.Br, mu_r, r);
        EXPECT_NEAR(f.B_r(r, 0.0), one_d, 1e-9 * one_d) << "mu_r " << mu_r << " p " << p << " r " << r;
        EXPECT_NEAR(f.B_theta(r, 0.0), 0.0, 1e-12);
        // a little off the centre the 1-D field still holds
        EXPECT_NEAR(f.B_r(r, 0.2 / p), one_d, 1e-9 * one_d) << "mu_r " << mu_r << " p " << p << " r " << r;
        worst = std::max({worst, std::abs(f.B_r(r, 0.0) / one_d - 1), std::abs(f.B_r(r, 0.2 / p) / one_d - 1)});
      }
    }
  std::printf("T4 full pitch: worst relative difference from the 1-D field %.2e\n", worst);
}

// ---------------------------------------------------------------------------
// T6
// ---------------------------------------------------------------------------

TEST(T6UniformField, DirichletDataGiveTheUniformField) {
  for (double alpha_deg = 0; alpha_deg < 360; alpha_deg += 30) {
    const rt::UniformField f{1.3, alpha_deg * deg};
    const double h = 1e-6;  // A is linear: central differences are exact up to round-off
    for (double x : {-0.01, 0.0, 0.004})
      for (double y : {-0.007, 0.0, 0.01}) {
        const double Bx = (f.A(x, y + h) - f.A(x, y - h)) / (2 * h);
        const double By = -(f.A(x + h, y) - f.A(x - h, y)) / (2 * h);
        EXPECT_NEAR(Bx, f.B0 * std::cos(f.alpha), 1e-9) << alpha_deg;
        EXPECT_NEAR(By, f.B0 * std::sin(f.alpha), 1e-9) << alpha_deg;
        EXPECT_NEAR(f.B_x(), f.B0 * std::cos(f.alpha), 1e-15);
        EXPECT_NEAR(f.B_y(), f.B0 * std::sin(f.alpha), 1e-15);
      }
  }
}

TEST(T6UniformField, TorqueOnTheBenchmarkMagnet) {
  // FEMM bar: Hc = 1 MA/m, 1 cm x 0.5 cm x 2 cm deep -> 1 A m^2.
  const double m = rt::rigid_magnet_moment(1e6, 0.01 * 0.005 * 0.02);
  EXPECT_NEAR(m, 1.0, 1e-15);
  // The ladder's table (FEMM test), field turned by theta from the magnet's +x axis.
  const double table[10] = {0, 0.173648, 0.342020, 0.5, 0.642788, 0.766044, 0.866025, 0.939693, 0.984808, 1};
  for (int i = 0; i <= 18; ++i) {
    const double a = 10.0 * i * deg, B0 = 1.0;
    const double torque = rt::dipole_torque(m, B0, a, 0.0);
    // (m x B)_z from the components
    const double cross = m * std::cos(0.0) * B0 * std::sin(a) - m * std::sin(0.0) * B0 * std::cos(a);
    EXPECT_NEAR(torque, cross, 1e-15) << 10 * i << " deg";
    // sin(180 - a) = sin(a) for the second half
    EXPECT_NEAR(torque, table[i <= 9 ? i : 18 - i], 5e-7) << 10 * i << " deg";
    // Turning the magnet instead of the field reverses the torque (it pulls the
    // magnet back to the field), and only alpha - theta_m matters.
    EXPECT_NEAR(rt::dipole_torque(m, B0, 0.0, a), -torque, 1e-15) << 10 * i << " deg";
    EXPECT_NEAR(rt::dipole_torque(m, B0, a + 0.3, 0.3), torque, 1e-15) << 10 * i << " deg";
  }
  EXPECT_NEAR(rt::dipole_torque(m, 1.0, pi, 0.0), 0.0, 1e-15);
  EXPECT_NEAR(rt::dipole_torque(2.0, 0.5, 90 * deg, 0.0), 1.0, 1e-15);  // linear in m and B0
}

}  // namespace

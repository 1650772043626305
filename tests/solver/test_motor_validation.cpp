// Motor-level validation against closed forms (validation ladder T3, T4):
// the air-gap field of magnets between (nearly) infinitely permeable irons,
// solved through the moving band with the rotor turned, compared with the
// exact field, with the convergence of the error shown over three meshes.
// The problems and references are in validation/ (shared with `rotormag validate`).
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "support/backends.hpp"
#include "validation/error_norms.hpp"
#include "validation/problems.hpp"

namespace rm = rotormag;
namespace rv = rotormag::validation;
using rv::mm;

namespace {

const double kPi = std::acos(-1.0);

// T3: a diametrically magnetized ring Rr < r < Rm (Br = 1.2 T, mu_r = 1.05)
// between a rotor core r < Rr and a stator ring Rs < r < 40 mm of mu_r = 1e6
// (the closed form has infinitely permeable iron: the difference is O(1e-6)),
// A = 0 on r = 40 mm; the band lies in the middle of the 2 mm air gap. The
// rotor is turned by 31 degrees, so the exact field is turned with it.
// B in the air gap (relative L2) on the finest mesh (h = 0.3 mm): P2 within
// 0.5 % (it is ~3e-5), P1 within 1 % (it is ~0.7 %: P1 needs h ~ 0.2 mm for
// 0.5 %); both converging at O(h^order) or better (within 0.25).
BACKEND_TEST(T3DiametricRing, GapFieldMatchesTheClosedFormThroughTheMovingBand) {
  const double turn = 31.0 * kPi / 180;
  auto backend = rm::testing::test_backend();
  for (int order : {1, 2}) {
    std::vector<double> h, errors;
    for (double size : {1.2 * mm, 0.6 * mm, 0.3 * mm}) {
      errors.push_back(rv::t3_gap_error(order, size, turn, *backend));
      h.push_back(size);
    }
    const double rate = rv::last_pair_order(h, errors);
    std::printf("T3 P%d: relative L2 error of B in the gap %.3e %.3e %.3e (h = 1.2, 0.6, 0.3 mm), last rate %.2f\n",
                order, errors[0], errors[1], errors[2], rate);
    EXPECT_LT(errors.back(), order == 2 ? 5e-3 : 1e-2) << "order " << order;
    EXPECT_GT(rate, order - 0.25) << "order " << order;    // B converges at O(h^order)
  }
}

// ---------------------------------------------------------------------------
// T4: the open-circuit air-gap field of a slotless surface-PM machine (the
// motor template with slots = 0) against the Zhu-Howe-Chan series.
// ---------------------------------------------------------------------------

TEST(T4SlotlessSpm, SeriesSummedToConvergenceIsTheReferenceSeries) {
  // The recurrence summation against SlotlessSpmField, both with 400 harmonics.
  for (auto magnetization : {rv::Magnetization::radial, rv::Magnetization::parallel}) {
    rv::SlotlessSpm spm = rv::t4_series_machine(magnetization, 1.05, 0.3);
    const rv::ConvergedGapSeries fast(spm, 400);
    spm.harmonics = 400;
    const rv::SlotlessSpmField field(spm);
    for (double r : {24.25 * mm, 24.5 * mm, 25 * mm})
      for (double phi : {0.0, 0.4, 1.1, 2.0, -2.9}) {
        const auto [br, bt] = fast.at(r, phi);
        EXPECT_NEAR(br, field.B_r(r, phi), 1e-12) << r << " " << phi;
        EXPECT_NEAR(bt, field.B_theta(r, phi), 1e-12) << r << " " << phi;
      }
  }
}

// One pole pitch (90 degrees, anti-periodic) of the slotless SPM through the
// moving band, the rotor turned by 31 degrees (not a multiple of the band
// node spacing 90/N degrees: N = 97, 193, 385), against the series turned by
// the same angle. Three meshes, h = 0.4, 0.2, 0.1 mm in the gap, band and
// magnets. The series has mu_r in the whole magnet annulus: exact for
// mu_r = 1 at any alpha_p; for mu_r = 1.05 the air between the magnets is
// given mu_r too (region "interpolar"). Radial and parallel magnets.
//
// B in the gap (airgap_stator, band, airgap_rotor outside Rm), relative L2:
// on the finest mesh P2 ~1.7e-3 (< 0.5 %), P1 ~9.5e-3 (< 1 %). Both converge
// at only ~h^0.84 there: the exact B has a logarithmic singularity at the
// magnet corners on r = Rm (the edge of the charged magnet surface), which
// caps every uniform-mesh method at O(h) (times a log) in L2. Leaving out the
// discs of 0.5 mm about the corners (2 % of the gap) the rates are the
// element orders: P2 ~2.0 (>= 1.75), P1 ~1.0 (>= 0.75).
// Then the whole machine (four copies of the pole, periodic through the
// band) on the middle mesh gives the sector's gap field to 1e-6.
BACKEND_TEST(T4SlotlessSpm, GapFieldMatchesTheZhuHoweSeriesThroughTheMovingBand) {
  const double turn = 31.0 * kPi / 180;
  const std::vector<double> sizes = {0.4 * mm, 0.2 * mm, 0.1 * mm};
  const double corner_radius = 0.5 * mm;
  for (double h : sizes) {
    const int n = static_cast<int>(std::ceil(0.5 * kPi * 0.5 * (rv::t4_Rm + rv::t4_Rs) / h - 1e-9));  // band intervals per 90 degrees
    const double nodes = turn / (0.5 * kPi / n);
    EXPECT_GT(std::abs(nodes - std::round(nodes)), 0.1) << "the turn is (nearly) a multiple of the band node spacing at h = " << h;
  }
  auto backend = rm::testing::test_backend();
  struct Variant {
    rv::Magnetization magnetization;
    double mu_r;
  };
  for (const Variant v : {Variant{rv::Magnetization::radial, 1.0}, Variant{rv::Magnetization::parallel, 1.0},
                          Variant{rv::Magnetization::radial, 1.05}, Variant{rv::Magnetization::parallel, 1.05}}) {
    const rv::SlotlessSpm spm = rv::t4_series_machine(v.magnetization, v.mu_r, turn);
    const rv::ConvergedGapSeries series(spm, 40000);
    const char* name = v.magnetization == rv::Magnetization::radial ? "radial" : "parallel";
    for (int order : {1, 2}) {
      std::vector<double> all, away;
      const auto start = std::chrono::steady_clock::now();
      for (double h : sizes) {
        const rv::T4Solution s = rv::solve_t4(order, h, 90, spm, v.mu_r != 1.0, turn, *backend);
        EXPECT_EQ(s.magnets, 1);
        const rv::FieldError e = rv::t4_gap_errors(s, series, turn, corner_radius);
        all.push_back(e.all);
        away.push_back(e.kept);
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      auto rate_of = [&](const std::vector<double>& e) { return std::log(e[1] / e[2]) / std::log(sizes[1] / sizes[2]); };
      std::printf("T4 %-8s mu_r %.2f P%d: relative L2 error of B in the gap %.3e %.3e %.3e (h = 0.4, 0.2, 0.1 mm), last rate %.2f;\n"
                  "                        away from the magnet corners %.3e %.3e %.3e, last rate %.2f (%.1f s)\n",
                  name, v.mu_r, order, all[0], all[1], all[2], rate_of(all), away[0], away[1], away[2], rate_of(away), seconds);
      const std::string what = std::string(name) + " mu_r " + std::to_string(v.mu_r) + " P" + std::to_string(order);
      EXPECT_LT(all.back(), order == 2 ? 5e-3 : 1e-2) << what;
      EXPECT_GT(rate_of(all), 0.75) << what;                           // O(h) at best: the corner singularity
      EXPECT_GT(rate_of(away), order == 2 ? 1.75 : 0.75) << what;     // O(h^order) away from it
    }
    EXPECT_EQ(series.truncated(), 0);
  }

  // The whole machine on the same mesh (P2, h = 0.2 mm): the four copies of
  // the pole, the band closed round, natural conditions instead of the
  // anti-periodic links. Its first quarter is the sector's mesh, triangle
  // for triangle; B there in the gap equals the sector's.
  for (auto magnetization : {rv::Magnetization::radial, rv::Magnetization::parallel}) {
    const rv::SlotlessSpm spm = rv::t4_series_machine(magnetization, 1.05, turn);
    const rv::T4Solution sector = rv::solve_t4(2, 0.2 * mm, 90, spm, true, turn, *backend);
    const rv::T4Solution whole = rv::solve_t4(2, 0.2 * mm, 360, spm, true, turn, *backend);
    EXPECT_EQ(sector.magnets, 1);
    EXPECT_EQ(whole.magnets, 4);
    ASSERT_EQ(whole.model_triangles, 4 * sector.model_triangles);
    const auto& ms = sector.machine.mesh;
    const auto& mw = whole.machine.mesh;
    const std::vector<char> in = rv::t4_gap_triangles(ms);
    const int npe = ms.nodes_per_triangle();
    double diff = 0, norm = 0;
    std::size_t compared = 0;
    for (size_t t = 0; t < sector.model_triangles; ++t) {
      for (int k = 0; k < npe; ++k) {
        const int a = ms.triangles[t * npe + k], b = mw.triangles[t * npe + k];
        ASSERT_NEAR(ms.x[a], mw.x[b], 1e-15) << "triangle " << t;
        ASSERT_NEAR(ms.y[a], mw.y[b], 1e-15) << "triangle " << t;
      }
      if (!in[t]) continue;
      ++compared;
      std::vector<std::array<double, 2>> bs;
      rv::for_each_quadrature_B(ms, sector.A, t, [&](double, double, double, double bx, double by) { bs.push_back({bx, by}); });
      int q = 0;
      rv::for_each_quadrature_B(mw, whole.A, t, [&](double, double, double w, double bx, double by) {
        diff += w * ((bx - bs[q][0]) * (bx - bs[q][0]) + (by - bs[q][1]) * (by - bs[q][1]));
        norm += w * (bs[q][0] * bs[q][0] + bs[q][1] * bs[q][1]);
        ++q;
      });
    }
    const double relative = std::sqrt(diff / norm);
    std::printf("T4 %s: whole machine vs one-pole sector, P2 h = 0.2 mm: relative L2 difference of B in the gap %.2e (%zu triangles)\n",
                magnetization == rv::Magnetization::radial ? "radial" : "parallel", relative, compared);
    EXPECT_GT(compared, 1000u);
    EXPECT_LT(relative, 1e-6);
  }
}

}  // namespace

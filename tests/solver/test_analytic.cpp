// Validation ladder T1, T2, T7 (shared/reference/validation_ladder.md):
// exact solutions, measured convergence orders of the L2 error in A over
// three refinements (P1: 2, P2: 3, each within 0.25), and quadratic
// convergence of Newton on the nonlinear T7. The problems and references are
// in validation/ (shared with `rotormag validate`).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "solver/magnetostatic_solver.hpp"
#include "support/backends.hpp"
#include "validation/problems.hpp"

namespace rm = rotormag;
namespace rv = rotormag::validation;
using rm::solver::MaterialSpec;
using rv::mm;

namespace {

rv::Convergence convergence(const char* name, const rv::LayeredProblem& problem, int order,
                            const std::vector<double>& sizes) {
  auto backend = rm::testing::test_backend();
  const rv::Convergence c = rv::layered_convergence(problem, order, sizes, *backend);
  std::printf("%s", c.format(name, order).c_str());
  return c;
}

void expect_order(const rv::Convergence& c, double expected) {
  EXPECT_NEAR(c.fitted(), expected, 0.25);
  EXPECT_NEAR(c.last_pair(), expected, 0.25);
}

}  // namespace

TEST(T1MagnetizedCylinder, ReferenceMatchesClosedForm) {
  const auto ref = rv::t1_reference();
  EXPECT_NEAR(ref.C[0], 1.2 / 2.05, 1e-14);                   // B_in = Br / (1 + mu_r)
  EXPECT_NEAR(ref.D[1], 1.2 / 2.05 * 1e-4, 1e-16);            // outside: B_in R^2
}

BACKEND_TEST(T1MagnetizedCylinder, P1ConvergesAtOrderTwo) {
  expect_order(convergence("T1", rv::t1_problem(), 1, {2 * mm, 1 * mm, 0.5 * mm}), 2.0);
}

BACKEND_TEST(T1MagnetizedCylinder, P2ConvergesAtOrderThree) {
  expect_order(convergence("T1", rv::t1_problem(), 2, {4 * mm, 2 * mm, 1 * mm}), 3.0);
}

BACKEND_TEST(T1MagnetizedCylinder, FieldInsideTheMagnetIsUniform) {
  auto backend = rm::testing::test_backend();
  const auto s = rv::solve_layered(rv::t1_problem(), 2, 1.5 * mm, *backend);
  const auto& m = s.mesh;
  const double B_in = 1.2 / 2.05, H_in = -1.2 / (rm::kernels::mu0 * 2.05);
  const int magnet_region = m.find_region("magnet");
  for (size_t e = 0; e < m.triangle_count(); ++e) {
    if (m.triangle_region[e] != magnet_region) continue;
    EXPECT_NEAR(s.solution.Bx[e], B_in, 2e-3 * B_in);
    EXPECT_NEAR(s.solution.By[e], 0.0, 2e-3 * B_in);
    EXPECT_NEAR(s.solution.Hm[e], H_in, 2e-3 * std::abs(H_in));  // H along the magnetization: demagnetizing
  }
}

// T2: magnet (10 mm) / air gap (to 12 mm) / linear iron shell mu_r = 1000
// (to 20 mm) / air (to 30 mm), compared with the layered solution.
BACKEND_TEST(T2LayeredCylinder, P1AndP2ConvergeAtTheirOrders) {
  const auto ref = rv::t2_reference();
  // The shell shields the outside almost completely: B_in close to the
  // closed form for an infinitely permeable shell, k = (12/10)^2.
  const double infinite_shell = rv::t2_infinite_shell_B_in();
  EXPECT_NEAR(ref.C[0], infinite_shell, 0.01 * infinite_shell);
  expect_order(convergence("T2", rv::t2_problem(), 1, {2 * mm, 1 * mm, 0.5 * mm}), 2.0);
  expect_order(convergence("T2", rv::t2_problem(), 2, {4 * mm, 2 * mm, 1 * mm}), 3.0);
}

// T7: 1 kA in a 5 mm conductor, nonlinear iron ring 10-20 mm, air to 30 mm.
BACKEND_TEST(T7IronRing, GetDPLawConvergesAtTheExpectedOrders) {
  const MaterialSpec iron = rv::getdp_iron();
  const auto ref = rv::t7_reference(iron);
  std::printf("T7: B in the ring from %.4f T (r = 10 mm) to %.4f T (r = 20 mm)\n", ref->iron_B(10 * mm),
              ref->iron_B(20 * mm));
  EXPECT_GT(ref->iron_B(10 * mm), 1.5);  // deep in saturation: a real nonlinear test
  expect_order(convergence("T7 GetDP law", rv::t7_problem(iron), 1, {2 * mm, 1 * mm, 0.5 * mm}), 2.0);
  expect_order(convergence("T7 GetDP law", rv::t7_problem(iron), 2, {2 * mm, 1 * mm, 0.5 * mm}), 3.0);
}

// The reference uses the solver's own interpolation of the table (the exact
// solution of the discrete material law), evaluated on the host.
BACKEND_TEST(T7IronRing, TabulatedCurveConvergesAtTheExpectedOrders) {
  const MaterialSpec iron = rv::m19_iron();
  expect_order(convergence("T7 M-19 table", rv::t7_problem(iron), 1, {2 * mm, 1 * mm, 0.5 * mm}), 2.0);
  expect_order(convergence("T7 M-19 table", rv::t7_problem(iron), 2, {2 * mm, 1 * mm, 0.5 * mm}), 3.0);
}

// Newton with the exact tangent converges quadratically near the solution:
// log(rho_{k+1}) / log(rho_k) close to 2 for the relative residuals rho
// above round-off.
BACKEND_TEST(T7IronRing, NewtonConvergesQuadratically) {
  auto backend = rm::testing::test_backend();
  for (const MaterialSpec& iron : {rv::getdp_iron(), rv::m19_iron()}) {
    rm::solver::NewtonSettings settings;
    // CG solves to 1e-12, which floors the Newton residual near 1e-12.
    settings.residual_tolerance = 1e-11;
    settings.update_tolerance = 1e-12;
    const auto s = rv::solve_layered(rv::t7_problem(iron), 2, 1 * mm, *backend, settings).solution;
    std::printf("%s", s.report.format_history().c_str());
    double best = 0;
    const auto& h = s.report.history;
    for (size_t k = 1; k < h.size(); ++k) {
      const double prev = h[k - 1].residual_norm / s.report.initial_residual;
      const double next = h[k].residual_norm / s.report.initial_residual;
      if (prev < 1e-2 && next > 1e-12) {
        const double order = std::log(next) / std::log(prev);
        std::printf("  residual ratio rho_%zu / rho_%zu^2 = %.3e, local order %.2f\n", k + 1, k, next / (prev * prev),
                    order);
        best = std::max(best, order);
      }
    }
    EXPECT_GE(best, 1.8) << "no step with quadratic convergence";
    EXPECT_LE(s.report.iterations, 12);
  }
}

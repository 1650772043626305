// The Backend's linear solve (solve_update: SpMV, vector updates, the
// per-case dot products, the PCG's scalars, Jacobi and the multigrid K-cycle
// in double and float levels) and the Newton update around it (assemble at a
// trial step, apply_update), on every backend against the CPU backend: to
// the last bit on the CPU (a second CPU backend, or the same case solved
// alone), to 1e-10 relative on any other (DESIGN.md section 6). Where the
// answer is known without the kernels (a host CG, the linear potential A = x
// that P1 reproduces, identity rows, a one-level multigrid that is a direct
// solve) it is checked on every backend, so that the _cpu variants have
// teeth on a machine without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "strip_problem.hpp"
#include "support/backends.hpp"

namespace rm = rotormag;
namespace kt = rotormag::kernel_tests;
using rm::kernels::AssemblyMesh;
using rm::kernels::Backend;
using rm::kernels::LinearSolveStats;
using rm::kernels::Preconditioner;

namespace {

const char* name(Preconditioner p) {
  return p == Preconditioner::jacobi ? "jacobi" : p == Preconditioner::multigrid ? "multigrid" : "multigrid_single";
}

// Free segments of 16 columns between Dirichlet columns: the tangent's
// condition number stays in the hundreds at any length.
constexpr int kSpacing = 16;

// A = x on the Dirichlet nodes, nu = 2 (c + 1), current density 6 c.
std::vector<kt::StripCase> linear_cases(const AssemblyMesh& m, int count) {
  std::vector<kt::StripCase> cases(count);
  for (int c = 0; c < count; ++c) {
    cases[c].nu = 2.0 * (c + 1);
    cases[c].current_density = 6.0 * c;
    cases[c].potential = kt::linear_potential_data(m);
  }
  return cases;
}

// What one backend gives for one solve: the residual norms before, the
// PCG's statistics, and after apply_update(1) the potential, its maxima and
// the new residual norms.
struct Solve {
  std::vector<double> initial_norm;
  std::vector<LinearSolveStats> stats;
  std::string preconditioner;
  std::vector<double> potential, update_max, potential_max, residual_norm;
};

Solve solve(Backend& b, const AssemblyMesh& m, const std::vector<kt::StripCase>& cases, Preconditioner p,
            const std::vector<char>& active, const std::vector<double>& rtol, int max_iterations) {
  b.load_mesh(m);
  b.set_preconditioner(p);
  b.load_batch(kt::strip_batch(m, cases));
  Solve s;
  s.initial_norm = b.assemble({}, true);
  s.stats = b.solve_update(active, rtol, max_iterations);
  s.preconditioner = b.preconditioner_description();
  b.apply_update(std::vector<double>(cases.size(), 1.0), s.update_max, s.potential_max);
  s.potential = b.potential();
  s.residual_norm = b.assemble({}, false);
  return s;
}

// got against the CPU backend's: equal to the last bit when got is the CPU
// backend's too, else to `tolerance` relative.
void expect_agree(const Backend& backend, const std::vector<double>& got, const std::vector<double>& cpu,
                  const std::string& what, double tolerance = 1e-10) {
  if (backend.name() == "cpu") {
    EXPECT_TRUE(got == cpu) << what << ": two CPU runs differ (relative " << kt::relative_difference(got, cpu) << ")";
  } else {
    EXPECT_LE(kt::relative_difference(got, cpu), tolerance) << what;
  }
}
void expect_agree(const Backend& backend, const Solve& got, const Solve& cpu) {
  ASSERT_EQ(got.stats.size(), cpu.stats.size());
  for (size_t c = 0; c < cpu.stats.size(); ++c) {
    EXPECT_EQ(got.stats[c].iterations, cpu.stats[c].iterations) << "case " << c;
    EXPECT_EQ(got.stats[c].converged, cpu.stats[c].converged) << "case " << c;
    EXPECT_EQ(got.stats[c].breakdown, cpu.stats[c].breakdown) << "case " << c;
    // (at convergence a relative residual is round-off: loosely)
    expect_agree(backend, {got.stats[c].relative_residual + 1e-12}, {cpu.stats[c].relative_residual + 1e-12},
                 "relative residual of case " + std::to_string(c), 1e-6);
  }
  expect_agree(backend, got.initial_norm, cpu.initial_norm, "initial residual norms");
  EXPECT_EQ(got.preconditioner, cpu.preconditioner);
  expect_agree(backend, got.potential, cpu.potential, "potential");
  expect_agree(backend, got.potential_max, cpu.potential_max, "max |A|");
}

// The rows per level of a multigrid description ("... rows per level: 4097 1366 ...").
std::vector<int> level_rows(const std::string& description) {
  std::vector<int> rows;
  const size_t at = description.find("rows per level:");
  if (at == std::string::npos) return rows;
  std::istringstream in(description.substr(at + 15));
  for (int r; in >> r;) rows.push_back(r);
  return rows;
}

}  // namespace

// A fixed number of Jacobi-CG iterations (no convergence test: rtol 0)
// equals a host CG step by step: SpMV, dots, updates, scalars.
BACKEND_TEST(BackendLinearSolve, JacobiIterationsFollowAHostCg) {
  auto backend = rm::testing::test_backend();
  auto cpu = rm::kernels::make_cpu_backend();
  constexpr int iterations = 12;
  for (int rows : {31, 32, 33, 4097, 12289}) {
    SCOPED_TRACE(std::to_string(rows) + " rows");
    const AssemblyMesh m = kt::strip_mesh(rows);
    std::vector<kt::StripCase> cases(2);
    for (int c = 0; c < 2; ++c) {
      cases[c].nu = 2.0 * (c + 1);
      cases[c].current_density = 6.0 * c;
      for (int i = 0; i < rows; ++i) cases[c].potential.push_back(kt::integer_potential(c, i));
    }
    const std::vector<char> active{1, 1};
    const std::vector<double> rtol{0.0, 0.0};
    const Solve s = solve(*backend, m, cases, Preconditioner::jacobi, active, rtol, iterations);
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(s.stats[c].iterations, iterations) << "case " << c;
      EXPECT_FALSE(s.stats[c].converged || s.stats[c].breakdown) << "case " << c;
      std::vector<double> x = kt::slice(s.potential, c, rows);
      for (int i = 0; i < rows; ++i) x[i] -= cases[c].potential[i];
      EXPECT_LE(kt::relative_difference(x, kt::reference_jacobi_cg(m, cases[c], iterations)), 1e-10) << "case " << c;
    }
    expect_agree(*backend, s, solve(*cpu, m, cases, Preconditioner::jacobi, active, rtol, iterations));
  }
}

// Identity rows only (a single Dirichlet node; a strip whose unknowns are
// all prescribed): no residual, no iteration, the potential untouched.
BACKEND_TEST(BackendLinearSolve, IdentityRowsNeedNoIteration) {
  auto backend = rm::testing::test_backend();
  for (int rows : {1, 33}) {
    AssemblyMesh m = kt::strip_mesh(rows);
    m.dirichlet.assign(rows, 1);
    std::vector<kt::StripCase> cases(2);
    for (int c = 0; c < 2; ++c)
      for (int i = 0; i < rows; ++i) cases[c].potential.push_back(kt::integer_potential(c, i));
    for (Preconditioner p : {Preconditioner::jacobi, Preconditioner::multigrid, Preconditioner::multigrid_single}) {
      SCOPED_TRACE(std::to_string(rows) + " rows, " + name(p));
      backend->load_mesh(m);
      backend->set_preconditioner(p);
      backend->load_batch(kt::strip_batch(m, cases));
      EXPECT_EQ(backend->assemble({}, true), std::vector<double>(2, 0.0));
      const auto stats = backend->solve_update({1, 1}, {1e-10, 1e-10}, 100);
      std::vector<double> update_max, potential_max;
      backend->apply_update({1.0, 1.0}, update_max, potential_max);
      const std::vector<double> potential = backend->potential();
      for (int c = 0; c < 2; ++c) {
        EXPECT_TRUE(stats[c].converged) << "case " << c;
        EXPECT_EQ(stats[c].iterations, 0) << "case " << c;
        EXPECT_EQ(update_max[c], 0.0) << "case " << c;
        EXPECT_TRUE(kt::slice(potential, c, rows) == cases[c].potential) << "case " << c;
        double amax = 0;
        for (double a : cases[c].potential) amax = std::max(amax, std::abs(a));
        EXPECT_EQ(potential_max[c], amax) << "case " << c;
      }
    }
  }
}

// Up to 200 rows the hierarchy is one level, solved by the dense Cholesky
// inverse: the preconditioner is the exact inverse and CG stops after one
// iteration, at the linear potential.
BACKEND_TEST(BackendLinearSolve, OneLevelMultigridIsADirectSolve) {
  auto backend = rm::testing::test_backend();
  for (int rows : {31, 32, 33, 199})
    for (Preconditioner p : {Preconditioner::multigrid, Preconditioner::multigrid_single}) {
      SCOPED_TRACE(std::to_string(rows) + " rows, " + name(p));
      const AssemblyMesh m = kt::strip_mesh(rows);
      const auto cases = linear_cases(m, 1);
      const Solve s = solve(*backend, m, cases, p, {1}, {1e-10}, 10);
      EXPECT_EQ(level_rows(s.preconditioner), std::vector<int>{rows}) << s.preconditioner;
      EXPECT_TRUE(s.stats[0].converged);
      EXPECT_EQ(s.stats[0].iterations, 1);
      EXPECT_LE(kt::relative_difference(s.potential, m.x), 1e-10);
    }
}

// Every preconditioner converges to the linear potential A = x, and every
// backend to the CPU's iterate: Jacobi, the K-cycle multigrid (several
// levels from 4097 rows) with double and with float level matrices.
BACKEND_TEST(BackendLinearSolve, EveryPreconditionerFindsTheLinearPotential) {
  auto backend = rm::testing::test_backend();
  auto cpu = rm::kernels::make_cpu_backend();
  for (Preconditioner p : {Preconditioner::jacobi, Preconditioner::multigrid, Preconditioner::multigrid_single})
    for (int rows : {31, 32, 33, 4097, 12289}) {
      SCOPED_TRACE(std::to_string(rows) + " rows, " + name(p));
      const AssemblyMesh m = kt::strip_mesh(rows, kSpacing);
      const auto cases = linear_cases(m, 2);
      const std::vector<char> active{1, 1};
      const std::vector<double> rtol{1e-12, 1e-12};
      const Solve s = solve(*backend, m, cases, p, active, rtol, 2000);
      for (int c = 0; c < 2; ++c) {
        EXPECT_TRUE(s.stats[c].converged) << "case " << c;
        // P1 reproduces A = x; the current density of case 1 adds its own field
        if (c == 0) {
          EXPECT_LE(kt::relative_difference(kt::slice(s.potential, c, rows), m.x), 1e-10);
        }
        EXPECT_LE(s.residual_norm[c], 1e-10 * s.initial_norm[c]) << "case " << c;
      }
      if (p != Preconditioner::jacobi && rows > 200) {
        EXPECT_GE(level_rows(s.preconditioner).size(), 2u) << s.preconditioner;
      }
      expect_agree(*backend, s, solve(*cpu, m, cases, p, active, rtol, 2000));
    }
}

// The lockstep: in one batch a case with a loose tolerance converges early
// and leaves the list, a tight one goes on, an inactive case and one that is
// solved already take no iteration. Each active case equals the same case
// solved alone (a case's arithmetic does not depend on its batch), and the
// batch equals the CPU backend's.
BACKEND_TEST(BackendLinearSolve, ACaseThatConvergesEarlyLeavesTheLockstep) {
  auto backend = rm::testing::test_backend();
  auto cpu = rm::kernels::make_cpu_backend();
  for (Preconditioner p : {Preconditioner::jacobi, Preconditioner::multigrid})
    for (int rows : {33, 4097}) {
      if (p != Preconditioner::jacobi && rows <= 200) continue;  // one level: every case takes one iteration
      SCOPED_TRACE(std::to_string(rows) + " rows, " + name(p));
      const AssemblyMesh m = kt::strip_mesh(rows, kSpacing);
      std::vector<kt::StripCase> cases = linear_cases(m, 4);
      cases[3].current_density = 0;
      cases[3].potential = m.x;  // solved already: no right-hand side
      const std::vector<char> active{1, 1, 0, 1};
      const std::vector<double> rtol{1e-3, 1e-12, 1e-12, 1e-12};
      const Solve s = solve(*backend, m, cases, p, active, rtol, 2000);
      EXPECT_TRUE(s.stats[0].converged && s.stats[1].converged);
      EXPECT_LT(s.stats[0].iterations, s.stats[1].iterations);  // case 0 left the lockstep early
      std::printf("%s, %d rows: CG iterations %d (rtol 1e-3) and %d (rtol 1e-12) in one batch\n", name(p), rows,
                  s.stats[0].iterations, s.stats[1].iterations);
      for (int c : {2, 3}) {
        EXPECT_TRUE(s.stats[c].converged) << "case " << c;
        EXPECT_EQ(s.stats[c].iterations, 0) << "case " << c;
        EXPECT_EQ(s.update_max[c], 0.0) << "case " << c;
        EXPECT_TRUE(kt::slice(s.potential, c, rows) == cases[c].potential) << "case " << c;
      }
      EXPECT_EQ(s.stats[3].relative_residual, 0.0);
      for (int c : {0, 1}) {
        const Solve alone = solve(*backend, m, {cases[c]}, p, {1}, {rtol[c]}, 2000);
        EXPECT_EQ(alone.stats[0].iterations, s.stats[c].iterations) << "case " << c;
        expect_agree(*backend, kt::slice(s.potential, c, rows), alone.potential,
                     "case " + std::to_string(c) + " in the batch and alone");
      }
      expect_agree(*backend, s, solve(*cpu, m, cases, p, active, rtol, 2000));
    }
}

// assemble() at a trial step A + s dA is the residual that apply_update(s)
// then gives: the same potential, to the last bit. For the linear problem,
// half a step leaves half the residual.
BACKEND_TEST(BackendUpdate, TrialStepEqualsTheAppliedUpdate) {
  auto backend = rm::testing::test_backend();
  auto cpu = rm::kernels::make_cpu_backend();
  for (int rows : {33, 4097}) {
    SCOPED_TRACE(std::to_string(rows) + " rows");
    const AssemblyMesh m = kt::strip_mesh(rows, kSpacing);
    const auto cases = linear_cases(m, 2);
    const std::vector<double> step{0.5, 1.0};
    auto run = [&](Backend& b, std::vector<double>& initial, std::vector<double>& trial, std::vector<double>& applied,
                   std::vector<double>& update_max, std::vector<double>& potential) {
      b.load_mesh(m);
      b.set_preconditioner(Preconditioner::multigrid);
      b.load_batch(kt::strip_batch(m, cases));
      initial = b.assemble({}, true);
      b.solve_update({1, 1}, {1e-13, 1e-13}, 200);
      trial = b.assemble(step, false);
      std::vector<double> potential_max;
      b.apply_update(step, update_max, potential_max);
      applied = b.assemble({}, false);
      potential = b.potential();
    };
    std::vector<double> initial, trial, applied, update_max, potential;
    run(*backend, initial, trial, applied, update_max, potential);
    EXPECT_TRUE(trial == applied);
    EXPECT_NEAR(applied[0], 0.5 * initial[0], 1e-9 * initial[0]);
    EXPECT_LE(applied[1], 1e-10 * initial[1]);
    for (int c = 0; c < 2; ++c) {
      double change = 0;
      for (int i = 0; i < rows; ++i) change = std::max(change, std::abs(potential[c * rows + i] - cases[c].potential[i]));
      EXPECT_NEAR(update_max[c], change, 1e-12 * change) << "case " << c;
    }
    std::vector<double> cpu_initial, cpu_trial, cpu_applied, cpu_update_max, cpu_potential;
    run(*cpu, cpu_initial, cpu_trial, cpu_applied, cpu_update_max, cpu_potential);
    expect_agree(*backend, potential, cpu_potential, "potential");
    expect_agree(*backend, update_max, cpu_update_max, "max |s dA|");
    expect_agree(*backend, initial, cpu_initial, "initial residual norms");
  }
}

// A backend reused across meshes and batches of other sizes (the multigrid
// hierarchy belongs to the mesh, the level vectors to the batch size) gives
// what a new backend gives, to the last bit.
BACKEND_TEST(BackendLinearSolve, ReloadedMeshesAndBatchesGiveFreshResults) {
  auto reused = rm::testing::test_backend();
  const AssemblyMesh small = kt::strip_mesh(4097, kSpacing), large = kt::strip_mesh(12289, kSpacing);
  const auto small_cases = linear_cases(small, 2), large_cases = linear_cases(large, 3);
  const Preconditioner p = Preconditioner::multigrid;
  auto expect_fresh = [&](const Solve& s, const AssemblyMesh& m, const std::vector<kt::StripCase>& cases) {
    const std::vector<double> rtol(cases.size(), 1e-12);
    const Solve fresh = solve(*rm::testing::test_backend(), m, cases, p, std::vector<char>(cases.size(), 1), rtol, 500);
    EXPECT_EQ(s.preconditioner, fresh.preconditioner);
    for (size_t c = 0; c < cases.size(); ++c) EXPECT_EQ(s.stats[c].iterations, fresh.stats[c].iterations);
    EXPECT_TRUE(s.potential == fresh.potential) << "relative " << kt::relative_difference(s.potential, fresh.potential);
  };
  solve(*reused, small, small_cases, p, {1, 1}, {1e-12, 1e-12}, 500);
  expect_fresh(solve(*reused, large, large_cases, p, {1, 1, 1}, {1e-12, 1e-12, 1e-12}, 500), large, large_cases);
  expect_fresh(solve(*reused, small, {small_cases[1]}, p, {1}, {1e-12}, 500), small, {small_cases[1]});
}

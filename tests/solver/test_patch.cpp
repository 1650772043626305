// Patch tests on structured meshes (no Gmsh): P1 reproduces a linear A and
// P2 a quadratic A exactly, whatever the material law; batches equal single
// runs; every backend agrees with the CPU's.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/config.hpp"
#include "solver/discretization.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "support/backends.hpp"
#include "support/structured_mesh.hpp"

namespace rm = rotormag;
using rm::solver::MaterialSpec;

namespace {

rm::solver::Problem problem_on(const rm::mesh::Mesh& m, MaterialSpec left, MaterialSpec right,
                               const std::function<double(double, double)>& exact) {
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(2);
  p.regions[0].material = left;
  p.regions[1].material = right;
  rm::solver::add_dirichlet(p, *m.find_boundary("outer"), exact);
  return p;
}

MaterialSpec air() { return MaterialSpec{}; }

MaterialSpec exp_iron() {
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::exponential_reluctivity;
  s.nu_a = 100; s.nu_b = 10; s.nu_c = 1.8;
  return s;
}

MaterialSpec table_iron() {  // a smooth made-up curve, strictly increasing
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::bh_curve;
  s.B_T = {0, 0.5, 1.0, 1.4, 1.7, 1.9, 2.1};
  s.H_A_per_m = {0, 80, 180, 600, 3000, 12000, 60000};
  return s;
}

double max_error(const rm::mesh::Mesh& m, const std::vector<double>& A, const std::function<double(double, double)>& f) {
  double e = 0;
  for (size_t i = 0; i < m.node_count(); ++i) e = std::max(e, std::abs(A[i] - f(m.x[i], m.y[i])));
  return e;
}

}  // namespace

// A linear potential is a uniform B: every element is in the same state, so
// the discrete solution is exact for any law (nonlinear ones included).
BACKEND_TEST(PatchTest, LinearPotentialIsExactForEveryLawAndOrder) {
  auto backend = rm::testing::test_backend();
  const auto exact = [](double x, double y) { return 1.2 * y - 0.4 * x + 0.01; };  // B = (1.2, 0.4) T
  for (int order : {1, 2})
    for (MaterialSpec law : {air(), exp_iron(), table_iron()}) {
      const auto m = rm::testing::structured_rectangle(order, 6, 5);
      rm::solver::NewtonSettings settings;
      const auto s = rm::solver::solve(problem_on(m, law, law, exact), *backend, settings);
      EXPECT_LT(max_error(m, s.A, exact), 1e-12) << "order " << order;
      EXPECT_NEAR(s.Bx[0], 1.2, 1e-11);
      EXPECT_NEAR(s.By[0], 0.4, 1e-11);
    }
}

// -nu Laplace(A) = J with A = x^2 + 2 y^2 needs J = -6 nu: P2 is exact.
BACKEND_TEST(PatchTest, QuadraticPotentialIsExactForP2WithCurrentDensity) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 4, 4);
  const auto exact = [](double x, double y) { return x * x + 2 * y * y; };
  auto p = problem_on(m, air(), air(), exact);
  const double nu = 1.0 / rm::kernels::mu0;
  for (auto& r : p.regions) r.current_density_A_per_m2 = -6 * nu;
  const auto s = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
  EXPECT_LT(max_error(m, s.A, exact), 1e-11);
  EXPECT_EQ(s.report.iterations, 1);  // linear problem: one exact Newton step
}

// A uniformly magnetized half next to air: with the exact interface
// conditions the energy is finite and the magnet's H points against Br.
BACKEND_TEST(PatchTest, MagnetFieldOpposesMagnetization) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(1, 10, 10);
  MaterialSpec magnet;
  magnet.kind = MaterialSpec::Kind::magnet;
  magnet.mu_r = 1.05;
  magnet.remanence_T = 1.2;
  auto p = problem_on(m, magnet, air(), [](double, double) { return 0.0; });
  p.regions[0].magnetization = {rm::mesh::MagnetizationKind::parallel, 0.0, 1.0};
  const auto s = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
  double hm_sum = 0;
  for (size_t e = 0; e < m.triangle_count(); ++e)
    if (m.triangle_region[e] == 0) hm_sum += s.Hm[e];
    else EXPECT_EQ(s.Hm[e], 0.0);
  EXPECT_LT(hm_sum, 0.0);
  EXPECT_GT(s.energy_J_per_m, 0.0);
}

// Cases sharing a mesh solved as one batch equal separate runs (1e-10 relative).
BACKEND_TEST(Batch, BatchEqualsSeparateRuns) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 8, 8);
  std::vector<rm::solver::Problem> batch;
  for (double j : {1e6, 3e6, 6e6}) {
    auto p = problem_on(m, exp_iron(), air(), [](double, double) { return 0.0; });
    p.regions[1].current_density_A_per_m2 = j;
    batch.push_back(p);
  }
  rm::solver::NewtonSettings settings;
  const auto together = rm::solver::solve_batch(batch, *backend, settings);
  for (size_t c = 0; c < batch.size(); ++c) {
    const auto alone = rm::solver::solve(batch[c], *backend, settings);
    ASSERT_TRUE(together[c].report.converged);
    double amax = 0, dmax = 0;
    for (size_t i = 0; i < alone.A.size(); ++i) {
      amax = std::max(amax, std::abs(alone.A[i]));
      dmax = std::max(dmax, std::abs(alone.A[i] - together[c].A[i]));
    }
    EXPECT_LE(dmax, 1e-10 * amax) << "case " << c;
    EXPECT_NEAR(together[c].energy_J_per_m, alone.energy_J_per_m, 1e-10 * alone.energy_J_per_m);
  }
  // larger currents drive the iron harder: more Newton iterations, never fewer than 2
  EXPECT_GE(together[2].report.iterations, 2);
}

// The batched CG with the multigrid (several levels: 9409 unknowns) moves
// all cases in lockstep, each with its own scalars, and drops a case once it
// has converged: every case equals its separate run to 1e-10, whether its
// Newton needs fewer or more steps than the others, and a batch with an
// inactive case (the Newton loop has already converged it) is handled too.
BACKEND_TEST(Batch, MultigridBatchWithDifferentMaterialsEqualsSeparateRuns) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 48, 48, 0, 0, 0.05, 0.05);
  std::vector<rm::solver::Problem> batch;
  const MaterialSpec irons[] = {exp_iron(), table_iron(), air(), exp_iron()};
  const double currents[] = {5e6, 2e6, 1e6, 2e7};
  for (int c = 0; c < 4; ++c) {
    auto p = problem_on(m, irons[c], air(), [](double, double) { return 0.0; });
    p.regions[1].current_density_A_per_m2 = currents[c];
    batch.push_back(p);
  }
  rm::solver::NewtonSettings settings;
  ASSERT_EQ(settings.preconditioner, rm::kernels::Preconditioner::multigrid);
  const auto together = rm::solver::solve_batch(batch, *backend, settings);
  EXPECT_NE(backend->preconditioner_description().find("rows per level"), std::string::npos);
  std::vector<int> newton;
  for (size_t c = 0; c < batch.size(); ++c) {
    const auto alone = rm::solver::solve(batch[c], *backend, settings);
    ASSERT_TRUE(together[c].report.converged) << "case " << c << ": " << together[c].report.failure;
    double amax = 0, dmax = 0;
    for (size_t i = 0; i < alone.A.size(); ++i) {
      amax = std::max(amax, std::abs(alone.A[i]));
      dmax = std::max(dmax, std::abs(alone.A[i] - together[c].A[i]));
    }
    EXPECT_LE(dmax, 1e-10 * amax) << "case " << c;
    EXPECT_NEAR(together[c].energy_J_per_m, alone.energy_J_per_m, 1e-10 * alone.energy_J_per_m) << "case " << c;
    // (a batch is linear only when all its cases are: alone, the air case
    // takes the one-step linear path, in the batch it iterates like the rest)
    if (c != 2) {
      EXPECT_EQ(together[c].report.iterations, alone.report.iterations) << "case " << c;
    }
    newton.push_back(together[c].report.iterations);
  }
  // the linear case (air) converges in fewer Newton steps and drops out
  // while the saturated one goes on: the lockstep really had cases leave early
  EXPECT_LT(newton[2], newton[3]);
  EXPECT_GT(newton[3], newton[0]);
}

// The fused assembly's maps (kernels/sparsity.cpp): every element in one
// colour, no two elements of a colour sharing an unknown (also across an
// anti-periodic link, which makes two nodes one unknown), and the
// element-to-CSR map pointing at the slot of (row dof i, column dof j).
TEST(Assembly, ColoursSeparateElementsThatShareAnUnknown) {
  const auto m = rm::testing::structured_rectangle(2, 12, 12);
  auto p = problem_on(m, air(), air(), [](double, double) { return 0.0; });
  p.dirichlet_nodes.clear();  // prescribed on the left edge only: the top and bottom edges are linked
  p.dirichlet_values.clear();
  for (size_t i = 0; i < m.node_count(); ++i)
    if (std::abs(m.x[i]) < 1e-12) {
      p.dirichlet_nodes.push_back(static_cast<int>(i));
      p.dirichlet_values.push_back(0.0);
    }
  // top edge nodes follow the bottom edge's (anti-periodic in y), except
  // the corners: elements far apart now share unknowns
  for (size_t i = 0; i < m.node_count(); ++i)
    if (std::abs(m.y[i] - 1) < 1e-12 && m.x[i] > 1e-12 && m.x[i] < 1 - 1e-12)
      for (size_t j = 0; j < m.node_count(); ++j)
        if (std::abs(m.y[j]) < 1e-12 && std::abs(m.x[j] - m.x[i]) < 1e-12)
          p.links.push_back({static_cast<int>(i), static_cast<int>(j), -1.0});
  ASSERT_FALSE(p.links.empty());
  const rm::kernels::AssemblyMesh a = rm::solver::discretize({p});
  const int npe = a.nodes_per_element, ne = a.element_count;
  ASSERT_EQ(static_cast<int>(a.colour_elements.size()), ne);
  std::vector<int> seen(ne, 0);
  for (int e : a.colour_elements) ++seen[e];
  for (int e = 0; e < ne; ++e) EXPECT_EQ(seen[e], 1) << "element " << e;
  const int colours = static_cast<int>(a.colour_ptr.size()) - 1;
  EXPECT_GE(colours, 6);   // a P2 vertex is shared by 6 elements here
  EXPECT_LE(colours, 24);
  for (int k = 0; k < colours; ++k) {
    std::vector<int> owner(a.dof_count, -1);
    for (int q = a.colour_ptr[k]; q < a.colour_ptr[k + 1]; ++q) {
      const int e = a.colour_elements[q];
      for (int i = 0; i < npe; ++i) {
        const int d = a.node_dof[a.connectivity[e * npe + i]];
        EXPECT_TRUE(owner[d] == -1 || owner[d] == e) << "colour " << k << ": elements " << owner[d] << " and " << e
                                                    << " share unknown " << d;
        owner[d] = e;
      }
    }
  }
  for (int e = 0; e < ne; ++e)
    for (int i = 0; i < npe; ++i)
      for (int j = 0; j < npe; ++j) {
        const int r = a.node_dof[a.connectivity[e * npe + i]], c = a.node_dof[a.connectivity[e * npe + j]];
        const int slot = a.element_slot[(static_cast<size_t>(e) * npe + i) * npe + j];
        ASSERT_GE(slot, a.row_ptr[r]);
        ASSERT_LT(slot, a.row_ptr[r + 1]);
        ASSERT_EQ(a.col[slot], c);
      }
}

BACKEND_TEST(Problems, MissingDirichletBoundaryIsRefused) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(1, 2, 2);
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(2);
  EXPECT_THROW(
      {
        try {
          rm::solver::solve(p, *backend, {});
        } catch (const rm::solver::ProblemError& e) {
          EXPECT_NE(std::string(e.what()).find("no Dirichlet boundary"), std::string::npos);
          throw;
        }
      },
      rm::solver::ProblemError);
}

BACKEND_TEST(Problems, NonMonotoneTableAndNegativePermeabilityAreRefused) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(1, 2, 2);
  auto bad_table = table_iron();
  bad_table.H_A_per_m[3] = 100;  // H falls between points 3 and 4
  auto p = problem_on(m, bad_table, air(), [](double, double) { return 0.0; });
  EXPECT_THROW(rm::solver::solve(p, *backend, {}), rm::solver::ProblemError);
  MaterialSpec negative;
  negative.mu_r = -1;
  p = problem_on(m, negative, air(), [](double, double) { return 0.0; });
  EXPECT_THROW(rm::solver::solve(p, *backend, {}), rm::solver::ProblemError);
}

// Every backend runs the CPU's kernels: fields agree to 1e-10 relative, with
// as many Newton steps. Two CPU backends agree to the last bit (no atomics,
// reductions in a fixed order whatever the thread count).
BACKEND_TEST(Backends, AgreeWithTheCpuBackend) {
  auto cpu = rm::kernels::make_cpu_backend();
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 20, 20);
  auto p = problem_on(m, exp_iron(), air(), [](double, double) { return 0.0; });
  p.regions[1].current_density_A_per_m2 = 5e6;
  const auto a = rm::solver::solve(p, *cpu, {});
  const auto b = rm::solver::solve(p, *backend, {});
  double amax = 0, dmax = 0;
  for (size_t i = 0; i < a.A.size(); ++i) {
    amax = std::max(amax, std::abs(a.A[i]));
    dmax = std::max(dmax, std::abs(a.A[i] - b.A[i]));
  }
  EXPECT_LE(dmax, 1e-10 * amax);
  EXPECT_EQ(a.report.iterations, b.report.iterations);
  if (backend->name() == "cpu") {
    EXPECT_EQ(dmax, 0.0);
  }
}

// Numerical failures are reported, never returned as results: the reason,
// where the residual peaked, and the history.
BACKEND_TEST(Failures, CgIterationLimitIsAFailureWithItsLocation) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 16, 16);
  auto p = problem_on(m, exp_iron(), air(), [](double, double) { return 0.0; });
  p.regions[1].current_density_A_per_m2 = 5e6;
  rm::solver::NewtonSettings settings;
  settings.cg_max_iterations = 3;
  try {
    rm::solver::solve(p, *backend, settings);
    ADD_FAILURE() << "a solve whose CG cannot converge was accepted";
  } catch (const rm::solver::SolveError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("CG did not converge in 3 iterations"), std::string::npos) << what;
    EXPECT_NE(what.find("in region '"), std::string::npos) << what;
    EXPECT_FALSE(e.report().converged);
    EXPECT_FALSE(e.report().failure_location.empty());
  }
}

// In a batch, a case that fails does not stop or disturb the others.
BACKEND_TEST(Failures, AFailingCaseInABatchLeavesTheOthersIntact) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 10, 10);
  std::vector<rm::solver::Problem> batch;
  for (double j : {1e5, 4e8}) {  // the second drives the iron far into saturation
    auto p = problem_on(m, exp_iron(), air(), [](double, double) { return 0.0; });
    p.regions[1].current_density_A_per_m2 = j;
    batch.push_back(p);
  }
  rm::solver::NewtonSettings settings;
  settings.max_iterations = 4;
  const auto together = rm::solver::solve_batch(batch, *backend, settings);
  ASSERT_TRUE(together[0].report.converged) << together[0].report.failure;
  EXPECT_FALSE(together[1].report.converged);
  EXPECT_NE(together[1].report.failure.find("no convergence in 4 Newton iterations"), std::string::npos)
      << together[1].report.failure;
  EXPECT_NE(together[1].report.failure_location.find("region"), std::string::npos);
  const auto alone = rm::solver::solve(batch[0], *backend, settings);
  double amax = 0, dmax = 0;
  for (size_t i = 0; i < alone.A.size(); ++i) {
    amax = std::max(amax, std::abs(alone.A[i]));
    dmax = std::max(dmax, std::abs(alone.A[i] - together[0].A[i]));
  }
  EXPECT_LE(dmax, 1e-10 * amax);
}

// The aggregation multigrid preconditioner gives the same Newton solution as
// Jacobi, with far fewer CG iterations on a mesh with iron/air contrast.
BACKEND_TEST(Multigrid, SameSolutionAsJacobiWithFarFewerIterations) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 48, 48, 0, 0, 0.05, 0.05);
  auto p = problem_on(m, exp_iron(), air(), [](double, double) { return 0.0; });
  p.regions[1].current_density_A_per_m2 = 5e6;
  rm::solver::NewtonSettings jacobi, multigrid;
  jacobi.preconditioner = rm::kernels::Preconditioner::jacobi;
  multigrid.preconditioner = rm::kernels::Preconditioner::multigrid;
  const auto a = rm::solver::solve(p, *backend, jacobi);
  const auto b = rm::solver::solve(p, *backend, multigrid);
  EXPECT_NE(backend->preconditioner_description().find("rows per level"), std::string::npos);
  double amax = 0, dmax = 0;
  for (size_t i = 0; i < a.A.size(); ++i) {
    amax = std::max(amax, std::abs(a.A[i]));
    dmax = std::max(dmax, std::abs(a.A[i] - b.A[i]));
  }
  EXPECT_LE(dmax, 1e-9 * amax);  // both to the Newton tolerance
  // Inexact Newton: different linear solves may take one Newton step more or less.
  EXPECT_NEAR(a.report.iterations, b.report.iterations, 1);
  int cg_jacobi = 0, cg_multigrid = 0;
  for (const auto& h : a.report.history) cg_jacobi += h.cg_iterations;
  for (const auto& h : b.report.history) cg_multigrid += h.cg_iterations;
  std::printf("CG iterations over the Newton solve (%zu unknowns): Jacobi %d, multigrid %d\n", m.node_count(),
              cg_jacobi, cg_multigrid);
  EXPECT_LT(5 * cg_multigrid, cg_jacobi);
}

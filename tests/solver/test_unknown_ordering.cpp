// The numbering of the unknowns (kernels/unknown_ordering.cpp): reverse
// Cuthill-McKee narrows the matrix pattern, keeps every node on its unknown,
// and changes neither the multigrid hierarchy nor the solution. Also the
// single-precision multigrid cycle (Preconditioner::multigrid_single).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "solver/discretization.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "support/backends.hpp"
#include "support/structured_mesh.hpp"

namespace rm = rotormag;
using rm::solver::MaterialSpec;

namespace {

int pattern_bandwidth(const rm::kernels::AssemblyMesh& a) {
  int b = 0;
  for (int r = 0; r < a.dof_count; ++r)
    for (int s = a.row_ptr[r]; s < a.row_ptr[r + 1]; ++s) b = std::max(b, std::abs(a.col[s] - r));
  return b;
}

MaterialSpec exp_iron() {
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::exponential_reluctivity;
  s.nu_a = 100; s.nu_b = 10; s.nu_c = 1.8;
  return s;
}

// Iron left, a current in the air right, A = 0 on the edge: saturates.
rm::solver::Problem iron_and_coil(const rm::mesh::Mesh& m) {
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(2);
  p.regions[0].material = exp_iron();
  p.regions[1].current_density_A_per_m2 = 5e6;
  rm::solver::add_dirichlet(p, *m.find_boundary("outer"), [](double, double) { return 0.0; });
  return p;
}

}  // namespace

// Unknowns shuffled at random (the worst case for locality), then renumbered:
// the bandwidth falls to that of a banded grid, every node keeps its unknown
// (up to the new name), Dirichlet flags follow their unknowns, and
// aggregation_order maps the old numbers to the new ones.
TEST(UnknownOrdering, ReverseCuthillMcKeeNarrowsAShuffledPattern) {
  const int nx = 30;
  const auto m = rm::testing::structured_rectangle(2, nx, nx);
  rm::kernels::AssemblyMesh a;
  a.order = 2;
  a.nodes_per_element = 6;
  a.node_count = static_cast<int>(m.node_count());
  a.element_count = static_cast<int>(m.triangle_count());
  a.x = m.x;
  a.y = m.y;
  a.connectivity = m.triangles;
  a.element_law = m.triangle_region;
  rm::kernels::own_unknown_per_node(a);
  std::vector<int> shuffle(a.dof_count);
  std::iota(shuffle.begin(), shuffle.end(), 0);
  std::shuffle(shuffle.begin(), shuffle.end(), std::mt19937(7));
  for (int& d : a.node_dof) d = shuffle[d];
  a.dirichlet.assign(a.dof_count, 0);
  for (int node : m.find_boundary("outer")->nodes) a.dirichlet[a.node_dof[node]] = 1;
  rm::kernels::AssemblyMesh shuffled = a;
  rm::kernels::build_sparsity(shuffled);

  rm::kernels::number_unknowns_for_locality(a);
  rm::kernels::build_sparsity(a);
  const int n = a.dof_count;
  ASSERT_EQ(static_cast<int>(a.aggregation_order.size()), n);
  std::vector<int> hits(n, 0);
  for (int v : a.aggregation_order) ++hits[v];
  for (int v = 0; v < n; ++v) ASSERT_EQ(hits[v], 1) << "new number " << v << " taken " << hits[v] << " times";
  for (int i = 0; i < a.node_count; ++i) {
    ASSERT_EQ(a.node_dof[i], a.aggregation_order[shuffled.node_dof[i]]) << "node " << i;
    ASSERT_EQ(a.dirichlet[a.node_dof[i]], shuffled.dirichlet[shuffled.node_dof[i]]) << "node " << i;
  }
  EXPECT_EQ(a.row_ptr.back(), shuffled.row_ptr.back());  // the same couplings, renamed
  // A (2 nx + 1)^2-node grid: a level set of RCM is a front across the
  // square, about 2 (2 nx + 1) unknowns with the midpoints; the shuffled
  // pattern spans nearly all n.
  const int before = pattern_bandwidth(shuffled), after = pattern_bandwidth(a);
  std::printf("bandwidth of %d unknowns: shuffled %d, after RCM %d\n", n, before, after);
  EXPECT_GT(before, n / 2);
  EXPECT_LE(after, 4 * (2 * nx + 1));
}

// The solver numbers the unknowns by RCM and the aggregation visits them in
// the old order, so the hierarchy is the one of the mesh's node order: the
// same level sizes, the same CG iterations (summation order aside) and the
// same potential as with the old numbering.
BACKEND_TEST(UnknownOrdering, MultigridAndSolutionDoNotDependOnTheNumbering) {
  const auto m = rm::testing::structured_rectangle(2, 48, 48, 0, 0, 0.05, 0.05);
  const rm::solver::Problem p = iron_and_coil(m);
  const rm::kernels::AssemblyMesh renumbered = rm::solver::discretize({p});
  // The mesh's node order back: new number aggregation_order[old] -> old.
  rm::kernels::AssemblyMesh node_order = renumbered;
  std::vector<int> old_of(renumbered.dof_count);
  for (int old = 0; old < renumbered.dof_count; ++old) old_of[renumbered.aggregation_order[old]] = old;
  for (int& d : node_order.node_dof) d = old_of[d];
  for (int v = 0; v < renumbered.dof_count; ++v) node_order.dirichlet[old_of[v]] = renumbered.dirichlet[v];
  node_order.aggregation_order.clear();
  rm::kernels::build_sparsity(node_order);
  ASSERT_NE(node_order.node_dof, renumbered.node_dof);  // (a structured grid's node order is banded already)

  struct Run {
    std::string hierarchy;
    int cg_iterations;
    std::vector<double> A;
  };
  auto run = [&](const rm::kernels::AssemblyMesh& a) {
    auto backend = rm::testing::test_backend();
    backend->load_mesh(a);
    backend->set_preconditioner(rm::kernels::Preconditioner::multigrid);
    backend->load_batch(rm::solver::case_values({p}, a));
    backend->assemble({}, true);
    const auto stats = backend->solve_update({1}, {1e-10}, 500);
    EXPECT_TRUE(stats[0].converged);
    std::vector<double> update_max, potential_max;
    backend->apply_update({1.0}, update_max, potential_max);
    const std::vector<double> u = backend->potential();
    return Run{backend->preconditioner_description(), stats[0].iterations, rm::solver::node_potential(a, u.data())};
  };
  const Run x = run(renumbered), y = run(node_order);
  EXPECT_EQ(x.hierarchy, y.hierarchy);
  EXPECT_NEAR(x.cg_iterations, y.cg_iterations, 1);
  double amax = 0, dmax = 0;
  for (size_t i = 0; i < x.A.size(); ++i) {
    amax = std::max(amax, std::abs(y.A[i]));
    dmax = std::max(dmax, std::abs(x.A[i] - y.A[i]));
  }
  ASSERT_GT(amax, 0);
  EXPECT_LE(dmax, 1e-9 * amax);  // both to the CG tolerance 1e-10
}

// The cycle on float copies of the level matrices: the same Newton solution
// (both to the Newton tolerance) with nearly the same CG iterations, since
// the outer CG, its vectors and sums stay double.
BACKEND_TEST(Multigrid, SinglePrecisionLevelsGiveTheSameSolution) {
  auto backend = rm::testing::test_backend();
  const auto m = rm::testing::structured_rectangle(2, 48, 48, 0, 0, 0.05, 0.05);
  const rm::solver::Problem p = iron_and_coil(m);
  rm::solver::NewtonSettings fp64, fp32;
  fp64.preconditioner = rm::kernels::Preconditioner::multigrid;
  fp32.preconditioner = rm::kernels::Preconditioner::multigrid_single;
  const auto a = rm::solver::solve(p, *backend, fp64);
  const auto b = rm::solver::solve(p, *backend, fp32);
  EXPECT_NE(backend->preconditioner_description().find("float level matrices"), std::string::npos);
  ASSERT_TRUE(a.report.converged);
  ASSERT_TRUE(b.report.converged) << b.report.failure;
  double amax = 0, dmax = 0;
  for (size_t i = 0; i < a.A.size(); ++i) {
    amax = std::max(amax, std::abs(a.A[i]));
    dmax = std::max(dmax, std::abs(a.A[i] - b.A[i]));
  }
  EXPECT_LE(dmax, 1e-9 * amax);
  EXPECT_NEAR(b.energy_J_per_m, a.energy_J_per_m, 1e-9 * a.energy_J_per_m);
  EXPECT_NEAR(a.report.iterations, b.report.iterations, 1);
  int cg64 = 0, cg32 = 0;
  for (const auto& h : a.report.history) cg64 += h.cg_iterations;
  for (const auto& h : b.report.history) cg32 += h.cg_iterations;
  std::printf("CG iterations over the Newton solve: double levels %d, float levels %d\n", cg64, cg32);
  EXPECT_LE(cg32, 1.1 * cg64);
}

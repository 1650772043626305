// Node links (periodic and anti-periodic boundaries): the unknowns shared by
// linked nodes must reproduce exact solutions that have those symmetries,
// on structured meshes (no Gmsh), for P1 and P2.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "kernels/config.hpp"
#include "solver/discretization.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "support/backends.hpp"
#include "support/structured_mesh.hpp"

namespace rm = rotormag;

namespace {

const double kPi = std::acos(-1.0);

// Links every node on x = w to the node on x = 0 at the same y.
std::vector<rm::solver::NodeLink> side_links(const rm::mesh::Mesh& m, double w, double sign) {
  std::map<long, int> left;
  for (size_t i = 0; i < m.node_count(); ++i)
    if (std::abs(m.x[i]) < 1e-12) left[std::lround(m.y[i] * 1e9)] = static_cast<int>(i);
  std::vector<rm::solver::NodeLink> links;
  for (size_t i = 0; i < m.node_count(); ++i)
    if (std::abs(m.x[i] - w) < 1e-12) links.push_back({static_cast<int>(i), left.at(std::lround(m.y[i] * 1e9)), sign});
  return links;
}

// Dirichlet on the bottom and top edges only (y = 0 and y = h).
void top_and_bottom(rm::solver::Problem& p, double h, const std::function<double(double, double)>& exact) {
  const auto& m = *p.mesh;
  for (size_t i = 0; i < m.node_count(); ++i)
    if (std::abs(m.y[i]) < 1e-12 || std::abs(m.y[i] - h) < 1e-12) {
      p.dirichlet_nodes.push_back(static_cast<int>(i));
      p.dirichlet_values.push_back(exact(m.x[i], m.y[i]));
    }
}

double max_error(const rm::mesh::Mesh& m, const std::vector<double>& A, const std::function<double(double, double)>& f) {
  double e = 0;
  for (size_t i = 0; i < m.node_count(); ++i) e = std::max(e, std::abs(A[i] - f(m.x[i], m.y[i])));
  return e;
}

}  // namespace

// A = 0.7 y + 0.2 is periodic in x; P1 and P2 reproduce it exactly, and the
// linked nodes share one unknown (fewer unknowns than nodes).
BACKEND_TEST(NodeLinks, PeriodicLinearPotentialIsExact) {
  auto backend = rm::testing::test_backend();
  const auto exact = [](double, double y) { return 0.7 * y + 0.2; };
  for (int order : {1, 2}) {
    const auto m = rm::testing::structured_rectangle(order, 6, 4);
    rm::solver::Problem p;
    p.mesh = &m;
    p.regions.resize(2);
    top_and_bottom(p, 1.0, exact);
    p.links = side_links(m, 1.0, +1.0);
    const auto assembly = rm::solver::discretize({p});
    EXPECT_EQ(assembly.dof_count, static_cast<int>(m.node_count() - p.links.size())) << "order " << order;
    const auto s = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
    EXPECT_LT(max_error(m, s.A, exact), 1e-12) << "order " << order;
  }
}

// A = cos(pi x) cosh(pi y) is harmonic and anti-periodic over x in [0, 1]:
// A(1, y) = -A(0, y). Its nodal errors fall at least at the expected orders
// (P1: 2, P2: 3, less 0.25; on these uniform meshes P2 nodes superconverge
// at order 4), which they only do if the anti-periodic unknowns are right.
BACKEND_TEST(NodeLinks, AntiPeriodicHarmonicConvergesAtTheExpectedOrders) {
  auto backend = rm::testing::test_backend();
  const auto exact = [](double x, double y) { return std::cos(kPi * x) * std::cosh(kPi * y); };
  for (int order : {1, 2}) {
    std::vector<double> errors;
    for (int n : {8, 16, 32}) {
      const auto m = rm::testing::structured_rectangle(order, n, n);
      rm::solver::Problem p;
      p.mesh = &m;
      p.regions.resize(2);
      top_and_bottom(p, 1.0, exact);
      p.links = side_links(m, 1.0, -1.0);
      const auto s = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
      errors.push_back(max_error(m, s.A, exact));
      // the anti-periodic pair really holds in the result
      for (const auto& l : p.links) ASSERT_NEAR(s.A[l.node], -s.A[l.master], 1e-14);
    }
    const double rate1 = std::log2(errors[0] / errors[1]), rate2 = std::log2(errors[1] / errors[2]);
    std::printf("order %d: max|A - exact| %.3e %.3e %.3e, rates %.2f %.2f\n", order, errors[0], errors[1], errors[2],
                rate1, rate2);
    EXPECT_GT(rate2, order + 0.75) << "order " << order;
    EXPECT_LT(rate2, order + 2.25) << "order " << order;
  }
}

// A node linked to itself with sign -1 (the axis of an anti-periodic sector)
// is held at zero; a node linked through a chain gets the product of signs.
TEST(NodeLinks, ChainsMultiplySignsAndSelfAntiLinkIsZero) {
  const auto m = rm::testing::structured_rectangle(1, 2, 1);  // 6 nodes
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(2);
  p.dirichlet_nodes = {0};
  p.dirichlet_values = {0.0};
  p.links = {{2, 1, -1.0}, {1, 5, -1.0}, {4, 3, -1.0}, {3, 4, -1.0}, {5, 5, -1.0}};
  const auto a = rm::solver::discretize({p});
  EXPECT_EQ(a.node_dof[2], a.node_dof[5]);
  EXPECT_EQ(a.node_sign[2], a.node_sign[5]);          // (-1)(-1) relative to node 5
  EXPECT_EQ(a.node_sign[1], -a.node_sign[5]);
  EXPECT_EQ(a.dirichlet[a.node_dof[5]], 1);           // 5 = -5: held at zero
  EXPECT_EQ(a.node_dof[3], a.node_dof[4]);
  EXPECT_EQ(a.node_sign[3], -a.node_sign[4]);
  EXPECT_EQ(a.dirichlet[a.node_dof[4]], 0);           // 4 = -3 and 3 = -4 say the same: not forced
  EXPECT_EQ(a.dof_count, 3);                          // {0}, {1, 2, 5}, {3, 4}
}

// Validation ladder T1, T2, T7 (shared/reference/validation_ladder.md):
// exact solutions, measured convergence orders of the L2 error in A over
// three refinements (P1: 2, P2: 3, each within 0.25), and quadratic
// convergence of Newton on the nonlinear T7.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "mesh/templates.hpp"
#include "solver/analytic_references.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "support/backends.hpp"
#include "support/error_norms.hpp"

namespace rm = rotormag;
using rm::solver::MaterialSpec;

namespace {

constexpr double mm = 1e-3;

MaterialSpec linear(double mu_r) {
  MaterialSpec s;
  s.mu_r = mu_r;
  return s;
}
MaterialSpec magnet(double Br, double mu_r) {
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::magnet;
  s.mu_r = mu_r;
  s.remanence_T = Br;
  return s;
}

struct Convergence {
  std::vector<double> h, error;
  double fitted() const { return rm::testing::fitted_order(h, error); }
  double last_pair() const {
    const size_t n = h.size();
    return std::log(error[n - 2] / error[n - 1]) / std::log(h[n - 2] / h[n - 1]);
  }
  void print(const char* name, int order) const {
    for (size_t i = 0; i < h.size(); ++i)
      std::printf("%s P%d: h = %.4f mm, L2 error of A = %.4e Wb m\n", name, order, h[i] / mm, error[i]);
    std::printf("%s P%d: fitted order %.3f, last pair %.3f\n", name, order, fitted(), last_pair());
  }
};

// Solves a concentric-layer problem for each element size and records the error.
Convergence layered_convergence(const char* name, int order, const std::vector<double>& sizes,
                                rm::mesh::ConcentricLayers geometry,
                                const std::function<void(rm::solver::Problem&)>& set_up,
                                const std::function<double(double, double)>& exact, bool exact_dirichlet = true) {
  auto backend = rm::testing::test_backend();
  Convergence c;
  for (double size : sizes) {
    rm::mesh::MeshingOptions options;
    options.order = order;
    options.element_size_m = size;
    const rm::mesh::Mesh m = rm::mesh::build_concentric_layers(geometry, options);
    rm::solver::Problem p;
    p.mesh = &m;
    p.regions.resize(m.regions.size());
    set_up(p);
    rm::solver::add_dirichlet(p, *m.find_boundary(geometry.outer_boundary),
                              exact_dirichlet ? exact : [](double, double) { return 0.0; });
    const auto s = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
    c.h.push_back(rm::testing::mean_element_size(m));
    c.error.push_back(rm::testing::l2_error(m, s.A, exact));
  }
  c.print(name, order);
  return c;
}

void expect_order(const Convergence& c, double expected) {
  EXPECT_NEAR(c.fitted(), expected, 0.25);
  EXPECT_NEAR(c.last_pair(), expected, 0.25);
}

int region(const rm::solver::Problem& p, const char* name) { return p.mesh->find_region(name); }

// T1: magnetized cylinder (R = 10 mm, Br = 1.2 T along x, mu_r = 1.05) in air,
// exact Dirichlet data on R_b = 30 mm.
rm::testing::LayeredCylinder t1_reference() {
  rm::testing::LayeredCylinder ref{{10 * mm}, {1.05, 1.0}, {1.2, 0.0}, {}, {}};
  ref.solve();
  return ref;
}

rm::mesh::ConcentricLayers t1_geometry() {
  rm::mesh::ConcentricLayers g;
  g.radii_m = {10 * mm, 30 * mm};
  g.region_names = {"magnet", "air"};
  return g;
}

void t1_set_up(rm::solver::Problem& p) {
  p.regions[region(p, "magnet")].material = magnet(1.2, 1.05);
  p.regions[region(p, "magnet")].magnetization = {rm::mesh::MagnetizationKind::parallel, 0.0, 1.0};
  p.regions[region(p, "air")].material = linear(1.0);
}

}  // namespace

TEST(T1MagnetizedCylinder, ReferenceMatchesClosedForm) {
  const auto ref = t1_reference();
  EXPECT_NEAR(ref.C[0], 1.2 / 2.05, 1e-14);                   // B_in = Br / (1 + mu_r)
  EXPECT_NEAR(ref.D[1], 1.2 / 2.05 * 1e-4, 1e-16);            // outside: B_in R^2
}

TEST(T1MagnetizedCylinder, P1ConvergesAtOrderTwo) {
  const auto ref = t1_reference();
  const auto c = layered_convergence("T1", 1, {2 * mm, 1 * mm, 0.5 * mm}, t1_geometry(), t1_set_up,
                                     [&](double x, double y) { return ref.potential(x, y); });
  expect_order(c, 2.0);
}

TEST(T1MagnetizedCylinder, P2ConvergesAtOrderThree) {
  const auto ref = t1_reference();
  const auto c = layered_convergence("T1", 2, {4 * mm, 2 * mm, 1 * mm}, t1_geometry(), t1_set_up,
                                     [&](double x, double y) { return ref.potential(x, y); });
  expect_order(c, 3.0);
}

TEST(T1MagnetizedCylinder, FieldInsideTheMagnetIsUniform) {
  const auto ref = t1_reference();
  auto backend = rm::testing::test_backend();
  rm::mesh::MeshingOptions options;
  options.order = 2;
  options.element_size_m = 1.5 * mm;
  const auto m = rm::mesh::build_concentric_layers(t1_geometry(), options);
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  t1_set_up(p);
  rm::solver::add_dirichlet(p, *m.find_boundary("outer"), [&](double x, double y) { return ref.potential(x, y); });
  const auto s = rm::solver::solve(p, *backend, {});
  const double B_in = 1.2 / 2.05, H_in = -1.2 / (rm::kernels::mu0 * 2.05);
  const int magnet_region = m.find_region("magnet");
  for (size_t e = 0; e < m.triangle_count(); ++e) {
    if (m.triangle_region[e] != magnet_region) continue;
    EXPECT_NEAR(s.Bx[e], B_in, 2e-3 * B_in);
    EXPECT_NEAR(s.By[e], 0.0, 2e-3 * B_in);
    EXPECT_NEAR(s.Hm[e], H_in, 2e-3 * std::abs(H_in));  // H along the magnetization: demagnetizing
  }
}

// T2: magnet (10 mm) / air gap (to 12 mm) / linear iron shell mu_r = 1000
// (to 20 mm) / air (to 30 mm), compared with the layered solution.
TEST(T2LayeredCylinder, P1AndP2ConvergeAtTheirOrders) {
  rm::testing::LayeredCylinder ref{{10 * mm, 12 * mm, 20 * mm}, {1.05, 1.0, 1000.0, 1.0}, {1.2, 0, 0, 0}, {}, {}};
  ref.solve();
  rm::mesh::ConcentricLayers g;
  g.radii_m = {10 * mm, 12 * mm, 20 * mm, 30 * mm};
  g.region_names = {"magnet", "air", "iron", "air"};
  auto set_up = [](rm::solver::Problem& p) {
    p.regions[region(p, "magnet")].material = magnet(1.2, 1.05);
    p.regions[region(p, "magnet")].magnetization = {rm::mesh::MagnetizationKind::parallel, 0.0, 1.0};
    p.regions[region(p, "air")].material = linear(1.0);
    p.regions[region(p, "iron")].material = linear(1000.0);
  };
  auto exact = [&](double x, double y) { return ref.potential(x, y); };
  // The shell shields the outside almost completely: B_in close to the
  // closed form for an infinitely permeable shell, k = (12/10)^2.
  const double k = 1.44, infinite_shell = 1.2 * (1 + k) / ((1 + k) + 1.05 * (k - 1));
  EXPECT_NEAR(ref.C[0], infinite_shell, 0.01 * infinite_shell);
  expect_order(layered_convergence("T2", 1, {2 * mm, 1 * mm, 0.5 * mm}, g, set_up, exact), 2.0);
  expect_order(layered_convergence("T2", 2, {4 * mm, 2 * mm, 1 * mm}, g, set_up, exact), 3.0);
}

// T7: 1 kA in a 5 mm conductor, nonlinear iron ring 10-20 mm, air to 30 mm.
namespace {

rm::mesh::ConcentricLayers t7_geometry() {
  rm::mesh::ConcentricLayers g;
  g.radii_m = {5 * mm, 10 * mm, 20 * mm, 30 * mm};
  g.region_names = {"conductor", "air", "iron", "air"};
  return g;
}

constexpr double t7_current = 1000.0;

std::function<void(rm::solver::Problem&)> t7_set_up(MaterialSpec iron) {
  return [iron](rm::solver::Problem& p) {
    p.regions[region(p, "conductor")].material = linear(1.0);
    p.regions[region(p, "conductor")].current_density_A_per_m2 = t7_current / (M_PI * 25 * mm * mm);
    p.regions[region(p, "air")].material = linear(1.0);
    p.regions[region(p, "iron")].material = iron;
  };
}

MaterialSpec getdp_iron() {  // GetDP/ONELAB BH.pro: nu(B) = 100 + 10 exp(1.8 B^2) m/H
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::exponential_reluctivity;
  s.nu_a = 100; s.nu_b = 10; s.nu_c = 1.8;
  return s;
}

MaterialSpec m19_iron() {  // points of FEMM's M-19 curve (shared/data/steel_M-19_FEMM.csv)
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::bh_curve;
  s.B_T = {0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3};
  s.H_A_per_m = {0, 22.7183, 38.6006, 51.4372, 67.2453, 89.9996, 106.2014, 128.5473, 163.7542, 234.8335,
                 435.2552, 1108.3256, 2801.2174, 5591.1069, 9708.8157, 16041.4836, 31313.4959, 88477.4846,
                 159968.5693, 234024.7513};
  return s;
}

}  // namespace

TEST(T7IronRing, GetDPLawConvergesAtTheExpectedOrders) {
  const MaterialSpec iron = getdp_iron();
  rm::testing::IronRingReference ref(5 * mm, 10 * mm, 20 * mm, 30 * mm, t7_current,
                                     [](double b) { return (100 + 10 * std::exp(1.8 * b * b)) * b; });
  std::printf("T7: B in the ring from %.4f T (r = 10 mm) to %.4f T (r = 20 mm)\n", ref.iron_B(10 * mm),
              ref.iron_B(20 * mm));
  EXPECT_GT(ref.iron_B(10 * mm), 1.5);  // deep in saturation: a real nonlinear test
  auto exact = [&](double x, double y) { return ref.potential(x, y); };
  expect_order(layered_convergence("T7 GetDP law", 1, {2 * mm, 1 * mm, 0.5 * mm}, t7_geometry(), t7_set_up(iron),
                                   exact, false),
               2.0);
  expect_order(layered_convergence("T7 GetDP law", 2, {2 * mm, 1 * mm, 0.5 * mm}, t7_geometry(), t7_set_up(iron),
                                   exact, false),
               3.0);
}

TEST(T7IronRing, TabulatedCurveConvergesAtTheExpectedOrders) {
  const MaterialSpec iron = m19_iron();
  // The reference uses the solver's own interpolation of the table (the
  // exact solution of the discrete material law), evaluated on the host.
  rm::kernels::CaseBatch tables;
  const rm::kernels::ReluctivityLaw law = rm::kernels::append_bh_table(tables, iron.B_T, iron.H_A_per_m);
  const rm::kernels::BHKnots knots{tables.knot_B.data(), tables.knot_H.data(), tables.knot_slope.data(),
                                   tables.knot_energy.data()};
  rm::testing::IronRingReference ref(5 * mm, 10 * mm, 20 * mm, 30 * mm, t7_current,
                                     [&](double b) { return rm::kernels::table_law(law, knots, b).nu * b; });
  auto exact = [&](double x, double y) { return ref.potential(x, y); };
  expect_order(layered_convergence("T7 M-19 table", 1, {2 * mm, 1 * mm, 0.5 * mm}, t7_geometry(), t7_set_up(iron),
                                   exact, false),
               2.0);
  expect_order(layered_convergence("T7 M-19 table", 2, {2 * mm, 1 * mm, 0.5 * mm}, t7_geometry(), t7_set_up(iron),
                                   exact, false),
               3.0);
}

// Newton with the exact tangent converges quadratically near the solution:
// log(rho_{k+1}) / log(rho_k) close to 2 for the relative residuals rho
// above round-off.
TEST(T7IronRing, NewtonConvergesQuadratically) {
  auto backend = rm::testing::test_backend();
  for (const MaterialSpec& iron : {getdp_iron(), m19_iron()}) {
    rm::mesh::MeshingOptions options;
    options.order = 2;
    options.element_size_m = 1 * mm;
    const auto m = rm::mesh::build_concentric_layers(t7_geometry(), options);
    rm::solver::Problem p;
    p.mesh = &m;
    p.regions.resize(m.regions.size());
    t7_set_up(iron)(p);
    rm::solver::add_dirichlet(p, *m.find_boundary("outer"), [](double, double) { return 0.0; });
    rm::solver::NewtonSettings settings;
    // CG solves to 1e-12, which floors the Newton residual near 1e-12.
    settings.residual_tolerance = 1e-11;
    settings.update_tolerance = 1e-12;
    const auto s = rm::solver::solve(p, *backend, settings);
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

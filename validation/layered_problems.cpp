// T1, T2, T7 of the validation ladder on concentric layers (problems.hpp).
#include <cmath>
#include <cstdio>

#include "kernels/reluctivity_tables.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "validation/error_norms.hpp"
#include "validation/problems.hpp"

namespace rotormag::validation {

using solver::MaterialSpec;

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

double Convergence::fitted() const { return fitted_order(h, error); }
double Convergence::last_pair() const { return last_pair_order(h, error); }

std::string Convergence::format(const std::string& name, int order) const {
  std::string out;
  char line[256];
  for (size_t i = 0; i < h.size(); ++i) {
    std::snprintf(line, sizeof line, "%s P%d: h = %.4f mm, L2 error of A = %.4e Wb m\n", name.c_str(), order,
                  h[i] / mm, error[i]);
    out += line;
  }
  std::snprintf(line, sizeof line, "%s P%d: fitted order %.3f, last pair %.3f\n", name.c_str(), order, fitted(),
                last_pair());
  return out + line;
}

LayeredSolution solve_layered(const LayeredProblem& problem, int order, double element_size_m,
                              kernels::Backend& backend, const solver::NewtonSettings& settings) {
  mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = element_size_m;
  LayeredSolution out{mesh::build_concentric_layers(problem.geometry, options), {}};
  const mesh::Mesh& m = out.mesh;
  solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  problem.set_up(p);
  solver::add_dirichlet(p, *m.find_boundary(problem.geometry.outer_boundary),
                        problem.exact_dirichlet ? problem.exact : [](double, double) { return 0.0; });
  out.solution = solver::solve(p, backend, settings);
  return out;
}

Convergence layered_convergence(const LayeredProblem& problem, int order, const std::vector<double>& sizes,
                                kernels::Backend& backend) {
  Convergence c;
  for (double size : sizes) {
    const LayeredSolution s = solve_layered(problem, order, size, backend);
    c.h.push_back(mean_element_size(s.mesh));
    c.error.push_back(l2_error(s.mesh, s.solution.A, problem.exact));
  }
  return c;
}

namespace {
int region(const solver::Problem& p, const char* name) { return p.mesh->find_region(name); }
}  // namespace

LayeredCylinder t1_reference() {
  LayeredCylinder ref{{10 * mm}, {t1_mu_r, 1.0}, {t1_Br, 0.0}, {}, {}};
  ref.solve();
  return ref;
}

mesh::ConcentricLayers t1_geometry() {
  mesh::ConcentricLayers g;
  g.radii_m = {10 * mm, 30 * mm};
  g.region_names = {"magnet", "air"};
  return g;
}

void t1_set_up(solver::Problem& p) {
  p.regions[region(p, "magnet")].material = magnet(t1_Br, t1_mu_r);
  p.regions[region(p, "magnet")].magnetization = {mesh::MagnetizationKind::parallel, 0.0, 1.0};
  p.regions[region(p, "air")].material = linear(1.0);
}

LayeredProblem t1_problem() {
  const LayeredCylinder ref = t1_reference();
  return {t1_geometry(), t1_set_up, [ref](double x, double y) { return ref.potential(x, y); }, true};
}

LayeredCylinder t2_reference() {
  LayeredCylinder ref{{10 * mm, 12 * mm, 20 * mm}, {1.05, 1.0, 1000.0, 1.0}, {1.2, 0, 0, 0}, {}, {}};
  ref.solve();
  return ref;
}

LayeredProblem t2_problem() {
  mesh::ConcentricLayers g;
  g.radii_m = {10 * mm, 12 * mm, 20 * mm, 30 * mm};
  g.region_names = {"magnet", "air", "iron", "air"};
  auto set_up = [](solver::Problem& p) {
    p.regions[region(p, "magnet")].material = magnet(1.2, 1.05);
    p.regions[region(p, "magnet")].magnetization = {mesh::MagnetizationKind::parallel, 0.0, 1.0};
    p.regions[region(p, "air")].material = linear(1.0);
    p.regions[region(p, "iron")].material = linear(1000.0);
  };
  const LayeredCylinder ref = t2_reference();
  return {g, set_up, [ref](double x, double y) { return ref.potential(x, y); }, true};
}

double t2_infinite_shell_B_in() {
  const double k = 1.44;
  return 1.2 * (1 + k) / ((1 + k) + 1.05 * (k - 1));
}

mesh::ConcentricLayers t7_geometry() {
  mesh::ConcentricLayers g;
  g.radii_m = {5 * mm, 10 * mm, 20 * mm, 30 * mm};
  g.region_names = {"conductor", "air", "iron", "air"};
  return g;
}

std::function<void(solver::Problem&)> t7_set_up(MaterialSpec iron) {
  return [iron](solver::Problem& p) {
    p.regions[region(p, "conductor")].material = linear(1.0);
    p.regions[region(p, "conductor")].current_density_A_per_m2 = t7_current / (M_PI * 25 * mm * mm);
    p.regions[region(p, "air")].material = linear(1.0);
    p.regions[region(p, "iron")].material = iron;
  };
}

MaterialSpec getdp_iron() {
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::exponential_reluctivity;
  s.nu_a = 100; s.nu_b = 10; s.nu_c = 1.8;
  return s;
}

MaterialSpec m19_iron() {
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::bh_curve;
  s.B_T = {0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3};
  s.H_A_per_m = {0, 22.7183, 38.6006, 51.4372, 67.2453, 89.9996, 106.2014, 128.5473, 163.7542, 234.8335,
                 435.2552, 1108.3256, 2801.2174, 5591.1069, 9708.8157, 16041.4836, 31313.4959, 88477.4846,
                 159968.5693, 234024.7513};
  return s;
}

std::shared_ptr<const IronRingReference> t7_reference(const MaterialSpec& iron) {
  std::function<double(double)> h_of_b;
  if (iron.kind == MaterialSpec::Kind::bh_curve) {
    // The reference uses the solver's own interpolation of the table,
    // evaluated on the host.
    auto tables = std::make_shared<kernels::CaseBatch>();
    const kernels::ReluctivityLaw law = kernels::append_bh_table(*tables, iron.B_T, iron.H_A_per_m);
    h_of_b = [tables, law](double b) {
      const kernels::BHKnots knots{tables->knot_B.data(), tables->knot_H.data(), tables->knot_slope.data(),
                                   tables->knot_energy.data()};
      return kernels::table_law(law, knots, b).nu * b;
    };
  } else if (iron.kind == MaterialSpec::Kind::exponential_reluctivity) {
    const double a = iron.nu_a, b0 = iron.nu_b, c = iron.nu_c;
    h_of_b = [a, b0, c](double b) { return (a + b0 * std::exp(c * b * b)) * b; };
  } else {
    throw std::invalid_argument("t7_reference: the iron must be a B-H table or the exponential law");
  }
  return std::make_shared<const IronRingReference>(5 * mm, 10 * mm, 20 * mm, 30 * mm, t7_current, h_of_b);
}

LayeredProblem t7_problem(const MaterialSpec& iron) {
  std::shared_ptr<const IronRingReference> ref = t7_reference(iron);
  return {t7_geometry(), t7_set_up(iron), [ref](double x, double y) { return ref->potential(x, y); }, false};
}

}  // namespace rotormag::validation

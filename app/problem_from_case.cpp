#include "app/problem_from_case.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace rotormag::app {

solver::MaterialSpec material_at_temperature(const cases::Material& m, double temperature_C) {
  using K = cases::Material::Kind;
  solver::MaterialSpec s;
  switch (m.kind) {
    case K::linear:
      s.kind = solver::MaterialSpec::Kind::linear;
      s.mu_r = m.mu_r;
      break;
    case K::magnet:
      s.kind = solver::MaterialSpec::Kind::magnet;
      if (!m.grade.jh_curves.empty()) {
        const solver::KneeCurve curve = magnet_model(m).at(temperature_C);
        s.mu_r = curve.mu_rec();
        s.remanence_T = curve.remanence_T();
      } else {
        s.mu_r = std::max(1.0, m.grade.mu_rec + m.grade.mu_rec_per_K * (temperature_C - 20.0));
        s.remanence_T = m.grade.Br20_T * (1.0 + m.grade.alpha_Br_per_K * (temperature_C - 20.0));
      }
      break;
    case K::bh_curve:
      s.kind = solver::MaterialSpec::Kind::bh_curve;
      s.B_T = m.curve.B_T;
      s.H_A_per_m = m.curve.H_A_per_m;
      break;
    case K::exponential_reluctivity:
      s.kind = solver::MaterialSpec::Kind::exponential_reluctivity;
      s.nu_a = m.nu_a; s.nu_b = m.nu_b; s.nu_c = m.nu_c;
      break;
  }
  return s;
}

solver::MagnetModel magnet_model(const cases::Material& m) {
  if (m.kind != cases::Material::Kind::magnet)
    throw std::invalid_argument("magnet_model: material '" + m.name + "' is not a magnet");
  const cases::MagnetGrade& g = m.grade;
  solver::MagnetModel model;
  model.name = m.name;
  model.Br20_T = g.Br20_T;
  model.alpha_Br_per_K = g.alpha_Br_per_K;
  model.HcJ20_A_per_m = g.HcJ20_A_per_m;
  model.beta_HcJ_per_K = g.beta_HcJ_per_K;
  model.mu_rec20 = g.mu_rec;
  model.mu_rec_per_K = g.mu_rec_per_K;
  model.squareness = g.squareness;
  model.squareness_estimated = g.knee_confidence == cases::KneeConfidence::estimated;
  model.coefficient_range_low_C = g.coefficient_range_low_C;
  model.coefficient_range_high_C = g.coefficient_range_high_C;
  model.max_working_temperature_C = g.max_working_temperature_C;
  for (const cases::JHCurve& c : g.jh_curves) model.measured.push_back({c.temperature_C, c.h_A_per_m, c.J_T});
  if (!g.jh_curves.empty() && g.curves_confidence != cases::CurveConfidence::measured)
    model.cautions.push_back("the J-H curves are estimates, not measurements (low confidence)");
  if (g.gbd.present()) {
    model.gbd.surface_gain_A_per_m = g.gbd.surface_gain_A_per_m;
    model.gbd.depth_m = g.gbd.depth_m;
    model.beta_gain_per_K = g.gbd.beta_gain_per_K;
    if (g.gbd.profile_confidence != cases::CurveConfidence::measured) {
      char text[200];
      std::snprintf(text, sizeof text, "GBD profile gain(d) = %.4g kA/m exp(-d / %.3g mm): form and depth assumed; "
                    "HcJ20 is the undiffused core", g.gbd.surface_gain_A_per_m / 1e3, g.gbd.depth_m * 1e3);
      model.cautions.push_back(text);
    }
  }
  return model;
}

solver::Problem problem_from_case(const cases::Case& c, const mesh::Mesh& m,
                                  const std::vector<cases::ResolvedRegion>& regions) {
  solver::Problem p;
  p.mesh = &m;
  for (const cases::ResolvedRegion& r : regions) {
    solver::RegionSetup s;
    s.material = material_at_temperature(*r.material, c.temperature_C);
    s.magnetization = r.magnetization;
    s.current_density_A_per_m2 = r.current_density_A_per_m2;
    p.regions.push_back(s);
  }
  // A node on two Dirichlet boundaries keeps the first value given.
  std::vector<char> seen(m.node_count(), 0);
  for (const cases::DirichletBoundary& d : c.dirichlet) {
    const mesh::Boundary* b = m.find_boundary(d.boundary);
    if (!b) continue;  // bind_regions has already reported unknown boundaries
    for (int node : b->nodes) {
      if (seen[node]) continue;
      seen[node] = 1;
      p.dirichlet_nodes.push_back(node);
      p.dirichlet_values.push_back(d.value_Wb_per_m);
    }
  }
  return p;
}

postproc::FieldData fields_for_output(const solver::Solution& s) {
  postproc::FieldData f;
  f.A_Wb_per_m = s.A;
  const size_t ne = s.Bx.size();
  f.B_T.resize(3 * ne);
  f.H_A_per_m.resize(3 * ne);
  f.Bmag_T.resize(ne);
  for (size_t e = 0; e < ne; ++e) {
    f.B_T[3 * e] = s.Bx[e]; f.B_T[3 * e + 1] = s.By[e]; f.B_T[3 * e + 2] = 0;
    f.H_A_per_m[3 * e] = s.Hx[e]; f.H_A_per_m[3 * e + 1] = s.Hy[e]; f.H_A_per_m[3 * e + 2] = 0;
    f.Bmag_T[e] = std::hypot(s.Bx[e], s.By[e]);
  }
  f.Hm_A_per_m = s.Hm;
  return f;
}

solver::NewtonSettings newton_settings(const cases::SolverSettings& s) {
  solver::NewtonSettings n;
  n.max_iterations = s.newton_max_iterations;
  n.residual_tolerance = s.newton_residual_tolerance;
  n.update_tolerance = s.newton_update_tolerance;
  n.line_search = s.line_search;
  n.cg_relative_tolerance = s.cg_relative_tolerance;
  n.cg_max_iterations = s.cg_max_iterations;
  n.preconditioner = s.preconditioner == cases::SolverSettings::Preconditioner::jacobi ? kernels::Preconditioner::jacobi
                     : s.preconditioner == cases::SolverSettings::Preconditioner::multigrid_single
                         ? kernels::Preconditioner::multigrid_single
                         : kernels::Preconditioner::multigrid;
  return n;
}

}  // namespace rotormag::app

#include "setup/field_problem.hpp"

#include "setup/magnet_material.hpp"

namespace rotormag::setup {

solver::Problem problem_from_case(const cases::Case& c, const mesh::Mesh& m,
                                  const std::vector<cases::ResolvedRegion>& regions) {
  solver::Problem p;
  p.mesh = &m;
  for (const cases::ResolvedRegion& r : regions) {
    solver::RegionSetup s;
    s.material = material_at(*r.material, c.temperature_C);
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

solver::NewtonSettings newton_settings(const cases::SolverSettings& s) {
  solver::NewtonSettings n;
  n.max_iterations = s.newton_max_iterations;
  n.residual_tolerance = s.newton_residual_tolerance;
  n.update_tolerance = s.newton_update_tolerance;
  n.line_search = s.line_search;
  n.cg_relative_tolerance = s.cg_relative_tolerance;
  n.cg_max_iterations = s.cg_max_iterations;
  switch (s.preconditioner) {
    case cases::SolverSettings::Preconditioner::jacobi:
      n.preconditioner = kernels::Preconditioner::jacobi;
      break;
    case cases::SolverSettings::Preconditioner::multigrid_single:
      n.preconditioner = kernels::Preconditioner::multigrid_single;
      break;
    case cases::SolverSettings::Preconditioner::multigrid:
      n.preconditioner = kernels::Preconditioner::multigrid;
      break;
  }
  return n;
}

}  // namespace rotormag::setup

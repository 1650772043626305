// The Newton loop. Heavy work (assembly, PCG, vector updates) runs on the
// backend; this file only decides steps and convergence, per case.
#include "solver/magnetostatic_solver.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "solver/discretization.hpp"

namespace rotormag::solver {

void add_dirichlet(Problem& p, const mesh::Boundary& boundary, const std::function<double(double, double)>& value) {
  for (int node : boundary.nodes) {
    p.dirichlet_nodes.push_back(node);
    p.dirichlet_values.push_back(value(p.mesh->x[node], p.mesh->y[node]));
  }
}

std::string NewtonReport::format_history() const {
  std::ostringstream o;
  o << "  step  |R|/|R0|      max|dA| [Wb/m]  line-search  CG its  CG rel.res\n";
  o.precision(3);
  for (size_t k = 0; k < history.size(); ++k) {
    const NewtonStepRecord& h = history[k];
    o << "  " << k + 1 << "\t" << std::scientific << h.residual_norm / (initial_residual > 0 ? initial_residual : 1)
      << "\t" << h.update_max << "\t" << std::defaultfloat << h.step_length << "\t" << h.cg_iterations << "\t"
      << std::scientific << h.cg_relative_residual << "\n";
  }
  return o.str();
}

namespace {

// R: the residual of one case per unknown; reported at a node that carries it.
std::string residual_peak(const mesh::Mesh& m, const kernels::AssemblyMesh& a, const double* R) {
  const size_t n = m.node_count();
  size_t peak = 0;
  bool non_finite = false;
  for (size_t i = 0; i < n; ++i) {
    const double r = R[a.node_dof[i]], best = R[a.node_dof[peak]];
    if (!std::isfinite(r)) { peak = i; non_finite = true; break; }
    if (std::abs(r) > std::abs(best)) peak = i;
  }
  std::string region = "?";
  const int npe = m.nodes_per_triangle();
  for (size_t e = 0; e < m.triangle_count() && region == "?"; ++e)
    for (int k = 0; k < npe; ++k)
      if (m.triangles[e * npe + k] == static_cast<int>(peak)) { region = m.regions[m.triangle_region[e]].name; break; }
  std::ostringstream o;
  o << (non_finite ? "first non-finite residual" : "largest residual") << " at node " << peak << " (x = "
    << m.x[peak] << " m, y = " << m.y[peak] << " m) in region '" << region << "'";
  return o.str();
}

}  // namespace

std::vector<Solution> solve_batch(const std::vector<Problem>& batch, kernels::Backend& backend,
                                  const NewtonSettings& settings, const NewtonProgress& progress) {
  const kernels::AssemblyMesh assembly = discretize(batch);
  backend.load_mesh(assembly);
  backend.set_preconditioner(settings.preconditioner);
  const int nc = static_cast<int>(batch.size());
  bool warm_start = false;
  for (const Problem& p : batch) warm_start = warm_start || !p.initial_potential.empty();
  std::vector<Problem> cold;
  if (warm_start) {
    // The reference load below is measured from A = 0 (Dirichlet data only);
    // the warm start is loaded after it.
    cold = batch;
    for (Problem& p : cold) p.initial_potential.clear();
  }
  backend.load_batch(case_values(warm_start ? cold : batch, assembly));

  bool linear = true;  // a linear problem is solved exactly by one Newton step
  for (const Problem& p : batch)
    for (const RegionSetup& r : p.regions) linear = linear && !r.material.is_nonlinear();

  std::vector<NewtonReport> reports(nc);
  std::vector<char> active(nc, 1);
  // The reference for the relative residual is the load measured on the
  // linearised (B = 0) problem at the start: sources, magnets and Dirichlet
  // data. The residual of the nonlinear law at the start can be meaningless
  // (an exponential law at the B of a Dirichlet jump is astronomically large).
  std::vector<double> reference = backend.assemble({}, true, true);
  if (warm_start) backend.load_batch(case_values(batch, assembly));
  bool lift = !linear && !warm_start;
  if (lift) {
    lift = false;
    for (const Problem& p : batch)
      for (double v : p.dirichlet_values) lift = lift || v != 0.0;
  }
  if (lift) {
    // One linear solve with the initial reluctivity extends the Dirichlet
    // data into the domain; Newton then starts from fields of the right size.
    std::vector<char> nonzero(nc);
    for (int c = 0; c < nc; ++c) nonzero[c] = reference[c] > 0 && std::isfinite(reference[c]);
    backend.solve_update(nonzero, std::vector<double>(nc, settings.cg_relative_tolerance),
                         settings.cg_max_iterations);
    std::vector<double> one(nc, 1.0), u, a;
    backend.apply_update(one, u, a);
  }
  std::vector<double> residual = backend.assemble({}, true);
  for (int c = 0; c < nc; ++c) {
    reports[c].initial_residual = reference[c];
    if (!std::isfinite(residual[c])) {
      reports[c].failure = "the initial residual is not finite (inverted element or invalid material data)";
      active[c] = 0;
    } else if (residual[c] == 0.0 || reference[c] == 0.0) {  // nothing drives the field: solved
      reports[c].converged = true;
      active[c] = 0;
    }
  }

  for (int it = 1; it <= settings.max_iterations; ++it) {
    bool any = false;
    for (char a : active) any = any || a;
    if (!any) break;

    // Inexact Newton: far from the solution a loose linear solve gives the
    // same progress; the forcing term shrinks with the residual, which keeps
    // the quadratic convergence at the end (linear problems: tight at once).
    std::vector<double> forcing(nc, settings.cg_relative_tolerance);
    if (!linear)
      for (int c = 0; c < nc; ++c)
        forcing[c] = std::clamp(0.1 * residual[c] / reports[c].initial_residual, settings.cg_relative_tolerance, 1e-3);
    const std::vector<kernels::LinearSolveStats> cg =
        backend.solve_update(active, forcing, settings.cg_max_iterations);
    for (int c = 0; c < nc; ++c) {
      if (!active[c] || cg[c].converged) continue;
      std::ostringstream why;
      if (cg[c].breakdown)
        why << "CG breakdown at iteration " << cg[c].iterations << ": the Newton tangent is not positive definite";
      else
        why << "CG did not converge in " << cg[c].iterations << " iterations (relative residual "
            << cg[c].relative_residual << ", tolerance " << forcing[c] << ")";
      reports[c].failure = why.str();
      active[c] = 0;
    }

    // Backtracking line search on the residual norm (Armijo-like, per case).
    std::vector<double> step(nc, 0.0);
    for (int c = 0; c < nc; ++c) step[c] = active[c] ? 1.0 : 0.0;
    std::vector<double> trial = backend.assemble(step, false);
    if (settings.line_search && !linear) {
      for (int halving = 0; halving < 12; ++halving) {
        bool retry = false;
        for (int c = 0; c < nc; ++c) {
          if (!active[c]) continue;
          const bool good = std::isfinite(trial[c]) && trial[c] <= (1.0 - 1e-4 * step[c]) * residual[c];
          const bool at_noise = residual[c] <= settings.residual_tolerance * reports[c].initial_residual;
          if (!good && !at_noise && step[c] > 1.0 / 4096) { step[c] *= 0.5; retry = true; }
        }
        if (!retry) break;
        trial = backend.assemble(step, false);
      }
    }
    for (int c = 0; c < nc; ++c) {
      if (!active[c]) continue;
      const bool at_noise = residual[c] <= settings.residual_tolerance * reports[c].initial_residual;
      if (!std::isfinite(trial[c])) {
        reports[c].failure = "the residual became NaN or infinite";
        active[c] = 0; step[c] = 0;
      } else if (settings.line_search && !linear && trial[c] >= residual[c] && !at_noise) {
        reports[c].failure = "stagnation: the line search could not reduce the residual";
        active[c] = 0; step[c] = 0;
      }
    }

    std::vector<double> update_max, potential_max;
    backend.apply_update(step, update_max, potential_max);
    residual = backend.assemble({}, true);

    std::vector<double> relative(nc, 0.0);
    for (int c = 0; c < nc; ++c) {
      NewtonReport& r = reports[c];
      relative[c] = residual[c] / r.initial_residual;
      if (!active[c]) continue;
      r.iterations = it;
      r.history.push_back({residual[c], update_max[c], step[c], cg[c].iterations, cg[c].relative_residual});
      // A linear problem is solved by one step whose CG converged; its residual
      // is then at the CG tolerance (or at round-off when the load itself is).
      const bool residual_ok = linear || relative[c] <= settings.residual_tolerance;
      const bool update_ok = linear || update_max[c] <= settings.update_tolerance * potential_max[c];
      if (!std::isfinite(residual[c])) {
        r.failure = "the residual became NaN or infinite";
        active[c] = 0;
      } else if (relative[c] > 1e8) {
        r.failure = "divergence: the residual grew by more than 1e8";
        active[c] = 0;
      } else if (residual_ok && update_ok) {
        r.converged = true;
        active[c] = 0;
      }
    }
    if (progress) progress(it, relative);
  }
  for (int c = 0; c < nc; ++c)
    if (!reports[c].converged && reports[c].failure.empty())
      reports[c].failure = "no convergence in " + std::to_string(settings.max_iterations) + " Newton iterations";

  // Where did a failure start? The node with a non-finite residual, else the
  // largest one, and the region of an element around it.
  bool any_failed = false;
  for (const NewtonReport& r : reports) any_failed = any_failed || !r.converged;
  if (any_failed) {
    const std::vector<double> R = backend.residual();
    for (int c = 0; c < nc; ++c)
      if (!reports[c].converged)
        reports[c].failure_location =
            residual_peak(*batch[c].mesh, assembly, R.data() + static_cast<size_t>(c) * assembly.dof_count);
  }

  // Post-processing at the final potential.
  const std::vector<double> A = backend.potential();
  const kernels::ElementFields f = backend.element_fields();
  const mesh::Mesh& m = *batch.front().mesh;
  const size_t ne = m.triangle_count();
  std::vector<Solution> out(nc);
  for (int c = 0; c < nc; ++c) {
    Solution& s = out[c];
    s.report = reports[c];
    s.A = node_potential(assembly, A.data() + static_cast<size_t>(c) * assembly.dof_count);
    s.unknowns = 0;
    for (char d : assembly.dirichlet) s.unknowns += d ? 0 : 1;
    const size_t o = c * ne;
    s.Bx.assign(f.bx.begin() + o, f.bx.begin() + o + ne);
    s.By.assign(f.by.begin() + o, f.by.begin() + o + ne);
    s.Hx.assign(f.hx.begin() + o, f.hx.begin() + o + ne);
    s.Hy.assign(f.hy.begin() + o, f.hy.begin() + o + ne);
    s.element_energy.assign(f.energy.begin() + o, f.energy.begin() + o + ne);
    s.element_potential.assign(f.potential.begin() + o, f.potential.begin() + o + ne);
    s.element_area = f.area;
    s.Hm.assign(ne, 0.0);
    s.energy_J_per_m = 0;
    for (size_t e = 0; e < ne; ++e) {
      s.energy_J_per_m += s.element_energy[e];
      const RegionSetup& r = batch[c].regions[m.triangle_region[e]];
      if (r.material.kind != MaterialSpec::Kind::magnet) continue;
      double mx, my;
      magnetization_direction(m, static_cast<int>(e), r.magnetization, mx, my);
      s.Hm[e] = s.Hx[e] * mx + s.Hy[e] * my;
    }
  }
  return out;
}

std::string newton_failure_message(const NewtonReport& report) {
  return "Newton solve failed: " + report.failure + "; " + report.failure_location + "\n" + report.format_history();
}

Solution solve(const Problem& problem, kernels::Backend& backend, const NewtonSettings& settings,
               const NewtonProgress& progress) {
  std::vector<Solution> s = solve_batch({problem}, backend, settings, progress);
  if (!s.front().report.converged) throw SolveError(newton_failure_message(s.front().report), s.front().report);
  return std::move(s.front());
}

}  // namespace rotormag::solver

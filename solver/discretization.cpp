#include "solver/discretization.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "kernels/config.hpp"
#include "kernels/reluctivity_tables.hpp"
#include "solver/signed_links.hpp"

namespace rotormag::solver {
namespace {

void check_material(const MaterialSpec& m, const std::string& region) {
  auto fail = [&](const std::string& why) { throw ProblemError("region '" + region + "': " + why); };
  switch (m.kind) {
    case MaterialSpec::Kind::linear:
    case MaterialSpec::Kind::magnet:
      if (!(m.mu_r > 0) || !std::isfinite(m.mu_r)) fail("relative permeability must be positive");
      if (m.kind == MaterialSpec::Kind::magnet && !std::isfinite(m.remanence_T)) fail("remanence is not finite");
      break;
    case MaterialSpec::Kind::bh_curve:
      if (m.B_T.size() < 2 || m.B_T.size() != m.H_A_per_m.size()) fail("B-H table needs matching B and H columns");
      for (size_t k = 1; k < m.B_T.size(); ++k)
        if (!(m.B_T[k] > m.B_T[k - 1]) || !(m.H_A_per_m[k] > m.H_A_per_m[k - 1]))
          fail("B-H table is not strictly increasing at point " + std::to_string(k + 1));
      if (m.B_T.front() != 0.0 || m.H_A_per_m.front() != 0.0) fail("B-H table must start at (0, 0)");
      break;
    case MaterialSpec::Kind::exponential_reluctivity:
      if (!(m.nu_a > 0) || m.nu_b < 0 || m.nu_c < 0) fail("reluctivity law needs a > 0, b >= 0, c >= 0");
      break;
  }
}

bool same_links(const std::vector<NodeLink>& a, const std::vector<NodeLink>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (a[k].node != b[k].node || a[k].master != b[k].master || a[k].sign != b[k].sign) return false;
  return true;
}

}  // namespace

void magnetization_direction(const mesh::Mesh& m, int e, const mesh::MagnetizationHint& hint, double& mx,
                             double& my) {
  mx = my = 0;
  if (hint.kind == mesh::MagnetizationKind::parallel) {
    mx = std::cos(hint.angle_rad);
    my = std::sin(hint.angle_rad);
  } else if (hint.kind == mesh::MagnetizationKind::radial) {
    // Radial from the rotor axis (origin), taken at the element centroid.
    const int npe = m.nodes_per_triangle();
    double cx = 0, cy = 0;
    for (int i = 0; i < 3; ++i) {
      cx += m.x[m.triangles[e * npe + i]] / 3;
      cy += m.y[m.triangles[e * npe + i]] / 3;
    }
    const double r = std::hypot(cx, cy);
    if (r > 0) { mx = hint.sign * cx / r; my = hint.sign * cy / r; }
  }
}

kernels::AssemblyMesh discretize(const std::vector<Problem>& batch) {
  if (batch.empty()) throw ProblemError("empty batch");
  const mesh::Mesh* m = batch.front().mesh;
  if (!m) throw ProblemError("problem without a mesh");
  for (const Problem& p : batch) {
    if (p.mesh != m) throw ProblemError("cases of one batch must share one mesh");
    if (p.regions.size() != m->regions.size())
      throw ProblemError("one region set-up per mesh region expected (" + std::to_string(m->regions.size()) +
                         "), got " + std::to_string(p.regions.size()));
    if (p.dirichlet_nodes != batch.front().dirichlet_nodes)
      throw ProblemError("cases of one batch must prescribe A on the same nodes");
    if (!same_links(p.links, batch.front().links))
      throw ProblemError("cases of one batch must share the same node links (periodic boundaries, moving band)");
    if (p.dirichlet_nodes.size() != p.dirichlet_values.size())
      throw ProblemError("one Dirichlet value per Dirichlet node expected");
    if (!p.element_remanence_factor.empty() && p.element_remanence_factor.size() != m->triangle_count())
      throw ProblemError("one remanence factor per element expected (" + std::to_string(m->triangle_count()) + "), got " +
                         std::to_string(p.element_remanence_factor.size()));
    // Negative: an element driven past HcJ recoils on a reversed line.
    for (double f : p.element_remanence_factor)
      if (!(f >= -1 && f <= 1)) throw ProblemError("remanence factors must lie in [-1, 1]");
    for (size_t r = 0; r < p.regions.size(); ++r) {
      check_material(p.regions[r].material, m->regions[r].name);
      if (p.regions[r].material.kind == MaterialSpec::Kind::magnet &&
          p.regions[r].magnetization.kind == mesh::MagnetizationKind::none)
        throw ProblemError("region '" + m->regions[r].name + "': magnet without a magnetization direction");
    }
  }
  const Problem& first = batch.front();
  bool antiperiodic = false;  // an anti-periodic pair fixes the constant of A as a Dirichlet node does
  for (const NodeLink& l : first.links) antiperiodic = antiperiodic || l.sign < 0;
  if (first.dirichlet_nodes.empty() && !antiperiodic)
    throw ProblemError("no Dirichlet boundary: A is defined only up to a constant; prescribe A on a boundary");

  kernels::AssemblyMesh a;
  a.order = m->order;
  a.nodes_per_element = m->nodes_per_triangle();
  a.node_count = static_cast<int>(m->node_count());
  a.element_count = static_cast<int>(m->triangle_count());
  a.x = m->x;
  a.y = m->y;
  a.connectivity = m->triangles;
  a.element_law = m->triangle_region;  // one law slot per region

  // Unknowns: one per root of the link forest, then renumbered for locality
  // (reverse Cuthill-McKee: the sparse kernels' gathers stay near their row).
  SignedLinks links(a.node_count);
  for (const NodeLink& l : first.links) {
    if (l.node < 0 || l.node >= a.node_count || l.master < 0 || l.master >= a.node_count)
      throw ProblemError("node link " + std::to_string(l.node) + " -> " + std::to_string(l.master) + " not in the mesh");
    if (l.sign != 1.0 && l.sign != -1.0) throw ProblemError("node link signs must be +1 or -1");
    links.link(l.node, l.master, l.sign);
  }
  std::vector<int> dof_of_root(a.node_count, -1);
  a.node_dof.resize(a.node_count);
  a.node_sign.resize(a.node_count);
  a.dof_count = 0;
  for (int i = 0; i < a.node_count; ++i) {
    const auto [root, sign] = links.find(i);
    if (dof_of_root[root] < 0) dof_of_root[root] = a.dof_count++;
    a.node_dof[i] = dof_of_root[root];
    a.node_sign[i] = sign;
  }
  kernels::number_unknowns_for_locality(a);
  a.dirichlet.assign(a.dof_count, 0);
  for (int i = 0; i < a.node_count; ++i)
    if (links.forced_zero(links.find(i).first)) a.dirichlet[a.node_dof[i]] = 1;
  for (int node : first.dirichlet_nodes) {
    if (node < 0 || node >= a.node_count) throw ProblemError("Dirichlet node " + std::to_string(node) + " not in the mesh");
    a.dirichlet[a.node_dof[node]] = 1;
  }
  kernels::build_sparsity(a);
  return a;
}

std::vector<double> node_potential(const kernels::AssemblyMesh& a, const double* u) {
  std::vector<double> A(a.node_count);
  for (int i = 0; i < a.node_count; ++i) A[i] = a.node_sign[i] * u[a.node_dof[i]];
  return A;
}

kernels::CaseBatch case_values(const std::vector<Problem>& batch, const kernels::AssemblyMesh& assembly) {
  const mesh::Mesh& m = *batch.front().mesh;
  const int ne = static_cast<int>(m.triangle_count()), nn = assembly.dof_count;
  const int nr = static_cast<int>(m.regions.size());
  kernels::CaseBatch b;
  b.size = static_cast<int>(batch.size());
  b.law_count = nr;
  b.remanence_x.assign(static_cast<size_t>(b.size) * ne, 0.0);
  b.remanence_y.assign(static_cast<size_t>(b.size) * ne, 0.0);
  b.current_density.assign(static_cast<size_t>(b.size) * ne, 0.0);
  b.initial_potential.assign(static_cast<size_t>(b.size) * nn, 0.0);
  for (int c = 0; c < b.size; ++c) {
    const Problem& p = batch[c];
    for (int r = 0; r < nr; ++r) {
      const MaterialSpec& s = p.regions[r].material;
      kernels::ReluctivityLaw law;
      law.kind = s.kind;
      switch (s.kind) {
        case MaterialSpec::Kind::linear:
        case MaterialSpec::Kind::magnet:
          law.nu = 1.0 / (kernels::mu0 * s.mu_r);
          break;
        case MaterialSpec::Kind::bh_curve:
          law = kernels::append_bh_table(b, s.B_T, s.H_A_per_m);
          break;
        case MaterialSpec::Kind::exponential_reluctivity:
          law.a = s.nu_a; law.b = s.nu_b; law.c = s.nu_c;
          break;
      }
      b.laws.push_back(law);
    }
    for (int e = 0; e < ne; ++e) {
      const RegionSetup& r = p.regions[m.triangle_region[e]];
      const size_t ce = static_cast<size_t>(c) * ne + e;
      b.current_density[ce] = r.current_density_A_per_m2;
      if (r.material.kind == MaterialSpec::Kind::magnet) {
        double mx, my;
        magnetization_direction(m, e, r.magnetization, mx, my);
        const double f = p.element_remanence_factor.empty() ? 1.0 : p.element_remanence_factor[e];
        b.remanence_x[ce] = f * r.material.remanence_T * mx;
        b.remanence_y[ce] = f * r.material.remanence_T * my;
      }
    }
    if (!p.initial_potential.empty()) {
      if (p.initial_potential.size() != m.node_count())
        throw ProblemError("the initial potential needs one value per node (" + std::to_string(m.node_count()) +
                           "), got " + std::to_string(p.initial_potential.size()));
      for (size_t node = 0; node < m.node_count(); ++node) {
        const double a = p.initial_potential[node];
        if (std::isfinite(a))
          b.initial_potential[static_cast<size_t>(c) * nn + assembly.node_dof[node]] = assembly.node_sign[node] * a;
      }
    }
    // A node's value prescribes its unknown: u = sign * A. Two nodes sharing
    // an unknown must agree (a Dirichlet boundary across a periodic pair).
    std::vector<char> set(nn, 0);
    for (size_t k = 0; k < p.dirichlet_nodes.size(); ++k) {
      const int node = p.dirichlet_nodes[k];
      const int dof = assembly.node_dof[node];
      const double u = assembly.node_sign[node] * p.dirichlet_values[k];
      double& slot = b.initial_potential[static_cast<size_t>(c) * nn + dof];
      if (set[dof] && std::abs(slot - u) > 1e-12 * (std::abs(slot) + std::abs(u)))
        throw ProblemError("node " + std::to_string(node) + ": its prescribed A = " + std::to_string(p.dirichlet_values[k]) +
                           " contradicts the value its periodic partner prescribes");
      slot = u;
      set[dof] = 1;
    }
  }
  return b;
}

}  // namespace rotormag::solver

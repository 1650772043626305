#include "solver/discretization.hpp"

#include <cmath>
#include <string>

#include "kernels/config.hpp"

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
    if (p.dirichlet_nodes.size() != p.dirichlet_values.size())
      throw ProblemError("one Dirichlet value per Dirichlet node expected");
    for (size_t r = 0; r < p.regions.size(); ++r) {
      check_material(p.regions[r].material, m->regions[r].name);
      if (p.regions[r].material.kind == MaterialSpec::Kind::magnet &&
          p.regions[r].magnetization.kind == mesh::MagnetizationKind::none)
        throw ProblemError("region '" + m->regions[r].name + "': magnet without a magnetization direction");
    }
  }
  if (batch.front().dirichlet_nodes.empty())
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
  a.dirichlet.assign(a.node_count, 0);
  for (int node : batch.front().dirichlet_nodes) {
    if (node < 0 || node >= a.node_count) throw ProblemError("Dirichlet node " + std::to_string(node) + " not in the mesh");
    a.dirichlet[node] = 1;
  }
  kernels::build_sparsity(a);
  return a;
}

kernels::CaseBatch case_values(const std::vector<Problem>& batch) {
  const mesh::Mesh& m = *batch.front().mesh;
  const int ne = static_cast<int>(m.triangle_count()), nn = static_cast<int>(m.node_count());
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
      switch (s.kind) {
        case MaterialSpec::Kind::linear:
          law.kind = kernels::LawKind::linear;
          law.nu = 1.0 / (kernels::mu0 * s.mu_r);
          break;
        case MaterialSpec::Kind::magnet:
          law.kind = kernels::LawKind::magnet;
          law.nu = 1.0 / (kernels::mu0 * s.mu_r);
          break;
        case MaterialSpec::Kind::bh_curve:
          law = kernels::append_bh_table(b, s.B_T, s.H_A_per_m);
          break;
        case MaterialSpec::Kind::exponential_reluctivity:
          law.kind = kernels::LawKind::exponential_reluctivity;
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
        b.remanence_x[ce] = r.material.remanence_T * mx;
        b.remanence_y[ce] = r.material.remanence_T * my;
      }
    }
    for (size_t k = 0; k < p.dirichlet_nodes.size(); ++k)
      b.initial_potential[static_cast<size_t>(c) * nn + p.dirichlet_nodes[k]] = p.dirichlet_values[k];
  }
  return b;
}

}  // namespace rotormag::solver

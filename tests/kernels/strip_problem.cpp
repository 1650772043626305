#include "strip_problem.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace rotormag::kernel_tests {
namespace {

// The nodes of element t, counter-clockwise.
std::array<int, 3> element_nodes(int t) {
  return t % 2 == 0 ? std::array<int, 3>{t, t + 2, t + 1} : std::array<int, 3>{t, t + 1, t + 2};
}

// P1 element of the strip: area and the gradients' numerators b_i = y_j - y_k,
// c_i = x_k - x_j (grad N_i = (b_i, c_i) / (2 area)).
struct P1Element {
  std::array<int, 3> node;
  double area;
  std::array<double, 3> b, c;
};
P1Element p1_element(const kernels::AssemblyMesh& m, int t) {
  P1Element e;
  e.node = element_nodes(t);
  for (int i = 0; i < 3; ++i) {
    const int j = e.node[(i + 1) % 3], k = e.node[(i + 2) % 3];
    e.b[i] = m.y[j] - m.y[k];
    e.c[i] = m.x[k] - m.x[j];
  }
  const auto& n = e.node;
  e.area = 0.5 * ((m.x[n[1]] - m.x[n[0]]) * (m.y[n[2]] - m.y[n[0]]) - (m.x[n[2]] - m.x[n[0]]) * (m.y[n[1]] - m.y[n[0]]));
  return e;
}

// K_ij = nu (b_i b_j + c_i c_j) / (4 area): integers for nu = 2k on the strip.
double stiffness(const P1Element& e, double nu, int i, int j) {
  return nu * (e.b[i] * e.b[j] + e.c[i] * e.c[j]) / (4 * e.area);
}

// The tangent as the kernels assemble it, row by row (column, value).
using SparseRows = std::vector<std::vector<std::pair<int, double>>>;
SparseRows tangent(const kernels::AssemblyMesh& m, const StripCase& c) {
  SparseRows rows(m.dof_count);
  auto add = [&](int i, int j, double v) {
    for (auto& [col, value] : rows[i])
      if (col == j) {
        value += v;
        return;
      }
    rows[i].push_back({j, v});
  };
  for (int t = 0; t < m.element_count; ++t) {
    const P1Element e = p1_element(m, t);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        if (!m.dirichlet[e.node[i]] && !m.dirichlet[e.node[j]]) add(e.node[i], e.node[j], stiffness(e, c.nu, i, j));
  }
  for (int i = 0; i < m.dof_count; ++i)
    if (m.dirichlet[i]) add(i, i, 1.0);
  return rows;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

kernels::AssemblyMesh strip_mesh(int rows, int dirichlet_spacing) {
  if (rows < 1) throw std::invalid_argument("strip_mesh: at least one row");
  kernels::AssemblyMesh m;
  m.order = 1;
  m.nodes_per_element = 3;
  m.node_count = rows;
  m.element_count = std::max(rows - 2, 0);
  for (int i = 0; i < rows; ++i) {
    m.x.push_back(i / 2);
    m.y.push_back(i % 2);
  }
  for (int t = 0; t < m.element_count; ++t) {
    const auto n = element_nodes(t);
    m.connectivity.insert(m.connectivity.end(), n.begin(), n.end());
  }
  m.element_law.assign(m.element_count, 0);
  kernels::own_unknown_per_node(m);
  m.dirichlet.assign(rows, 0);
  for (int i : {0, 1, rows - 2, rows - 1})
    if (i >= 0 && i < rows) m.dirichlet[i] = 1;
  if (dirichlet_spacing > 0)
    for (int i = 0; i < rows; ++i)
      if ((i / 2) % dirichlet_spacing == 0) m.dirichlet[i] = 1;
  kernels::build_sparsity(m);
  return m;
}

kernels::CaseBatch strip_batch(const kernels::AssemblyMesh& m, const std::vector<StripCase>& cases) {
  kernels::CaseBatch b;
  b.size = static_cast<int>(cases.size());
  b.law_count = 1;
  for (const StripCase& c : cases) {
    if (static_cast<int>(c.potential.size()) != m.dof_count)
      throw std::invalid_argument("strip_batch: one potential per unknown");
    kernels::ReluctivityLaw law;
    law.kind = kernels::LawKind::linear;
    law.nu = c.nu;
    b.laws.push_back(law);
    b.remanence_x.insert(b.remanence_x.end(), m.element_count, 0.0);
    b.remanence_y.insert(b.remanence_y.end(), m.element_count, 0.0);
    b.current_density.insert(b.current_density.end(), m.element_count, c.current_density);
    b.initial_potential.insert(b.initial_potential.end(), c.potential.begin(), c.potential.end());
  }
  return b;
}

double integer_potential(int c, int i) {
  const unsigned h = (static_cast<unsigned>(i) * 2654435761u) ^ (static_cast<unsigned>(c + 1) * 40503u);
  return static_cast<double>(static_cast<int>((h >> 7) % 15u) - 7);
}

std::vector<double> linear_potential_data(const kernels::AssemblyMesh& m) {
  std::vector<double> a(m.dof_count, 0.0);
  for (int i = 0; i < m.dof_count; ++i)
    if (m.dirichlet[i]) a[i] = m.x[i];
  return a;
}

std::vector<double> reference_residual(const kernels::AssemblyMesh& m, const StripCase& c) {
  std::vector<double> r(m.dof_count, 0.0);
  for (int t = 0; t < m.element_count; ++t) {
    const P1Element e = p1_element(m, t);
    for (int i = 0; i < 3; ++i) {
      if (m.dirichlet[e.node[i]]) continue;
      double ri = -c.current_density * e.area / 3;
      for (int j = 0; j < 3; ++j) ri += stiffness(e, c.nu, i, j) * c.potential[e.node[j]];
      r[e.node[i]] += ri;
    }
  }
  return r;
}

std::vector<double> reference_jacobi_cg(const kernels::AssemblyMesh& m, const StripCase& c, int iterations) {
  const SparseRows K = tangent(m, c);
  const int n = m.dof_count;
  auto apply = [&](const std::vector<double>& v) {
    std::vector<double> y(n, 0.0);
    for (int i = 0; i < n; ++i)
      for (const auto& [j, value] : K[i]) y[i] += value * v[j];
    return y;
  };
  std::vector<double> inverse_diagonal(n, 1.0);
  for (int i = 0; i < n; ++i)
    for (const auto& [j, value] : K[i])
      if (j == i && value > 0) inverse_diagonal[i] = 1.0 / value;
  std::vector<double> x(n, 0.0), r = reference_residual(m, c), z(n), p(n);
  for (double& v : r) v = -v;
  for (int i = 0; i < n; ++i) z[i] = inverse_diagonal[i] * r[i];
  p = z;
  double rz = dot(r, z);
  for (int it = 0; it < iterations; ++it) {
    const std::vector<double> q = apply(p);
    const double pq = dot(p, q);
    const double alpha = pq > 0 ? rz / pq : 0.0;
    for (int i = 0; i < n; ++i) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
    }
    for (int i = 0; i < n; ++i) z[i] = inverse_diagonal[i] * r[i];
    const double rz_new = dot(r, z), beta = rz_new / rz;
    rz = rz_new;
    for (int i = 0; i < n; ++i) p[i] = z[i] + beta * p[i];
  }
  return x;
}

ReferenceFields reference_fields(const kernels::AssemblyMesh& m, const StripCase& c) {
  ReferenceFields f;
  for (int t = 0; t < m.element_count; ++t) {
    const P1Element e = p1_element(m, t);
    double bx = 0, by = 0, sum = 0;
    for (int i = 0; i < 3; ++i) {
      const double a = c.potential[e.node[i]];
      bx += a * e.c[i] / (2 * e.area);   // dA/dy
      by -= a * e.b[i] / (2 * e.area);   // -dA/dx
      sum += a;
    }
    f.bx.push_back(bx);
    f.by.push_back(by);
    f.hx.push_back(c.nu * bx);
    f.hy.push_back(c.nu * by);
    f.energy.push_back(e.area * 0.5 * c.nu * (bx * bx + by * by));
    f.potential.push_back(e.area * sum / 3);
    f.area.push_back(e.area);
  }
  return f;
}

double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return INFINITY;
  double d = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    d = std::max(d, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return scale > 0 ? d / scale : d;
}

std::vector<double> slice(const std::vector<double>& v, int c, int n) {
  return std::vector<double>(v.begin() + static_cast<long>(c) * n, v.begin() + static_cast<long>(c + 1) * n);
}

}  // namespace rotormag::kernel_tests

#include "solver/air_gap_torque.hpp"

#include <algorithm>
#include <cmath>

#include "kernels/config.hpp"
#include "kernels/reference_element.hpp"

namespace rotormag::solver {

Annulus region_annulus(const mesh::Mesh& m, int region, double span_rad) {
  Annulus a;
  a.inner_m = 1e300;
  const int npe = m.nodes_per_triangle();
  double area = 0;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] != region) continue;
    double x[6], y[6], dNdx[6], dNdy[6];
    for (int i = 0; i < npe; ++i) {
      const int v = m.triangles[t * npe + i];
      x[i] = m.x[v];
      y[i] = m.y[v];
      const double r = std::hypot(x[i], y[i]);
      a.inner_m = std::min(a.inner_m, r);
      a.outer_m = std::max(a.outer_m, r);
    }
    for (int q = 0; q < kernels::quadrature_size(2); ++q) {
      const auto qp = kernels::quadrature_point(2, q);
      area += qp.weight * kernels::physical_gradients(m.order, x, y, qp.xi, qp.eta, dNdx, dNdy);
    }
  }
  if (a.outer_m == 0) return Annulus{};
  a.area_m2 = area;
  const double ring = 0.5 * span_rad * (a.outer_m * a.outer_m - a.inner_m * a.inner_m);
  a.is_annulus = std::abs(area - ring) <= 1e-3 * ring;
  return a;
}

double arkkio_torque_per_m(const mesh::Mesh& m, const std::vector<double>& A, int region, double inner_m,
                           double outer_m) {
  const int npe = m.nodes_per_triangle();
  double integral = 0;  // of r B_r B_theta
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] != region) continue;
    double x[6], y[6], a[6];
    for (int i = 0; i < npe; ++i) {
      const int v = m.triangles[t * npe + i];
      x[i] = m.x[v];
      y[i] = m.y[v];
      a[i] = A[v];
    }
    for (int q = 0; q < kernels::quadrature_size(2); ++q) {
      const auto qp = kernels::quadrature_point(2, q);
      double dNdx[6], dNdy[6], N[6];
      const double w = qp.weight * kernels::physical_gradients(m.order, x, y, qp.xi, qp.eta, dNdx, dNdy);
      kernels::shape_values(m.order, qp.xi, qp.eta, N);
      double bx = 0, by = 0, px = 0, py = 0;
      for (int i = 0; i < npe; ++i) {
        bx += a[i] * dNdy[i];
        by -= a[i] * dNdx[i];
        px += N[i] * x[i];
        py += N[i] * y[i];
      }
      // r B_r B_theta = (x Bx + y By)(x By - y Bx) / r
      const double r = std::hypot(px, py);
      integral += w * (px * bx + py * by) * (px * by - py * bx) / r;
    }
  }
  return integral / (kernels::mu0 * (outer_m - inner_m));
}

}  // namespace rotormag::solver

#pragma once
// Discretisation errors against exact solutions, integrated with the
// isoparametric geometry of the mesh (curved P2 elements included).
#include <cmath>
#include <functional>
#include <vector>

#include "kernels/reference_element.hpp"
#include "mesh/mesh.hpp"

namespace rotormag::testing {

// || A_h - A ||_L2 over the mesh (6-point rule per element).
inline double l2_error(const mesh::Mesh& m, const std::vector<double>& A,
                       const std::function<double(double, double)>& exact) {
  const int npe = m.nodes_per_triangle();
  double sum = 0;
  for (size_t e = 0; e < m.triangle_count(); ++e) {
    double x[6], y[6], a[6];
    for (int i = 0; i < npe; ++i) {
      const int n = m.triangles[e * npe + i];
      x[i] = m.x[n]; y[i] = m.y[n]; a[i] = A[n];
    }
    for (int q = 0; q < 6; ++q) {
      const auto qp = kernels::quadrature_point(2, q);
      double N[6], dx[6], dy[6];
      kernels::shape_values(m.order, qp.xi, qp.eta, N);
      const double det = kernels::physical_gradients(m.order, x, y, qp.xi, qp.eta, dx, dy);
      double px = 0, py = 0, ah = 0;
      for (int i = 0; i < npe; ++i) { px += N[i] * x[i]; py += N[i] * y[i]; ah += N[i] * a[i]; }
      const double d = ah - exact(px, py);
      sum += qp.weight * det * d * d;
    }
  }
  return std::sqrt(sum);
}

// Mesh size proxy: sqrt(mean element area).
inline double mean_element_size(const mesh::Mesh& m) {
  const int npe = m.nodes_per_triangle();
  double area = 0;
  for (size_t e = 0; e < m.triangle_count(); ++e) {
    const int a = m.triangles[e * npe], b = m.triangles[e * npe + 1], c = m.triangles[e * npe + 2];
    area += 0.5 * ((m.x[b] - m.x[a]) * (m.y[c] - m.y[a]) - (m.x[c] - m.x[a]) * (m.y[b] - m.y[a]));
  }
  return std::sqrt(area / m.triangle_count());
}

// Least-squares slope of log(error) against log(h).
inline double fitted_order(const std::vector<double>& h, const std::vector<double>& err) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = static_cast<double>(h.size());
  for (size_t i = 0; i < h.size(); ++i) {
    const double lx = std::log(h[i]), ly = std::log(err[i]);
    sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace rotormag::testing

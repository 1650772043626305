#pragma once
// Discretisation errors against exact solutions, integrated with the
// isoparametric geometry of the mesh (curved P2 elements included).
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "kernels/reference_element.hpp"
#include "mesh/mesh.hpp"

namespace rotormag::validation {

// The FE solution at the 6 quadrature points of triangle t (isoparametric,
// curved P2 included): calls f(x, y, weight, A_h, Bx, By) for each, the
// weight including the Jacobian.
template <class F>
void for_each_quadrature_point(const mesh::Mesh& m, const std::vector<double>& A, size_t t, F&& f) {
  const int npe = m.nodes_per_triangle();
  double x[6], y[6], a[6];
  for (int i = 0; i < npe; ++i) {
    const int v = m.triangles[t * npe + i];
    x[i] = m.x[v]; y[i] = m.y[v]; a[i] = A[v];
  }
  for (int q = 0; q < 6; ++q) {
    const auto qp = kernels::quadrature_point(2, q);
    double N[6], dx[6], dy[6];
    kernels::shape_values(m.order, qp.xi, qp.eta, N);
    const double w = qp.weight * kernels::physical_gradients(m.order, x, y, qp.xi, qp.eta, dx, dy);
    double px = 0, py = 0, ah = 0, bx = 0, by = 0;
    for (int i = 0; i < npe; ++i) {
      px += N[i] * x[i]; py += N[i] * y[i]; ah += N[i] * a[i];
      bx += a[i] * dy[i]; by -= a[i] * dx[i];
    }
    f(px, py, w, ah, bx, by);
  }
}

// B of the FE solution at the quadrature points: f(x, y, weight, Bx, By).
template <class F>
void for_each_quadrature_B(const mesh::Mesh& m, const std::vector<double>& A, size_t t, F&& f) {
  for_each_quadrature_point(m, A, t, [&](double px, double py, double w, double, double bx, double by) {
    f(px, py, w, bx, by);
  });
}

// || A_h - A ||_L2 over the mesh (6-point rule per element).
inline double l2_error(const mesh::Mesh& m, const std::vector<double>& A,
                       const std::function<double(double, double)>& exact) {
  double sum = 0;
  for (size_t e = 0; e < m.triangle_count(); ++e)
    for_each_quadrature_point(m, A, e, [&](double px, double py, double w, double ah, double, double) {
      const double d = ah - exact(px, py);
      sum += w * d * d;
    });
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

// The slope of the last two points.
inline double last_pair_order(const std::vector<double>& h, const std::vector<double>& err) {
  const size_t n = h.size();
  return std::log(err[n - 2] / err[n - 1]) / std::log(h[n - 2] / h[n - 1]);
}

// Relative L2 error of B over the triangles t with in[t] != 0, against an
// exact field given in polar components (B_r, B_theta) at (r, phi): over all
// of them, and over the quadrature points where keep(x, y) holds (all when
// keep is empty).
struct FieldError {
  double all = 0, kept = 0;
};

inline FieldError relative_field_error(const mesh::Mesh& m, const std::vector<double>& A, const std::vector<char>& in,
                                       const std::function<std::pair<double, double>(double, double)>& exact,
                                       const std::function<bool(double, double)>& keep = {}) {
  double err[2] = {0, 0}, norm[2] = {0, 0};
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (!in[t]) continue;
    for_each_quadrature_B(m, A, t, [&](double px, double py, double w, double bx, double by) {
      const double r = std::hypot(px, py), phi = std::atan2(py, px);
      const auto [br, bt] = exact(r, phi);
      const double ex = br * std::cos(phi) - bt * std::sin(phi), ey = br * std::sin(phi) + bt * std::cos(phi);
      const double e2 = w * ((bx - ex) * (bx - ex) + (by - ey) * (by - ey)), n2 = w * (ex * ex + ey * ey);
      const int sums = !keep || keep(px, py) ? 2 : 1;
      for (int k = 0; k < sums; ++k) err[k] += e2, norm[k] += n2;
    });
  }
  return {std::sqrt(err[0] / norm[0]), std::sqrt(err[1] / norm[1])};
}

// The same over the regions `names`.
inline double gap_field_error(const mesh::Mesh& m, const std::vector<double>& A, const std::vector<std::string>& names,
                              const std::function<std::pair<double, double>(double, double)>& exact) {
  std::vector<char> region(m.regions.size(), 0);
  for (const auto& n : names) region[m.find_region(n)] = 1;
  std::vector<char> in(m.triangle_count(), 0);
  for (size_t t = 0; t < m.triangle_count(); ++t) in[t] = region[m.triangle_region[t]];
  return relative_field_error(m, A, in, exact).all;
}

}  // namespace rotormag::validation

#pragma once
// Exact solutions of the validation ladder (shared/reference/validation_ladder.md),
// computed here from the formulas. Polar: A = A_z(r, theta).
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "kernels/assembly_data.hpp"
#include "kernels/config.hpp"
#include "kernels/reluctivity.hpp"

namespace rotormag::validation {

// T1/T2: concentric layers with uniform remanence along x. In layer i,
// A = (C_i r + D_i / r) sin(theta); D_0 = 0, C_N = 0 (outermost layer
// extends to infinity). Interface conditions: A and H_theta continuous.
struct LayeredCylinder {
  std::vector<double> radii;   // interfaces R_1 < ... < R_N
  std::vector<double> mu_r;    // N + 1 layers
  std::vector<double> Br;      // remanence along x per layer [T]
  std::vector<double> C, D;

  void solve() {
    const int n = static_cast<int>(mu_r.size());  // layers
    // unknowns: C_0, then (C_i, D_i) for 0 < i < n-1, then D_{n-1}
    const int m = 2 * n - 2;
    auto ic = [&](int i) { return i == 0 ? 0 : 2 * i - 1; };  // index of C_i (i < n-1)
    auto id = [&](int i) { return i == n - 1 ? 2 * n - 3 : 2 * i; };  // index of D_i (i > 0)
    std::vector<double> M(m * m, 0.0), rhs(m, 0.0);
    for (int k = 0; k + 1 < n; ++k) {  // interface between layers k and k+1 at radii[k]
      const double R = radii[k];
      double* row1 = &M[(2 * k) * m];
      double* row2 = &M[(2 * k + 1) * m];
      // C_k R + D_k/R - C_{k+1} R - D_{k+1}/R = 0
      if (k < n - 1) row1[ic(k)] += R;
      if (k > 0) row1[id(k)] += 1 / R;
      if (k + 1 < n - 1) row1[ic(k + 1)] -= R;
      row1[id(k + 1)] -= 1 / R;
      // [-(C_k - D_k/R^2) + Br_k]/mu_k - [-(C_{k+1} - D_{k+1}/R^2) + Br_{k+1}]/mu_{k+1} = 0
      row2[ic(k)] += -1 / mu_r[k];
      if (k > 0) row2[id(k)] += 1 / (R * R * mu_r[k]);
      if (k + 1 < n - 1) row2[ic(k + 1)] -= -1 / mu_r[k + 1];
      row2[id(k + 1)] -= 1 / (R * R * mu_r[k + 1]);
      rhs[2 * k + 1] = -Br[k] / mu_r[k] + Br[k + 1] / mu_r[k + 1];
    }
    // Gaussian elimination with partial pivoting
    for (int c = 0; c < m; ++c) {
      int p = c;
      for (int r = c + 1; r < m; ++r)
        if (std::abs(M[r * m + c]) > std::abs(M[p * m + c])) p = r;
      for (int j = 0; j < m; ++j) std::swap(M[c * m + j], M[p * m + j]);
      std::swap(rhs[c], rhs[p]);
      for (int r = c + 1; r < m; ++r) {
        const double f = M[r * m + c] / M[c * m + c];
        for (int j = c; j < m; ++j) M[r * m + j] -= f * M[c * m + j];
        rhs[r] -= f * rhs[c];
      }
    }
    std::vector<double> u(m);
    for (int r = m - 1; r >= 0; --r) {
      double s = rhs[r];
      for (int j = r + 1; j < m; ++j) s -= M[r * m + j] * u[j];
      u[r] = s / M[r * m + r];
    }
    C.assign(n, 0.0); D.assign(n, 0.0);
    for (int i = 0; i < n; ++i) {
      if (i < n - 1) C[i] = u[ic(i)];
      if (i > 0) D[i] = u[id(i)];
    }
  }

  double potential(double x, double y) const {
    const double r = std::hypot(x, y);
    if (r == 0) return 0;
    size_t i = 0;
    while (i < radii.size() && r > radii[i]) ++i;
    return (C[i] * r + D[i] / r) * (y / r);
  }
};

// T7: a conductor (r < r0, total current I) in air, an iron ring a < r < b,
// air to R_out with A(R_out) = 0. H_theta = I / (2 pi r) outside the
// conductor whatever the material, so B(r) in the ring follows from the law;
// A(r) = integral_r^R_out B dr. The ring part is tabulated on a fine radial
// grid and interpolated with cubic Hermite using the exact derivative -B.
class IronRingReference {
 public:
  IronRingReference(double r0, double a, double b, double R_out, double I,
                    std::function<double(double)> h_of_b)  // |H|(|B|) of the iron, increasing
      : r0_(r0), a_(a), b_(b), R_(R_out), I_(I), h_of_b_(std::move(h_of_b)) {
    const int n = 4000;
    for (int k = 0; k <= n; ++k) grid_r_.push_back(a_ + (b_ - a_) * k / n);
    grid_B_.resize(grid_r_.size());
    for (size_t k = 0; k < grid_r_.size(); ++k) grid_B_[k] = iron_B(grid_r_[k]);
    // A at the ring's outer radius from the outer air, then inwards with
    // 8-point Gauss-Legendre on each grid interval.
    grid_A_.assign(grid_r_.size(), 0.0);
    grid_A_.back() = air_A(b_);
    for (int k = n - 1; k >= 0; --k) grid_A_[k] = grid_A_[k + 1] + integrate_iron(grid_r_[k], grid_r_[k + 1]);
    A_a_ = grid_A_.front();
  }

  double potential(double x, double y) const {
    const double r = std::hypot(x, y);
    const double c = kernels::mu0 * I_ / (2 * M_PI);
    if (r >= b_) return air_A(r);
    if (r >= a_) return iron_A(r);
    const double A_r0 = A_a_ + c * std::log(a_ / r0_);
    if (r >= r0_) return A_a_ + c * std::log(a_ / r);
    return A_r0 + kernels::mu0 * I_ * (r0_ * r0_ - r * r) / (4 * M_PI * r0_ * r0_);
  }

  double iron_B(double r) const {  // invert H(B) = I / (2 pi r) by bisection
    const double H = I_ / (2 * M_PI * r);
    double lo = 0, hi = 1;
    while (h_of_b_(hi) < H) hi *= 2;
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; ++it) {
      const double mid = 0.5 * (lo + hi);
      (h_of_b_(mid) < H ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  }

 private:
  double air_A(double r) const { return kernels::mu0 * I_ / (2 * M_PI) * std::log(R_ / r); }
  double integrate_iron(double lo, double hi) const {
    static const double x[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
    static const double w[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};
    const double m = 0.5 * (lo + hi), h = 0.5 * (hi - lo);
    double s = 0;
    for (int q = 0; q < 4; ++q) s += w[q] * (iron_B(m - h * x[q]) + iron_B(m + h * x[q]));
    return h * s;
  }
  double iron_A(double r) const {
    const double step = grid_r_[1] - grid_r_[0];
    size_t k = std::min(static_cast<size_t>((r - a_) / step), grid_r_.size() - 2);
    const double h = grid_r_[k + 1] - grid_r_[k], t = (r - grid_r_[k]) / h;
    const double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * grid_A_[k] + (t3 - 2 * t2 + t) * h * (-grid_B_[k]) +
           (-2 * t3 + 3 * t2) * grid_A_[k + 1] + (t3 - t2) * h * (-grid_B_[k + 1]);
  }

  double r0_, a_, b_, R_, I_;
  std::function<double(double)> h_of_b_;
  std::vector<double> grid_r_, grid_B_, grid_A_;
  double A_a_ = 0;
};

}  // namespace rotormag::validation

// The knots of tabulated B-H laws (reluctivity_tables.hpp): Hermite slopes
// that keep the interpolation monotone and C1 with positive slopes (so the
// Newton tangent stays SPD), and the stored energy at each knot.
#include "kernels/reluctivity_tables.hpp"

#include <algorithm>
#include <stdexcept>

namespace rotormag::kernels {

ReluctivityLaw append_bh_table(CaseBatch& batch, const std::vector<double>& B, const std::vector<double>& H) {
  const int n = static_cast<int>(B.size());
  if (n < 2 || H.size() != B.size()) throw std::invalid_argument("B-H table needs at least two (B, H) points");
  for (int k = 1; k < n; ++k)
    if (!(B[k] > B[k - 1]) || !(H[k] > H[k - 1]))
      throw std::invalid_argument("B-H table is not strictly increasing");
  std::vector<double> delta(n - 1), slope(n);
  for (int k = 0; k + 1 < n; ++k) delta[k] = (H[k + 1] - H[k]) / (B[k + 1] - B[k]);
  for (int k = 1; k + 1 < n; ++k) {  // Fritsch-Butland: weighted harmonic mean, keeps monotonicity
    const double h0 = B[k] - B[k - 1], h1 = B[k + 1] - B[k];
    slope[k] = 3.0 * (h0 + h1) / ((2 * h1 + h0) / delta[k - 1] + (h1 + 2 * h0) / delta[k]);
  }
  // End points: one-sided shape-preserving three-point estimate, clipped to [0, 3 delta].
  auto end_slope = [](double h0, double h1, double d0, double d1) {
    double s = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
    if (s <= 0) s = 0.5 * d0;  // stay strictly positive: dH/dB > 0 keeps the tangent SPD
    if (s > 3 * d0) s = 3 * d0;
    return s;
  };
  if (n == 2) {
    slope[0] = slope[1] = delta[0];
  } else {
    slope[0] = end_slope(B[1] - B[0], B[2] - B[1], delta[0], delta[1]);
    // Last knot: aim for the vacuum slope 1/mu0 of the extension (C1 join) where
    // monotonicity allows it, else the largest monotone slope.
    slope[n - 1] = std::min(1.0 / mu0, 3.0 * delta[n - 2]);
    slope[n - 1] = std::max(slope[n - 1], delta[n - 2]);
  }
  ReluctivityLaw law;
  law.kind = LawKind::bh_curve;
  law.table_offset = static_cast<int>(batch.knot_B.size());
  law.table_size = n;
  double w = 0;
  for (int k = 0; k < n; ++k) {
    if (k > 0) {  // exact integral of the cubic Hermite segment
      const double h = B[k] - B[k - 1];
      w += h * (H[k - 1] + H[k]) / 2 + h * h * (slope[k - 1] - slope[k]) / 12;
    }
    batch.knot_B.push_back(B[k]);
    batch.knot_H.push_back(H[k]);
    batch.knot_slope.push_back(slope[k]);
    batch.knot_energy.push_back(w);
  }
  return law;
}

}  // namespace rotormag::kernels

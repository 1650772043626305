#pragma once
// The dense inverse of a small SPD matrix by Cholesky, on the host: the
// direct solve of the multigrid's coarsest level (multigrid_cycle.hpp),
// which has a few hundred rows at most. Host code, apart from the device
// code, because it is an ordinary dense factorization that no kernel runs;
// the inverse goes to the device and is applied there as a dense mat-vec
// (DenseMatVecKernel), one per case.
#include <cmath>
#include <cstddef>
#include <vector>

namespace rotormag::kernels {

// inv (n x n, row-major) = A^-1 for the n x n CSR matrix (row_ptr, col,
// values), by Cholesky; false when A is not positive definite.
inline bool invert_spd(int n, const int* row_ptr, const int* col, const double* values, double* inv) {
  std::vector<double> a(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i)
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) a[static_cast<size_t>(i) * n + col[k]] = values[k];
  // In-place Cholesky: lower triangle of a holds L.
  for (int j = 0; j < n; ++j) {
    double d = a[static_cast<size_t>(j) * n + j];
    for (int k = 0; k < j; ++k) d -= a[static_cast<size_t>(j) * n + k] * a[static_cast<size_t>(j) * n + k];
    if (!(d > 0)) return false;
    const double ljj = std::sqrt(d);
    a[static_cast<size_t>(j) * n + j] = ljj;
    for (int i = j + 1; i < n; ++i) {
      double s = a[static_cast<size_t>(i) * n + j];
      for (int k = 0; k < j; ++k) s -= a[static_cast<size_t>(i) * n + k] * a[static_cast<size_t>(j) * n + k];
      a[static_cast<size_t>(i) * n + j] = s / ljj;
    }
  }
  // Inverse column by column: L y = e_c, L^T x = y.
  std::vector<double> y(n);
  for (int c = 0; c < n; ++c) {
    for (int i = 0; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (int k = 0; k < i; ++k) s -= a[static_cast<size_t>(i) * n + k] * y[k];
      y[i] = s / a[static_cast<size_t>(i) * n + i];
    }
    for (int i = n - 1; i >= 0; --i) {
      double s = y[i];
      for (int k = i + 1; k < n; ++k) s -= a[static_cast<size_t>(k) * n + i] * inv[static_cast<size_t>(k) * n + c];
      inv[static_cast<size_t>(i) * n + c] = s / a[static_cast<size_t>(i) * n + i];
    }
  }
  return true;
}

}  // namespace rotormag::kernels

#pragma once
// Kernels of the aggregation multigrid cycle (one thread per row or slot).
#include "kernels/config.hpp"

namespace rotormag::kernels {

struct CoarseValuesKernel {  // A_c = P^T A P: each coarse entry sums fixed fine entries
  static constexpr const char* kernel_name = "CoarseValuesKernel";
  const int *slot_ptr, *sources;
  const double* fine_values;
  double* coarse_values;
  RM_HOST_DEVICE void operator()(int s) const {
    double v = 0;
    for (int k = slot_ptr[s]; k < slot_ptr[s + 1]; ++k) v += fine_values[sources[k]];
    coarse_values[s] = v;
  }
};

struct L1DiagonalKernel {  // l1-Jacobi: 1 / sum_j |a_ij|, convergent without a damping parameter
  static constexpr const char* kernel_name = "L1DiagonalKernel";
  const int* row_ptr;
  const double* values;
  double* inverse_l1;
  RM_HOST_DEVICE void operator()(int i) const {
    double d = 0;
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) d += values[k] < 0 ? -values[k] : values[k];
    inverse_l1[i] = d > 0 ? 1.0 / d : 1.0;
  }
};

struct ResidualKernel {  // r = b - A x
  static constexpr const char* kernel_name = "ResidualKernel";
  const int *row_ptr, *col;
  const double *values, *x, *b;
  double* r;
  RM_HOST_DEVICE void operator()(int i) const {
    double s = b[i];
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) s -= values[k] * x[col[k]];
    r[i] = s;
  }
};

struct ScaledAddKernel {  // x += d .* r
  static constexpr const char* kernel_name = "ScaledAddKernel";
  const double *d, *r;
  double* x;
  RM_HOST_DEVICE void operator()(int i) const { x[i] += d[i] * r[i]; }
};

struct ScaledCopyKernel {  // x = d .* r
  static constexpr const char* kernel_name = "ScaledCopyKernel";
  const double *d, *r;
  double* x;
  RM_HOST_DEVICE void operator()(int i) const { x[i] = d[i] * r[i]; }
};

struct RestrictKernel {  // b_c[I] = sum of r over the members of aggregate I
  static constexpr const char* kernel_name = "RestrictKernel";
  const int *member_ptr, *members;
  const double* r;
  double* coarse;
  RM_HOST_DEVICE void operator()(int I) const {
    double s = 0;
    for (int k = member_ptr[I]; k < member_ptr[I + 1]; ++k) s += r[members[k]];
    coarse[I] = s;
  }
};

struct ProlongKernel {  // x[i] += e_c[aggregate(i)]
  static constexpr const char* kernel_name = "ProlongKernel";
  const int* aggregate;
  const double* coarse;
  double* x;
  RM_HOST_DEVICE void operator()(int i) const {
    if (aggregate[i] >= 0) x[i] += coarse[aggregate[i]];
  }
};

struct LinearCombinationKernel {  // out = a x + b y (the K-cycle's two-step Krylov update)
  static constexpr const char* kernel_name = "LinearCombinationKernel";
  double a;
  const double* x;
  double b;
  const double* y;
  double* out;
  RM_HOST_DEVICE void operator()(int i) const { out[i] = a * x[i] + b * y[i]; }
};

struct DenseMatVecKernel {  // y = M x, M dense row-major n x n (the coarsest inverse)
  static constexpr const char* kernel_name = "DenseMatVecKernel";
  int n;
  const double *m, *x;
  double* y;
  RM_HOST_DEVICE void operator()(int i) const {
    double s = 0;
    for (int j = 0; j < n; ++j) s += m[static_cast<long>(i) * n + j] * x[j];
    y[i] = s;
  }
};

}  // namespace rotormag::kernels

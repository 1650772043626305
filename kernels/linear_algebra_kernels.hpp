#pragma once
// Sparse and vector kernels of the preconditioned CG, one thread per row or entry.
#include "kernels/config.hpp"

namespace rotormag::kernels {

struct CsrMatVecKernel {  // y = K x for one case
  static constexpr const char* kernel_name = "CsrMatVecKernel";
  const int *row_ptr, *col;
  const double *values, *x;
  double* y;
  RM_HOST_DEVICE void operator()(int i) const {
    double s = 0;
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) s += values[k] * x[col[k]];
    y[i] = s;
  }
};

struct InverseDiagonalKernel {  // Jacobi preconditioner set-up, one case
  static constexpr const char* kernel_name = "InverseDiagonalKernel";
  const int* diagonal_slot;
  const double* values;
  double* inverse_diagonal;
  RM_HOST_DEVICE void operator()(int i) const {
    const double d = values[diagonal_slot[i]];
    inverse_diagonal[i] = d > 0 ? 1.0 / d : 1.0;
  }
};

struct DiagonalScaleKernel {  // z = D^-1 r
  static constexpr const char* kernel_name = "DiagonalScaleKernel";
  const double *inverse_diagonal, *r;
  double* z;
  RM_HOST_DEVICE void operator()(int i) const { z[i] = inverse_diagonal[i] * r[i]; }
};

struct CgUpdateKernel {  // x += alpha p; r -= alpha q
  static constexpr const char* kernel_name = "CgUpdateKernel";
  double alpha;
  const double *p, *q;
  double *x, *r;
  RM_HOST_DEVICE void operator()(int i) const {
    x[i] += alpha * p[i];
    r[i] -= alpha * q[i];
  }
};

struct CgDirectionKernel {  // p = z + beta p
  static constexpr const char* kernel_name = "CgDirectionKernel";
  double beta;
  const double* z;
  double* p;
  RM_HOST_DEVICE void operator()(int i) const { p[i] = z[i] + beta * p[i]; }
};

struct DotKernel {  // reduced with plus
  static constexpr const char* kernel_name = "DotKernel";
  const double *a, *b;
  RM_HOST_DEVICE double operator()(int i) const { return a[i] * b[i]; }
};

struct AbsKernel {  // reduced with max
  static constexpr const char* kernel_name = "AbsKernel";
  const double* a;
  RM_HOST_DEVICE double operator()(int i) const { return a[i] < 0 ? -a[i] : a[i]; }
};

struct NegateCopyKernel {  // y = -x
  static constexpr const char* kernel_name = "NegateCopyKernel";
  const double* x;
  double* y;
  RM_HOST_DEVICE void operator()(int i) const { y[i] = -x[i]; }
};

struct CopyKernel {  // y = x
  static constexpr const char* kernel_name = "CopyKernel";
  const double* x;
  double* y;
  RM_HOST_DEVICE void operator()(int i) const { y[i] = x[i]; }
};

struct FillKernel {
  static constexpr const char* kernel_name = "FillKernel";
  double value;
  double* y;
  RM_HOST_DEVICE void operator()(int i) const { y[i] = value; }
};

// Per case c (segment of length n): y = a + step[c] * d.
struct ScaledStepKernel {
  static constexpr const char* kernel_name = "ScaledStepKernel";
  int n;
  const double *step, *a, *d;
  double* y;
  RM_HOST_DEVICE void operator()(int t) const { y[t] = a[t] + step[t / n] * d[t]; }
};

}  // namespace rotormag::kernels

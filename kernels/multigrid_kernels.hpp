#pragma once
// Kernels of the aggregation multigrid cycle, batched like the CG's
// (linear_algebra_kernels.hpp): one thread per (case, row) or (case, slot);
// every level's values and vectors are [case][...] over one shared hierarchy.
#include "kernels/linear_algebra_kernels.hpp"

namespace rotormag::kernels {

struct CoarseValuesKernel {  // A_c = P^T A P: each coarse entry sums fixed fine entries
  static constexpr const char* kernel_name = "CoarseValuesKernel";
  CaseRows s;                // rows = coarse slots
  long fine_nonzeros;
  const int *slot_ptr, *sources;
  const double* fine_values;
  double* coarse_values;
  RM_HOST_DEVICE void at(int k, int slot) const {
    const double* f = fine_values + s.case_at(k) * fine_nonzeros;
    double v = 0;
    for (int j = slot_ptr[slot]; j < slot_ptr[slot + 1]; ++j) v += f[sources[j]];
    coarse_values[s.offset(k, slot)] = v;
  }
};

struct L1DiagonalKernel {  // l1-Jacobi: 1 / sum_j |a_ij|, convergent without a damping parameter
  static constexpr const char* kernel_name = "L1DiagonalKernel";
  CaseRows s;
  long nonzeros;
  const int* row_ptr;
  const double* values;
  double* inverse_l1;
  RM_HOST_DEVICE void at(int k, int i) const {
    const double* v = values + s.case_at(k) * nonzeros;
    double d = 0;
    for (int j = row_ptr[i]; j < row_ptr[i + 1]; ++j) d += v[j] < 0 ? -v[j] : v[j];
    inverse_l1[s.offset(k, i)] = d > 0 ? 1.0 / d : 1.0;
  }
};

template <class Value>  // the level matrix's storage type (CsrMatVecKernel)
struct ResidualKernel {  // r = b - A x
  static constexpr const char* kernel_name = "ResidualKernel";
  static constexpr int row_weight = 8;  // as CsrMatVecKernel
  CaseRows s;
  long nonzeros;
  const int *row_ptr, *col;
  const Value* values;
  const double *x, *b;
  double* r;
  RM_HOST_DEVICE void at(int k, int i) const {
    const int c = s.case_at(k);
    const Value* v = values + c * nonzeros;
    const double* xc = x + static_cast<long>(c) * s.rows;
    const long o = static_cast<long>(c) * s.rows + i;
    r[o] = b[o] - row_product(v, col, xc, row_ptr[i], row_ptr[i + 1]);
  }
};

struct NarrowValuesKernel {  // a level matrix's float copy, for a single-precision cycle
  static constexpr const char* kernel_name = "NarrowValuesKernel";
  CaseRows s;                // rows = slots
  const double* values;
  float* narrow;
  RM_HOST_DEVICE void at(int k, int slot) const {
    const long o = s.offset(k, slot);
    narrow[o] = static_cast<float>(values[o]);
  }
};

struct ScaledAddKernel {  // x += d .* r
  static constexpr const char* kernel_name = "ScaledAddKernel";
  CaseRows s;
  const double *d, *r;
  double* x;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    x[o] += d[o] * r[o];
  }
};

struct RestrictKernel {  // b_c[I] = sum of r over the members of aggregate I
  static constexpr const char* kernel_name = "RestrictKernel";
  CaseRows s;                // rows = coarse rows
  int fine_rows;
  const int *member_ptr, *members;
  const double* r;
  double* coarse;
  RM_HOST_DEVICE void at(int k, int I) const {
    const double* rc = r + static_cast<long>(s.case_at(k)) * fine_rows;
    double sum = 0;
    for (int j = member_ptr[I]; j < member_ptr[I + 1]; ++j) sum += rc[members[j]];
    coarse[s.offset(k, I)] = sum;
  }
};

struct ProlongKernel {  // x[i] += e_c[aggregate(i)]
  static constexpr const char* kernel_name = "ProlongKernel";
  CaseRows s;                // rows = fine rows
  int coarse_rows;
  const int* aggregate;
  const double* coarse;
  double* x;
  RM_HOST_DEVICE void at(int k, int i) const {
    const int a = aggregate[i];
    if (a >= 0) x[s.offset(k, i)] += coarse[static_cast<long>(s.case_at(k)) * coarse_rows + a];
  }
};

// out = a x + b y with a, b per case (the K-cycle's two-step Krylov update).
// A zero coefficient drops its term, so a vector the case did not compute
// (a degenerate K-cycle step) cannot leak a NaN into the result.
struct LinearCombinationKernel {
  static constexpr const char* kernel_name = "LinearCombinationKernel";
  CaseRows s;
  const double* a;
  const double* x;
  const double* b;
  const double* y;
  double* out;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    const int c = s.case_at(k);
    const double ax = a[c] != 0.0 ? a[c] * x[o] : 0.0;
    out[o] = b[c] != 0.0 ? ax + b[c] * y[o] : ax;
  }
};

struct DenseMatVecKernel {  // y = M x, M dense row-major rows x rows per case (the coarsest inverse)
  static constexpr const char* kernel_name = "DenseMatVecKernel";
  CaseRows s;
  const double *m, *x;
  double* y;
  RM_HOST_DEVICE void at(int k, int i) const {
    const int c = s.case_at(k), n = s.rows;
    const double* row = m + (static_cast<long>(c) * n + i) * n;
    const double* xc = x + static_cast<long>(c) * n;
    double sum = 0;
    for (int j = 0; j < n; ++j) sum += row[j] * xc[j];
    y[static_cast<long>(c) * n + i] = sum;
  }
};

}  // namespace rotormag::kernels

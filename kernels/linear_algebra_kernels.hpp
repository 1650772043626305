#pragma once
// Sparse and vector kernels of the preconditioned CG, batched over cases:
// one thread per (case, row). The cases a kernel runs over are a list
// (CaseRows): the CG of a batch moves all unconverged cases in lockstep, and
// a case that has converged drops out of the list, so it costs nothing more.
// Vectors are [case][row]; matrix values [case][slot] over one shared pattern.
#include <type_traits>

#include "kernels/config.hpp"

namespace rotormag::kernels {

// A batched kernel's at(k, i) works on row i of the k-th listed case,
// cases[k] (case k itself when cases is null). The backends call at()
// directly in a loop over (k, i) on the CPU, and through RowThreads (one
// thread per (k, i)) on the GPU.
struct CaseRows {
  int rows;
  const int* cases;
  RM_HOST_DEVICE int case_at(int k) const { return cases ? cases[k] : k; }
  // Where row i of the k-th listed case sits in a [case][row] vector.
  RM_HOST_DEVICE long offset(int k, int i) const { return static_cast<long>(case_at(k)) * rows + i; }
};

// The work of one row relative to a vector update's, for the CPU's choice
// between a serial loop and a parallel region (OpenMpExecution): a kernel
// whose rows are heavy declares `static constexpr int row_weight`.
template <class F, class = void>
struct RowWeight {
  static constexpr int value = 1;
};
template <class F>
struct RowWeight<F, std::void_t<decltype(F::row_weight)>> {
  static constexpr int value = F::row_weight;
};

// Thread t -> at(t / rows, t % rows): a batched kernel as a plain functor
// over [0, listed cases x rows) (Thrust's for_each, transform_reduce).
template <class F>
struct RowThreads {
  F f;
  RM_HOST_DEVICE auto operator()(int t) const { return f.at(t / f.s.rows, t % f.s.rows); }
};

// sum_j v[j] x[col[j]] over one CSR row [begin, end), in slot order. (Four
// partial sums to overlap the adds' latency measured no faster on the CPU:
// 2.5e5-unknown demo, CG+AMG 12.7-12.8 s with one sum, 13.0-13.3 s with four.)
template <class Value>
RM_HOST_DEVICE inline double row_product(const Value* v, const int* col, const double* x, int begin, int end) {
  double sum = 0;
  for (int j = begin; j < end; ++j) sum += v[j] * x[col[j]];
  return sum;
}

// Value: the matrix's storage type. The CG's own products are double; the
// multigrid cycle may store its level matrices in float (multigrid_single),
// which moves 8 bytes per nonzero instead of 12. Sums are double either way.
template <class Value>
struct CsrMatVecKernel {  // y = K x per case
  static constexpr const char* kernel_name = "CsrMatVecKernel";
  static constexpr int row_weight = 8;  // ~12 non-zeros gathered per row (RowWeight)
  CaseRows s;
  long nonzeros;                 // values per case
  const int *row_ptr, *col;
  const Value* values;           // [case][nnz]
  const double* x;               // [case][row]
  double* y;
  RM_HOST_DEVICE void at(int k, int i) const {
    const int c = s.case_at(k);
    const Value* v = values + c * nonzeros;
    const double* xc = x + static_cast<long>(c) * s.rows;
    y[static_cast<long>(c) * s.rows + i] = row_product(v, col, xc, row_ptr[i], row_ptr[i + 1]);
  }
};

// The device pointers of a batch's matrices: one CSR pattern, values
// [case][nnz] (what the PCG and its preconditioners read).
struct BatchedCsr {
  int rows;
  int nonzeros;
  const int *row_ptr, *col, *diagonal_slot;
  const double* values;
};

struct InverseDiagonalKernel {  // Jacobi preconditioner set-up
  static constexpr const char* kernel_name = "InverseDiagonalKernel";
  CaseRows s;
  long nonzeros;
  const int* diagonal_slot;
  const double* values;
  double* inverse_diagonal;
  RM_HOST_DEVICE void at(int k, int i) const {
    const double d = values[s.case_at(k) * nonzeros + diagonal_slot[i]];
    inverse_diagonal[s.offset(k, i)] = d > 0 ? 1.0 / d : 1.0;
  }
};

struct DiagonalScaleKernel {  // z = D^-1 r (also the l1-Jacobi first sweep)
  static constexpr const char* kernel_name = "DiagonalScaleKernel";
  CaseRows s;
  const double *inverse_diagonal, *r;
  double* z;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    z[o] = inverse_diagonal[o] * r[o];
  }
};

struct CgUpdateKernel {  // x += alpha p; r -= alpha q (alpha per case)
  static constexpr const char* kernel_name = "CgUpdateKernel";
  CaseRows s;
  const double* alpha;
  const double *p, *q;
  double *x, *r;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    const double a = alpha[s.case_at(k)];
    if (a == 0.0) return;  // a breakdown (CgStepLengthKernel): x and r stay as they are
    x[o] += a * p[o];
    r[o] -= a * q[o];
  }
};

struct CgDirectionKernel {  // p = z + beta p (beta per case)
  static constexpr const char* kernel_name = "CgDirectionKernel";
  CaseRows s;
  const double* beta;
  const double* z;
  double* p;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    p[o] = z[o] + beta[s.case_at(k)] * p[o];
  }
};

struct DotKernel {  // reduced with plus, segment by segment (one per case)
  static constexpr const char* kernel_name = "DotKernel";
  CaseRows s;
  const double *a, *b;
  RM_HOST_DEVICE double at(int k, int i) const {
    const long o = s.offset(k, i);
    return a[o] * b[o];
  }
};

struct AbsKernel {  // reduced with max (one case: a points at its segment)
  static constexpr const char* kernel_name = "AbsKernel";
  const double* a;
  RM_HOST_DEVICE double operator()(int i) const { return a[i] < 0 ? -a[i] : a[i]; }
};

struct NegateCopyKernel {  // y = -x
  static constexpr const char* kernel_name = "NegateCopyKernel";
  CaseRows s;
  const double* x;
  double* y;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    y[o] = -x[o];
  }
};

struct CopyKernel {  // y = x
  static constexpr const char* kernel_name = "CopyKernel";
  CaseRows s;
  const double* x;
  double* y;
  RM_HOST_DEVICE void at(int k, int i) const {
    const long o = s.offset(k, i);
    y[o] = x[o];
  }
};

struct FillKernel {  // y = value, the whole array
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

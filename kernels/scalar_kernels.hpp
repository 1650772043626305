#pragma once
// The per-case scalars of the batched PCG and of the K-cycle, computed on
// the device from the device-resident dot products (one thread per listed
// case: CaseRows with rows = 1), so that the CG loop needs the host only
// for its convergence test, once per iteration. Arrays are indexed by case.
// The arithmetic is the host's, operation for operation: a case's iterates
// do not depend on where its scalars were computed.
#include "kernels/linear_algebra_kernels.hpp"

namespace rotormag::kernels {

// alpha = (r.z) / (p.Kp); a case whose p.Kp <= 0 (not positive definite, or
// NaN) gets alpha = 0, which CgUpdateKernel skips: the host then reports
// the breakdown from p.Kp.
struct CgStepLengthKernel {
  static constexpr const char* kernel_name = "CgStepLengthKernel";
  CaseRows s;
  const double *rz, *pq;
  double* alpha;
  RM_HOST_DEVICE void at(int k, int) const {
    const int c = s.case_at(k);
    alpha[c] = pq[c] > 0.0 ? rz[c] / pq[c] : 0.0;
  }
};

// beta of the next direction, and r.z kept for the next step. Flexible CG
// (FCG(1), a nonlinear preconditioner): beta = -z.(Kp) / p.(Kp); otherwise
// Fletcher-Reeves: beta = (r.z)_new / (r.z).
struct CgDirectionScaleKernel {
  static constexpr const char* kernel_name = "CgDirectionScaleKernel";
  CaseRows s;
  bool flexible;
  const double *rz_new, *zq, *pq;
  double *rz, *beta;
  RM_HOST_DEVICE void at(int k, int) const {
    const int c = s.case_at(k);
    beta[c] = flexible ? -zq[c] / pq[c] : rz_new[c] / rz[c];
    rz[c] = rz_new[c];
  }
};

// The K-cycle's two Krylov steps (multigrid_cycle.hpp k_cycle), per case.
struct KCycleScalars {
  double *rho1, *alpha1, *a1, *gamma, *beta, *alpha2;  // [case]
};

// First step: a1 = (c1.b) / (c1.A c1) (0 when degenerate); r2 = b - a1 A c1
// through LinearCombinationKernel with (one, minus_a1).
struct KCycleFirstStepKernel {
  static constexpr const char* kernel_name = "KCycleFirstStepKernel";
  CaseRows s;
  KCycleScalars v;
  double *one, *minus_a1;
  RM_HOST_DEVICE void at(int k, int) const {
    const int c = s.case_at(k);
    v.a1[c] = v.rho1[c] > 0.0 ? v.alpha1[c] / v.rho1[c] : 0.0;
    one[c] = 1.0;
    minus_a1[c] = -v.a1[c];
  }
};

// Second step: x = w1 c1 + w2 c2, the minimiser over span{c1, c2} in the
// A-norm; one step (w2 = 0) when the second direction adds nothing, the
// plain cycle (w1 = 1) when even the first is degenerate.
struct KCycleCombinationKernel {
  static constexpr const char* kernel_name = "KCycleCombinationKernel";
  CaseRows s;
  KCycleScalars v;
  double *w1, *w2;
  RM_HOST_DEVICE void at(int k, int) const {
    const int c = s.case_at(k);
    w1[c] = 0.0;
    w2[c] = 0.0;
    if (!(v.rho1[c] > 0.0)) {
      w1[c] = 1.0;
      return;
    }
    const double rho2 = v.beta[c] - v.gamma[c] * v.gamma[c] / v.rho1[c];
    if (!(rho2 > 0.0)) {
      w1[c] = v.a1[c];
      return;
    }
    w1[c] = v.a1[c] - v.gamma[c] * v.alpha2[c] / (v.rho1[c] * rho2);
    w2[c] = v.alpha2[c] / rho2;
  }
};

}  // namespace rotormag::kernels

#pragma once
// The preconditioned CG that solves the Newton systems of every active case
// of a batch in lockstep, and its simplest preconditioner (Jacobi). Its own
// file because the lockstep (per-case scalars on the device, cases leaving
// the list as they converge, one trip to the host per iteration) is the
// batched solver's core contract, independent of the assembly around it
// (backend_impl.hpp) and of the multigrid inside it (multigrid_cycle.hpp).
#include <cmath>
#include <vector>

#include "kernels/assembly_data.hpp"
#include "kernels/case_list.hpp"
#include "kernels/execution_model.hpp"
#include "kernels/linear_algebra_kernels.hpp"
#include "kernels/scalar_kernels.hpp"

namespace rotormag::kernels {

// z = D^-1 r with the diagonal of each listed case's matrix.
template <class E>
class JacobiPreconditioner {
 public:
  explicit JacobiPreconditioner(CaseList<E>& cases) : cases_(cases) {}
  void allocate(size_t size) { inverse_diagonal_ = DeviceVector<E, double>(size); }  // [case][row]
  void set_up(const BatchedCsr& K) {
    rows_ = K.rows;
    cases_.run(InverseDiagonalKernel{cases_.over(K.rows), K.nonzeros, K.diagonal_slot, K.values, ptr(inverse_diagonal_)});
  }
  void apply(const double* r, double* z) {
    cases_.run(DiagonalScaleKernel{cases_.over(rows_), ptr(inverse_diagonal_), r, z});
  }

 private:
  CaseList<E>& cases_;
  int rows_ = 0;
  DeviceVector<E, double> inverse_diagonal_;
};

template <class E>
class BatchedPcg {
  template <class T>
  using Vec = DeviceVector<E, T>;

 public:
  explicit BatchedPcg(CaseList<E>& cases) : cases_(cases) {}

  // Work vectors for a batch of `batch` cases of `rows` rows.
  void allocate(int batch, int rows) {
    const size_t nb = static_cast<size_t>(batch) * rows;
    r_ = Vec<double>(nb); z_ = Vec<double>(nb); p_ = Vec<double>(nb); q_ = Vec<double>(nb);
    scalars_ = Vec<double>(7 * static_cast<size_t>(batch), 0.0);
  }

  // Solves K x = -R for the cases marked active (x = 0 for the others), each
  // case to its own relative tolerance, in lockstep: each kernel runs over
  // all unconverged cases ([case][row] vectors, one launch), each case keeps
  // its own scalars (alpha, beta, residual) and drops out of the list when
  // it converges or breaks down. A case's arithmetic is the same as if it
  // were solved alone; the batch only shares the launches (on a GPU, what
  // fills the device when one case is small). M: set_up(K) once the cases
  // are listed, then apply(r, z); flexible: M is nonlinear (a K-cycle).
  template <class Preconditioner>
  std::vector<LinearSolveStats> solve(const BatchedCsr& K, const double* residual, double* x, Preconditioner& M,
                                      bool flexible, const std::vector<char>& active, const std::vector<double>& rtol,
                                      int max_iterations) {
    const int batch = cases_.batch(), n = K.rows;
    std::vector<LinearSolveStats> stats(batch);
    launch<E>(batch * n, FillKernel{0.0, x});
    std::vector<int> listed;
    for (int c = 0; c < batch; ++c) {
      if (active[c]) listed.push_back(c);
      else stats[c].converged = true;
    }
    if (listed.empty()) return stats;
    cases_.set(listed);
    double *r = ptr(r_), *z = ptr(z_), *p = ptr(p_), *q = ptr(q_);
    cases_.run(NegateCopyKernel{cases_.over(n), residual, r});  // x = 0: r = b = -R
    std::vector<double> b_norm = cases_.host_dots(r, r, n);
    for (double& v : b_norm) v = std::sqrt(v);
    cases_.keep([&](int c) {
      if (b_norm[c] != 0.0) return true;
      stats[c].converged = true;
      return false;
    });
    if (cases_.count() == 0) return stats;
    M.set_up(K);
    // The K-cycle makes the multigrid preconditioner nonlinear (inner Krylov
    // steps), so the outer CG is flexible there: each new direction is made
    // A-orthogonal to the previous one explicitly (Notay's FCG(1)),
    // beta = -z.(A p) / p.(A p), instead of the Fletcher-Reeves ratio.
    // The scalars stay on the device ([case] slices of one buffer); p.Kp and
    // r.r sit side by side so that the iteration's one trip to the host (the
    // convergence test) copies both at once.
    const size_t nb = static_cast<size_t>(batch);
    double* scalars = ptr(scalars_);
    double *rz = scalars, *rz_new = scalars + nb, *zq = scalars + 2 * nb, *alpha = scalars + 3 * nb,
           *beta = scalars + 4 * nb, *pq = scalars + 5 * nb, *rr = scalars + 6 * nb;
    M.apply(r, z);
    cases_.run(CopyKernel{cases_.over(n), z, p});
    cases_.dot_into(r, z, n, rz);
    for (int it = 1; it <= max_iterations && cases_.count() > 0; ++it) {
      cases_.run(CsrMatVecKernel<double>{cases_.over(n), K.nonzeros, K.row_ptr, K.col, K.values, p, q});
      cases_.dot_into(p, q, n, pq);
      cases_.run(CgStepLengthKernel{cases_.over(1), rz, pq, alpha});
      cases_.run(CgUpdateKernel{cases_.over(n), alpha, p, q, x, r});
      cases_.dot_into(r, r, n, rr);
      const std::vector<double> pq_rr = E::to_host(pq, 2 * batch);
      cases_.keep([&](int c) {
        LinearSolveStats& s = stats[c];
        s.iterations = it;
        if (!(pq_rr[c] > 0.0)) {  // p.Kp <= 0: the step was skipped
          s.breakdown = true;
          return false;
        }
        const double r_norm = std::sqrt(pq_rr[nb + c]);
        s.relative_residual = r_norm / b_norm[c];
        if (!std::isfinite(r_norm)) return false;
        if (s.relative_residual <= rtol[c]) s.converged = true;
        return !s.converged;
      });
      if (cases_.count() == 0) break;
      M.apply(r, z);
      cases_.dot_into(r, z, n, rz_new);
      if (flexible) cases_.dot_into(z, q, n, zq);
      cases_.run(CgDirectionScaleKernel{cases_.over(1), flexible, rz_new, zq, pq, rz, beta});
      cases_.run(CgDirectionKernel{cases_.over(n), beta, z, p});
    }
    return stats;
  }

 private:
  CaseList<E>& cases_;
  Vec<double> r_, z_, p_, q_;  // [case][row]
  Vec<double> scalars_;        // 7 x [case]: the PCG's scalars
};

}  // namespace rotormag::kernels

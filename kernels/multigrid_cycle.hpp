#pragma once
// The aggregation multigrid preconditioner on the device: per Newton step,
// the level matrices of every listed case from the fixed hierarchy
// (multigrid_setup.hpp builds its maps once per mesh on the host), then
// Notay's K-cycle as the PCG's preconditioner. Its own file because it is
// the largest part of the solver and the only one with per-level state; the
// PCG (batched_pcg.hpp) sees it only through set_up() and apply().
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/case_list.hpp"
#include "kernels/dense_cholesky.hpp"
#include "kernels/execution_model.hpp"
#include "kernels/linear_algebra_kernels.hpp"
#include "kernels/multigrid_kernels.hpp"
#include "kernels/multigrid_setup.hpp"
#include "kernels/scalar_kernels.hpp"

namespace rotormag::kernels {

template <class E>
class MultigridCycle {
  template <class T>
  using Vec = DeviceVector<E, T>;

 public:
  explicit MultigridCycle(CaseList<E>& cases) : cases_(cases) {}

  // A new mesh: the fine CSR pattern and the order in which the fine
  // level's aggregation visits the unknowns. The hierarchy belongs to the
  // mesh and is built from the first matrix that needs it.
  void load_mesh(const std::vector<int>& row_ptr, const std::vector<int>& col,
                 const std::vector<int>& aggregation_order) {
    row_ptr_host_ = row_ptr;
    col_host_ = col;
    aggregation_order_host_ = aggregation_order;
    levels_.clear();
  }

  // The cycle reads float copies of the level matrices (vectors, sums, the
  // coarsest solve and the CG stay double): Preconditioner::multigrid_single.
  void set_single_precision(bool single) { single_ = single; }

  std::string description() const {
    std::string s = single_ ? "aggregation multigrid (float level matrices), rows per level:"
                            : "aggregation multigrid, rows per level:";
    for (const auto& l : levels_) s += " " + std::to_string(l.rows);
    return levels_.empty() ? "aggregation multigrid (not set up yet)" : s;
  }

  // The level matrices of every listed case from its fine matrix (K's
  // values are read again by every cycle of the solve).
  void set_up(const BatchedCsr& K) {
    fine_values_ = K.values;
    if (levels_.empty())  // the hierarchy of the mesh, from the first case that needs it
      build_hierarchy(K.values + static_cast<size_t>(cases_.host().front()) * K.nonzeros);
    if (level_batch_ != cases_.batch()) allocate_level_vectors();
    // Values only: coarse matrices are segmented sums over the fixed maps.
    for (size_t l = 0; l < levels_.size(); ++l) {
      DeviceLevel& L = levels_[l];
      if (l > 0) {
        const DeviceLevel& F = levels_[l - 1];
        cases_.run(CoarseValuesKernel{cases_.over(L.nonzeros), F.nonzeros, ptr(F.coarse_slot_ptr),
                                      ptr(F.coarse_slot_sources), level_values(l - 1), ptr(L.values)});
      }
      cases_.run(L1DiagonalKernel{cases_.over(L.rows), L.nonzeros, ptr(L.row_ptr), level_values(l), ptr(L.inverse_l1)});
    }
    if (single_) narrow_level_values();
    factor_coarsest();
  }

  // z = M^-1 r for the listed cases: one cycle from the finest level.
  void apply(const double* r, double* z) {
    if (single_) v_cycle<float>(0, r, z);
    else v_cycle<double>(0, r, z);
  }

 private:
  // One hierarchy (pattern and maps) per mesh; values and vectors per case.
  struct DeviceLevel {
    int rows = 0, nonzeros = 0;
    Vec<int> row_ptr, col, aggregate, member_ptr, members, coarse_slot_ptr, coarse_slot_sources;
    Vec<double> values, inverse_l1, b, x, tmp;  // [case][...] (values: levels below the finest)
    Vec<float> values_single;                   // [case][nnz] of every level (Preconditioner::multigrid_single)
    Vec<double> k_c1, k_v1, k_r2, k_c2, k_v2;  // K-cycle work vectors (levels below the finest)
    Vec<double> coef_a, coef_b, scalars;       // K-cycle scalars: [case], and 6 x [case] (KCycleScalars)
  };
  static constexpr int smoothing_sweeps = 2;
  static constexpr int dense_coarsest_limit = 2000;

  const double* level_values(size_t l) const { return l == 0 ? fine_values_ : ptr(levels_[l].values); }
  // The values the cycle reads: the double level matrices, or their float copies.
  template <class Value>
  const Value* cycle_values(size_t l) const {
    if constexpr (std::is_same_v<Value, float>) return ptr(levels_[l].values_single);
    else return level_values(l);
  }

  void build_hierarchy(const double* values) {
    const MultigridHierarchy h = build_aggregation_hierarchy(
        row_ptr_host_, col_host_, E::to_host(values, static_cast<int>(col_host_.size())), aggregation_order_host_);
    levels_.clear();
    for (const MultigridLevel& l : h.levels) {
      DeviceLevel d;
      d.rows = l.rows;
      d.nonzeros = static_cast<int>(l.col.size());
      d.row_ptr = upload<E>(l.row_ptr); d.col = upload<E>(l.col); d.aggregate = upload<E>(l.aggregate);
      d.member_ptr = upload<E>(l.member_ptr); d.members = upload<E>(l.members);
      d.coarse_slot_ptr = upload<E>(l.coarse_slot_ptr); d.coarse_slot_sources = upload<E>(l.coarse_slot_sources);
      levels_.push_back(std::move(d));
    }
    coarsest_row_ptr_ = h.levels.back().row_ptr;
    coarsest_col_ = h.levels.back().col;
    level_batch_ = 0;
  }

  void allocate_level_vectors() {
    const size_t nb = static_cast<size_t>(cases_.batch());
    for (size_t l = 0; l < levels_.size(); ++l) {
      DeviceLevel& d = levels_[l];
      const size_t rows = nb * d.rows;
      if (l > 0) d.values = Vec<double>(nb * d.nonzeros);
      d.inverse_l1 = Vec<double>(rows); d.b = Vec<double>(rows); d.x = Vec<double>(rows); d.tmp = Vec<double>(rows);
      if (l > 0) {
        d.k_c1 = Vec<double>(rows); d.k_v1 = Vec<double>(rows); d.k_r2 = Vec<double>(rows);
        d.k_c2 = Vec<double>(rows); d.k_v2 = Vec<double>(rows);
        d.coef_a = Vec<double>(nb); d.coef_b = Vec<double>(nb); d.scalars = Vec<double>(6 * nb);
      }
    }
    level_batch_ = cases_.batch();
  }

  // The set-up above stays double (coarse values are sums of fine ones);
  // only the cycle reads the float copies.
  void narrow_level_values() {
    for (size_t l = 0; l < levels_.size(); ++l) {
      DeviceLevel& L = levels_[l];
      const size_t size = static_cast<size_t>(cases_.batch()) * L.nonzeros;
      if (L.values_single.size() != size) L.values_single = Vec<float>(size);
      cases_.run(NarrowValuesKernel{cases_.over(L.nonzeros), level_values(l), ptr(L.values_single)});
    }
  }

  // The coarsest level is solved directly: per case, the dense inverse from
  // a Cholesky factorization on the host (dense_cholesky.hpp), applied as a
  // dense mat-vec on the device. Should one case's coarsest matrix not be
  // positive definite, the level is smoothed instead, for every case of the
  // batch (the cycle has one shape for the batch).
  void factor_coarsest() {
    const size_t last = levels_.size() - 1;
    const int n = levels_[last].rows, nnz = levels_[last].nonzeros;
    dense_coarsest_ = n <= dense_coarsest_limit;  // a small problem is one level: solved directly
    if (!dense_coarsest_) return;
    const int batch = cases_.batch();
    const std::vector<double> all = E::to_host(level_values(last), batch * nnz);
    const size_t nn = static_cast<size_t>(n) * n;
    if (coarsest_inverse_host_.size() != batch * nn) coarsest_inverse_host_.assign(batch * nn, 0.0);
    for (int c : cases_.host())
      if (!invert_spd(n, coarsest_row_ptr_.data(), coarsest_col_.data(), all.data() + static_cast<size_t>(c) * nnz,
                      coarsest_inverse_host_.data() + c * nn)) {
        dense_coarsest_ = false;
        return;
      }
    coarsest_inverse_ = upload<E>(coarsest_inverse_host_);
  }

  template <class Value>
  void smooth(DeviceLevel& L, const Value* values, const double* b, double* x, int sweeps) {
    for (int s = 0; s < sweeps; ++s) {
      cases_.run(ResidualKernel<Value>{cases_.over(L.rows), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, x, b,
                                       ptr(L.tmp)});
      cases_.run(ScaledAddKernel{cases_.over(L.rows), ptr(L.inverse_l1), ptr(L.tmp), x});
    }
  }

  // K-cycle (Notay & Vassilevski 2008, AGMG): the coarse-level system
  // A_l x = b is solved by two steps of flexible CG preconditioned by the
  // level's own cycle. AGMG skips the second step when the first already
  // reduced the residual 4x; measured on the demo ladder, always taking both
  // steps gives fewer outer iterations at the same time per solve, and saves
  // two reductions. Each case of the batch has its own step lengths,
  // computed on the device (scalar_kernels.hpp): the cycle never waits for
  // the host.
  template <class Value>
  void k_cycle(size_t l, const double* b, double* x) {
    DeviceLevel& L = levels_[l];
    const Value* values = cycle_values<Value>(l);
    const int n = L.rows;
    double *c1 = ptr(L.k_c1), *v1 = ptr(L.k_v1), *r2 = ptr(L.k_r2), *c2 = ptr(L.k_c2), *v2 = ptr(L.k_v2);
    const size_t nb = static_cast<size_t>(cases_.batch());
    double* sc = ptr(L.scalars);
    const KCycleScalars v{sc, sc + nb, sc + 2 * nb, sc + 3 * nb, sc + 4 * nb, sc + 5 * nb};
    v_cycle<Value>(l, b, c1);
    cases_.run(CsrMatVecKernel<Value>{cases_.over(n), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, c1, v1});
    cases_.dot_into(c1, v1, n, v.rho1);
    cases_.dot_into(c1, b, n, v.alpha1);
    cases_.run(KCycleFirstStepKernel{cases_.over(1), v, ptr(L.coef_a), ptr(L.coef_b)});
    cases_.run(LinearCombinationKernel{cases_.over(n), ptr(L.coef_a), b, ptr(L.coef_b), v1, r2});
    v_cycle<Value>(l, r2, c2);
    cases_.run(CsrMatVecKernel<Value>{cases_.over(n), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, c2, v2});
    cases_.dot_into(c2, v1, n, v.gamma);
    cases_.dot_into(c2, v2, n, v.beta);
    cases_.dot_into(c2, r2, n, v.alpha2);
    cases_.run(KCycleCombinationKernel{cases_.over(1), v, ptr(L.coef_a), ptr(L.coef_b)});
    cases_.run(LinearCombinationKernel{cases_.over(n), ptr(L.coef_a), c1, ptr(L.coef_b), c2, x});
  }

  // Multigrid cycle with symmetric smoothing (same sweeps before and after);
  // the coarse correction is the exact coarsest solve or a K-cycle one level
  // down, so the preconditioner is nonlinear and the outer CG is flexible.
  template <class Value>
  void v_cycle(size_t l, const double* b, double* x) {
    DeviceLevel& L = levels_[l];
    const Value* values = cycle_values<Value>(l);
    const bool coarsest = l + 1 == levels_.size();
    if (coarsest && dense_coarsest_) {
      cases_.run(DenseMatVecKernel{cases_.over(L.rows), ptr(coarsest_inverse_), b, x});
      return;
    }
    cases_.run(DiagonalScaleKernel{cases_.over(L.rows), ptr(L.inverse_l1), b, x});  // first sweep from x = 0
    smooth(L, values, b, x, (coarsest ? 4 * smoothing_sweeps : smoothing_sweeps) - 1);
    if (coarsest) {
      smooth(L, values, b, x, 4 * smoothing_sweeps);
      return;
    }
    DeviceLevel& C = levels_[l + 1];
    cases_.run(ResidualKernel<Value>{cases_.over(L.rows), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, x, b,
                                     ptr(L.tmp)});
    cases_.run(RestrictKernel{cases_.over(C.rows), L.rows, ptr(L.member_ptr), ptr(L.members), ptr(L.tmp), ptr(C.b)});
    if (l + 2 == levels_.size() && dense_coarsest_) v_cycle<Value>(l + 1, ptr(C.b), ptr(C.x));
    else k_cycle<Value>(l + 1, ptr(C.b), ptr(C.x));
    cases_.run(ProlongKernel{cases_.over(L.rows), C.rows, ptr(L.aggregate), ptr(C.x), x});
    smooth(L, values, b, x, smoothing_sweeps);
  }

  CaseList<E>& cases_;
  std::vector<int> row_ptr_host_, col_host_, aggregation_order_host_;  // the fine pattern
  const double* fine_values_ = nullptr;  // [case][nnz] of the solve in progress
  bool single_ = false;
  std::vector<DeviceLevel> levels_;
  int level_batch_ = 0;  // the batch size the level vectors are allocated for
  bool dense_coarsest_ = false;
  std::vector<int> coarsest_row_ptr_, coarsest_col_;
  std::vector<double> coarsest_inverse_host_;  // [case][row][col]
  Vec<double> coarsest_inverse_;
};

}  // namespace rotormag::kernels

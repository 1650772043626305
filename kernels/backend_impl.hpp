#pragma once
// The backend written once over an execution model E:
//   E::vector<T>          storage on the device (std::vector on the CPU)
//   E::for_each(n, f)     f(i) for i in [0, n) through Thrust (omp or cuda system)
//   E::reduce(n, f, 0, op) the reduction of f(i) over [0, n)
// Included by cpu_backend.cpp (host compiler) and cuda_backend.cu (nvcc),
// so both run the very same kernels.
#include <thrust/copy.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/assembly_kernels.hpp"
#include "kernels/backend.hpp"
#include "kernels/linear_algebra_kernels.hpp"
#include "kernels/multigrid_kernels.hpp"
#include "kernels/multigrid_setup.hpp"
#include "kernels/scalar_kernels.hpp"

namespace rotormag::kernels {

template <class E>
class BackendImpl : public Backend {
  template <class T>
  using Vec = typename E::template vector<T>;

 public:
  explicit BackendImpl(std::string description) : description_(std::move(description)) {}
  std::string name() const override { return E::name(); }
  std::string description() const override { return description_; }

  void load_mesh(const AssemblyMesh& m) override {
    // n_ counts unknowns: every vector of the linear algebra is [case][dof].
    order_ = m.order; npe_ = m.nodes_per_element; ne_ = m.element_count; n_ = m.dof_count; nnz_ = m.nonzeros();
    x_ = upload(m.x); y_ = upload(m.y); connectivity_ = upload(m.connectivity); element_law_ = upload(m.element_law);
    node_dof_ = upload(m.node_dof); node_sign_ = upload(m.node_sign);
    dirichlet_ = upload(m.dirichlet); row_ptr_ = upload(m.row_ptr); col_ = upload(m.col);
    diagonal_slot_ = upload(m.diagonal_slot); element_slot_ = upload(m.element_slot);
    colour_elements_ = upload(m.colour_elements); colour_ptr_host_ = m.colour_ptr;
    row_ptr_host_ = m.row_ptr;
    col_host_ = m.col;
    aggregation_order_host_ = m.aggregation_order;
    levels_.clear();  // the multigrid hierarchy belongs to the mesh
  }

  void set_preconditioner(Preconditioner p) override { preconditioner_ = p; }

  std::string preconditioner_description() const override {
    if (preconditioner_ == Preconditioner::jacobi) return "Jacobi";
    std::string s = preconditioner_ == Preconditioner::multigrid_single
                        ? "aggregation multigrid (float level matrices), rows per level:"
                        : "aggregation multigrid, rows per level:";
    for (const auto& l : levels_) s += " " + std::to_string(l.rows);
    return levels_.empty() ? "aggregation multigrid (not set up yet)" : s;
  }

  void load_batch(const CaseBatch& b) override {
    // Kernels index (case, slot) with an int: the batch's matrix must fit.
    if (static_cast<long long>(b.size) * std::max(nnz_, ne_) > std::numeric_limits<int>::max())
      throw BackendError("a batch of " + std::to_string(b.size) + " cases of " + std::to_string(nnz_) +
                         " matrix entries exceeds the kernels' 2^31 index range: split the batch");
    batch_ = b.size; law_count_ = b.law_count;
    set_cases({});  // the previous batch's list means nothing here
    laws_ = upload(b.laws);
    knot_B_ = upload(nonempty(b.knot_B)); knot_H_ = upload(nonempty(b.knot_H));
    knot_slope_ = upload(nonempty(b.knot_slope)); knot_energy_ = upload(nonempty(b.knot_energy));
    remanence_x_ = upload(b.remanence_x); remanence_y_ = upload(b.remanence_y);
    current_density_ = upload(b.current_density);
    potential_ = upload(b.initial_potential);
    const size_t nb = static_cast<size_t>(batch_) * n_;
    update_ = Vec<double>(nb, 0.0); trial_ = Vec<double>(nb, 0.0); residual_ = Vec<double>(nb, 0.0);
    matrix_ = Vec<double>(static_cast<size_t>(batch_) * nnz_, 0.0);
    cg_r_ = Vec<double>(nb); cg_z_ = Vec<double>(nb); cg_p_ = Vec<double>(nb); cg_q_ = Vec<double>(nb);
    inverse_diagonal_ = Vec<double>(nb);
    cg_scalars_ = Vec<double>(7 * static_cast<size_t>(batch_), 0.0);
    step_ = Vec<double>(batch_, 0.0);
  }

  std::vector<double> assemble(const std::vector<double>& step, bool with_matrix,
                               bool initial_permeability = false) override {
    const double* state = ptr(potential_);
    if (!step.empty()) {
      step_ = upload(step);
      for_each(batch_ * n_, ScaledStepKernel{n_, ptr(step_), ptr(potential_), ptr(update_), ptr(trial_)});
      state = ptr(trial_);
    }
    // Fused assembly, colour by colour (assembly_kernels.hpp): reset, add
    // every element's blocks in place, then the identity rows' diagonal.
    for_each(batch_ * n_, FillKernel{0.0, ptr(residual_)});
    if (with_matrix) for_each(batch_ * nnz_, FillKernel{0.0, ptr(matrix_)});
    double* values = with_matrix ? ptr(matrix_) : nullptr;
    for (size_t k = 0; k + 1 < colour_ptr_host_.size(); ++k) {
      const int first = colour_ptr_host_[k], count = colour_ptr_host_[k + 1] - first;
      run_every_case(AssembleColourKernel{CaseRows{count, nullptr}, ptr(colour_elements_) + first, element_view(),
                                          case_view(), state, ptr(element_slot_), ptr(dirichlet_), nnz_, values,
                                          ptr(residual_), initial_permeability});
    }
    if (with_matrix)
      run_every_case(DirichletDiagonalKernel{CaseRows{n_, nullptr}, nnz_, ptr(dirichlet_), ptr(diagonal_slot_), values});
    list_every_case();
    std::vector<double> norms = host_dots(ptr(residual_), ptr(residual_), n_);
    for (double& v : norms) v = std::sqrt(v);
    return norms;
  }

  // Preconditioned CG on every active case at once, in lockstep: each kernel
  // runs over all unconverged cases ([case][row] vectors, one launch), each
  // case keeps its own scalars (alpha, beta, residual) and drops out of the
  // list when it converges or breaks down. A case's arithmetic is the same
  // as if it were solved alone; the batch only shares the launches (on a
  // GPU, what fills the device when one case is small).
  std::vector<LinearSolveStats> solve_update(const std::vector<char>& active, const std::vector<double>& rtol,
                                             int max_iterations) override {
    std::vector<LinearSolveStats> stats(batch_);
    for_each(batch_ * n_, FillKernel{0.0, ptr(update_)});
    std::vector<int> cases;
    for (int c = 0; c < batch_; ++c) {
      if (active[c]) cases.push_back(c);
      else stats[c].converged = true;
    }
    if (cases.empty()) return stats;
    set_cases(cases);
    double *x = ptr(update_), *r = ptr(cg_r_), *z = ptr(cg_z_), *p = ptr(cg_p_), *q = ptr(cg_q_);
    run(NegateCopyKernel{over(n_), ptr(residual_), r});  // x = 0: r = b = -R
    std::vector<double> b_norm = host_dots(r, r, n_);
    for (double& v : b_norm) v = std::sqrt(v);
    keep_cases([&](int c) {
      if (b_norm[c] != 0.0) return true;
      stats[c].converged = true;
      return false;
    });
    if (case_count_ == 0) return stats;
    set_up_preconditioner();
    // The K-cycle makes the multigrid preconditioner nonlinear (inner Krylov
    // steps), so the outer CG is flexible there: each new direction is made
    // A-orthogonal to the previous one explicitly (Notay's FCG(1)),
    // beta = -z.(A p) / p.(A p), instead of the Fletcher-Reeves ratio.
    const bool flexible = preconditioner_ != Preconditioner::jacobi;
    // The scalars stay on the device ([case] slices of one buffer); p.Kp and
    // r.r sit side by side so that the iteration's one trip to the host (the
    // convergence test) copies both at once.
    const size_t nb = static_cast<size_t>(batch_);
    double* scalars = ptr(cg_scalars_);
    double *rz = scalars, *rz_new = scalars + nb, *zq = scalars + 2 * nb, *alpha = scalars + 3 * nb,
           *beta = scalars + 4 * nb, *pq = scalars + 5 * nb, *rr = scalars + 6 * nb;
    apply_preconditioner(r, z);
    run(CopyKernel{over(n_), z, p});
    dot_into(r, z, n_, rz);
    for (int it = 1; it <= max_iterations && case_count_ > 0; ++it) {
      run(CsrMatVecKernel<double>{over(n_), nnz_, ptr(row_ptr_), ptr(col_), ptr(matrix_), p, q});
      dot_into(p, q, n_, pq);
      run(CgStepLengthKernel{over(1), rz, pq, alpha});
      run(CgUpdateKernel{over(n_), alpha, p, q, x, r});
      dot_into(r, r, n_, rr);
      const std::vector<double> pq_rr = E::to_host(pq, 2 * batch_);
      keep_cases([&](int c) {
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
      if (case_count_ == 0) break;
      apply_preconditioner(r, z);
      dot_into(r, z, n_, rz_new);
      if (flexible) dot_into(z, q, n_, zq);
      run(CgDirectionScaleKernel{over(1), flexible, rz_new, zq, pq, rz, beta});
      run(CgDirectionKernel{over(n_), beta, z, p});
    }
    return stats;
  }

  void apply_update(const std::vector<double>& step, std::vector<double>& update_max,
                    std::vector<double>& potential_max) override {
    step_ = upload(step);
    for_each(batch_ * n_, ScaledStepKernel{n_, ptr(step_), ptr(potential_), ptr(update_), ptr(trial_)});
    update_max.assign(batch_, 0.0);
    potential_max.assign(batch_, 0.0);
    for (int c = 0; c < batch_; ++c) {
      const size_t o = static_cast<size_t>(c) * n_;
      update_max[c] = step[c] * max(n_, AbsKernel{ptr(update_) + o});
      potential_max[c] = max(n_, AbsKernel{ptr(trial_) + o});
    }
    potential_.swap(trial_);
  }

  std::vector<double> potential() const override { return download(potential_); }
  std::vector<double> residual() const override { return download(residual_); }

  ElementFields element_fields() const override {
    const size_t nb = static_cast<size_t>(batch_) * ne_;
    Vec<double> bx(nb), by(nb), hx(nb), hy(nb), energy(nb), potential(nb), area(ne_);
    for_each(batch_ * ne_, ElementFieldKernel{element_view(), case_view(), ptr(potential_), ptr(bx), ptr(by), ptr(hx),
                                              ptr(hy), ptr(energy), ptr(potential), ptr(area)});
    ElementFields f;
    f.bx = download(bx); f.by = download(by); f.hx = download(hx); f.hy = download(hy);
    f.energy = download(energy); f.potential = download(potential); f.area = download(area);
    return f;
  }

 private:
  // ---- the list of cases the batched kernels run over
  void set_cases(const std::vector<int>& cases) {
    cases_host_ = cases;
    case_count_ = static_cast<int>(cases.size());
    case_list_ = upload(cases);
  }
  // Lists are ordered subsets of the batch: one as long as the batch is all of it.
  void list_every_case() {
    if (case_count_ == batch_) return;
    std::vector<int> every(batch_);
    for (int c = 0; c < batch_; ++c) every[c] = c;
    set_cases(every);
  }
  // Keeps the cases for which keep(c) is true (in order); uploads the list
  // only when it changed.
  template <class Keep>
  void keep_cases(Keep keep) {
    std::vector<int> kept;
    kept.reserve(cases_host_.size());
    for (int c : cases_host_)
      if (keep(c)) kept.push_back(c);
    if (kept.size() != cases_host_.size()) set_cases(kept);
  }
  CaseRows over(int rows) const { return CaseRows{rows, ptr(case_list_)}; }
  template <class F>
  void run_every_case(F f) const {  // f.s lists no cases: all of the batch
    if (batch_ == 0 || f.s.rows == 0) return;
    E::for_each_row(batch_, f);
    E::check(F::kernel_name);
  }
  template <class F>
  void run(F f) const {
    if (case_count_ == 0 || f.s.rows == 0) return;
    E::for_each_row(case_count_, f);
    E::check(F::kernel_name);
  }
  // out[c] = a.b of every listed case c, into a device array indexed by case
  // (no trip to the host).
  void dot_into(const double* a, const double* b, int rows, double* out) {
    const DotKernel f{over(rows), a, b};
    if (case_count_ == 1) E::sum_into(rows, f, out + cases_host_.front(), reduce_temp_);
    else E::segmented_sum(case_count_, rows, f, ptr(case_list_), out, reduce_temp_);
    E::check(DotKernel::kernel_name);
  }
  // a.b per listed case on the host, indexed by case (unlisted cases: 0).
  std::vector<double> host_dots(const double* a, const double* b, int rows) {
    if (segment_scratch_.size() < static_cast<size_t>(batch_)) segment_scratch_ = Vec<double>(batch_);
    for_each(batch_, FillKernel{0.0, ptr(segment_scratch_)});
    dot_into(a, b, rows, ptr(segment_scratch_));
    return E::to_host(ptr(segment_scratch_), batch_);
  }

  void set_up_preconditioner() {
    if (preconditioner_ == Preconditioner::jacobi) {
      run(InverseDiagonalKernel{over(n_), nnz_, ptr(diagonal_slot_), ptr(matrix_), ptr(inverse_diagonal_)});
      return;
    }
    if (levels_.empty())  // the hierarchy of the mesh, from the first case that needs it
      build_hierarchy(ptr(matrix_) + static_cast<size_t>(cases_host_.front()) * nnz_);
    if (level_batch_ != batch_) allocate_level_vectors();
    // Values only: coarse matrices are segmented sums over the fixed maps.
    for (size_t l = 0; l < levels_.size(); ++l) {
      DeviceLevel& L = levels_[l];
      if (l > 0) {
        const DeviceLevel& F = levels_[l - 1];
        run(CoarseValuesKernel{over(L.nonzeros), F.nonzeros, ptr(F.coarse_slot_ptr), ptr(F.coarse_slot_sources),
                               level_values(l - 1), ptr(L.values)});
      }
      run(L1DiagonalKernel{over(L.rows), L.nonzeros, ptr(L.row_ptr), level_values(l), ptr(L.inverse_l1)});
    }
    if (preconditioner_ == Preconditioner::multigrid_single) narrow_level_values();
    factor_coarsest();
  }
  // The set-up above stays double (coarse values are sums of fine ones);
  // only the cycle reads the float copies.
  void narrow_level_values() {
    for (size_t l = 0; l < levels_.size(); ++l) {
      DeviceLevel& L = levels_[l];
      const size_t size = static_cast<size_t>(batch_) * L.nonzeros;
      if (L.values_single.size() != size) L.values_single = Vec<float>(size);
      run(NarrowValuesKernel{over(L.nonzeros), level_values(l), ptr(L.values_single)});
    }
  }
  void apply_preconditioner(const double* r, double* z) {
    if (preconditioner_ == Preconditioner::jacobi) {
      run(DiagonalScaleKernel{over(n_), ptr(inverse_diagonal_), r, z});
      return;
    }
    if (preconditioner_ == Preconditioner::multigrid_single) v_cycle<float>(0, r, z);
    else v_cycle<double>(0, r, z);
  }

  // ---- aggregation multigrid (kernels/multigrid_setup.hpp)
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

  const double* level_values(size_t l) const { return l == 0 ? ptr(matrix_) : ptr(levels_[l].values); }
  // The values the cycle reads: the double level matrices, or their float copies.
  template <class Value>
  const Value* cycle_values(size_t l) const {
    if constexpr (std::is_same_v<Value, float>) return ptr(levels_[l].values_single);
    else return level_values(l);
  }

  void build_hierarchy(const double* values) {
    const MultigridHierarchy h = build_aggregation_hierarchy(row_ptr_host_, col_host_, E::to_host(values, nnz_),
                                                             aggregation_order_host_);
    levels_.clear();
    for (const MultigridLevel& l : h.levels) {
      DeviceLevel d;
      d.rows = l.rows;
      d.nonzeros = static_cast<int>(l.col.size());
      d.row_ptr = upload(l.row_ptr); d.col = upload(l.col); d.aggregate = upload(l.aggregate);
      d.member_ptr = upload(l.member_ptr); d.members = upload(l.members);
      d.coarse_slot_ptr = upload(l.coarse_slot_ptr); d.coarse_slot_sources = upload(l.coarse_slot_sources);
      levels_.push_back(std::move(d));
    }
    coarsest_row_ptr_ = h.levels.back().row_ptr;
    coarsest_col_ = h.levels.back().col;
    level_batch_ = 0;
  }

  void allocate_level_vectors() {
    const size_t nb = static_cast<size_t>(batch_);
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
    level_batch_ = batch_;
  }

  // The coarsest level is solved directly: per case, the dense inverse from
  // a Cholesky factorization on the host (it has a few hundred rows at most),
  // applied as a dense mat-vec on the device. Should one case's coarsest
  // matrix not be positive definite, the level is smoothed instead, for
  // every case of the batch (the cycle has one shape for the batch).
  void factor_coarsest() {
    const size_t last = levels_.size() - 1;
    const int n = levels_[last].rows, nnz = levels_[last].nonzeros;
    dense_coarsest_ = n <= dense_coarsest_limit;  // a small problem is one level: solved directly
    if (!dense_coarsest_) return;
    const std::vector<double> all = E::to_host(level_values(last), batch_ * nnz);
    const size_t nn = static_cast<size_t>(n) * n;
    if (coarsest_inverse_host_.size() != batch_ * nn) coarsest_inverse_host_.assign(batch_ * nn, 0.0);
    for (int c : cases_host_)
      if (!invert_spd(n, all.data() + static_cast<size_t>(c) * nnz, coarsest_inverse_host_.data() + c * nn)) {
        dense_coarsest_ = false;
        return;
      }
    coarsest_inverse_ = upload(coarsest_inverse_host_);
  }

  // inv = A^-1 for the CSR matrix (coarsest pattern) with values v, by
  // Cholesky; false when A is not positive definite.
  bool invert_spd(int n, const double* v, double* inv) const {
    std::vector<double> a(static_cast<size_t>(n) * n, 0.0);
    for (int i = 0; i < n; ++i)
      for (int k = coarsest_row_ptr_[i]; k < coarsest_row_ptr_[i + 1]; ++k) a[static_cast<size_t>(i) * n + coarsest_col_[k]] = v[k];
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

  template <class Value>
  void smooth(DeviceLevel& L, const Value* values, const double* b, double* x, int sweeps) {
    for (int s = 0; s < sweeps; ++s) {
      run(ResidualKernel<Value>{over(L.rows), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, x, b, ptr(L.tmp)});
      run(ScaledAddKernel{over(L.rows), ptr(L.inverse_l1), ptr(L.tmp), x});
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
    const size_t nb = static_cast<size_t>(batch_);
    double* sc = ptr(L.scalars);
    const KCycleScalars v{sc, sc + nb, sc + 2 * nb, sc + 3 * nb, sc + 4 * nb, sc + 5 * nb};
    v_cycle<Value>(l, b, c1);
    run(CsrMatVecKernel<Value>{over(n), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, c1, v1});
    dot_into(c1, v1, n, v.rho1);
    dot_into(c1, b, n, v.alpha1);
    run(KCycleFirstStepKernel{over(1), v, ptr(L.coef_a), ptr(L.coef_b)});
    run(LinearCombinationKernel{over(n), ptr(L.coef_a), b, ptr(L.coef_b), v1, r2});
    v_cycle<Value>(l, r2, c2);
    run(CsrMatVecKernel<Value>{over(n), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, c2, v2});
    dot_into(c2, v1, n, v.gamma);
    dot_into(c2, v2, n, v.beta);
    dot_into(c2, r2, n, v.alpha2);
    run(KCycleCombinationKernel{over(1), v, ptr(L.coef_a), ptr(L.coef_b)});
    run(LinearCombinationKernel{over(n), ptr(L.coef_a), c1, ptr(L.coef_b), c2, x});
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
      run(DenseMatVecKernel{over(L.rows), ptr(coarsest_inverse_), b, x});
      return;
    }
    run(DiagonalScaleKernel{over(L.rows), ptr(L.inverse_l1), b, x});  // first sweep from x = 0
    smooth(L, values, b, x, (coarsest ? 4 * smoothing_sweeps : smoothing_sweeps) - 1);
    if (coarsest) {
      smooth(L, values, b, x, 4 * smoothing_sweeps);
      return;
    }
    DeviceLevel& C = levels_[l + 1];
    run(ResidualKernel<Value>{over(L.rows), L.nonzeros, ptr(L.row_ptr), ptr(L.col), values, x, b, ptr(L.tmp)});
    run(RestrictKernel{over(C.rows), L.rows, ptr(L.member_ptr), ptr(L.members), ptr(L.tmp), ptr(C.b)});
    if (l + 2 == levels_.size() && dense_coarsest_) v_cycle<Value>(l + 1, ptr(C.b), ptr(C.x));
    else k_cycle<Value>(l + 1, ptr(C.b), ptr(C.x));
    run(ProlongKernel{over(L.rows), C.rows, ptr(L.aggregate), ptr(C.x), x});
    smooth(L, values, b, x, smoothing_sweeps);
  }

  ElementView element_view() const {
    return ElementView{order_,          npe_,           ne_, n_, law_count_, ptr(x_), ptr(y_), ptr(connectivity_),
                       ptr(element_law_), ptr(node_dof_), ptr(node_sign_)};
  }
  CaseView case_view() const {
    return CaseView{ptr(laws_), BHKnots{ptr(knot_B_), ptr(knot_H_), ptr(knot_slope_), ptr(knot_energy_)},
                    ptr(remanence_x_), ptr(remanence_y_), ptr(current_density_)};
  }

  template <class F>
  static void for_each(int n, F f) {
    if (n <= 0) return;
    E::for_each(n, f);
    E::check(F::kernel_name);  // CUDA: a failed launch is reported with the kernel's name
  }
  template <class F>
  static double max(int n, F f) {
    const double m = E::reduce(n, f, 0.0, thrust::maximum<double>());
    E::check(F::kernel_name);
    return m;
  }
  template <class T>
  static Vec<T> upload(const std::vector<T>& h) { return Vec<T>(h.begin(), h.end()); }
  template <class T>
  static std::vector<T> download(const Vec<T>& d) {
    std::vector<T> h(d.size());
    thrust::copy(d.begin(), d.end(), h.begin());
    return h;
  }
  static std::vector<double> nonempty(const std::vector<double>& v) { return v.empty() ? std::vector<double>{0.0} : v; }
  template <class T>
  static T* ptr(Vec<T>& v) { return thrust::raw_pointer_cast(v.data()); }
  template <class T>
  static const T* ptr(const Vec<T>& v) { return thrust::raw_pointer_cast(v.data()); }

  std::string description_;
  int order_ = 1, npe_ = 3, ne_ = 0, n_ = 0, nnz_ = 0, batch_ = 0, law_count_ = 0;
  Vec<double> x_, y_, node_sign_;
  Vec<int> node_dof_, connectivity_, element_law_, row_ptr_, col_, diagonal_slot_, element_slot_, colour_elements_;
  std::vector<int> colour_ptr_host_;
  Vec<char> dirichlet_;
  Vec<ReluctivityLaw> laws_;
  Vec<double> knot_B_, knot_H_, knot_slope_, knot_energy_, remanence_x_, remanence_y_, current_density_;
  Vec<double> potential_, update_, trial_, residual_, matrix_, step_;
  Vec<double> cg_r_, cg_z_, cg_p_, cg_q_, inverse_diagonal_;  // [case][dof]
  Vec<double> cg_scalars_;                                    // 7 x [case]: the PCG's scalars
  Vec<double> segment_scratch_;
  Vec<char> reduce_temp_;                                     // the device reductions' work space
  std::vector<int> cases_host_;  // the cases the batched kernels run over now
  Vec<int> case_list_;
  int case_count_ = 0;

  Preconditioner preconditioner_ = Preconditioner::jacobi;
  std::vector<int> row_ptr_host_, col_host_, coarsest_row_ptr_, coarsest_col_, aggregation_order_host_;
  std::vector<DeviceLevel> levels_;
  int level_batch_ = 0;  // the batch size the level vectors are allocated for
  bool dense_coarsest_ = false;
  std::vector<double> coarsest_inverse_host_;  // [case][row][col]
  Vec<double> coarsest_inverse_;
};

}  // namespace rotormag::kernels

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

#include <cmath>
#include <string>
#include <vector>

#include "kernels/assembly_kernels.hpp"
#include "kernels/backend.hpp"
#include "kernels/linear_algebra_kernels.hpp"
#include "kernels/multigrid_kernels.hpp"
#include "kernels/multigrid_setup.hpp"

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
    dirichlet_ = upload(m.dirichlet); row_ptr_ = upload(m.row_ptr); col_ = upload(m.col); slot_row_ = upload(m.slot_row);
    diagonal_slot_ = upload(m.diagonal_slot); slot_entry_ptr_ = upload(m.slot_entry_ptr);
    slot_entries_ = upload(m.slot_entries); row_entry_ptr_ = upload(m.row_entry_ptr); row_entries_ = upload(m.row_entries);
    row_ptr_host_ = m.row_ptr;
    col_host_ = m.col;
    levels_.clear();  // the multigrid hierarchy belongs to the mesh
  }

  void set_preconditioner(Preconditioner p) override { preconditioner_ = p; }

  std::string preconditioner_description() const override {
    if (preconditioner_ == Preconditioner::jacobi) return "Jacobi";
    std::string s = "aggregation multigrid, rows per level:";
    for (const auto& l : levels_) s += " " + std::to_string(l.rows);
    return levels_.empty() ? "aggregation multigrid (not set up yet)" : s;
  }

  void load_batch(const CaseBatch& b) override {
    batch_ = b.size; law_count_ = b.law_count;
    laws_ = upload(b.laws);
    knot_B_ = upload(nonempty(b.knot_B)); knot_H_ = upload(nonempty(b.knot_H));
    knot_slope_ = upload(nonempty(b.knot_slope)); knot_energy_ = upload(nonempty(b.knot_energy));
    remanence_x_ = upload(b.remanence_x); remanence_y_ = upload(b.remanence_y);
    current_density_ = upload(b.current_density);
    potential_ = upload(b.initial_potential);
    const size_t nb = static_cast<size_t>(batch_) * n_;
    update_ = Vec<double>(nb, 0.0); trial_ = Vec<double>(nb, 0.0); residual_ = Vec<double>(nb, 0.0);
    matrix_ = Vec<double>(static_cast<size_t>(batch_) * nnz_, 0.0);
    element_residual_ = Vec<double>(static_cast<size_t>(batch_) * ne_ * npe_, 0.0);
    element_matrix_ = Vec<double>(static_cast<size_t>(batch_) * ne_ * npe_ * npe_, 0.0);
    cg_r_ = Vec<double>(n_); cg_z_ = Vec<double>(n_); cg_p_ = Vec<double>(n_); cg_q_ = Vec<double>(n_);
    inverse_diagonal_ = Vec<double>(n_);
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
    ElementNewtonKernel element{element_view(), case_view(), state, with_matrix ? ptr(element_matrix_) : nullptr,
                                ptr(element_residual_), initial_permeability};
    for_each(batch_ * ne_, element);
    for_each(batch_ * n_, GatherResidualKernel{n_, ne_ * npe_, ptr(row_entry_ptr_), ptr(row_entries_), ptr(dirichlet_),
                                               ptr(element_residual_), ptr(residual_)});
    if (with_matrix)
      for_each(batch_ * nnz_, GatherMatrixKernel{nnz_, ne_ * npe_ * npe_, ptr(slot_entry_ptr_), ptr(slot_entries_),
                                                 ptr(slot_row_), ptr(col_), ptr(dirichlet_), ptr(element_matrix_),
                                                 ptr(matrix_)});
    std::vector<double> norms(batch_);
    for (int c = 0; c < batch_; ++c) {
      const double* r = ptr(residual_) + static_cast<size_t>(c) * n_;
      norms[c] = std::sqrt(sum(n_, DotKernel{r, r}));
    }
    return norms;
  }

  // Jacobi-preconditioned CG per case. The preconditioner is the simple one
  // the foundation needs; the multigrid of the performance work replaces
  // set_up_preconditioner/apply_preconditioner.
  std::vector<LinearSolveStats> solve_update(const std::vector<char>& active, const std::vector<double>& rtol,
                                             int max_iterations) override {
    std::vector<LinearSolveStats> stats(batch_);
    for (int c = 0; c < batch_; ++c) {
      double* x = ptr(update_) + static_cast<size_t>(c) * n_;
      for_each(n_, FillKernel{0.0, x});
      if (!active[c]) { stats[c].converged = true; continue; }
      const double* values = ptr(matrix_) + static_cast<size_t>(c) * nnz_;
      const double* rhs_neg = ptr(residual_) + static_cast<size_t>(c) * n_;
      double *r = ptr(cg_r_), *z = ptr(cg_z_), *p = ptr(cg_p_), *q = ptr(cg_q_);
      for_each(n_, NegateCopyKernel{rhs_neg, r});  // x = 0: r = b = -R
      set_up_preconditioner(values);
      const double b_norm = std::sqrt(sum(n_, DotKernel{r, r}));
      LinearSolveStats& s = stats[c];
      if (b_norm == 0.0) { s.converged = true; continue; }
      // The K-cycle makes the multigrid preconditioner nonlinear (inner Krylov
      // steps), so the outer CG is flexible there: each new direction is made
      // A-orthogonal to the previous one explicitly (Notay's FCG(1)),
      // beta = -z.(A p) / p.(A p), instead of the Fletcher-Reeves ratio.
      const bool flexible = preconditioner_ != Preconditioner::jacobi;
      apply_preconditioner(r, z);
      for_each(n_, CopyKernel{z, p});
      double rz = sum(n_, DotKernel{r, z});
      double pq = 0.0;
      for (int it = 1; it <= max_iterations; ++it) {
        for_each(n_, CsrMatVecKernel{ptr(row_ptr_), ptr(col_), values, p, q});
        pq = sum(n_, DotKernel{p, q});
        if (!(pq > 0.0)) { s.breakdown = true; s.iterations = it; break; }
        const double alpha = rz / pq;
        for_each(n_, CgUpdateKernel{alpha, p, q, x, r});
        const double r_norm = std::sqrt(sum(n_, DotKernel{r, r}));
        s.iterations = it;
        s.relative_residual = r_norm / b_norm;
        if (!std::isfinite(r_norm)) break;
        if (s.relative_residual <= rtol[c]) { s.converged = true; break; }
        apply_preconditioner(r, z);
        const double rz_new = sum(n_, DotKernel{r, z});
        const double beta = flexible ? -sum(n_, DotKernel{z, q}) / pq : rz_new / rz;
        for_each(n_, CgDirectionKernel{beta, z, p});
        rz = rz_new;
      }
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
  void set_up_preconditioner(const double* values) {
    if (preconditioner_ == Preconditioner::jacobi) {
      for_each(n_, InverseDiagonalKernel{ptr(diagonal_slot_), values, ptr(inverse_diagonal_)});
      return;
    }
    if (levels_.empty()) build_hierarchy(values);
    fine_values_ = values;
    // Values only: coarse matrices are segmented sums over the fixed maps.
    for (size_t l = 0; l < levels_.size(); ++l) {
      DeviceLevel& L = levels_[l];
      const double* v = level_values(l);
      if (l > 0) {
        DeviceLevel& F = levels_[l - 1];
        for_each(L.nonzeros, CoarseValuesKernel{ptr(F.coarse_slot_ptr), ptr(F.coarse_slot_sources), level_values(l - 1),
                                                ptr(L.values)});
      }
      for_each(L.rows, L1DiagonalKernel{ptr(L.row_ptr), v, ptr(L.inverse_l1)});
    }
    factor_coarsest();
  }
  void apply_preconditioner(const double* r, double* z) {
    if (preconditioner_ == Preconditioner::jacobi) {
      for_each(n_, DiagonalScaleKernel{ptr(inverse_diagonal_), r, z});
      return;
    }
    v_cycle(0, r, z);
  }

  // ---- aggregation multigrid (kernels/multigrid_setup.hpp) ----
  struct DeviceLevel {
    int rows = 0, nonzeros = 0;
    Vec<int> row_ptr, col, aggregate, member_ptr, members, coarse_slot_ptr, coarse_slot_sources;
    Vec<double> values, inverse_l1, b, x, tmp;
    Vec<double> k_c1, k_v1, k_r2, k_c2, k_v2;  // K-cycle work vectors (levels below the finest)
  };
  static constexpr int smoothing_sweeps = 2;
  static constexpr int dense_coarsest_limit = 2000;

  const double* level_values(size_t l) const { return l == 0 ? fine_values_ : ptr(levels_[l].values); }

  void build_hierarchy(const double* values) {
    const MultigridHierarchy h = build_aggregation_hierarchy(row_ptr_host_, col_host_, E::to_host(values, nnz_));
    levels_.clear();
    for (const MultigridLevel& l : h.levels) {
      DeviceLevel d;
      d.rows = l.rows;
      d.nonzeros = static_cast<int>(l.col.size());
      d.row_ptr = upload(l.row_ptr); d.col = upload(l.col); d.aggregate = upload(l.aggregate);
      d.member_ptr = upload(l.member_ptr); d.members = upload(l.members);
      d.coarse_slot_ptr = upload(l.coarse_slot_ptr); d.coarse_slot_sources = upload(l.coarse_slot_sources);
      d.values = Vec<double>(d.nonzeros); d.inverse_l1 = Vec<double>(d.rows);
      d.b = Vec<double>(d.rows); d.x = Vec<double>(d.rows); d.tmp = Vec<double>(d.rows);
      if (!levels_.empty()) {
        d.k_c1 = Vec<double>(d.rows); d.k_v1 = Vec<double>(d.rows); d.k_r2 = Vec<double>(d.rows);
        d.k_c2 = Vec<double>(d.rows); d.k_v2 = Vec<double>(d.rows);
      }
      levels_.push_back(std::move(d));
    }
    coarsest_row_ptr_ = h.levels.back().row_ptr;
    coarsest_col_ = h.levels.back().col;
  }

  // The coarsest level is solved directly: its dense inverse from a Cholesky
  // factorization on the host (it has a few hundred rows), applied as a dense
  // mat-vec on the device. Too large a coarsest level falls back to smoothing.
  void factor_coarsest() {
    const size_t last = levels_.size() - 1;
    const int n = levels_[last].rows;
    dense_coarsest_ = n <= dense_coarsest_limit;  // a small problem is one level: solved directly
    if (!dense_coarsest_) return;
    const std::vector<double> v = E::to_host(level_values(last), levels_[last].nonzeros);
    std::vector<double> a(static_cast<size_t>(n) * n, 0.0);
    for (int i = 0; i < n; ++i)
      for (int k = coarsest_row_ptr_[i]; k < coarsest_row_ptr_[i + 1]; ++k) a[static_cast<size_t>(i) * n + coarsest_col_[k]] = v[k];
    // In-place Cholesky: lower triangle of a holds L.
    for (int j = 0; j < n; ++j) {
      double d = a[static_cast<size_t>(j) * n + j];
      for (int k = 0; k < j; ++k) d -= a[static_cast<size_t>(j) * n + k] * a[static_cast<size_t>(j) * n + k];
      if (!(d > 0)) { dense_coarsest_ = false; return; }  // not SPD: smooth instead of solving
      const double ljj = std::sqrt(d);
      a[static_cast<size_t>(j) * n + j] = ljj;
      for (int i = j + 1; i < n; ++i) {
        double s = a[static_cast<size_t>(i) * n + j];
        for (int k = 0; k < j; ++k) s -= a[static_cast<size_t>(i) * n + k] * a[static_cast<size_t>(j) * n + k];
        a[static_cast<size_t>(i) * n + j] = s / ljj;
      }
    }
    // Inverse column by column: L y = e_c, L^T x = y.
    std::vector<double> inv(static_cast<size_t>(n) * n), y(n);
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
    coarsest_inverse_ = upload(inv);
  }

  void smooth(DeviceLevel& L, const double* values, const double* b, double* x, int sweeps) {
    for (int s = 0; s < sweeps; ++s) {
      for_each(L.rows, ResidualKernel{ptr(L.row_ptr), ptr(L.col), values, x, b, ptr(L.tmp)});
      for_each(L.rows, ScaledAddKernel{ptr(L.inverse_l1), ptr(L.tmp), x});
    }
  }

  // K-cycle (Notay & Vassilevski 2008, AGMG): the coarse-level system
  // A_l x = b is solved by two steps of flexible CG preconditioned by the
  // level's own cycle. AGMG skips the second step when the first already
  // reduced the residual 4x; measured on the demo ladder, always taking both
  // steps gives fewer outer iterations at the same time per solve, and saves
  // two reductions. Only the small dot products of the coarse level go to
  // the host.
  void k_cycle(size_t l, const double* b, double* x) {
    DeviceLevel& L = levels_[l];
    const double* values = level_values(l);
    const int n = L.rows;
    double *c1 = ptr(L.k_c1), *v1 = ptr(L.k_v1), *r2 = ptr(L.k_r2), *c2 = ptr(L.k_c2), *v2 = ptr(L.k_v2);
    v_cycle(l, b, c1);
    for_each(n, CsrMatVecKernel{ptr(L.row_ptr), ptr(L.col), values, c1, v1});
    const double rho1 = sum(n, DotKernel{c1, v1});
    const double alpha1 = sum(n, DotKernel{c1, b});
    if (!(rho1 > 0.0)) {  // degenerate: the plain cycle
      for_each(n, CopyKernel{c1, x});
      return;
    }
    const double a1 = alpha1 / rho1;
    for_each(n, LinearCombinationKernel{1.0, b, -a1, v1, r2});
    v_cycle(l, r2, c2);
    for_each(n, CsrMatVecKernel{ptr(L.row_ptr), ptr(L.col), values, c2, v2});
    const double gamma = sum(n, DotKernel{c2, v1});
    const double beta = sum(n, DotKernel{c2, v2});
    const double alpha2 = sum(n, DotKernel{c2, r2});
    const double rho2 = beta - gamma * gamma / rho1;
    if (!(rho2 > 0.0)) {
      for_each(n, LinearCombinationKernel{a1, c1, 0.0, c1, x});
      return;
    }
    for_each(n, LinearCombinationKernel{a1 - gamma * alpha2 / (rho1 * rho2), c1, alpha2 / rho2, c2, x});
  }

  // Multigrid cycle with symmetric smoothing (same sweeps before and after);
  // the coarse correction is the exact coarsest solve or a K-cycle one level
  // down, so the preconditioner is nonlinear and the outer CG is flexible.
  void v_cycle(size_t l, const double* b, double* x) {
    DeviceLevel& L = levels_[l];
    const double* values = level_values(l);
    const bool coarsest = l + 1 == levels_.size();
    if (coarsest && dense_coarsest_) {
      for_each(L.rows, DenseMatVecKernel{L.rows, ptr(coarsest_inverse_), b, x});
      return;
    }
    for_each(L.rows, ScaledCopyKernel{ptr(L.inverse_l1), b, x});  // first sweep from x = 0
    smooth(L, values, b, x, (coarsest ? 4 * smoothing_sweeps : smoothing_sweeps) - 1);
    if (coarsest) {
      smooth(L, values, b, x, 4 * smoothing_sweeps);
      return;
    }
    DeviceLevel& C = levels_[l + 1];
    for_each(L.rows, ResidualKernel{ptr(L.row_ptr), ptr(L.col), values, x, b, ptr(L.tmp)});
    for_each(C.rows, RestrictKernel{ptr(L.member_ptr), ptr(L.members), ptr(L.tmp), ptr(C.b)});
    if (l + 2 == levels_.size() && dense_coarsest_) v_cycle(l + 1, ptr(C.b), ptr(C.x));
    else k_cycle(l + 1, ptr(C.b), ptr(C.x));
    for_each(L.rows, ProlongKernel{ptr(L.aggregate), ptr(C.x), x});
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
  static double sum(int n, F f) {
    const double s = E::reduce(n, f, 0.0, thrust::plus<double>());
    E::check(F::kernel_name);
    return s;
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
  Vec<int> node_dof_, connectivity_, element_law_, row_ptr_, col_, slot_row_, diagonal_slot_, slot_entry_ptr_, slot_entries_,
      row_entry_ptr_, row_entries_;
  Vec<char> dirichlet_;
  Vec<ReluctivityLaw> laws_;
  Vec<double> knot_B_, knot_H_, knot_slope_, knot_energy_, remanence_x_, remanence_y_, current_density_;
  Vec<double> potential_, update_, trial_, residual_, matrix_, element_residual_, element_matrix_, step_;
  Vec<double> cg_r_, cg_z_, cg_p_, cg_q_, inverse_diagonal_;

  Preconditioner preconditioner_ = Preconditioner::jacobi;
  std::vector<int> row_ptr_host_, col_host_, coarsest_row_ptr_, coarsest_col_;
  std::vector<DeviceLevel> levels_;
  const double* fine_values_ = nullptr;
  bool dense_coarsest_ = false;
  Vec<double> coarsest_inverse_;
};

}  // namespace rotormag::kernels

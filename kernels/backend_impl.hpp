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
    order_ = m.order; npe_ = m.nodes_per_element; ne_ = m.element_count; n_ = m.node_count; nnz_ = m.nonzeros();
    x_ = upload(m.x); y_ = upload(m.y); connectivity_ = upload(m.connectivity); element_law_ = upload(m.element_law);
    dirichlet_ = upload(m.dirichlet); row_ptr_ = upload(m.row_ptr); col_ = upload(m.col); slot_row_ = upload(m.slot_row);
    diagonal_slot_ = upload(m.diagonal_slot); slot_entry_ptr_ = upload(m.slot_entry_ptr);
    slot_entries_ = upload(m.slot_entries); row_entry_ptr_ = upload(m.row_entry_ptr); row_entries_ = upload(m.row_entries);
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
      apply_preconditioner(r, z);
      for_each(n_, CopyKernel{z, p});
      double rz = sum(n_, DotKernel{r, z});
      for (int it = 1; it <= max_iterations; ++it) {
        for_each(n_, CsrMatVecKernel{ptr(row_ptr_), ptr(col_), values, p, q});
        const double pq = sum(n_, DotKernel{p, q});
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
        for_each(n_, CgDirectionKernel{rz_new / rz, z, p});
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
    Vec<double> bx(nb), by(nb), hx(nb), hy(nb), energy(nb), area(ne_);
    for_each(batch_ * ne_, ElementFieldKernel{element_view(), case_view(), ptr(potential_), ptr(bx), ptr(by), ptr(hx),
                                              ptr(hy), ptr(energy), ptr(area)});
    ElementFields f;
    f.bx = download(bx); f.by = download(by); f.hx = download(hx); f.hy = download(hy);
    f.energy = download(energy); f.area = download(area);
    return f;
  }

 private:
  void set_up_preconditioner(const double* values) {
    for_each(n_, InverseDiagonalKernel{ptr(diagonal_slot_), values, ptr(inverse_diagonal_)});
  }
  void apply_preconditioner(const double* r, double* z) {
    for_each(n_, DiagonalScaleKernel{ptr(inverse_diagonal_), r, z});
  }

  ElementView element_view() const {
    return ElementView{order_, npe_, ne_, n_, law_count_, ptr(x_), ptr(y_), ptr(connectivity_), ptr(element_law_)};
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
  Vec<double> x_, y_;
  Vec<int> connectivity_, element_law_, row_ptr_, col_, slot_row_, diagonal_slot_, slot_entry_ptr_, slot_entries_,
      row_entry_ptr_, row_entries_;
  Vec<char> dirichlet_;
  Vec<ReluctivityLaw> laws_;
  Vec<double> knot_B_, knot_H_, knot_slope_, knot_energy_, remanence_x_, remanence_y_, current_density_;
  Vec<double> potential_, update_, trial_, residual_, matrix_, element_residual_, element_matrix_, step_;
  Vec<double> cg_r_, cg_z_, cg_p_, cg_q_, inverse_diagonal_;
};

}  // namespace rotormag::kernels

#pragma once
// The Backend written once over an execution model E (execution_model.hpp):
// the mesh and batch on the device, the fused assembly, the Newton update
// and the element fields, with the linear solve delegated to the lockstep
// PCG (batched_pcg.hpp) and its preconditioners (Jacobi there, the K-cycle
// multigrid in multigrid_cycle.hpp). Included by cpu_backend.cpp (host
// compiler) and cuda_backend.cu (nvcc), so both run the very same kernels;
// this file only says which kernels run in which order on which data.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "kernels/assembly_kernels.hpp"
#include "kernels/backend.hpp"
#include "kernels/batched_pcg.hpp"
#include "kernels/case_list.hpp"
#include "kernels/execution_model.hpp"
#include "kernels/linear_algebra_kernels.hpp"
#include "kernels/multigrid_cycle.hpp"

namespace rotormag::kernels {

template <class E>
class BackendImpl : public Backend {
  template <class T>
  using Vec = DeviceVector<E, T>;

 public:
  explicit BackendImpl(std::string description) : description_(std::move(description)) {}
  std::string name() const override { return E::name(); }
  std::string description() const override { return description_; }

  void load_mesh(const AssemblyMesh& m) override {
    // n_ counts unknowns: every vector of the linear algebra is [case][dof].
    order_ = m.order; npe_ = m.nodes_per_element; ne_ = m.element_count; n_ = m.dof_count; nnz_ = m.nonzeros();
    x_ = upload<E>(m.x); y_ = upload<E>(m.y); connectivity_ = upload<E>(m.connectivity);
    element_law_ = upload<E>(m.element_law);
    node_dof_ = upload<E>(m.node_dof); node_sign_ = upload<E>(m.node_sign);
    dirichlet_ = upload<E>(m.dirichlet); row_ptr_ = upload<E>(m.row_ptr); col_ = upload<E>(m.col);
    diagonal_slot_ = upload<E>(m.diagonal_slot); element_slot_ = upload<E>(m.element_slot);
    colour_elements_ = upload<E>(m.colour_elements); colour_ptr_host_ = m.colour_ptr;
    multigrid_.load_mesh(m.row_ptr, m.col, m.aggregation_order);  // the hierarchy belongs to the mesh
  }

  void set_preconditioner(Preconditioner p) override {
    preconditioner_ = p;
    multigrid_.set_single_precision(p == Preconditioner::multigrid_single);
  }

  std::string preconditioner_description() const override {
    if (preconditioner_ == Preconditioner::jacobi) return "Jacobi";
    return multigrid_.description();
  }

  void load_batch(const CaseBatch& b) override {
    // Kernels index (case, slot) with an int: the batch's matrix must fit.
    if (static_cast<long long>(b.size) * std::max(nnz_, ne_) > std::numeric_limits<int>::max())
      throw BackendError("a batch of " + std::to_string(b.size) + " cases of " + std::to_string(nnz_) +
                         " matrix entries exceeds the kernels' 2^31 index range: split the batch");
    batch_ = b.size; law_count_ = b.law_count;
    cases_.reset(batch_);  // the previous batch's list means nothing here
    laws_ = upload<E>(b.laws);
    knot_B_ = upload<E>(nonempty(b.knot_B)); knot_H_ = upload<E>(nonempty(b.knot_H));
    knot_slope_ = upload<E>(nonempty(b.knot_slope)); knot_energy_ = upload<E>(nonempty(b.knot_energy));
    remanence_x_ = upload<E>(b.remanence_x); remanence_y_ = upload<E>(b.remanence_y);
    current_density_ = upload<E>(b.current_density);
    potential_ = upload<E>(b.initial_potential);
    const size_t nb = static_cast<size_t>(batch_) * n_;
    update_ = Vec<double>(nb, 0.0); trial_ = Vec<double>(nb, 0.0); residual_ = Vec<double>(nb, 0.0);
    matrix_ = Vec<double>(static_cast<size_t>(batch_) * nnz_, 0.0);
    pcg_.allocate(batch_, n_);
    jacobi_.allocate(nb);
    step_ = Vec<double>(batch_, 0.0);
  }

  std::vector<double> assemble(const std::vector<double>& step, bool with_matrix,
                               bool initial_permeability = false) override {
    const double* state = ptr(potential_);
    if (!step.empty()) {
      step_ = upload<E>(step);
      launch<E>(batch_ * n_, ScaledStepKernel{n_, ptr(step_), ptr(potential_), ptr(update_), ptr(trial_)});
      state = ptr(trial_);
    }
    // Fused assembly, colour by colour (assembly_kernels.hpp): reset, add
    // every element's blocks in place, then the identity rows' diagonal.
    launch<E>(batch_ * n_, FillKernel{0.0, ptr(residual_)});
    if (with_matrix) launch<E>(batch_ * nnz_, FillKernel{0.0, ptr(matrix_)});
    double* values = with_matrix ? ptr(matrix_) : nullptr;
    for (size_t k = 0; k + 1 < colour_ptr_host_.size(); ++k) {
      const int first = colour_ptr_host_[k], count = colour_ptr_host_[k + 1] - first;
      cases_.run_every_case(AssembleColourKernel{CaseRows{count, nullptr}, ptr(colour_elements_) + first,
                                                 element_view(), case_view(), state, ptr(element_slot_),
                                                 ptr(dirichlet_), nnz_, values, ptr(residual_),
                                                 initial_permeability});
    }
    if (with_matrix)
      cases_.run_every_case(
          DirichletDiagonalKernel{CaseRows{n_, nullptr}, nnz_, ptr(dirichlet_), ptr(diagonal_slot_), values});
    cases_.list_every_case();
    std::vector<double> norms = cases_.host_dots(ptr(residual_), ptr(residual_), n_);
    for (double& v : norms) v = std::sqrt(v);
    return norms;
  }

  // Solves tangent dA = -R for the active cases (batched_pcg.hpp).
  std::vector<LinearSolveStats> solve_update(const std::vector<char>& active, const std::vector<double>& rtol,
                                             int max_iterations) override {
    const BatchedCsr K{n_, nnz_, ptr(row_ptr_), ptr(col_), ptr(diagonal_slot_), ptr(matrix_)};
    if (preconditioner_ == Preconditioner::jacobi)
      return pcg_.solve(K, ptr(residual_), ptr(update_), jacobi_, false, active, rtol, max_iterations);
    return pcg_.solve(K, ptr(residual_), ptr(update_), multigrid_, true, active, rtol, max_iterations);
  }

  void apply_update(const std::vector<double>& step, std::vector<double>& update_max,
                    std::vector<double>& potential_max) override {
    step_ = upload<E>(step);
    launch<E>(batch_ * n_, ScaledStepKernel{n_, ptr(step_), ptr(potential_), ptr(update_), ptr(trial_)});
    update_max.assign(batch_, 0.0);
    potential_max.assign(batch_, 0.0);
    for (int c = 0; c < batch_; ++c) {
      const size_t o = static_cast<size_t>(c) * n_;
      update_max[c] = step[c] * reduce_max<E>(n_, AbsKernel{ptr(update_) + o});
      potential_max[c] = reduce_max<E>(n_, AbsKernel{ptr(trial_) + o});
    }
    potential_.swap(trial_);
  }

  std::vector<double> potential() const override { return download(potential_); }
  std::vector<double> residual() const override { return download(residual_); }

  ElementFields element_fields() const override {
    const size_t nb = static_cast<size_t>(batch_) * ne_;
    Vec<double> bx(nb), by(nb), hx(nb), hy(nb), energy(nb), potential(nb), area(ne_);
    launch<E>(batch_ * ne_, ElementFieldKernel{element_view(), case_view(), ptr(potential_), ptr(bx), ptr(by),
                                               ptr(hx), ptr(hy), ptr(energy), ptr(potential), ptr(area)});
    ElementFields f;
    f.bx = download(bx); f.by = download(by); f.hx = download(hx); f.hy = download(hy);
    f.energy = download(energy); f.potential = download(potential); f.area = download(area);
    return f;
  }

 private:
  ElementView element_view() const {
    return ElementView{order_,          npe_,           ne_, n_, law_count_, ptr(x_), ptr(y_), ptr(connectivity_),
                       ptr(element_law_), ptr(node_dof_), ptr(node_sign_)};
  }
  CaseView case_view() const {
    return CaseView{ptr(laws_), BHKnots{ptr(knot_B_), ptr(knot_H_), ptr(knot_slope_), ptr(knot_energy_)},
                    ptr(remanence_x_), ptr(remanence_y_), ptr(current_density_)};
  }

  std::string description_;
  int order_ = 1, npe_ = 3, ne_ = 0, n_ = 0, nnz_ = 0, batch_ = 0, law_count_ = 0;
  // The mesh: geometry, unknowns, the CSR pattern and the assembly's maps.
  Vec<double> x_, y_, node_sign_;
  Vec<int> node_dof_, connectivity_, element_law_, row_ptr_, col_, diagonal_slot_, element_slot_, colour_elements_;
  std::vector<int> colour_ptr_host_;
  Vec<char> dirichlet_;
  // The batch: laws and sources per case, the Newton state [case][dof], the tangents [case][nnz].
  Vec<ReluctivityLaw> laws_;
  Vec<double> knot_B_, knot_H_, knot_slope_, knot_energy_, remanence_x_, remanence_y_, current_density_;
  Vec<double> potential_, update_, trial_, residual_, matrix_, step_;

  Preconditioner preconditioner_ = Preconditioner::jacobi;
  CaseList<E> cases_;  // the cases the batched kernels run over now
  BatchedPcg<E> pcg_{cases_};
  JacobiPreconditioner<E> jacobi_{cases_};
  MultigridCycle<E> multigrid_{cases_};
};

}  // namespace rotormag::kernels

#pragma once
// Newton-step assembly of the 2D A_z magnetostatic problem, for a batch of
// cases sharing one mesh. Weak form (DESIGN.md section 3):
//   R_i(A) = sum_q w_q |J| [ curl N_i . H(B) - J_src N_i ],  B = curl A = (dA/dy, -dA/dx)
//   K_ij   = sum_q w_q |J| curl N_i^T (dH/dB) curl N_j       (exact Newton tangent)
// Element kernels write local blocks; gather kernels sum them into the CSR
// slots through precomputed maps (deterministic, no atomics). A node's
// potential is sign * u[dof] (assembly_data.hpp), so the local residual is
// multiplied by the node's sign and the local matrix by both signs before the
// gather: the assembled system is then the one in the unknowns u.
#include "kernels/reference_element.hpp"
#include "kernels/reluctivity.hpp"

namespace rotormag::kernels {

struct ElementView {  // device pointers of the mesh data
  int order, npe, element_count, dof_count, law_count;
  const double *x, *y;
  const int* connectivity;
  const int* element_law;
  const int* node_dof;
  const double* node_sign;

  // Coordinates, potential (of case c) and signs of element e's nodes.
  RM_HOST_DEVICE void gather(int e, int c, const double* potential, double* xe, double* ye, double* ae,
                             double* se) const {
    for (int i = 0; i < npe; ++i) {
      const int node = connectivity[e * npe + i];
      xe[i] = x[node]; ye[i] = y[node];
      se[i] = node_sign[node];
      ae[i] = se[i] * potential[static_cast<long>(c) * dof_count + node_dof[node]];
    }
  }
};

struct CaseView {  // device pointers of the batch data
  const ReluctivityLaw* laws;
  BHKnots knots;
  const double *remanence_x, *remanence_y, *current_density;
};

// One thread per (case, element): local tangent and residual.
struct ElementNewtonKernel {
  static constexpr const char* kernel_name = "ElementNewtonKernel";
  ElementView mesh;
  CaseView cases;
  const double* potential;    // [case][node]
  double* element_matrix;     // [case][element][npe*npe], or null (residual only)
  double* element_residual;   // [case][element][npe]
  bool initial_permeability;  // laws linearised at B = 0

  RM_HOST_DEVICE void operator()(int t) const {
    const int npe = mesh.npe, ne = mesh.element_count;
    const int c = t / ne, e = t % ne;
    double x[6], y[6], a[6], s[6];
    mesh.gather(e, c, potential, x, y, a, s);
    const ReluctivityLaw law = cases.laws[c * mesh.law_count + mesh.element_law[e]];
    const long ce = static_cast<long>(c) * ne + e;
    const double brx = cases.remanence_x[ce], bry = cases.remanence_y[ce], js = cases.current_density[ce];
    double r[6] = {0, 0, 0, 0, 0, 0};
    double k[36];
    for (int i = 0; i < npe * npe; ++i) k[i] = 0;
    const int nq = quadrature_size(mesh.order);
    for (int q = 0; q < nq; ++q) {
      const QuadraturePoint qp = quadrature_point(mesh.order, q);
      double dNdx[6], dNdy[6], N[6];
      const double det = physical_gradients(mesh.order, x, y, qp.xi, qp.eta, dNdx, dNdy);
      // An inverted element poisons the residual with NaN; the Newton loop
      // reports non-finite residuals as an error (meshes are checked earlier).
      const double w = det > 0 ? qp.weight * det : NAN;
      shape_values(mesh.order, qp.xi, qp.eta, N);
      double bx = 0, by = 0;
      for (int i = 0; i < npe; ++i) { bx += a[i] * dNdy[i]; by -= a[i] * dNdx[i]; }
      MaterialResponse m = evaluate_law(law, cases.knots, bx, by, brx, bry);
      if (initial_permeability && (law.kind == LawKind::bh_table || law.kind == LawKind::exponential_reluctivity)) {
        m = evaluate_law(law, cases.knots, 0.0, 0.0, 0.0, 0.0);
        m.hx = m.k00 * bx;
        m.hy = m.k11 * by;
      }
      for (int i = 0; i < npe; ++i) {
        const double cxi = dNdy[i], cyi = -dNdx[i];  // curl N_i
        r[i] += w * (cxi * m.hx + cyi * m.hy - js * N[i]);
        if (element_matrix) {
          const double tx = m.k00 * cxi + m.k01 * cyi, ty = m.k01 * cxi + m.k11 * cyi;
          for (int j = 0; j < npe; ++j) k[i * npe + j] += w * (tx * dNdy[j] - ty * dNdx[j]);
        }
      }
    }
    for (int i = 0; i < npe; ++i) element_residual[ce * npe + i] = s[i] * r[i];
    if (element_matrix)
      for (int i = 0; i < npe; ++i)
        for (int j = 0; j < npe; ++j) element_matrix[ce * npe * npe + i * npe + j] = s[i] * s[j] * k[i * npe + j];
  }
};

// One thread per (case, CSR slot). Rows and columns of prescribed nodes
// become identity: the update is zero there and A keeps its Dirichlet value.
struct GatherMatrixKernel {
  static constexpr const char* kernel_name = "GatherMatrixKernel";
  int nonzeros, entries_per_case;
  const int *slot_entry_ptr, *slot_entries, *slot_row, *col;
  const char* dirichlet;
  const double* element_matrix;
  double* values;  // [case][nnz]
  RM_HOST_DEVICE void operator()(int t) const {
    const int c = t / nonzeros, s = t % nonzeros;
    const int row = slot_row[s], column = col[s];
    double v = 0;
    if (dirichlet[row] || dirichlet[column]) {
      v = row == column ? 1.0 : 0.0;
    } else {
      const double* base = element_matrix + static_cast<long>(c) * entries_per_case;
      for (int k = slot_entry_ptr[s]; k < slot_entry_ptr[s + 1]; ++k) v += base[slot_entries[k]];
    }
    values[t] = v;
  }
};

// One thread per (case, unknown).
struct GatherResidualKernel {
  static constexpr const char* kernel_name = "GatherResidualKernel";
  int dof_count, entries_per_case;
  const int *row_entry_ptr, *row_entries;
  const char* dirichlet;
  const double* element_residual;
  double* residual;  // [case][node]
  RM_HOST_DEVICE void operator()(int t) const {
    const int c = t / dof_count, i = t % dof_count;
    double v = 0;
    if (!dirichlet[i]) {
      const double* base = element_residual + static_cast<long>(c) * entries_per_case;
      for (int k = row_entry_ptr[i]; k < row_entry_ptr[i + 1]; ++k) v += base[row_entries[k]];
    }
    residual[t] = v;
  }
};

// One thread per (case, element): area-averaged B and H, element energy and
// the integral of A (flux linkage of a conductor region, the J.A term of the
// co-energy).
struct ElementFieldKernel {
  static constexpr const char* kernel_name = "ElementFieldKernel";
  ElementView mesh;
  CaseView cases;
  const double* potential;
  double *bx, *by, *hx, *hy, *energy, *potential_integral, *area;  // [case][element]; area [element]
  RM_HOST_DEVICE void operator()(int t) const {
    const int npe = mesh.npe, ne = mesh.element_count;
    const int c = t / ne, e = t % ne;
    double x[6], y[6], a[6], s[6];
    mesh.gather(e, c, potential, x, y, a, s);
    const ReluctivityLaw law = cases.laws[c * mesh.law_count + mesh.element_law[e]];
    const long ce = static_cast<long>(c) * ne + e;
    double sbx = 0, sby = 0, shx = 0, shy = 0, sw = 0, sp = 0, sa = 0;
    for (int q = 0; q < quadrature_size(mesh.order); ++q) {
      const QuadraturePoint qp = quadrature_point(mesh.order, q);
      double dNdx[6], dNdy[6], N[6];
      const double w = qp.weight * physical_gradients(mesh.order, x, y, qp.xi, qp.eta, dNdx, dNdy);
      shape_values(mesh.order, qp.xi, qp.eta, N);
      double b0 = 0, b1 = 0, aq = 0;
      for (int i = 0; i < npe; ++i) { b0 += a[i] * dNdy[i]; b1 -= a[i] * dNdx[i]; aq += a[i] * N[i]; }
      const MaterialResponse m =
          evaluate_law(law, cases.knots, b0, b1, cases.remanence_x[ce], cases.remanence_y[ce]);
      sbx += w * b0; sby += w * b1; shx += w * m.hx; shy += w * m.hy; sw += w * m.energy; sp += w * aq; sa += w;
    }
    bx[ce] = sbx / sa; by[ce] = sby / sa; hx[ce] = shx / sa; hy[ce] = shy / sa; energy[ce] = sw;
    potential_integral[ce] = sp;
    if (c == 0) area[e] = sa;
  }
};

}  // namespace rotormag::kernels

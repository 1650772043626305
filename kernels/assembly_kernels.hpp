#pragma once
// Newton-step assembly of the 2D A_z magnetostatic problem, for a batch of
// cases sharing one mesh. Weak form (DESIGN.md section 3):
//   R_i(A) = sum_q w_q |J| [ curl N_i . H(B) - J_src N_i ],  B = curl A = (dA/dy, -dA/dx)
//   K_ij   = sum_q w_q |J| curl N_i^T (dH/dB) curl N_j       (exact Newton tangent)
// The element kernel adds its blocks straight into the CSR slots through a
// precomputed element-to-CSR map, one colour of elements at a time
// (deterministic, no atomics). A node's potential is sign * u[dof]
// (assembly_data.hpp), so the local residual is multiplied by the node's
// sign and the local matrix by both signs: the assembled system is then the
// one in the unknowns u.
#include "kernels/linear_algebra_kernels.hpp"
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

// Element e's tangent k (npe x npe, or none when k is null) and residual r
// for case c at `potential`, multiplied by the nodes' signs: the element's
// share of the system in the unknowns.
RM_HOST_DEVICE inline void element_newton(const ElementView& mesh, const CaseView& cases, const double* potential,
                                          int c, int e, bool initial_permeability, double* r, double* k) {
  const int npe = mesh.npe;
  double x[6], y[6], a[6], s[6];
  mesh.gather(e, c, potential, x, y, a, s);
  const ReluctivityLaw law = cases.laws[c * mesh.law_count + mesh.element_law[e]];
  const long ce = static_cast<long>(c) * mesh.element_count + e;
  const double brx = cases.remanence_x[ce], bry = cases.remanence_y[ce], js = cases.current_density[ce];
  for (int i = 0; i < npe; ++i) r[i] = 0;
  if (k)
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
    if (initial_permeability && (law.kind == LawKind::bh_curve || law.kind == LawKind::exponential_reluctivity)) {
      m = evaluate_law(law, cases.knots, 0.0, 0.0, 0.0, 0.0);
      m.hx = m.k00 * bx;
      m.hy = m.k11 * by;
    }
    for (int i = 0; i < npe; ++i) {
      const double cxi = dNdy[i], cyi = -dNdx[i];  // curl N_i
      r[i] += w * (cxi * m.hx + cyi * m.hy - js * N[i]);
      if (k) {
        const double tx = m.k00 * cxi + m.k01 * cyi, ty = m.k01 * cxi + m.k11 * cyi;
        for (int j = 0; j < npe; ++j) k[i * npe + j] += w * (tx * dNdy[j] - ty * dNdx[j]);
      }
    }
  }
  for (int i = 0; i < npe; ++i) r[i] *= s[i];
  if (k)
    for (int i = 0; i < npe; ++i)
      for (int j = 0; j < npe; ++j) k[i * npe + j] *= s[i] * s[j];
}

// Fused assembly, one thread per (case, element of one colour): the
// element's tangent and residual are added straight into the CSR values
// and the residual vector through the element-to-CSR map, with no element
// blocks stored in between. No two elements of a colour share an unknown
// (build_sparsity colours them), so no two threads write one entry: no
// atomics, and every entry sums its contributions in one fixed order
// (colour by colour, element by element) on every backend and thread count.
// Rows and columns of prescribed unknowns are left alone (zero after the
// reset; DirichletDiagonalKernel puts the identity's 1 on the diagonal):
// the update is zero there and A keeps its Dirichlet value.
struct AssembleColourKernel {
  static constexpr const char* kernel_name = "AssembleColourKernel";
  // An element (quadrature, the material law, 36 entries) is work for about
  // a hundred vector updates, so a colour of a few hundred elements is worth
  // a parallel region on the CPU. (Without the weight, the demo's colours of
  // ~4 200 elements stayed under the plain threshold and the assembly ran
  // serially: 3.4 s with 1 or 2 threads at 2.5e5 unknowns; 1.7 s now with 2.)
  static constexpr int row_weight = 64;
  CaseRows s;                  // rows = elements of the colour; every case (cases null)
  const int* elements;         // the colour's elements
  ElementView mesh;
  CaseView cases;
  const double* potential;     // [case][dof]
  const int* element_slot;     // [element][npe][npe]: CSR slot of each local entry
  const char* dirichlet;       // per unknown
  long nonzeros;
  double* values;              // [case][nnz], or null (residual only)
  double* residual;            // [case][dof]
  bool initial_permeability;   // laws linearised at B = 0

  RM_HOST_DEVICE void at(int c, int idx) const {
    const int e = elements[idx], npe = mesh.npe;
    double r[6], k[36];
    element_newton(mesh, cases, potential, c, e, initial_permeability, r, values ? k : nullptr);
    int dof[6];
    for (int i = 0; i < npe; ++i) dof[i] = mesh.node_dof[mesh.connectivity[e * npe + i]];
    double* rc = residual + static_cast<long>(c) * mesh.dof_count;
    for (int i = 0; i < npe; ++i)
      if (!dirichlet[dof[i]]) rc[dof[i]] += r[i];
    if (!values) return;
    double* vc = values + c * nonzeros;
    const int* slot = element_slot + static_cast<long>(e) * npe * npe;
    for (int i = 0; i < npe; ++i) {
      if (dirichlet[dof[i]]) continue;
      for (int j = 0; j < npe; ++j)
        if (!dirichlet[dof[j]]) vc[slot[i * npe + j]] += k[i * npe + j];
    }
  }
};

// The identity rows of prescribed unknowns: 1 on their diagonal.
struct DirichletDiagonalKernel {
  static constexpr const char* kernel_name = "DirichletDiagonalKernel";
  CaseRows s;                  // rows = unknowns; every case
  long nonzeros;
  const char* dirichlet;
  const int* diagonal_slot;
  double* values;
  RM_HOST_DEVICE void at(int c, int i) const {
    if (dirichlet[i]) values[c * nonzeros + diagonal_slot[i]] = 1.0;
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

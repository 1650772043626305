#pragma once
// Lagrange triangles on the reference element (0,0),(1,0),(0,1) and the
// quadrature rules used by assembly. P2 elements are isoparametric: the
// mid-edge nodes may sit on curved boundaries, so the Jacobian varies inside
// the element and is evaluated at every quadrature point.
#include "kernels/config.hpp"

namespace rotormag::kernels {

// Node order (Gmsh = VTK): vertices 0,1,2, then mid-nodes of edges 01, 12, 20.
RM_HOST_DEVICE inline void shape_values(int order, double xi, double eta, double* N) {
  const double l0 = 1.0 - xi - eta, l1 = xi, l2 = eta;
  if (order == 1) {
    N[0] = l0; N[1] = l1; N[2] = l2;
    return;
  }
  N[0] = l0 * (2 * l0 - 1);
  N[1] = l1 * (2 * l1 - 1);
  N[2] = l2 * (2 * l2 - 1);
  N[3] = 4 * l0 * l1;
  N[4] = 4 * l1 * l2;
  N[5] = 4 * l2 * l0;
}

// dN/dxi and dN/deta.
RM_HOST_DEVICE inline void shape_gradients(int order, double xi, double eta, double* dxi, double* deta) {
  if (order == 1) {
    dxi[0] = -1; dxi[1] = 1; dxi[2] = 0;
    deta[0] = -1; deta[1] = 0; deta[2] = 1;
    return;
  }
  const double l0 = 1.0 - xi - eta, l1 = xi, l2 = eta;
  // d l0 = (-1,-1), d l1 = (1,0), d l2 = (0,1)
  dxi[0] = -(4 * l0 - 1);      deta[0] = -(4 * l0 - 1);
  dxi[1] = 4 * l1 - 1;         deta[1] = 0;
  dxi[2] = 0;                  deta[2] = 4 * l2 - 1;
  dxi[3] = 4 * (l0 - l1);      deta[3] = -4 * l1;
  dxi[4] = 4 * l2;             deta[4] = 4 * l1;
  dxi[5] = -4 * l2;            deta[5] = 4 * (l0 - l2);
}

// Quadrature: P1 uses the centroid (exact: B is constant per straight P1
// element); P2 uses the 6-point degree-4 rule (Strang-Fix / Dunavant), weights
// summing to the reference area 1/2.
struct QuadraturePoint { double xi, eta, weight; };

RM_HOST_DEVICE inline int quadrature_size(int order) { return order == 1 ? 1 : 6; }

RM_HOST_DEVICE inline QuadraturePoint quadrature_point(int order, int q) {
  if (order == 1) return {1.0 / 3.0, 1.0 / 3.0, 0.5};
  const double a = 0.445948490915965, wa = 0.5 * 0.223381589678011;
  const double b = 0.091576213509771, wb = 0.5 * 0.109951743655322;
  switch (q) {
    case 0: return {a, a, wa};
    case 1: return {1 - 2 * a, a, wa};
    case 2: return {a, 1 - 2 * a, wa};
    case 3: return {b, b, wb};
    case 4: return {1 - 2 * b, b, wb};
    default: return {b, 1 - 2 * b, wb};
  }
}

// Physical gradients at a point: fills dNdx, dNdy and returns det J
// (negative or zero for an inverted element).
RM_HOST_DEVICE inline double physical_gradients(int order, const double* x, const double* y, double xi,
                                                double eta, double* dNdx, double* dNdy) {
  double dxi[6], deta[6];
  shape_gradients(order, xi, eta, dxi, deta);
  const int n = order == 1 ? 3 : 6;
  double j00 = 0, j01 = 0, j10 = 0, j11 = 0;  // J = d(x,y)/d(xi,eta)
  for (int i = 0; i < n; ++i) {
    j00 += x[i] * dxi[i]; j01 += x[i] * deta[i];
    j10 += y[i] * dxi[i]; j11 += y[i] * deta[i];
  }
  const double det = j00 * j11 - j01 * j10;
  const double inv = 1.0 / det;
  for (int i = 0; i < n; ++i) {
    dNdx[i] = (j11 * dxi[i] - j10 * deta[i]) * inv;
    dNdy[i] = (-j01 * dxi[i] + j00 * deta[i]) * inv;
  }
  return det;
}

}  // namespace rotormag::kernels

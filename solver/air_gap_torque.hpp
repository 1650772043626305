#pragma once
// Torque from the air-gap field: Arkkio's method (A. Arkkio, "Analysis of
// induction motors based on the numerical solution of the magnetic field and
// circuit equations", Helsinki Univ. of Technology, 1987): the Maxwell stress
// averaged over an air annulus ra < r < rb instead of taken on one circle,
//   T / L = 1 / (mu0 (rb - ra)) * integral over the annulus of r B_r B_theta dS,
// which is far less sensitive to the discretisation than a single contour.
// Counter-clockwise positive: the torque on everything inside the annulus.

#include <vector>

#include "mesh/mesh.hpp"

namespace rotormag::solver {

// The radial extent of a region and whether it is a clean annulus (its area
// equals that of the ring segment ra < r < rb over its angular span).
struct Annulus {
  double inner_m = 0, outer_m = 0;
  double area_m2 = 0;
  bool is_annulus = false;
};

// `span_rad`: the angle the model covers (2 pi, or the sector angle).
Annulus region_annulus(const mesh::Mesh& m, int region, double span_rad);

// Torque per metre of depth on the part of the model inside the annulus
// (for a sector model: of the sector; multiply by the number of sectors).
// A: nodal potential; the field is evaluated from A at 6 quadrature points
// per element (exact for the quadratic integrand of P1, accurate for P2).
double arkkio_torque_per_m(const mesh::Mesh& m, const std::vector<double>& A, int region, double inner_m,
                           double outer_m);

}  // namespace rotormag::solver

#pragma once
// Kernel inputs with exactly known answers, for tests/kernels: a strip of
// right triangles (legs 1 m) with any number of unknowns, built as an
// AssemblyMesh directly (no mesh, no solver), and host references computed
// without the kernels. With linear laws nu = 2k and integer potentials every
// element matrix entry, residual entry and sum of squares is an integer, so
// the assembly and the dot products have one exact result whatever the
// summation order: the CPU backend must give it to the last bit, and so must
// any other backend.
#include <vector>

#include "kernels/assembly_data.hpp"

namespace rotormag::kernel_tests {

// Node i at (i / 2, i % 2): bottom and top nodes alternate along x; element
// t = (t, t+1, t+2) counter-clockwise, t < rows - 2 (none below 3 rows). The
// unknowns are the nodes, in order; Dirichlet: the nodes of both end edges
// (x = 0 and the last two nodes), so one row is a single Dirichlet node, and
// with dirichlet_spacing > 0 also both nodes of every column x that is a
// multiple of it (short free segments: a well-conditioned tangent, so that
// converged solutions agree to round-off on every backend).
kernels::AssemblyMesh strip_mesh(int rows, int dirichlet_spacing = 0);

// Per case of a batch on the strip: a linear law, a current density in
// every element, and the initial potential of every unknown (Dirichlet
// values included).
struct StripCase {
  double nu = 2;                   // [m/H]; even integers keep the stiffness integer
  double current_density = 0;      // [A/m^2]
  std::vector<double> potential;   // one per unknown
};
kernels::CaseBatch strip_batch(const kernels::AssemblyMesh& mesh, const std::vector<StripCase>& cases);

// Integer potential of unknown i in case c: a fixed pseudo-random pattern in
// [-7, 7].
double integer_potential(int c, int i);

// The potential A = x of the exact linear solution: x at the Dirichlet
// nodes, 0 elsewhere (what the solve must find: the strip's top and bottom
// are natural boundaries, where A = x has no normal derivative).
std::vector<double> linear_potential_data(const kernels::AssemblyMesh& mesh);

// ---- host references (no kernels)
// The residual R = K A - f of one case: zero on Dirichlet rows.
std::vector<double> reference_residual(const kernels::AssemblyMesh& mesh, const StripCase& c);

// x after `iterations` steps of Jacobi-preconditioned CG (Fletcher-Reeves)
// on K x = -R from x = 0, step by step as the backends compute it, with the
// tangent K as they assemble it (rows and columns of Dirichlet unknowns
// dropped, 1 on their diagonal).
std::vector<double> reference_jacobi_cg(const kernels::AssemblyMesh& mesh, const StripCase& c, int iterations);

// Element fields of one case: B = curl A, H = nu B, energy and area per
// element; potential: the integral of A over the element.
struct ReferenceFields {
  std::vector<double> bx, by, hx, hy, energy, potential, area;
};
ReferenceFields reference_fields(const kernels::AssemblyMesh& mesh, const StripCase& c);

// max_i |a_i - b_i| / max_i |b_i| (absolute when b is zero); sizes must match.
double relative_difference(const std::vector<double>& a, const std::vector<double>& b);

// The slice [c * n, (c + 1) * n) of a [case][...] array.
std::vector<double> slice(const std::vector<double>& v, int c, int n);

}  // namespace rotormag::kernel_tests

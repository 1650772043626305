#pragma once
// Host-side inputs of the kernels. A mesh is loaded once (geometry, the
// fixed CSR pattern and the element-entry -> CSR-slot maps); then a batch
// of cases sharing that mesh (values per case, one index set).
#include <vector>

#include "kernels/reluctivity.hpp"

namespace rotormag::kernels {

// Nodes and unknowns: every mesh node carries the potential of one unknown
// (degree of freedom) times a sign, A[node] = node_sign[node] * u[node_dof[node]].
// Most nodes own their unknown (sign +1); a node on a periodic boundary
// shares its partner's (sign -1 when anti-periodic); the copies of nodes
// that a moving band places across a sector edge do the same. Unknowns are
// what the linear algebra sees: the matrix, the residual and the potential
// vectors are [case][dof].
struct AssemblyMesh {
  int order = 1;
  int nodes_per_element = 3;
  int node_count = 0;
  int dof_count = 0;
  int element_count = 0;
  std::vector<double> x, y;            // node coordinates [m]
  std::vector<int> connectivity;       // nodes_per_element nodes per element, counter-clockwise
  std::vector<int> element_law;        // law slot per element (same slots in every case)
  std::vector<int> node_dof;           // unknown of each node
  std::vector<double> node_sign;       // +1 or -1 per node
  std::vector<char> dirichlet;         // per unknown: 1 where A is prescribed
  // The unknowns in the order the multigrid's greedy aggregation visits them
  // (empty: 0, 1, ...). number_unknowns_for_locality() keeps the mesh's node
  // order here: see kernels/unknown_ordering.cpp for why.
  std::vector<int> aggregation_order;

  // Sparsity pattern (CSR over unknowns, one per mesh) and the fused
  // assembly's maps, filled by build_sparsity().
  std::vector<int> row_ptr, col, diagonal_slot;
  std::vector<int> element_slot;                  // [e][i][j]: CSR slot of local entry (i, j)
  // Elements by colour: no two elements of a colour share an unknown, so
  // each colour is assembled in parallel without conflicting writes.
  std::vector<int> colour_ptr, colour_elements;   // colour k: colour_elements[colour_ptr[k] .. colour_ptr[k+1])
  int nonzeros() const { return static_cast<int>(col.size()); }
};

// node_dof = identity, node_sign = +1, dof_count = node_count: every node
// its own unknown (meshes without periodic boundaries or a moving band).
void own_unknown_per_node(AssemblyMesh& mesh);

// The CSR pattern of the unknowns an element couples (sorted columns, the
// diagonal included; a node in no element keeps an identity row).
struct UnknownPattern {
  std::vector<int> row_ptr, col;
};
UnknownPattern coupled_unknowns(const AssemblyMesh& mesh);

// Renumbers the unknowns (node_dof, and dirichlet when set) by reverse
// Cuthill-McKee, so that coupled unknowns sit close in memory
// (kernels/unknown_ordering.cpp). Call before build_sparsity().
void number_unknowns_for_locality(AssemblyMesh& mesh);

// Builds the CSR pattern of the P1/P2 stiffness matrix, the element-to-CSR
// map and the element colouring.
void build_sparsity(AssemblyMesh& mesh);

struct CaseBatch {
  int size = 1;
  int law_count = 0;                   // law slots per case
  std::vector<ReluctivityLaw> laws;    // size * law_count
  // B-H table knots shared by the laws of every case of the batch.
  std::vector<double> knot_B, knot_H, knot_slope, knot_energy;
  std::vector<double> remanence_x, remanence_y;  // size * element_count [T]
  std::vector<double> current_density;           // size * element_count [A/m^2]
  std::vector<double> initial_potential;         // size * dof_count, Dirichlet values in place
};

struct LinearSolveStats {
  int iterations = 0;
  double relative_residual = 0;
  bool converged = false;
  bool breakdown = false;   // p.Kp <= 0: the tangent is not positive definite
};

// Element-averaged fields of every case of the batch, [case][element].
struct ElementFields {
  std::vector<double> bx, by, hx, hy;   // area averages [T], [A/m]
  std::vector<double> energy;           // integral of w over the element [J/m]
  std::vector<double> potential;        // integral of A over the element [Wb m] (flux linkage, co-energy)
  std::vector<double> area;             // [m^2] (per element, case-independent)
};

}  // namespace rotormag::kernels

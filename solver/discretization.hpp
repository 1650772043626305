#pragma once
// From the solver's Problem to the kernels' inputs: the assembly mesh (once
// per mesh) and the batch of per-case values (laws, remanence, sources).
#include <vector>

#include "kernels/assembly_data.hpp"
#include "solver/problem.hpp"

namespace rotormag::solver {

// Validates the batch (same mesh, same Dirichlet nodes and links, physical
// materials), resolves the links into unknowns (node_dof, node_sign; a node
// linked to itself with sign -1 is held at A = 0) and builds the assembly
// mesh with its sparsity. Throws ProblemError.
kernels::AssemblyMesh discretize(const std::vector<Problem>& batch);

// Per-case values; the Dirichlet data is placed on the unknowns of `assembly`.
kernels::CaseBatch case_values(const std::vector<Problem>& batch, const kernels::AssemblyMesh& assembly);

// Potential per node from the unknowns of one case: A[i] = sign[i] u[dof[i]].
std::vector<double> node_potential(const kernels::AssemblyMesh& assembly, const double* unknowns);

// Unit magnetization direction of one element (zero for non-magnets).
void magnetization_direction(const mesh::Mesh& m, int element, const mesh::MagnetizationHint& hint, double& mx,
                             double& my);

}  // namespace rotormag::solver

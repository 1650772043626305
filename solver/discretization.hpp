#pragma once
// From the solver's Problem to the kernels' inputs: the assembly mesh (once
// per mesh) and the batch of per-case values (laws, remanence, sources).
#include <vector>

#include "kernels/assembly_data.hpp"
#include "solver/problem.hpp"

namespace rotormag::solver {

// Validates the batch (same mesh, same Dirichlet nodes, physical materials)
// and builds the assembly mesh with its sparsity. Throws ProblemError.
kernels::AssemblyMesh discretize(const std::vector<Problem>& batch);

kernels::CaseBatch case_values(const std::vector<Problem>& batch);

// Unit magnetization direction of one element (zero for non-magnets).
void magnetization_direction(const mesh::Mesh& m, int element, const mesh::MagnetizationHint& hint, double& mx,
                             double& my);

}  // namespace rotormag::solver

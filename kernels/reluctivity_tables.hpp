#pragma once
// Host-side set-up of tabulated B-H laws (LawKind::bh_curve): the knots that
// table_law() in reluctivity.hpp interpolates on the device. Beside the law
// itself rather than in the mesh set-up (sparsity.cpp), because it is
// material data of a batch: one call per table, its knots appended to the
// batch's shared knot arrays.
#include <vector>

#include "kernels/assembly_data.hpp"

namespace rotormag::kernels {

// Monotone cubic Hermite slopes (Fritsch-Butland harmonic mean) and the
// cumulative energy at the knots of one B-H table; appends to the batch's
// knot arrays and returns the law. Throws std::invalid_argument for fewer
// than two points or a table that is not strictly increasing.
ReluctivityLaw append_bh_table(CaseBatch& batch, const std::vector<double>& B_T, const std::vector<double>& H_A_per_m);

}  // namespace rotormag::kernels

#pragma once
// Aggregation algebraic multigrid: the hierarchy's index structure, built on
// the host once per mesh (strength of connection from the first tangent), and
// reused for every Newton step and case: only values are recomputed, as
// segmented sums over fixed maps (unsmoothed aggregation: A_c = P^T A P with
// P piecewise constant, so each coarse entry is a sum of fine entries).
#include <vector>

namespace rotormag::kernels {

struct MultigridLevel {
  int rows = 0;                          // of this level's matrix
  std::vector<int> row_ptr, col, diagonal_slot;
  // Towards the next coarser level (empty on the coarsest):
  std::vector<int> aggregate;            // per row: coarse row, or -1 (not coarsened: rows without neighbours)
  std::vector<int> member_ptr, members;  // per coarse row: its fine rows (restriction is a gather)
  std::vector<int> coarse_slot_ptr, coarse_slot_sources;  // per coarse slot: the fine slots summed into it
};

struct MultigridHierarchy {
  std::vector<MultigridLevel> levels;    // levels[0] is the fine matrix
  double strength_threshold = 0.08;
};

// Builds the hierarchy from the fine CSR pattern and one set of values
// (strength of connection: |a_ij| >= theta sqrt(a_ii a_jj), so that the
// iron/air contrast does not merge weakly coupled nodes). Coarsens until a
// level has at most `coarsest_rows` rows or stops shrinking. The greedy
// aggregation of the fine level visits its rows in `fine_visit_order` (empty:
// 0, 1, ...); coarse levels in their own order (that of their aggregates).
MultigridHierarchy build_aggregation_hierarchy(const std::vector<int>& row_ptr, const std::vector<int>& col,
                                               const std::vector<double>& values,
                                               const std::vector<int>& fine_visit_order = {},
                                               int coarsest_rows = 200, double strength_threshold = 0.08);

}  // namespace rotormag::kernels

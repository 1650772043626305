#pragma once
// A solution's fields as the results file stores them (postproc::FieldData):
// A per node; B, |B|, H and H.m per element; for a demagnetization set-up
// also its per-element state (demag_coef, Br_eff, margin, worst h, knee
// field, and each event's own) on the magnets.
#include "postproc/results_file.hpp"
#include "solver/demagnetization.hpp"
#include "solver/problem.hpp"

namespace rotormag::setup {

postproc::FieldData fields_for_output(const solver::Solution& s);

// `field` is the damaged machine's solution (on the machine mesh, whose
// first elements are the base mesh's, as the set-up's per-element arrays).
postproc::FieldData demag_fields(const solver::DemagSetup& setup, const solver::DemagSummary& d,
                                 const solver::Solution& field, size_t cells);

// A name made safe for a file name or an array name: characters other than
// letters, digits, '-', '_' and '.' become '_'.
std::string file_label(std::string s);

}  // namespace rotormag::setup

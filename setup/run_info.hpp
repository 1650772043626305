#pragma once
// What a results file says about its run (postproc::RunInfo): the case, the
// grid, the backend, the solve and its Newton history. The one place it is
// filled; callers add the wall time.
#include <string>

#include "cases/case.hpp"
#include "postproc/results_file.hpp"
#include "solver/problem.hpp"

namespace rotormag::setup {

// `grid`: the mesh the fields live on (a motor position's machine mesh);
// `s`: its solution (unknowns, Newton report, energy); `title`: the name the
// file gives the run (default: the case's).
postproc::RunInfo run_info(const cases::Case& c, const mesh::Mesh& grid, const solver::Solution& s,
                           const std::string& backend, double temperature_C, const std::string& title = "");

}  // namespace rotormag::setup

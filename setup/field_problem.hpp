#pragma once
// A case on its mesh as the solver's Problem: every region's material at the
// case temperature, magnetization and source current density, the Dirichlet
// data; and the case's [solver] settings as Newton's.
#include <vector>

#include "cases/case.hpp"
#include "solver/problem.hpp"

namespace rotormag::setup {

solver::Problem problem_from_case(const cases::Case& c, const mesh::Mesh& m,
                                  const std::vector<cases::ResolvedRegion>& regions);

solver::NewtonSettings newton_settings(const cases::SolverSettings& s);

}  // namespace rotormag::setup

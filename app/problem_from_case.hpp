#pragma once
// From a validated case and its mesh to the solver's Problem: materials at
// the case temperature, magnetization directions, sources, Dirichlet data.
#include "cases/case.hpp"
#include "postproc/results_file.hpp"
#include "solver/problem.hpp"

namespace rotormag::app {

// Br(T) = Br20 (1 + alpha (T - 20 C)); recoil permeability unchanged.
solver::MaterialSpec material_at_temperature(const cases::Material& m, double temperature_C);

solver::Problem problem_from_case(const cases::Case& c, const mesh::Mesh& m,
                                  const std::vector<cases::ResolvedRegion>& regions);

solver::NewtonSettings newton_settings(const cases::SolverSettings& s);

// The fields of a solution as the results file stores them.
postproc::FieldData fields_for_output(const solver::Solution& s);

}  // namespace rotormag::app

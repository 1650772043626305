#pragma once
// From a validated case and its mesh to the solver's Problem: materials at
// the case temperature, magnetization directions, sources, Dirichlet data.
#include "cases/case.hpp"
#include "postproc/results_file.hpp"
#include "solver/magnet_model.hpp"
#include "solver/problem.hpp"

namespace rotormag::app {

// Br(T) = Br20 (1 + alpha (T - 20 C)), mu_rec(T) = mu_rec + mu_rec_per_C (T - 20 C);
// a grade with measured J-H curves takes both from its curves at T.
solver::MaterialSpec material_at_temperature(const cases::Material& m, double temperature_C);

// The magnet's model (knee, temperature scaling, measured curves, GBD profile)
// for the solver; docs/magnet-model.md. Throws std::invalid_argument for a
// material that is not a magnet.
solver::MagnetModel magnet_model(const cases::Material& m);

solver::Problem problem_from_case(const cases::Case& c, const mesh::Mesh& m,
                                  const std::vector<cases::ResolvedRegion>& regions);

solver::NewtonSettings newton_settings(const cases::SolverSettings& s);

// The fields of a solution as the results file stores them.
postproc::FieldData fields_for_output(const solver::Solution& s);

}  // namespace rotormag::app

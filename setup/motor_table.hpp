#pragma once
// A motor run's results in postproc's terms: the per-position table and the
// summary of the run (torque, flux linkage, back-EMF), and the position grids
// with their fields as time steps of the results file.
#include <vector>

#include "cases/case.hpp"
#include "postproc/motor_results.hpp"
#include "setup/motor_model.hpp"
#include "solver/motor_analysis.hpp"

namespace rotormag::setup {

postproc::MotorTable motor_table(const std::vector<solver::PositionResult>& positions,
                                 const solver::PositionSummary& summary, const MotorModel& model, const cases::Case& c);

// One step per position (its positioned mesh and fields); they refer to
// `positions`, which must outlive them.
std::vector<postproc::MotorStep> motor_steps(const std::vector<solver::PositionResult>& positions);

}  // namespace rotormag::setup

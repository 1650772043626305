#pragma once
// What a motor case's run is made of before any solve: the machine model,
// the rotor positions with their boundary conditions and Newton settings,
// the stator load; and whether two cases can share their solves.
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "setup/motor_model.hpp"
#include "solver/motor_analysis.hpp"

namespace rotormag::setup {

struct MotorSetUp {
  MotorModel model;
  solver::RotorPositions positions;   // rotor positions, stack, copies, Dirichlet data, Newton settings
  solver::StatorLoad load;        // [motor.load]
};

MotorSetUp motor_set_up(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions);

// What keeps two cases' runs from sharing their solves ("" when nothing
// does): one band, one winding and one set of positions and settings per
// solve_variants call, one stator load, one set of [demag] events per
// analyse_demagnetization call (demag_shared_by).
std::string why_apart(const cases::Case& a, const MotorSetUp& sa, const cases::Case& b, const MotorSetUp& sb);

}  // namespace rotormag::setup

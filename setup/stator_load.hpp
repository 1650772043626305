#pragma once
// Stator currents from a case in the solver's terms: the load of [motor.load],
// of a [[demag.event]] and the [demag] rated load. The one place a case's
// currents become a solver::StatorLoad.
#include <optional>

#include "cases/case.hpp"
#include "solver/motor_analysis.hpp"

namespace rotormag::setup {

// [motor.load]: none, dq (peak, amplitude-invariant) or fixed phase currents.
solver::StatorLoad stator_load(const cases::MotorSpec& motor);

// A demagnetizing event: negative_d and short_circuit are i_d = -current_A.
solver::StatorLoad stator_load(const cases::DemagEventSpec& event);

// [demag] rated load (dq), when the case gives one.
std::optional<solver::StatorLoad> rated_load(const cases::DemagSpec& demag);

// The same currents at every electrical angle.
bool same_load(const solver::StatorLoad& a, const solver::StatorLoad& b);

// The load's size: |(i_d, i_q)|, or the largest phase current.
double current_magnitude(const solver::StatorLoad& load);

}  // namespace rotormag::setup

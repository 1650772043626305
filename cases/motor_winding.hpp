#pragma once
// The winding of a motor case as the solver lays it out: the one place where
// a case's resolved winding (MotorSpec: slots, poles, layers, turns per coil,
// parallel paths, coil pitch) becomes a solver::WindingSpec. The case reader
// designs it to check the winding and find the model's sector; whatever
// builds the solver's model from a case designs the same spec.

#include "cases/case.hpp"
#include "solver/winding.hpp"

namespace rotormag::cases {

// The winding of `motor` (a loaded case's c.motor: the same whatever the mesh kind).
solver::WindingSpec winding_spec(const MotorSpec& motor);

}  // namespace rotormag::cases

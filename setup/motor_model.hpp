#pragma once
// A motor case as the solver sees the machine: the winding of [motor.winding]
// laid out over the whole machine and the model's share of it in the mesh's
// coil regions, the symmetry sector, the moving band over the mesh.
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/moving_band.hpp"
#include "solver/winding.hpp"

namespace rotormag::setup {

// The winding as the model sees it: the layout of the whole machine, the
// model's share of it (coil regions "coil_<slot>_<layer>" of the first
// slots), the symmetry, and the copies of the model in the machine.
struct MotorModel {
  solver::WindingLayout layout;
  solver::ModelWinding winding;
  double sector_deg = 360;
  bool antiperiodic = false;
  int copies = 1;
  std::string symmetry_text() const;   // "whole machine", "anti-periodic" or "periodic"
};

// Throws solver::ProblemError naming a coil region the winding needs that the
// mesh lacks, a coil annotation of the mesh that contradicts the winding, or a
// coil region bound with its own current density.
MotorModel motor_model(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions);

// The moving band over the case's mesh for the model's sector (mesh::MeshError
// naming the boundary or node when the mesh breaks docs/motor-mesh.md).
solver::MovingBand moving_band(const cases::Case& c, const mesh::Mesh& m, const MotorModel& model);

// Marks every coil region of `m` with the phase, sign and turns of the
// winding (for `rotormag mesh`: the exported file then names them).
void annotate_coils(const MotorModel& model, mesh::Mesh& m);

// What `rotormag check` says of a motor: the winding, the symmetry and the
// moving band built. Returns a one-line summary.
std::string describe_motor(const cases::Case& c, const mesh::Mesh& m,
                           const std::vector<cases::ResolvedRegion>& regions);

}  // namespace rotormag::setup

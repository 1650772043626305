#pragma once
// `rotormag run` for a case with [motor]: the winding in the model's coil
// regions, the moving band over the rotor positions, the machine quantities,
// and the results as ParaView time steps (postproc/motor_results.hpp).
#include <string>

#include "cases/case.hpp"
#include "kernels/backend.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/winding.hpp"

namespace rotormag::app {

// The winding as the model sees it: the layout of the whole machine, the
// model's share of it (coil regions "coil_<slot>_<layer>" of the first
// slots), the symmetry, and the copies of the model in the machine.
struct MotorModel {
  solver::WindingLayout layout;
  solver::ModelWinding winding;
  double sector_deg = 360;
  bool antiperiodic = false;
  int copies = 1;
};

// Throws solver::ProblemError naming a coil region the winding needs that the
// mesh lacks, or a coil region bound with its own current density.
MotorModel motor_model(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions);

// The stator currents of the case's [motor] table (none, dq or phase).
solver::StatorLoad stator_load(const cases::Case& c);

struct MotorRunOptions {
  std::string out_dir;
  bool quiet = false;          // no progress on stderr
  bool print_summary = true;   // the one-line result on stdout (a sweep prints its own)
};

// Marks every coil region of `m` with the phase, sign and turns of the
// winding (for `rotormag mesh`: the exported file then names them).
void annotate_coils(const MotorModel& model, mesh::Mesh& m);

// What `rotormag check` adds for a motor: the winding, the symmetry and the
// moving band built (a mesh that breaks docs/motor-mesh.md fails here, with
// mesh::MeshError naming the boundary or node). Returns a one-line summary.
std::string check_motor(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions);

// Runs the sweep and writes the results; returns the process exit code.
int run_motor(const cases::Case& c, const cases::MaterialLibrary& library, const mesh::Mesh& m,
              const std::vector<cases::ResolvedRegion>& regions, kernels::Backend& backend,
              const MotorRunOptions& options);

}  // namespace rotormag::app

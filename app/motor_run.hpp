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

// The same currents at every electrical angle.
bool same_load(const solver::StatorLoad& a, const solver::StatorLoad& b);

// What a motor run prints.
struct MotorMessages {
  bool quiet = false;          // no progress on stderr
  bool print_summary = true;   // the one-line result per case on stdout (a sweep prints its own)
};

struct MotorRunOptions {
  std::string out_dir;
  MotorMessages messages;
};

// Marks every coil region of `m` with the phase, sign and turns of the
// winding (for `rotormag mesh`: the exported file then names them).
void annotate_coils(const MotorModel& model, mesh::Mesh& m);

// What `rotormag check` adds for a motor: the winding, the symmetry and the
// moving band built (a mesh that breaks docs/motor-mesh.md fails here, with
// mesh::MeshError naming the boundary or node). Returns a one-line summary.
std::string check_motor(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions);

// Runs the sweep and writes the results; returns the process exit code.
// The one-case call of run_motors.
int run_motor(const cases::Case& c, const cases::MaterialLibrary& library, const mesh::Mesh& m,
              const std::vector<cases::ResolvedRegion>& regions, kernels::Backend& backend,
              const MotorRunOptions& options);

// A case of a batched motor run and where its results go.
struct MotorCase {
  const cases::Case* c = nullptr;
  const std::vector<cases::ResolvedRegion>* regions = nullptr;  // bound on the shared mesh
  std::string out_dir;
  std::string label;  // names the case in messages (default: its name), e.g. a sweep case's id
};

// Several cases on the same mesh (a sweep's candidates and temperatures),
// each written to its out_dir exactly as run_motor writes it. Cases that can
// share their solves (the same symmetry and winding, rotor positions,
// boundary conditions, solver settings and stator load, and the same [demag]
// events, rated load and settings; docs/sweeps.md) run together: the
// position sweep as one solve_batch per position, the demagnetization of all
// their candidates x temperatures as the set-ups of the same analyses. The
// first case and those that match it run together; each other case runs
// alone (with a note on stderr saying why). Throws on the first failure (a
// solve, a bad case, the output); which cases' directories then hold complete
// results is undefined.
void run_motors(const std::vector<MotorCase>& cases, const cases::MaterialLibrary& library, const mesh::Mesh& m,
                kernels::Backend& backend, const MotorMessages& messages);

}  // namespace rotormag::app

#pragma once
// `rotormag run` for a case with [motor]: every rotor position solved (cases
// that can share their solves batched), the machine quantities, the
// [demag] analysis when the case has one, and the results as ParaView time
// steps (postproc/motor_results.hpp). The translation to and from the solver
// is setup/'s; this file runs the steps and reports progress.
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "kernels/backend.hpp"

namespace rotormag::app {

// What a motor run prints.
struct MotorMessages {
  bool quiet = false;          // no progress on stderr
  bool print_summary = true;   // the one-line result per case on stdout (a sweep prints its own)
};

struct MotorRunOptions {
  std::string out_dir;
  MotorMessages messages;
};

// Runs the rotor positions and writes the results; returns the process exit
// code. The one-case call of run_motors.
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
// share their solves (setup::why_apart finds nothing: the same symmetry and
// winding, rotor positions, boundary conditions, solver settings and stator
// load, and the same [demag] events, rated load and settings; docs/sweeps.md)
// run together: the position sweep as one solve_batch per position, the
// demagnetization of all their candidates x temperatures as the set-ups of
// the same analyses. The first case and those that match it run together;
// each other case runs alone (with a note on stderr saying why). Throws on
// the first failure (a solve, a bad case, the output); which cases'
// directories then hold complete results is undefined.
void run_motors(const std::vector<MotorCase>& cases, const cases::MaterialLibrary& library, const mesh::Mesh& m,
                kernels::Backend& backend, const MotorMessages& messages);

}  // namespace rotormag::app

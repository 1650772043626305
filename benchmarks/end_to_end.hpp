#pragma once
// rotormag-bench: the fixed end-to-end benchmark set (docs/performance.md).
//  - the demo geometry (cases/examples/demo_ipm.toml) refined uniformly to a
//    ladder of sizes (~1e4 .. 1e6 unknowns, more on a GPU): one nonlinear
//    solve each;
//  - the Prius-like motor under load (cases/motors/prius_ipm_load.toml), one
//    rotor position, at 2-3 mesh sizes;
//  - batches of 1..256 demo cases sharing one mesh (magnet temperatures
//    20..180 C) at one size: cases per second.
// Per row: DOFs, Newton and CG iterations, time per nonlinear solve, where it
// went (assembly, CG with the multigrid, the rest), cases per second. Writes
// DIR/bench.csv and DIR/bench.md atomically; prints the table and the
// iteration growth and time-vs-DOF exponent of the demo ladder.
#include <string>
#include <vector>

namespace rotormag::benchmarks {

struct BenchOptions {
  bool quick = false;
  std::string backend = "auto";          // cpu | cuda | auto
  std::string out_dir = "bench_out";
  double max_dofs = 0;                   // 0: 1e6 on the CPU (1e5 with --quick), 3e6 on a GPU
  std::vector<int> batches;              // empty: 1,4,16,64,256 (1,4,16 with --quick)
  std::string cases_dir;                 // folder holding examples/ and motors/; "" = beside the materials
  std::string library_dir;
  bool skip_prius = false, skip_batches = false, skip_ladder = false;
  bool getdp = true;                     // the same-mesh comparison with GetDP (when getdp is on PATH)
  std::string preconditioner;            // "" = the case files' own; else replaces [solver] preconditioner
};

// Returns the process exit code; throws what app::guarded maps to exit codes (app/exit_codes.hpp).
int run_bench(const BenchOptions& options);

}  // namespace rotormag::benchmarks

#pragma once
// Running a sweep (docs/sweeps.md): this worker's cases (sweep_plan.hpp),
// the cases of a mesh group and load event solved together in batches, each
// case written atomically with its status into the sweep's directory
// (sweep_directory.hpp), resume after a kill, the merge when the whole sweep
// is done.
#include <string>

#include "cases/sweep.hpp"

namespace rotormag::app {

struct SweepRunOptions {
  std::string out_dir;
  std::string backend = "auto";
  int shard = 0, shards = 1;   // --shard I/N (0-based I)
  bool quiet = false;
  bool retry_failed = false;   // run cases again whose status is "failed"
  bool merge = true;           // merge when this run completed the whole sweep (not per shard)
  bool batch = true;           // solve a group's cases of one load event together (--no-batch: one by one)
};

// Runs this worker's share; returns the exit code (0: all of its cases
// done; 4: some failed, named on stderr). Under MPI every rank calls it.
int run_sweep(const cases::Sweep& s, const cases::MaterialLibrary& library, const SweepRunOptions& options);

}  // namespace rotormag::app

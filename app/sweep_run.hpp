#pragma once
// Running a sweep (docs/sweeps.md): the output directory, which worker runs
// which cases, the cases of a mesh group and load event solved together in
// batches, each case written atomically with its status, resume after a kill.
//
//   DIR/sweep.json            the plan: fingerprint, groups, every case
//   DIR/cases/<id>/           one finished case: case.toml, summary.json,
//                             its results files, status.json ("done" or
//                             "failed" with the error). Appears whole, by a
//                             rename of DIR/cases/.<id>.partial-<host>-<pid>/.
#include <string>
#include <vector>

#include "cases/sweep.hpp"

namespace rotormag::app {

// Cases in plan order cut into `workers` contiguous runs of nearly equal
// estimated cost (a group's cases stay together, so a worker meshes few
// groups); the cases of worker `worker`.
std::vector<int> cases_of_worker(const cases::Sweep& s, int worker, int workers);

// The plan: counts, groups, the cost estimate (meshes every group to count
// its unknowns) and the split over `workers`.
std::string describe_plan(const cases::Sweep& s, const cases::MaterialLibrary& library, int workers);

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

// DIR/cases/<id>/status.json says "done" (or "failed").
std::string case_status(const std::string& out_dir, const std::string& id);

}  // namespace rotormag::app

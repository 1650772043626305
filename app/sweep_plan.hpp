#pragma once
// A sweep's plan for its workers: which worker runs which cases (contiguous
// runs of nearly equal estimated cost), which cases are solved together
// (batches), and the plan `rotormag plan` prints with its cost estimate.
#include <string>
#include <vector>

#include "cases/sweep.hpp"

namespace rotormag::app {

// Cases in plan order cut into `workers` contiguous runs of nearly equal
// estimated cost (a group's cases stay together, so a worker meshes few
// groups); the cases of worker `worker`.
std::vector<int> cases_of_worker(const cases::Sweep& s, int worker, int workers);

// Cases solved together: to-do cases of one mesh group and one load event
// (they differ only in candidate and magnet temperature, so every solve
// shares its mesh and currents), at most setup::kSetupsPerBatch of them
// (each case is one demagnetization set-up), in plan order; `together`
// false: one by one.
std::vector<std::vector<int>> batches_of(const cases::Sweep& s, const std::vector<int>& todo, bool together);

// The plan: counts, groups, the cost estimate (meshes every group to count
// its unknowns) and the split over `workers`.
std::string describe_plan(const cases::Sweep& s, const cases::MaterialLibrary& library, int workers);

// "42 s", "7 min", "1.5 h" ("?" when unknown).
std::string duration_text(double seconds);

}  // namespace rotormag::app

#pragma once
// A sweep's output directory and the rules every worker and the merge keep
// (docs/sweeps.md):
//
//   DIR/sweep.json            the plan: fingerprint, groups, every case
//   DIR/cases/<id>/           one finished case: case.toml, summary.json,
//                             its results files, status.json ("done" or
//                             "failed" with the error). Appears whole, by a
//                             rename of DIR/cases/.<id>.partial-<host>-<pid>/.
#include <filesystem>
#include <string>

#include "cases/sweep.hpp"

namespace rotormag::app {

// DIR/sweep.json: written by the first worker; a directory holds one sweep
// (another sweep's fingerprint there is an error naming both).
void claim_directory(const cases::Sweep& s, const std::string& dir);

// DIR/cases/<id>/status.json says "done" (or "failed"); "" when there is none.
std::string case_status(const std::string& out_dir, const std::string& id);

// Removes what an interrupted run left of case `id` (a killed process never
// renames its partial directory); whether there was any.
bool remove_partials(const std::filesystem::path& cases_dir, const std::string& id);

// The partial directory of case `k` with its case.toml, empty otherwise.
std::filesystem::path start_case(const std::filesystem::path& cases_dir, const cases::SweepCase& k,
                                 const std::string& host);

// What a failed run left in a partial directory, its case.toml aside.
void clear_outputs(const std::filesystem::path& partial);

// This machine's name, for partial directories and status files.
std::string host_name();

}  // namespace rotormag::app

#pragma once
// The single-run keys of summary.json, shared with the motor writer, which
// appends its own keys before "units" (internal to postproc/).
#include <nlohmann/json.hpp>

#include "postproc/results_file.hpp"

namespace rotormag::postproc::detail {

// The keys of docs/results.md in their order, "units" excepted.
nlohmann::ordered_json summary_json_keys(const RunInfo& info);

// The "units" map for those keys.
nlohmann::ordered_json summary_json_units();

}  // namespace rotormag::postproc::detail

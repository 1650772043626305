// summary.json: the scalar results beside NAME.hdf, for scripts and CI.
// Keys (and units) are documented in docs/results.md; keep both in step.

#include "postproc/summary_json.hpp"

#include <nlohmann/json.hpp>

#include "postproc/atomic_file.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc {
namespace detail {

nlohmann::ordered_json summary_json_keys(const RunInfo& info) {
  // ordered_json keeps the documented key order, which is easier to read.
  nlohmann::ordered_json j;
  j["case"] = info.case_name;
  j["case_path"] = info.case_path;
  j["backend"] = info.backend;
  j["elements"] = info.elements;
  j["nodes"] = info.nodes;
  j["dofs"] = info.dofs;
  j["order"] = info.order;
  j["newton_iterations"] = info.newton_iterations;
  j["converged"] = info.converged;
  j["energy_J_per_m"] = info.energy_J_per_m;  // NaN/inf come out as null
  j["wall_s"] = info.wall_s;
  j["temperature_C"] = info.temperature_C;
  auto residuals = nlohmann::ordered_json::array();
  for (const auto& h : info.history) residuals.push_back(h.residual_norm);
  j["residual_history"] = residuals;
  return j;
}

nlohmann::ordered_json summary_json_units() {
  return {
      {"elements", "1"}, {"nodes", "1"},       {"dofs", "1"},   {"order", "1"},
      {"newton_iterations", "1"}, {"energy_J_per_m", "J/m"}, {"wall_s", "s"},
      {"temperature_C", "degC"},  {"residual_history", "A"},
  };
}

}  // namespace detail

void write_summary_json(const std::string& path, const RunInfo& info) {
  nlohmann::ordered_json j = detail::summary_json_keys(info);
  j["units"] = detail::summary_json_units();
  write_text_atomically(path, j.dump(2) + "\n");
}

}  // namespace rotormag::postproc

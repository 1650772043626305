// summary.json: the scalar results beside NAME.hdf, for scripts and CI.
// Keys (and units) are documented in docs/results.md; keep both in step.

#include <nlohmann/json.hpp>

#include "postproc/atomic_file.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc {

void write_summary_json(const std::string& path, const RunInfo& info) {
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
  j["units"] = {
      {"elements", "1"}, {"nodes", "1"},       {"dofs", "1"},   {"order", "1"},
      {"newton_iterations", "1"}, {"energy_J_per_m", "J/m"}, {"wall_s", "s"},
      {"temperature_C", "degC"},  {"residual_history", "A"},
  };
  write_text_atomically(path, j.dump(2) + "\n");
}

}  // namespace rotormag::postproc

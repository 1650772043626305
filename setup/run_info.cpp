#include "setup/run_info.hpp"

#include <filesystem>

namespace rotormag::setup {

postproc::RunInfo run_info(const cases::Case& c, const mesh::Mesh& grid, const solver::Solution& s,
                           const std::string& backend, double temperature_C, const std::string& title) {
  postproc::RunInfo info;
  info.case_name = title.empty() ? c.name : title;
  info.case_path = std::filesystem::absolute(c.path).string();
  info.resolved_case_toml = c.resolved_toml;
  info.backend = backend;
  info.order = grid.order;
  info.elements = grid.triangle_count();
  info.nodes = grid.node_count();
  info.dofs = s.unknowns;
  info.newton_iterations = s.report.iterations;
  info.converged = s.report.converged;
  info.energy_J_per_m = s.energy_J_per_m;
  info.temperature_C = temperature_C;
  for (const auto& h : s.report.history)
    info.history.push_back({h.residual_norm, h.update_max, h.step_length, h.cg_iterations});
  return info;
}

}  // namespace rotormag::setup

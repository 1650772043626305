#include "app/sweep_plan.hpp"

#include <fmt/core.h>

#include <cmath>
#include <map>

#include "setup/demag_setup.hpp"

namespace rotormag::app {

namespace {

// Seconds per (unknown x nonlinear solve) of a demag sweep case on this
// project's 2-core machine, CPU backend, P1: measured on the Prius-like
// benchmark (docs/sweeps.md, "Cost model"). Only for the plan's estimate and
// the balance between workers, never for results.
constexpr double kSecondsPerUnknownSolve = 2.0e-5;

}  // namespace

std::string duration_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

std::vector<std::vector<int>> batches_of(const cases::Sweep& s, const std::vector<int>& todo, bool together) {
  std::vector<std::vector<int>> batches;
  std::map<std::pair<int, std::string>, size_t> filling;  // (group, event) -> its batch not full yet
  for (int i : todo) {
    const auto key = std::make_pair(s.cases[i].group, s.cases[i].event);
    auto it = filling.find(key);
    if (!together || it == filling.end() || batches[it->second].size() == setup::kSetupsPerBatch) {
      it = filling.insert_or_assign(key, batches.size()).first;
      batches.emplace_back();
    }
    batches[it->second].push_back(i);
  }
  return batches;
}

std::vector<int> cases_of_worker(const cases::Sweep& s, int worker, int workers) {
  double total = 0;
  for (const auto& k : s.cases) total += k.cost_units;
  // Worker w takes the cases whose cost midpoint falls in [w, w+1) * total/workers.
  std::vector<int> mine;
  double before = 0;
  for (const auto& k : s.cases) {
    const double mid = before + 0.5 * k.cost_units;
    before += k.cost_units;
    int w = total > 0 ? int(std::floor(mid / total * workers)) : 0;
    w = std::min(std::max(w, 0), workers - 1);
    if (w == worker) mine.push_back(k.index);
  }
  return mine;
}

std::string describe_plan(const cases::Sweep& s, const cases::MaterialLibrary& library, int workers) {
  std::string out = fmt::format("sweep '{}' ({}), base case {}\n", s.name, s.path, s.base_case_path);
  out += fmt::format("  {} candidates x {} magnet temperatures x {} load events x {} geometry variants = {} cases\n",
                     s.candidates.size(), s.temperatures_C.size(), s.events.size(), s.groups.size(), s.cases.size());
  out += fmt::format("  rotor positions per load event: {}\n",
                     s.positions_deg.empty() ? std::string("those of the base case")
                                             : fmt::format("{} ({} deg ... {} deg)", s.positions_deg.size(),
                                                           s.positions_deg.front(), s.positions_deg.back()));
  double total_s = 0;
  std::vector<double> group_s(s.groups.size(), 0.0);
  for (size_t g = 0; g < s.groups.size(); ++g) {
    const cases::SweepCase& first = s.cases.at(s.groups[g].cases.front());
    const cases::Case c = cases::load_case_text(first.case_toml, s.base_case_path, library);
    const mesh::Mesh m = cases::build_mesh(c);
    const double per_case = double(m.node_count()) * first.cost_units * kSecondsPerUnknownSolve;
    group_s[g] = per_case * double(s.groups[g].cases.size());
    total_s += group_s[g];
    std::string geometry;
    for (const auto& [k, v] : s.groups[g].geometry) geometry += fmt::format(" {}={:g}", k, v);
    out += fmt::format("  group {}: {} cases share one mesh ({} triangles, P{}, {} nodes, before the moving band){}; about {} per case\n",
                       g, s.groups[g].cases.size(), m.triangle_count(), m.order, m.node_count(),
                       geometry.empty() ? "" : ";" + geometry, duration_text(per_case));
  }
  std::vector<int> all(s.cases.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = int(i);
  out += fmt::format("  solved together: the cases of a group and load event, up to {} per batch: {} batch(es) on one "
                     "worker (--no-batch: one by one)\n",
                     setup::kSetupsPerBatch, batches_of(s, all, true).size());
  out += fmt::format("  estimated cost: {} CPU-backend time on a 2-core machine (about {:.0f} solves per case)\n",
                     duration_text(total_s), s.cases.empty() ? 0.0 : s.cases.front().cost_units);
  if (workers > 1) {
    for (int w = 0; w < workers; ++w) {
      const auto mine = cases_of_worker(s, w, workers);
      double t = 0;
      for (int i : mine) {
        const auto& k = s.cases[i];
        t += group_s[k.group] / double(s.groups[k.group].cases.size());
      }
      out += fmt::format("  worker {}/{}: {} cases ({} .. {}), about {}\n", w, workers, mine.size(),
                         mine.empty() ? "-" : s.cases[mine.front()].id, mine.empty() ? "-" : s.cases[mine.back()].id,
                         duration_text(t));
    }
  }
  return out;
}

}  // namespace rotormag::app

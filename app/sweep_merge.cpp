#include "app/sweep_merge.hpp"

#include <fmt/core.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/sweep_directory.hpp"
#include "postproc/atomic_file.hpp"
#include "postproc/sweep_results.hpp"

namespace rotormag::app {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
const double kNaN = std::numeric_limits<double>::quiet_NaN();


double number(const json& j, const char* key) {
  const auto it = j.find(key);
  return (it != j.end() && it->is_number()) ? it->get<double>() : kNaN;
}

std::string text(const json& j, const char* key) {
  const auto it = j.find(key);
  return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

// One column of the table: a number or a text per case, from the plan's
// entry, the status and the case's summary.json (null when it failed).
struct ColumnSpec {
  std::string name, units;
  bool is_text = false;
  std::function<double(const json& plan, const json& status, const json& summary)> number;
  std::function<std::string(const json& plan, const json& status, const json& summary)> text;
};

// The first candidate's row at its (only) temperature.
const json& demag_row(const json& s) {
  static const json none = json::object();
  if (s.is_null() || !s.contains("demag")) return none;
  return s["demag"]["candidates"][0]["temperatures"][0];
}
const json& demag_candidate(const json& s) {
  static const json none = json::object();
  if (s.is_null() || !s.contains("demag")) return none;
  return s["demag"]["candidates"][0];
}

std::vector<ColumnSpec> column_specs(const std::vector<std::string>& geometry_keys) {
  std::vector<ColumnSpec> c;
  auto txt = [&](std::string name, std::function<std::string(const json&, const json&, const json&)> f) {
    ColumnSpec s;
    s.name = std::move(name);
    s.is_text = true;
    s.text = std::move(f);
    c.push_back(std::move(s));
  };
  auto num = [&](std::string name, std::string units, std::function<double(const json&, const json&, const json&)> f) {
    ColumnSpec s;
    s.name = std::move(name);
    s.units = std::move(units);
    s.number = std::move(f);
    c.push_back(std::move(s));
  };
  txt("case_id", [](const json& p, const json&, const json&) { return p["id"].get<std::string>(); });
  txt("status", [](const json&, const json& st, const json&) { return text(st, "status"); });
  num("group", "1", [](const json& p, const json&, const json&) { return p["group"].get<double>(); });
  txt("candidate", [](const json& p, const json&, const json&) { return p["candidate"].get<std::string>(); });
  num("temperature_C", "degC", [](const json& p, const json&, const json&) { return p["temperature_C"].get<double>(); });
  txt("event", [](const json& p, const json&, const json&) { return p["event"].get<std::string>(); });
  for (const std::string& k : geometry_keys)
    num(k, "", [k](const json& p, const json&, const json&) { return number(p["geometry"], k.c_str()); });
  txt("material", [](const json&, const json&, const json& s) { return text(demag_candidate(s), "material"); });
  num("low_confidence", "1", [](const json&, const json&, const json& s) {
    const json& c = demag_candidate(s);
    return c.contains("low_confidence") ? double(c["low_confidence"].get<bool>()) : kNaN;
  });
  num("outside_data", "1", [](const json&, const json&, const json& s) {
    const json& c = demag_candidate(s);
    return c.contains("outside_data") ? double(c["outside_data"].get<bool>()) : kNaN;
  });
  // The motor run of the case: undamaged magnets of the candidate's grade
  // (a composition: its base grade), the base case's current.
  txt("motor_run_magnet", [](const json& p, const json&, const json&) { return text(p, "motor_run_magnet"); });
  num("peak_flux_linkage_a_Wb", "Wb", [](const json&, const json&, const json& s) {
    if (s.is_null() || !s.contains("flux_linkage_Wb")) return kNaN;
    double peak = 0;
    for (const json& v : s["flux_linkage_Wb"]["a"]) peak = std::max(peak, std::abs(v.get<double>()));
    return peak;
  });
  for (const char* k : {"psi_d_no_load_before_Wb", "psi_d_no_load_after_Wb", "flux_linkage_loss_pct",
                        "back_emf_fundamental_loss_pct", "torque_before_Nm", "torque_after_Nm", "torque_loss_pct",
                        "volume_pct_coef_below_0_99", "volume_pct_coef_below_0_95", "volume_pct_coef_below_0_90",
                        "min_margin_kA_per_m", "onset_current_A", "onset_temperature_C"}) {
    std::string units = std::string(k).find("pct") != std::string::npos ? "%" : "";
    if (std::string(k).find("_Wb") != std::string::npos) units = "Wb";
    if (std::string(k).find("_Nm") != std::string::npos) units = "N m";
    if (std::string(k).find("kA_per_m") != std::string::npos) units = "kA/m";
    if (std::string(k).find("current_A") != std::string::npos) units = "A";
    if (std::string(k).find("temperature_C") != std::string::npos) units = "degC";
    num(k, units, [k](const json&, const json&, const json& s) { return number(demag_row(s), k); });
  }
  txt("min_margin_region", [](const json&, const json&, const json& s) { return text(demag_row(s), "min_margin_region"); });
  for (const char* k : {"magnet_kg", "Dy_kg", "Tb_kg", "hre_cost"})
    num(k, std::string(k) == "hre_cost" ? "" : "kg", [k](const json&, const json&, const json& s) {
      const json& c = demag_candidate(s);
      return c.contains("hre") ? number(c["hre"], k) : kNaN;
    });
  txt("currency", [](const json&, const json&, const json& s) {
    const json& c = demag_candidate(s);
    return c.contains("hre") ? text(c["hre"], "currency") : std::string();
  });
  num("wall_s", "s", [](const json&, const json& st, const json&) { return number(st, "wall_s"); });
  txt("backend", [](const json&, const json& st, const json&) { return text(st, "backend"); });
  return c;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// Grids of several groups as one: nodes and cells appended, regions united
// by name; per case its arrays on its group's part, NaN elsewhere.
class CombinedGrid {
 public:
  // Adds group g's grid; returns its cell and node offsets.
  void add_group(const mesh::Mesh& m) {
    cell_offset_.push_back(mesh_.triangle_count());
    node_offset_.push_back(mesh_.node_count());
    cell_count_.push_back(m.triangle_count());
    node_count_.push_back(m.node_count());
    if (mesh_.node_count() == 0) mesh_.order = m.order;
    if (m.order != mesh_.order) throw std::runtime_error("the groups' meshes have different element orders");
    const int base = int(mesh_.node_count());
    mesh_.x.insert(mesh_.x.end(), m.x.begin(), m.x.end());
    mesh_.y.insert(mesh_.y.end(), m.y.begin(), m.y.end());
    for (int n : m.triangles) mesh_.triangles.push_back(n + base);
    for (int r : m.triangle_region) {
      const std::string& name = m.regions.at(size_t(r)).name;
      auto it = region_index_.find(name);
      if (it == region_index_.end()) {
        it = region_index_.emplace(name, int(mesh_.regions.size())).first;
        mesh_.regions.push_back(m.regions[size_t(r)]);
      }
      mesh_.triangle_region.push_back(it->second);
    }
    group_cells_.insert(group_cells_.end(), m.triangle_count(), double(cell_offset_.size() - 1));
  }
  // The array of one case (on group g) spread over the combined grid.
  postproc::FieldData::CellArray spread(int g, const postproc::FieldData::CellArray& a, bool point,
                                        const std::string& prefix) const {
    const size_t total = point ? mesh_.node_count() : mesh_.triangle_count();
    const size_t offset = point ? node_offset_.at(g) : cell_offset_.at(g);
    const size_t count = point ? node_count_.at(g) : cell_count_.at(g);
    if (a.values.size() != count * size_t(a.components))
      throw std::runtime_error(fmt::format("{}{} has {} values; its group's mesh has {} {}", prefix, a.name,
                                           a.values.size(), count, point ? "nodes" : "cells"));
    postproc::FieldData::CellArray out{prefix + a.name, a.units, std::vector<double>(total * a.components, kNaN),
                                       a.components};
    std::copy(a.values.begin(), a.values.end(), out.values.begin() + std::ptrdiff_t(offset * a.components));
    return out;
  }
  const mesh::Mesh& mesh() const { return mesh_; }
  postproc::FieldData::CellArray group_array() const { return {"geometry_group", "1", group_cells_, 1}; }

 private:
  mesh::Mesh mesh_;
  std::map<std::string, int> region_index_;
  std::vector<size_t> cell_offset_, node_offset_, cell_count_, node_count_;
  std::vector<double> group_cells_;
};

// The motor results file of a finished case (the only NAME.hdf at its top).
fs::path motor_file(const fs::path& case_dir) {
  for (const auto& e : fs::directory_iterator(case_dir)) {
    const std::string n = e.path().filename().string();
    if (e.path().extension() == ".hdf" && n.find(".step_") == std::string::npos) return e.path();
  }
  throw std::runtime_error(fmt::format("{}: no motor results file (NAME.hdf)", case_dir.string()));
}

}  // namespace

MergeReport merge_sweep(const std::string& dir) {
  const fs::path root(dir);
  if (!fs::exists(root / "sweep.json"))
    throw std::runtime_error(fmt::format("{}: not a sweep output directory (no sweep.json)", dir));
  const std::string plan_text = postproc::read_text_file((root / "sweep.json").string());
  json plan;
  try {
    plan = json::parse(plan_text);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}/sweep.json: {}", dir, e.what()));
  }
  const std::string name = plan.at("name").get<std::string>();
  const std::vector<std::string> geometry_keys = plan.at("geometry_keys").get<std::vector<std::string>>();
  json cases = plan.at("cases");
  for (json& k : cases) k["geometry"] = plan.at("groups").at(k["group"].get<size_t>());

  // Every case must have finished (done or failed).
  std::vector<std::string> missing;
  for (const json& k : cases)
    if (case_status(dir, k["id"]).empty()) missing.push_back(k["id"]);
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size() && i < 20; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 20) list += ", ...";
    throw std::runtime_error(fmt::format("{}: {} of {} cases have not finished ({}); run the sweep (or its missing "
                                         "shards) again with the same command: finished cases are kept",
                                         dir, missing.size(), cases.size(), list));
  }

  MergeReport report;
  postproc::SweepFileContent content;
  content.name = name;
  content.plan_json = plan_text;
  const std::vector<ColumnSpec> specs = column_specs(geometry_keys);
  content.table.resize(specs.size());
  for (size_t c = 0; c < specs.size(); ++c) {
    content.table[c].name = specs[c].name;
    content.table[c].units = specs[c].units;
  }

  // Per group: the grid at 0 deg (the demag state file of its first finished
  // case) and at each rotor position (its motor file's steps).
  const size_t groups = plan.at("groups").size();
  std::vector<int> first_done(groups, -1);
  std::vector<json> summaries(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const fs::path case_dir = root / "cases" / cases[i]["id"].get<std::string>();
    const json status = json::parse(postproc::read_text_file((case_dir / "status.json").string()));
    json summary;
    if (status.value("status", "") == "done") {
      summary = json::parse(postproc::read_text_file((case_dir / "summary.json").string()));
      const int g = cases[i]["group"].get<int>();
      if (first_done[g] < 0) first_done[g] = int(i);
    } else {
      ++report.failed;
    }
    summaries[i] = summary;
    for (size_t c = 0; c < specs.size(); ++c) {
      if (specs[c].is_text)
        content.table[c].texts.push_back(specs[c].text(cases[i], status, summary));
      else
        content.table[c].numbers.push_back(specs[c].number(cases[i], status, summary));
    }
    content.case_ids.push_back(cases[i]["id"]);
    content.case_summaries.push_back(summary.is_null() ? std::string("null") : summary.dump(1));
    content.case_tomls.push_back(postproc::read_text_file((case_dir / "case.toml").string()));
  }
  report.cases = cases.size();

  // A finished case's grids: its demag state at 0 deg and its motor run's
  // positions, each file read once.
  struct CaseGrids {
    postproc::StoredGrid at0;
    std::vector<postproc::StoredGrid> steps;
  };
  auto read_case_grids = [&](size_t i) {
    const fs::path case_dir = root / "cases" / cases[i]["id"].get<std::string>();
    CaseGrids grids;
    grids.at0 = postproc::read_stored_grid((case_dir / text(demag_row(summaries[i]), "results_file")).string(), "VTKHDF");
    const std::string motor = motor_file(case_dir).string();
    for (const std::string& group : postproc::stored_step_groups(motor))
      grids.steps.push_back(postproc::read_stored_grid(motor, group));
    return grids;
  };
  // The combined grids need every group's mesh before any case's arrays are
  // spread over them: the first finished case of each group is read first
  // and kept for the second pass.
  CombinedGrid at0;
  std::vector<CombinedGrid> steps;
  std::map<size_t, CaseGrids> first_grids;
  for (size_t g = 0; g < groups; ++g) {
    if (first_done[g] < 0) continue;  // every case of this group failed
    const size_t i = size_t(first_done[g]);
    CaseGrids& grids = first_grids[i] = read_case_grids(i);
    at0.add_group(grids.at0.mesh);
    if (steps.empty()) steps.resize(grids.steps.size());
    if (grids.steps.size() != steps.size())
      throw std::runtime_error(fmt::format("case {}: {} rotor positions, other groups have {}",
                                           cases[i]["id"].get<std::string>(), grids.steps.size(), steps.size()));
    for (size_t k = 0; k < steps.size(); ++k) steps[k].add_group(grids.steps[k].mesh);
  }
  // Group indices of the combined grids count only groups with a finished case.
  std::vector<int> slot(groups, -1);
  for (size_t g = 0, s = 0; g < groups; ++g)
    if (first_done[g] >= 0) slot[g] = int(s++);

  content.at0_fields.has_solution_fields = false;
  content.step_fields.assign(steps.size(), postproc::FieldData{});
  for (auto& f : content.step_fields) f.has_solution_fields = false;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (summaries[i].is_null()) continue;
    const std::string id = cases[i]["id"];
    const int s = slot[cases[i]["group"].get<size_t>()];
    auto cached = first_grids.find(i);
    const CaseGrids grids = cached != first_grids.end() ? std::move(cached->second) : read_case_grids(i);
    if (grids.steps.size() != steps.size())
      throw std::runtime_error(fmt::format("case {}: {} rotor positions, its group has {}", id, grids.steps.size(),
                                           steps.size()));
    for (const auto& a : grids.at0.cell_arrays) content.at0_fields.extra_cells.push_back(at0.spread(s, a, false, id + "."));
    for (const auto& a : grids.at0.point_arrays)
      content.at0_fields.extra_points.push_back(at0.spread(s, a, true, id + "."));
    for (size_t k = 0; k < steps.size(); ++k) {
      for (const auto& a : grids.steps[k].cell_arrays)
        content.step_fields[k].extra_cells.push_back(steps[k].spread(s, a, false, id + "."));
      for (const auto& a : grids.steps[k].point_arrays)
        content.step_fields[k].extra_points.push_back(steps[k].spread(s, a, true, id + "."));
    }
  }
  if (at0.mesh().triangle_count() == 0)
    throw std::runtime_error(fmt::format("{}: every case failed; nothing to merge (see cases/*/status.json)", dir));
  content.at0 = at0.mesh();
  content.at0_fields.extra_cells.push_back(at0.group_array());
  for (size_t k = 0; k < steps.size(); ++k) {
    content.step_mesh.push_back(steps[k].mesh());
    content.step_fields[k].extra_cells.push_back(steps[k].group_array());
  }
  const json positions = plan.at("rotor_positions_deg");
  for (size_t k = 0; k < steps.size(); ++k)
    content.step_deg.push_back(k < positions.size() ? positions[k].get<double>() : double(k));

  // The table as CSV beside the merged file.
  std::string csv;
  for (size_t c = 0; c < specs.size(); ++c)
    csv += (c ? "," : "") + csv_field(specs[c].name);
  csv += "\n";
  for (size_t i = 0; i < cases.size(); ++i) {
    for (size_t c = 0; c < specs.size(); ++c) {
      if (c) csv += ",";
      if (specs[c].is_text)
        csv += csv_field(content.table[c].texts[i]);
      else if (std::isfinite(content.table[c].numbers[i]))
        csv += fmt::format("{:.10g}", content.table[c].numbers[i]);
    }
    csv += "\n";
  }
  report.table_file = (root / (name + "_table.csv")).string();
  postproc::write_text_atomically(report.table_file, csv);
  report.merged_file = postproc::write_sweep_file(dir, content);
  return report;
}

}  // namespace rotormag::app

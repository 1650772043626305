#include "app/sweep_directory.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "postproc/atomic_file.hpp"

namespace rotormag::app {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json plan_json(const cases::Sweep& s) {
  json j;
  j["format"] = "RotorMag sweep plan 1";
  j["name"] = s.name;
  j["fingerprint"] = s.fingerprint;
  j["sweep_file"] = fs::absolute(s.path).string();
  j["base_case"] = s.base_case_path;
  j["candidates"] = s.candidates;
  j["magnet_temperatures_C"] = s.temperatures_C;
  j["events"] = s.events;
  j["rotor_positions_deg"] = s.positions_deg;
  j["geometry_keys"] = s.geometry_keys;
  json groups = json::array();
  for (const auto& g : s.groups) {
    json jg = json::object();
    for (const auto& [k, v] : g.geometry) jg[k] = v;
    groups.push_back(jg);
  }
  j["groups"] = groups;
  json cs = json::array();
  for (const auto& k : s.cases)
    cs.push_back({{"id", k.id},
                  {"group", k.group},
                  {"candidate", k.candidate},
                  {"temperature_C", k.temperature_C},
                  {"event", k.event},
                  {"motor_run_magnet", k.motor_run_magnet},
                  {"cost_units", k.cost_units}});
  j["cases"] = cs;
  return j;
}

}  // namespace

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "host";
  return buf;
}


void claim_directory(const cases::Sweep& s, const std::string& dir) {
  fs::create_directories(fs::path(dir) / "cases");
  const fs::path plan = fs::path(dir) / "sweep.json";
  if (fs::exists(plan)) {
    json existing;
    try {
      existing = json::parse(postproc::read_text_file(plan.string()));
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("{}: not a sweep plan ({})", plan.string(), e.what()));
    }
    if (existing.value("fingerprint", "") != s.fingerprint)
      throw std::runtime_error(fmt::format(
          "{} holds sweep '{}' (fingerprint {}), not this one ('{}', {}): the sweep file, its base case or a "
          "material changed since; use another output directory",
          dir, existing.value("name", "?"), existing.value("fingerprint", "?"), s.name, s.fingerprint));
    return;
  }
  // Several workers may start at once: each writes the same text atomically.
  postproc::write_text_atomically(plan.string(), plan_json(s).dump(1) + "\n");
}

bool remove_partials(const fs::path& cases_dir, const std::string& id) {
  bool any = false;
  const std::string prefix = "." + id + ".partial-";
  for (const auto& e : fs::directory_iterator(cases_dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) {
      fs::remove_all(e.path());
      any = true;
    }
  return any;
}

std::string case_status(const std::string& out_dir, const std::string& id) {
  const fs::path p = fs::path(out_dir) / "cases" / id / "status.json";
  if (!fs::exists(p)) return "";
  try {
    return json::parse(postproc::read_text_file(p.string())).value("status", "");
  } catch (const std::exception&) {
    return "";
  }
}

fs::path start_case(const fs::path& cases_dir, const cases::SweepCase& k, const std::string& host) {
  const fs::path partial = cases_dir / fmt::format(".{}.partial-{}-{}", k.id, host, getpid());
  fs::remove_all(partial);
  fs::create_directories(partial);
  postproc::write_text_atomically((partial / "case.toml").string(), k.case_toml);
  return partial;
}

void clear_outputs(const fs::path& partial) {
  for (const auto& e : fs::directory_iterator(partial))
    if (e.path().filename() != "case.toml") fs::remove_all(e.path());
}

}  // namespace rotormag::app

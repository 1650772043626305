#include "app/sweep_run.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/exit_codes.hpp"
#include "app/motor_run.hpp"
#include "app/sweep_merge.hpp"
#include "app/worker_session.hpp"
#include "postproc/atomic_file.hpp"

namespace rotormag::app {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Seconds per (unknown x nonlinear solve) of a demag sweep case on this
// project's 2-core machine, CPU backend, P1: measured on the Prius-like
// benchmark (docs/sweeps.md, "Cost model"). Only for the plan's estimate and
// the balance between workers, never for results.
constexpr double kSecondsPerUnknownSolve = 2.0e-5;

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "host";
  return buf;
}


std::string duration_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

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

// DIR/sweep.json: written by the first worker; a directory holds one sweep.
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

// Removes what an interrupted run left of case `id` (a killed process never
// renames its partial directory).
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

struct CaseOutcome {
  bool ok = false;
  std::string error;
  std::string headline;  // the figures for the progress line
};

std::string headline_of(const fs::path& summary) {
  try {
    const json j = json::parse(postproc::read_text_file(summary.string()));
    const json& row = j.at("demag").at("candidates").at(0).at("temperatures").at(0);
    auto num = [](const json& v) { return v.is_number() ? fmt::format("{:.3g}", v.get<double>()) : std::string("-"); };
    return fmt::format("{} % below 0.99, flux loss {} %, margin {} kA/m", num(row["volume_pct_coef_below_0_99"]),
                       num(row["flux_linkage_loss_pct"]), num(row["min_margin_kA_per_m"]));
  } catch (const std::exception&) {
    return "";
  }
}

// A worker's meshes, one per group, built on first use.
class MeshCache {
 public:
  const mesh::Mesh& get(int group, const cases::Case& c) {
    auto it = meshes_.find(group);
    if (it == meshes_.end()) it = meshes_.emplace(group, cases::build_mesh(c)).first;
    return it->second;
  }

 private:
  std::map<int, mesh::Mesh> meshes_;
};

}  // namespace

std::string case_status(const std::string& out_dir, const std::string& id) {
  const fs::path p = fs::path(out_dir) / "cases" / id / "status.json";
  if (!fs::exists(p)) return "";
  try {
    return json::parse(postproc::read_text_file(p.string())).value("status", "");
  } catch (const std::exception&) {
    return "";
  }
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
    out += fmt::format("  batch (group) {}: {} cases share one mesh ({} triangles, P{}, {} nodes, before the moving band){}; about {} per case\n",
                       g, s.groups[g].cases.size(), m.triangle_count(), m.order, m.node_count(),
                       geometry.empty() ? "" : ";" + geometry, duration_text(per_case));
  }
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

int run_sweep(const cases::Sweep& s, const cases::MaterialLibrary& library, const SweepRunOptions& options) {
  WorkerSession session;
  if (session.mpi() && options.shards > 1)
    throw std::runtime_error("--shard and MPI together: use one or the other (each MPI rank is already a worker)");
  const int worker = session.mpi() ? session.rank() : options.shard;
  const int workers = session.mpi() ? session.size() : options.shards;
  const std::string who = session.mpi() ? session.label() : (workers > 1 ? fmt::format("shard {}/{}", worker, workers) : "");
  const std::string tag = who.empty() ? "sweep" : "sweep [" + who + "]";

  // Rank 0 of an MPI run, or every shard (each is rank 0 of its own).
  if (session.rank() == 0) claim_directory(s, options.out_dir);
  session.barrier();
  const fs::path cases_dir = fs::path(options.out_dir) / "cases";

  // The backend: one per worker; under MPI the node-local rank picks the GPU.
  kernels::select_cuda_device(session.local_rank());
  const kernels::BackendChoice choice = kernels::backend_choice(options.backend);
  std::string notice;
  std::unique_ptr<kernels::Backend> backend = kernels::make_backend(choice, &notice);
  if (!notice.empty() && !options.quiet) fmt::print(stderr, "{}: {}\n", tag, notice);

  const std::vector<int> mine = cases_of_worker(s, worker, workers);
  std::vector<int> todo;
  int done_before = 0, failed_before = 0;
  for (int i : mine) {
    const std::string& id = s.cases[i].id;
    if (remove_partials(cases_dir, id) && !options.quiet)
      fmt::print(stderr, "{}: {}: removed the half-written output of an interrupted run; running it again\n", tag, id);
    const std::string st = case_status(options.out_dir, id);
    if (st == "done") {
      ++done_before;
      continue;
    }
    if (st == "failed" && !options.retry_failed) {
      ++failed_before;
      continue;
    }
    todo.push_back(i);
  }
  if (!options.quiet)
    fmt::print(stderr, "{}: '{}': {} of {} cases are this worker's; {} done before, {} failed before{}, {} to run on {}\n",
               tag, s.name, mine.size(), s.cases.size(), done_before, failed_before,
               failed_before ? " (--retry-failed runs them again)" : "", todo.size(), backend->description());

  MeshCache meshes;
  const std::string host = host_name();
  const auto t0 = std::chrono::steady_clock::now();
  double cost_done = 0, cost_todo = 0;
  for (int i : todo) cost_todo += s.cases[i].cost_units;
  int failed = failed_before, finished = 0;
  for (int i : todo) {
    const cases::SweepCase& k = s.cases[i];
    const fs::path partial = cases_dir / fmt::format(".{}.partial-{}-{}", k.id, host, getpid());
    const fs::path final_dir = cases_dir / k.id;
    const auto c0 = std::chrono::steady_clock::now();
    json status{{"id", k.id},           {"group", k.group}, {"candidate", k.candidate},
                {"temperature_C", k.temperature_C}, {"event", k.event}, {"host", host},
                {"worker", who.empty() ? "single" : who}};
    CaseOutcome outcome;
    fs::remove_all(partial);
    fs::create_directories(partial);
    postproc::write_text_atomically((partial / "case.toml").string(), k.case_toml);
    auto attempt = [&](kernels::Backend& b) {
      const cases::Case c = cases::load_case_text(k.case_toml, s.base_case_path, library);
      const mesh::Mesh& m = meshes.get(k.group, c);
      const auto regions = cases::bind_regions(c, m);
      MotorRunOptions o;
      o.out_dir = partial.string();
      o.quiet = true;
      o.print_summary = false;
      run_motor(c, library, m, regions, b, o);
    };
    // Every failure of a case is that case's result; the sweep goes on.
    std::string error;
    const int code = guarded([&] {
      try {
        attempt(*backend);
      } catch (const kernels::BackendError& e) {
        if (choice != kernels::BackendChoice::automatic || backend->name() == "cpu") throw;
        fmt::print(stderr, "{}: the CUDA backend failed ({}); this worker continues on the CPU backend\n", tag,
                   e.what());
        backend = kernels::make_cpu_backend();
        attempt(*backend);
      }
      return 0;
    });
    if (code != 0) {
      // guarded() printed the reason; keep only the status and the case.
      error = fmt::format("failed with exit code {} (the message is in the sweep's log)", code);
      for (const auto& e : fs::directory_iterator(partial))
        if (e.path().filename() != "case.toml") fs::remove_all(e.path());
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    status["status"] = error.empty() ? "done" : "failed";
    status["wall_s"] = wall;
    status["backend"] = backend->name();
    if (!error.empty()) status["error"] = error;
    postproc::write_text_atomically((partial / "status.json").string(), status.dump(1) + "\n");
    if (fs::exists(final_dir)) fs::remove_all(final_dir);  // a failed case run again
    fs::rename(partial, final_dir);                          // the case appears whole
    outcome.ok = error.empty();
    if (outcome.ok) outcome.headline = headline_of(final_dir / "summary.json");
    if (!outcome.ok) ++failed;
    ++finished;
    cost_done += k.cost_units;
    if (!options.quiet) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double eta = cost_done > 0 ? elapsed / cost_done * (cost_todo - cost_done) : 0;
      fmt::print(stderr, "{}: [{}/{}] {:5.1f} % | {} {} at {:g} C, {}: {} in {:.1f} s{} | {:.2f} cases/min, ETA {}\n",
                 tag, done_before + finished, mine.size(),
                 100.0 * double(done_before + finished) / double(std::max<size_t>(1, mine.size())), k.id, k.candidate,
                 k.temperature_C, k.event, outcome.ok ? "done" : "FAILED", wall,
                 outcome.headline.empty() ? "" : " (" + outcome.headline + ")", 60.0 * finished / std::max(elapsed, 1e-9),
                 duration_text(eta));
    }
  }

  // The whole sweep finished here (one worker, or all MPI ranks): merge.
  const long long total_failed = session.sum(failed);
  session.barrier();
  const bool whole = session.mpi() || workers == 1;
  if (failed > 0) {
    fmt::print(stderr, "{}: {} case(s) of this worker failed; their status.json and case.toml are in {}\n", tag, failed,
               cases_dir.string());
  }
  if (whole && session.rank() == 0) {
    if (total_failed == 0 && options.merge) {
      const MergeReport r = merge_sweep(options.out_dir);
      fmt::print("{}: {} cases done; merged into {}\n", s.name, r.cases, r.merged_file);
    } else if (total_failed == 0) {
      fmt::print("{}: {} cases done in {}\n", s.name, s.cases.size(), options.out_dir);
    } else {
      fmt::print("{}: {} case(s) failed; `rotormag merge {}` merges the rest (failed cases are listed as such)\n",
                 s.name, total_failed, options.out_dir);
    }
  } else if (!whole) {
    fmt::print("{}: {} of this shard's {} cases done{}; when every shard is done: rotormag merge {}\n", s.name,
               mine.size() - failed, mine.size(), failed ? fmt::format(", {} failed", failed) : "", options.out_dir);
  }
  return total_failed > 0 ? int(Exit::solve_failed) : int(Exit::ok);
}

}  // namespace rotormag::app

#include "app/sweep_run.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/demag_run.hpp"
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

// The partial directory of case `k` with its case.toml, empty otherwise.
fs::path start_case(const fs::path& cases_dir, const cases::SweepCase& k, const std::string& host) {
  const fs::path partial = cases_dir / fmt::format(".{}.partial-{}-{}", k.id, host, getpid());
  fs::remove_all(partial);
  fs::create_directories(partial);
  postproc::write_text_atomically((partial / "case.toml").string(), k.case_toml);
  return partial;
}

// What a failed run left in a partial directory, its case.toml aside.
void clear_outputs(const fs::path& partial) {
  for (const auto& e : fs::directory_iterator(partial))
    if (e.path().filename() != "case.toml") fs::remove_all(e.path());
}

// Cases solved together: to-do cases of one mesh group and one load event
// (they differ only in candidate and magnet temperature, so every solve
// shares its mesh and currents), at most kSetupsPerBatch of them (each case
// is one demagnetization set-up), in plan order; `together` false: one by one.
std::vector<std::vector<int>> batches_of(const cases::Sweep& s, const std::vector<int>& todo, bool together) {
  std::vector<std::vector<int>> batches;
  std::map<std::pair<int, std::string>, size_t> filling;  // (group, event) -> its batch not full yet
  for (int i : todo) {
    const auto key = std::make_pair(s.cases[i].group, s.cases[i].event);
    auto it = filling.find(key);
    if (!together || it == filling.end() || batches[it->second].size() == kSetupsPerBatch) {
      it = filling.insert_or_assign(key, batches.size()).first;
      batches.emplace_back();
    }
    batches[it->second].push_back(i);
  }
  return batches;
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
    out += fmt::format("  group {}: {} cases share one mesh ({} triangles, P{}, {} nodes, before the moving band){}; about {} per case\n",
                       g, s.groups[g].cases.size(), m.triangle_count(), m.order, m.node_count(),
                       geometry.empty() ? "" : ";" + geometry, duration_text(per_case));
  }
  std::vector<int> all(s.cases.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = int(i);
  out += fmt::format("  solved together: the cases of a group and load event, up to {} per batch: {} batch(es) on one "
                     "worker (--no-batch: one by one)\n",
                     kSetupsPerBatch, batches_of(s, all, true).size());
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

  // The backend: one per worker; under MPI the node-local rank picks the GPU,
  // and the ranks of a node share its cores.
  const std::string threads = share_cores_between_ranks(session);
  if (!threads.empty() && !options.quiet && session.local_rank() == 0) fmt::print(stderr, "{}: {}\n", tag, threads);
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
  const std::vector<std::vector<int>> batches = batches_of(s, todo, options.batch);
  if (!options.quiet)
    fmt::print(stderr,
               "{}: '{}': {} of {} cases are this worker's; {} done before, {} failed before{}, {} to run{} on {}\n",
               tag, s.name, mine.size(), s.cases.size(), done_before, failed_before,
               failed_before ? " (--retry-failed runs them again)" : "", todo.size(),
               options.batch ? fmt::format(" in {} batch(es)", batches.size()) : std::string(" one by one"),
               backend->description());

  MeshCache meshes;
  const std::string host = host_name();
  const auto t0 = std::chrono::steady_clock::now();
  double cost_done = 0, cost_todo = 0;
  for (int i : todo) cost_todo += s.cases[i].cost_units;
  int failed = failed_before, finished = 0;
  int solved = 0;  // cases whose solve is over (a batch's all at once): the rate and the ETA

  // Runs cases of one group into their partial directories; an automatic
  // backend whose CUDA device fails goes on with the CPU backend.
  auto solve = [&](const std::vector<int>& ids, const std::vector<fs::path>& partials) {
    std::vector<cases::Case> loaded;
    std::vector<std::vector<cases::ResolvedRegion>> bound;
    loaded.reserve(ids.size());  // MotorCase points into both
    bound.reserve(ids.size());
    for (int i : ids) loaded.push_back(cases::load_case_text(s.cases[i].case_toml, s.base_case_path, library));
    const mesh::Mesh& m = meshes.get(s.cases[ids.front()].group, loaded.front());
    std::vector<MotorCase> runs;
    for (size_t j = 0; j < ids.size(); ++j) {
      bound.push_back(cases::bind_regions(loaded[j], m));
      runs.push_back({&loaded[j], &bound[j], partials[j].string(), s.cases[ids[j]].id});
    }
    // The sweep prints its own line per case; a batch of several cases runs
    // for minutes on the CPU, so its solver progress (per set-up and rotor
    // position) shows too, unless the sweep is quiet.
    const MotorMessages messages{options.quiet || ids.size() == 1, false};
    try {
      run_motors(runs, library, m, *backend, messages);
    } catch (const kernels::BackendError& e) {
      if (choice != kernels::BackendChoice::automatic || backend->name() == "cpu") throw;
      fmt::print(stderr, "{}: the CUDA backend failed ({}); this worker continues on the CPU backend\n", tag,
                 e.what());
      backend = kernels::make_cpu_backend();
      run_motors(runs, library, m, *backend, messages);
    }
  };
  // Runs a batch or one case; a failure is printed (guarded) and empties the
  // partial directories, and the sweep goes on. Returns the error for
  // status.json ("" when it ran).
  auto guarded_solve = [&](const std::vector<int>& ids, const std::vector<fs::path>& partials) -> std::string {
    const int code = guarded([&] {
      solve(ids, partials);
      return 0;
    });
    if (code == 0) return "";
    // guarded() printed the reason; keep only the statuses and the cases.
    for (const fs::path& p : partials) clear_outputs(p);
    return fmt::format("failed with exit code {} (the message is in the sweep's log)", code);
  };
  // Counts cases as solved, for the rate and the time left.
  auto solved_now = [&](const std::vector<int>& ids) {
    solved += int(ids.size());
    for (int i : ids) cost_done += s.cases[i].cost_units;
  };
  // The case's status.json written, its directory renamed into place, its
  // progress line. `batch`: the ids solved with it (empty: alone).
  auto finish = [&](int i, const fs::path& partial, const std::string& error, double wall,
                    const std::vector<std::string>& batch) {
    const cases::SweepCase& k = s.cases[i];
    const fs::path final_dir = cases_dir / k.id;
    json status{{"id", k.id},           {"group", k.group}, {"candidate", k.candidate},
                {"temperature_C", k.temperature_C}, {"event", k.event}, {"host", host},
                {"worker", who.empty() ? "single" : who}};
    status["status"] = error.empty() ? "done" : "failed";
    status["wall_s"] = wall;
    if (!batch.empty()) status["batch"] = batch;
    status["backend"] = backend->name();
    if (!error.empty()) status["error"] = error;
    postproc::write_text_atomically((partial / "status.json").string(), status.dump(1) + "\n");
    if (fs::exists(final_dir)) fs::remove_all(final_dir);  // a failed case run again
    fs::rename(partial, final_dir);                          // the case appears whole
    const bool ok = error.empty();
    const std::string headline = ok ? headline_of(final_dir / "summary.json") : "";
    if (!ok) ++failed;
    ++finished;
    if (!options.quiet) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double eta = cost_done > 0 ? elapsed / cost_done * (cost_todo - cost_done) : 0;
      fmt::print(stderr, "{}: [{}/{}] {:5.1f} % | {} {} at {:g} C, {}: {} in {:.1f} s{}{} | {:.2f} cases/min, ETA {}\n",
                 tag, done_before + finished, mine.size(),
                 100.0 * double(done_before + finished) / double(std::max<size_t>(1, mine.size())), k.id, k.candidate,
                 k.temperature_C, k.event, ok ? "done" : "FAILED", wall,
                 batch.empty() ? "" : fmt::format(" (its share of a batch of {})", batch.size()),
                 headline.empty() ? "" : " (" + headline + ")", 60.0 * solved / std::max(elapsed, 1e-9),
                 duration_text(eta));
    }
  };

  for (const std::vector<int>& batch : batches) {
    std::vector<fs::path> partials;
    std::vector<std::string> ids;
    for (int i : batch) {
      partials.push_back(start_case(cases_dir, s.cases[i], host));
      ids.push_back(s.cases[i].id);
    }
    if (batch.size() > 1) {
      const cases::SweepCase& k = s.cases[batch.front()];
      if (!options.quiet)
        fmt::print(stderr, "{}: batch of {} cases solved together (group {}, event '{}'): {}\n", tag, batch.size(),
                   k.group, k.event, fmt::join(ids, ", "));
      const auto b0 = std::chrono::steady_clock::now();
      if (guarded_solve(batch, partials).empty()) {
        solved_now(batch);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
        for (size_t j = 0; j < batch.size(); ++j) finish(batch[j], partials[j], "", wall / batch.size(), ids);
        continue;
      }
      fmt::print(stderr, "{}: the batch {} failed (above); running its {} cases one at a time\n", tag,
                 fmt::join(ids, ", "), batch.size());
    }
    for (size_t j = 0; j < batch.size(); ++j) {
      const auto c0 = std::chrono::steady_clock::now();
      const std::string error = guarded_solve({batch[j]}, {partials[j]});
      solved_now({batch[j]});
      finish(batch[j], partials[j], error, std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count(),
             {});
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

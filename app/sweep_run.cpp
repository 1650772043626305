#include "app/sweep_run.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "app/backend_fallback.hpp"
#include "app/exit_codes.hpp"
#include "app/motor_run.hpp"
#include "app/sweep_directory.hpp"
#include "app/sweep_merge.hpp"
#include "app/sweep_plan.hpp"
#include "app/worker_session.hpp"
#include "postproc/atomic_file.hpp"

namespace rotormag::app {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

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
  BackendInUse backend(options.backend, tag, options.quiet);

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
               backend.get().description());

  MeshCache meshes;
  const std::string host = host_name();
  const auto t0 = std::chrono::steady_clock::now();
  double cost_done = 0, cost_todo = 0;
  for (int i : todo) cost_todo += s.cases[i].cost_units;
  int failed = failed_before, finished = 0;
  int solved = 0;  // cases whose solve is over (a batch's all at once): the rate and the ETA

  // Runs cases of one group into their partial directories; an automatic
  // backend whose CUDA device fails goes on with the CPU backend (BackendInUse).
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
    backend.run([&](kernels::Backend& b) { run_motors(runs, library, m, b, messages); });
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
    status["backend"] = backend.get().name();
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

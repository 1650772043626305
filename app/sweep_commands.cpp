// rotormag plan | sweep | merge | report (docs/sweeps.md).
#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>

#include "app/command.hpp"
#include "app/exit_codes.hpp"
#include "app/sweep_merge.hpp"
#include "app/sweep_plan.hpp"
#include "app/sweep_run.hpp"
#include "cases/sweep.hpp"

#ifndef ROTORMAG_SOURCE_POSTPROC
#define ROTORMAG_SOURCE_POSTPROC "postproc"
#endif

namespace rotormag::app {

namespace {

namespace fs = std::filesystem;

struct SweepArgs {
  std::string sweep_path, out_dir, backend = "auto", shard, report_out;
  bool quiet = false, retry_failed = false, no_merge = false, no_batch = false;
  int workers = 1;
};

// --shard I/N (1-based I as Slurm arrays count from 0 or 1: we take 0-based
// I like SLURM_ARRAY_TASK_ID with --array=0-(N-1)); defaults from Slurm.
void parse_shard(const SweepArgs& a, SweepRunOptions& o) {
  std::string text = a.shard;
  if (text.empty()) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    if (id && count) {
      const int first = min ? std::atoi(min) : 0;
      text = fmt::format("{}/{}", std::atoi(id) - first, count);
    }
  }
  if (text.empty()) return;
  static const std::regex form(R"(^\s*(\d+)\s*/\s*(\d+)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, form))
    throw std::runtime_error(fmt::format("--shard '{}': expected I/N with 0 <= I < N (e.g. 3/8)", text));
  o.shard = std::stoi(m[1]);
  o.shards = std::stoi(m[2]);
  if (o.shards < 1 || o.shard >= o.shards)
    throw std::runtime_error(fmt::format("--shard '{}': expected I/N with 0 <= I < N (e.g. 3/8)", text));
}

std::string report_script() {
  const fs::path here = fs::path(ROTORMAG_SOURCE_POSTPROC) / "sweep_report.py";
  return here.string();
}

}  // namespace

std::vector<Command> add_sweep_commands(CLI::App& app, const GlobalOptions& global) {
  auto a = std::make_shared<SweepArgs>();
  std::vector<Command> out;

  CLI::App* plan = app.add_subcommand("plan", "print a sweep's cases, its cost estimate and how cases share meshes");
  plan->add_option("SWEEP", a->sweep_path, "sweep file (TOML with [sweep])")->required();
  plan->add_option("--workers", a->workers, "show the split over this many workers (MPI ranks or shards)")
      ->check(CLI::Range(1, 100000));
  out.push_back({plan, [a, &global] {
                   cases::MaterialLibrary library = cases::MaterialLibrary::load(global.library_dir);
                   const cases::Sweep s = cases::load_sweep(a->sweep_path, library);
                   fmt::print("{}", describe_plan(s, library, a->workers));
                   return int(Exit::ok);
                 }});

  CLI::App* sweep = app.add_subcommand(
      "sweep", "run a sweep (resumable; under mpirun the ranks share it; --shard I/N for job arrays)");
  sweep->add_option("SWEEP", a->sweep_path, "sweep file (TOML with [sweep])")->required();
  sweep->add_option("-o,--output", a->out_dir, "output directory (one sweep per directory)")->required();
  sweep->add_option("--backend", a->backend, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  sweep->add_option("--shard", a->shard,
                    "run only shard I of N (0-based; default from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT)");
  sweep->add_flag("--retry-failed", a->retry_failed, "run cases again whose status is 'failed'");
  sweep->add_flag("--no-merge", a->no_merge, "do not merge at the end");
  sweep->add_flag("--no-batch", a->no_batch,
                  "solve every case alone (default: a group's cases of one load event together, up to 16 per batch)");
  sweep->add_flag("-q,--quiet", a->quiet, "no progress output");
  out.push_back({sweep, [a, &global] {
                   cases::MaterialLibrary library = cases::MaterialLibrary::load(global.library_dir);
                   const cases::Sweep s = cases::load_sweep(a->sweep_path, library);
                   SweepRunOptions o;
                   o.out_dir = a->out_dir;
                   o.backend = a->backend;
                   o.quiet = a->quiet;
                   o.retry_failed = a->retry_failed;
                   o.merge = !a->no_merge;
                   o.batch = !a->no_batch;
                   parse_shard(*a, o);
                   return run_sweep(s, library, o);
                 }});

  CLI::App* merge = app.add_subcommand("merge", "merge a sweep directory into DIR/NAME.hdf and DIR/NAME_table.csv");
  merge->add_option("DIR", a->out_dir, "sweep output directory")->required();
  out.push_back({merge, [a] {
                   const MergeReport r = merge_sweep(a->out_dir);
                   fmt::print("{}: {} cases ({} failed) merged into {} and {}\n", a->out_dir, r.cases, r.failed,
                              r.merged_file, r.table_file);
                   return int(Exit::ok);
                 }});

  CLI::App* report = app.add_subcommand(
      "report", "rank the candidates of a merged sweep: CSV, Markdown and HTML tables and PNG plots");
  report->add_option("DIR", a->out_dir, "sweep output directory (merged first if needed)")->required();
  report->add_option("-o,--output", a->report_out, "report directory (default DIR/report)");
  out.push_back({report, [a] {
                   const fs::path dir(a->out_dir);
                   const std::string out_dir = a->report_out.empty() ? (dir / "report").string() : a->report_out;
                   const MergeReport r = merge_sweep(a->out_dir);  // cheap next to the sweep; always current
                   const std::string script = report_script();
                   if (!fs::exists(script))
                     throw std::runtime_error(fmt::format("the report script {} is missing", script));
                   if (!fs::exists("/usr/bin/python3"))
                     throw std::runtime_error("the report needs /usr/bin/python3 with matplotlib and h5py "
                                              "(Debian: python3-matplotlib python3-h5py)");
                   const std::string cmd =
                       fmt::format("/usr/bin/python3 '{}' '{}' -o '{}'", script, r.merged_file, out_dir);
                   const int rc = std::system(cmd.c_str());
                   if (rc != 0) throw std::runtime_error(fmt::format("the report script failed ({})", cmd));
                   return int(Exit::ok);
                 }});
  return out;
}

}  // namespace rotormag::app

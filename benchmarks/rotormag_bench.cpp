// `rotormag bench`: the fixed end-to-end benchmark set (app/bench_run.hpp,
// docs/performance.md). Kernel benchmarks are benchmarks/bench_kernels.
#include <memory>

#include "app/bench_run.hpp"
#include "app/command.hpp"

namespace rotormag::app {

std::vector<Command> add_bench_commands(CLI::App& app, const GlobalOptions& global) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* bench = app.add_subcommand(
      "bench", "run the fixed benchmark set (demo DOF ladder, Prius-like motor, batches); writes DIR/bench.csv, bench.md");
  bench->add_flag("--quick", o->quick, "a short run: three ladder sizes up to 1e5 DOFs, one Prius size, batches 1,4,16");
  bench->add_option("--backend", o->backend, "auto (CUDA when a device works, else CPU), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  bench->add_option("-o,--output", o->out_dir, "output directory for bench.csv and bench.md")->capture_default_str();
  bench->add_option("--max-dofs", o->max_dofs, "largest demo ladder size (default 1e6 on CPU, 3e6 on GPU, 1e5 quick)")
      ->check(CLI::NonNegativeNumber);
  bench->add_option("--batches", o->batches, "batch sizes, comma separated (default 1,4,16,64,256)")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096));
  bench->add_option("--cases", o->cases_dir, "folder with examples/demo_ipm.toml and motors/prius_ipm_load.toml "
                                             "(default: the parent of the materials folder)");
  bench->add_option("--preconditioner", o->preconditioner,
                    "replaces the case files' [solver] preconditioner (docs/case-file.md), for an A/B run")
      ->check(CLI::IsMember({"multigrid", "multigrid-single", "jacobi"}));
  bench->add_flag("--no-ladder", o->skip_ladder, "skip the demo DOF ladder");
  bench->add_flag("--no-prius", o->skip_prius, "skip the Prius-like motor");
  bench->add_flag("--no-batches", o->skip_batches, "skip the batches");
  bench->add_flag("--no-getdp{false}", o->getdp, "skip the same-mesh timing against GetDP 3.2");
  return {{bench, [o, &global] {
             BenchOptions options = *o;
             options.library_dir = global.library_dir;
             return run_bench(options);
           }}};
}

}  // namespace rotormag::app

// rotormag-bench: the fixed end-to-end benchmark set (benchmarks/end_to_end.hpp,
// docs/performance.md) as its own program, so that the product binary carries
// no benchmark (and no dependency on the GetDP comparison it times against).
// Kernel benchmarks are benchmarks/bench_kernels.
#include <CLI/CLI.hpp>

#include "app/exit_codes.hpp"
#include "benchmarks/end_to_end.hpp"
#include "cases/materials.hpp"

namespace rm = rotormag;

int main(int argc, char** argv) {
  CLI::App app{"rotormag-bench: RotorMag's end-to-end benchmark set (demo DOF ladder, Prius-like motor, batches); "
               "writes DIR/bench.csv, bench.md"};
  rm::benchmarks::BenchOptions o;
  o.library_dir = rm::cases::default_library_directory();
  app.add_option("--materials", o.library_dir, "material library directory")->capture_default_str();
  app.add_flag("--quick", o.quick, "a short run: three ladder sizes up to 1e5 DOFs, one Prius size, batches 1,4,16");
  app.add_option("--backend", o.backend, "auto (CUDA when a device works, else CPU), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_option("-o,--output", o.out_dir, "output directory for bench.csv and bench.md")->capture_default_str();
  app.add_option("--max-dofs", o.max_dofs, "largest demo ladder size (default 1e6 on CPU, 3e6 on GPU, 1e5 quick)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--batches", o.batches, "batch sizes, comma separated (default 1,4,16,64,256)")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096));
  app.add_option("--cases", o.cases_dir, "folder with examples/demo_ipm.toml and motors/prius_ipm_load.toml "
                                         "(default: the parent of the materials folder)");
  app.add_option("--preconditioner", o.preconditioner,
                 "replaces the case files' [solver] preconditioner (docs/case-file.md), for an A/B run")
      ->check(CLI::IsMember({"multigrid", "multigrid-single", "jacobi"}));
  app.add_flag("--no-ladder", o.skip_ladder, "skip the demo DOF ladder");
  app.add_flag("--no-prius", o.skip_prius, "skip the Prius-like motor");
  app.add_flag("--no-batches", o.skip_batches, "skip the batches");
  app.add_flag("--no-getdp{false}", o.getdp, "skip the same-mesh timing against GetDP 3.2");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? rm::app::Exit::ok : rm::app::Exit::usage;
  }
  return rm::app::guarded([&] { return rm::benchmarks::run_bench(o); });
}

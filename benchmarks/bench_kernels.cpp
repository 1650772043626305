// Kernel benchmarks on the CPU backend (and CUDA when a device works):
// Newton assembly (element kernel + gathers) and one PCG solve (Jacobi or
// aggregation multigrid; the first solve also builds the hierarchy), on
// structured P1/P2 meshes of growing size. Speed lives here, never in tests.
//   build/benchmarks/bench_kernels --benchmark_filter=cpu
#include <benchmark/benchmark.h>

#include <memory>

#include "kernels/backend.hpp"
#include "solver/discretization.hpp"
#include "support/structured_mesh.hpp"

namespace rm = rotormag;

namespace {

struct Fixture {
  rm::mesh::Mesh mesh;
  rm::solver::Problem problem;
  std::unique_ptr<rm::kernels::Backend> backend;
  int dofs = 0;
};

std::unique_ptr<Fixture> set_up(int order, int cells, bool cuda,
                                rm::kernels::Preconditioner preconditioner = rm::kernels::Preconditioner::jacobi) {
  auto f = std::make_unique<Fixture>();
  f->mesh = rm::testing::structured_rectangle(order, cells, cells, 0, 0, 0.05, 0.05);
  f->problem.mesh = &f->mesh;
  f->problem.regions.resize(2);
  auto& iron = f->problem.regions[0].material;
  iron.kind = rm::solver::MaterialSpec::Kind::exponential_reluctivity;
  iron.nu_a = 100; iron.nu_b = 10; iron.nu_c = 1.8;
  f->problem.regions[1].current_density_A_per_m2 = 5e6;
  rm::solver::add_dirichlet(f->problem, *f->mesh.find_boundary("outer"), [](double, double) { return 0.0; });
  f->backend = cuda ? rm::kernels::make_cuda_backend() : rm::kernels::make_cpu_backend();
  const rm::kernels::AssemblyMesh assembly = rm::solver::discretize({f->problem});
  f->backend->load_mesh(assembly);
  f->backend->set_preconditioner(preconditioner);
  f->backend->load_batch(rm::solver::case_values({f->problem}, assembly));
  f->dofs = assembly.dof_count;
  return f;
}

void assembly(benchmark::State& state, bool cuda) {
  std::unique_ptr<Fixture> f;
  try {
    f = set_up(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), cuda);
  } catch (const rm::kernels::BackendError& e) {
    state.SkipWithError(e.what());
    for (auto _ : state) {}
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(f->backend->assemble({}, true));
  state.counters["dofs"] = f->dofs;
  state.counters["dofs_per_s"] = benchmark::Counter(f->dofs, benchmark::Counter::kIsIterationInvariantRate);
}

void pcg_solve(benchmark::State& state, bool cuda, rm::kernels::Preconditioner preconditioner) {
  std::unique_ptr<Fixture> f;
  try {
    f = set_up(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), cuda, preconditioner);
  } catch (const rm::kernels::BackendError& e) {
    state.SkipWithError(e.what());
    for (auto _ : state) {}
    return;
  }
  f->backend->assemble({}, true);
  int iterations = 0;
  for (auto _ : state) iterations = f->backend->solve_update({1}, {1e-10}, 100000).front().iterations;
  state.counters["dofs"] = f->dofs;
  state.counters["cg_iterations"] = iterations;
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int order : {1, 2})
    for (int cells : {64, 128, 256, 512}) b->Args({order, cells});
  b->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK_CAPTURE(assembly, cpu, false)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cpu_jacobi, false, rm::kernels::Preconditioner::jacobi)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cpu_multigrid, false, rm::kernels::Preconditioner::multigrid)->Apply(sizes);
BENCHMARK_CAPTURE(assembly, cuda, true)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cuda_jacobi, true, rm::kernels::Preconditioner::jacobi)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cuda_multigrid, true, rm::kernels::Preconditioner::multigrid)->Apply(sizes);
BENCHMARK_MAIN();

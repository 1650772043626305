// Kernel benchmarks on the CPU backend (and CUDA when a device works):
// Newton assembly (element kernel + gathers) and one PCG solve (Jacobi or
// aggregation multigrid; the first solve also builds the hierarchy), on
// structured P1/P2 meshes of growing size; the CSR SpMV of the solver
// (CsrMatVecKernel, the same functor) and a measured memory-copy bandwidth,
// so that the SpMV reports its achieved GB/s and the % of the copy bandwidth
// (counters `GB/s`, `pct_copy`; bytes = the minimum a CSR SpMV must move).
// Speed lives here, never in tests.
//   build/benchmarks/bench_kernels --benchmark_filter=cpu
#include <benchmark/benchmark.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "kernels/linear_algebra_kernels.hpp"
#if ROTORMAG_BENCH_CUDA
#include "bench_device.hpp"
#endif

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
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) iterations = f->backend->solve_update({1}, {1e-10}, 100000).front().iterations;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  state.counters["dofs"] = f->dofs;
  state.counters["cg_iterations"] = iterations;
  // Per CG iteration (the first run's multigrid set-up spread over all runs: small after warm-up).
  state.counters["us_per_it"] = wall / static_cast<double>(state.iterations()) / std::max(iterations, 1) * 1e6;
}

// ---- memory bandwidth --------------------------------------------------------
// STREAM-style copy b = a of 2 x 256 MiB (far beyond any cache), counted as
// 16 bytes per element (read + write; write-allocate traffic not counted,
// as STREAM does). OpenMP static schedule, first touch by the same threads.
constexpr size_t kCopyElements = size_t(32) << 20;

double copy_once(const std::vector<double>& a, std::vector<double>& b) {
  const long n = static_cast<long>(a.size());
  const auto t0 = std::chrono::steady_clock::now();
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; ++i) b[i] = a[i];
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void first_touch(std::vector<double>& v, double value) {
  const long n = static_cast<long>(v.size());
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; ++i) v[i] = value + 1e-9 * static_cast<double>(i % 1000);
}

// Best of 10 copies, measured once per process: the reference for pct_copy.
double host_copy_bandwidth() {
  static const double gbps = [] {
    std::vector<double> a(kCopyElements), b(kCopyElements);
    first_touch(a, 1.0);
    first_touch(b, 0.0);
    double best = 1e300;
    for (int k = 0; k < 10; ++k) best = std::min(best, copy_once(a, b));
    return 16.0 * kCopyElements / best / 1e9;
  }();
  return gbps;
}

void copy_bandwidth(benchmark::State& state) {
  std::vector<double> a(kCopyElements), b(kCopyElements);
  first_touch(a, 1.0);
  first_touch(b, 0.0);
  double total = 0;
  for (auto _ : state) {
    total += copy_once(a, b);
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  const double bytes = 16.0 * kCopyElements;
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.counters["GB/s"] = bytes * state.iterations() / total / 1e9;
  state.counters["threads"] = omp_get_max_threads();
}

// ---- SpMV ----------------------------------------------------------------------
// y = K x on the CSR pattern of the structured P1/P2 mesh (the solver's pattern,
// from discretize), through the solver's own functor. Minimum traffic: values
// (8 B) and column indices (4 B) per non-zero, row pointers (4 B), x read once
// and y written once (8 + 8 B) per row.
double spmv_bytes(long rows, long nonzeros) { return 12.0 * nonzeros + 4.0 * (rows + 1) + 16.0 * rows; }

// The CSR pattern of a structured square (cells x cells, P1 or P2), A = 0
// on its outline: what the SpMV benchmarks multiply.
rm::kernels::AssemblyMesh square_pattern(int order, int cells) {
  rm::mesh::Mesh mesh = rm::testing::structured_rectangle(order, cells, cells, 0, 0, 0.05, 0.05);
  rm::solver::Problem problem;
  problem.mesh = &mesh;
  problem.regions.resize(2);
  rm::solver::add_dirichlet(problem, *mesh.find_boundary("outer"), [](double, double) { return 0.0; });
  return rm::solver::discretize({problem});
}

void spmv(benchmark::State& state) {
  const int order = static_cast<int>(state.range(0)), cells = static_cast<int>(state.range(1));
  const rm::kernels::AssemblyMesh a = square_pattern(order, cells);
  const int n = a.dof_count;
  const long nnz = static_cast<long>(a.col.size());
  std::vector<double> values(nnz), x(n), y(n);
  // A diagonally dominant stand-in for the tangent: the bandwidth does not
  // depend on the values. Parallel first touch, as the backend's vectors.
#pragma omp parallel for schedule(static)
  for (int i = 0; i < n; ++i) {
    x[i] = 1.0 + 1e-3 * (i % 7);
    y[i] = 0;
    for (int k = a.row_ptr[i]; k < a.row_ptr[i + 1]; ++k) values[k] = a.col[k] == i ? 8.0 : -1.0;
  }
  // One case: CaseRows without a case list, no per-case value stride.
  const rm::kernels::CsrMatVecKernel<double> kernel{rm::kernels::CaseRows{n, nullptr}, 0, a.row_ptr.data(), a.col.data(),
                                            values.data(), x.data(), y.data()};
  double total = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
#pragma omp parallel for schedule(static)
    for (int i = 0; i < n; ++i) kernel.at(0, i);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double bytes = spmv_bytes(n, nnz);
  const double gbps = bytes * state.iterations() / total / 1e9;
  state.counters["dofs"] = n;
  state.counters["nnz_per_row"] = static_cast<double>(nnz) / n;
  state.counters["bytes"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate,
                                               benchmark::Counter::kIs1024);
  state.counters["GB/s"] = gbps;
  state.counters["pct_copy"] = 100.0 * gbps / host_copy_bandwidth();
}

#if ROTORMAG_BENCH_CUDA
// The same on the device: copy bandwidth (cudaMemcpy device to device) and the
// SpMV functor through Thrust's CUDA system, timed with CUDA events
// (benchmarks/bench_device.cu). Skipped with the reason when no device works.
void device_copy_bandwidth(benchmark::State& state) {
  std::string why;
  if (!rm::bench::device_available(&why)) {
    state.SkipWithError(why.c_str());
    for (auto _ : state) {}
    return;
  }
  const size_t bytes = size_t(1) << 30;  // 1 GiB each way: far beyond L2
  double total = 0;
  for (auto _ : state) {
    const double t = rm::bench::device_copy_seconds(bytes);
    state.SetIterationTime(t);
    total += t;
  }
  state.counters["GB/s"] = 2.0 * bytes * state.iterations() / total / 1e9;  // read + write
}

void device_spmv(benchmark::State& state, rm::bench::SpmvMethod method) {
  std::string why;
  if (!rm::bench::device_available(&why)) {
    state.SkipWithError(why.c_str());
    for (auto _ : state) {}
    return;
  }
  const int order = static_cast<int>(state.range(0)), cells = static_cast<int>(state.range(1));
  const rm::kernels::AssemblyMesh a = square_pattern(order, cells);
  rm::bench::DeviceSpmv d(a.row_ptr, a.col, method);
  double total = 0;
  for (auto _ : state) {
    const double t = d.run(10) / 10;  // 10 launches between two events, per launch
    state.SetIterationTime(t);
    total += t;
  }
  const double bytes = spmv_bytes(a.dof_count, static_cast<long>(a.col.size()));
  const double gbps = bytes * state.iterations() / total / 1e9;
  state.counters["dofs"] = a.dof_count;
  state.counters["GB/s"] = gbps;
  state.counters["pct_copy"] = 100.0 * gbps / rm::bench::device_copy_bandwidth_gbps();
}
#endif

void sizes(benchmark::internal::Benchmark* b) {
  for (int order : {1, 2})
    for (int cells : {64, 128, 256, 512}) b->Args({order, cells});
  b->Unit(benchmark::kMillisecond);
}

}  // namespace

void spmv_sizes(benchmark::internal::Benchmark* b) {
  for (int order : {1, 2})
    for (int cells : {128, 256, 512, 1024}) b->Args({order, cells});
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(copy_bandwidth)->Name("cpu_copy_bandwidth")->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(spmv)->Name("cpu_spmv")->Apply(spmv_sizes);
BENCHMARK_CAPTURE(assembly, cpu, false)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cpu_jacobi, false, rm::kernels::Preconditioner::jacobi)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cpu_multigrid, false, rm::kernels::Preconditioner::multigrid)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cpu_multigrid_single, false, rm::kernels::Preconditioner::multigrid_single)->Apply(sizes);
BENCHMARK_CAPTURE(assembly, cuda, true)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cuda_jacobi, true, rm::kernels::Preconditioner::jacobi)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cuda_multigrid, true, rm::kernels::Preconditioner::multigrid)->Apply(sizes);
BENCHMARK_CAPTURE(pcg_solve, cuda_multigrid_single, true, rm::kernels::Preconditioner::multigrid_single)->Apply(sizes);
#if ROTORMAG_BENCH_CUDA
BENCHMARK(device_copy_bandwidth)->Name("cuda_copy_bandwidth")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(device_spmv, functor, rm::bench::SpmvMethod::functor)->Name("cuda_spmv")->UseManualTime()->Apply(spmv_sizes);
BENCHMARK_CAPTURE(device_spmv, cusparse_alg1, rm::bench::SpmvMethod::cusparse_csr_alg1)
    ->Name("cuda_spmv_cusparse_alg1")->UseManualTime()->Apply(spmv_sizes);
BENCHMARK_CAPTURE(device_spmv, cusparse_alg2, rm::bench::SpmvMethod::cusparse_csr_alg2)
    ->Name("cuda_spmv_cusparse_alg2")->UseManualTime()->Apply(spmv_sizes);
#endif
BENCHMARK_MAIN();

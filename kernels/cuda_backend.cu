// The CUDA backend: the shared kernel source compiled by nvcc. Every CUDA
// failure (no driver, no device, a failed launch) becomes a BackendError
// with the reason; nothing here aborts the process.
#include <cuda_runtime.h>
#include <cub/device/device_reduce.cuh>
#include <cub/device/device_segmented_reduce.cuh>
#include <thrust/device_vector.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/permutation_iterator.h>
#include <thrust/iterator/transform_iterator.h>
#include <thrust/system/cuda/execution_policy.h>
#include <thrust/system_error.h>
#include <thrust/transform_reduce.h>

#include "kernels/backend_impl.hpp"

namespace rotormag::kernels {
namespace {

struct CudaExecution {
  template <class T>
  using vector = thrust::device_vector<T>;
  template <class F>
  static void for_each(int n, F f) {
    thrust::for_each(thrust::cuda::par, thrust::counting_iterator<int>(0), thrust::counting_iterator<int>(n), f);
  }
  template <class F, class Op>
  static double reduce(int n, F f, double init, Op op) {
    return thrust::transform_reduce(thrust::cuda::par, thrust::counting_iterator<int>(0),
                                    thrust::counting_iterator<int>(n), f, init, op);
  }
  template <class F>
  static void for_each_row(int cases, F f) {
    for_each(cases * f.s.rows, RowThreads<F>{f});
  }
  // Device reductions with CUB, written to device memory: no synchronisation
  // with the host (the CG loop's only one is its convergence test).
  // out[0] = the sum of f over one listed case of `length` rows.
  template <class F>
  static void sum_into(int length, F f, double* out, thrust::device_vector<char>& work) {
    const auto in = thrust::make_transform_iterator(thrust::counting_iterator<int>(0), RowThreads<F>{f});
    size_t bytes = 0;
    cuda_check(cub::DeviceReduce::Sum(nullptr, bytes, in, out, length), "cub::DeviceReduce::Sum");
    if (work.size() < bytes) work.resize(bytes);
    cuda_check(cub::DeviceReduce::Sum(thrust::raw_pointer_cast(work.data()), bytes, in, out, length),
               "cub::DeviceReduce::Sum");
  }
  // out[index[k]] = the sum of f over the k-th listed case. CUB's segmented
  // reduction gives each segment one thread block: right for many short
  // cases, but a few long ones would leave the device nearly idle (16
  // demagnetization set-ups of a 1.5e5-unknown motor: 16 blocks). Cases
  // longer than two chunks are therefore summed in two passes: chunks of
  // kChunkRows rows (a block each), then each case's chunk sums. Both
  // orders are fixed, so the result is deterministic.
  static constexpr int kChunkRows = 4096;
  template <class F>
  static void segmented_sum(int segments, int length, F f, const int* index, double* out,
                            thrust::device_vector<char>& work) {
    const auto in = thrust::make_transform_iterator(thrust::counting_iterator<int>(0), RowThreads<F>{f});
    const auto to = thrust::make_permutation_iterator(thrust::device_pointer_cast(out), thrust::device_pointer_cast(index));
    const auto begin = thrust::make_transform_iterator(thrust::counting_iterator<int>(0), SegmentStart{length});
    size_t bytes = 0;
    if (length <= 2 * kChunkRows) {
      cuda_check(cub::DeviceSegmentedReduce::Sum(nullptr, bytes, in, to, segments, begin, begin + 1),
                 "cub::DeviceSegmentedReduce::Sum");
      if (work.size() < bytes) work.resize(bytes);
      cuda_check(cub::DeviceSegmentedReduce::Sum(thrust::raw_pointer_cast(work.data()), bytes, in, to, segments,
                                                 begin, begin + 1),
                 "cub::DeviceSegmentedReduce::Sum");
      return;
    }
    const int chunks = (length + kChunkRows - 1) / kChunkRows, parts = segments * chunks;
    const auto part_begin = thrust::make_transform_iterator(thrust::counting_iterator<int>(0),
                                                            ChunkBound{length, chunks, 0});
    const auto part_end = thrust::make_transform_iterator(thrust::counting_iterator<int>(0),
                                                          ChunkBound{length, chunks, 1});
    const auto case_begin = thrust::make_transform_iterator(thrust::counting_iterator<int>(0), SegmentStart{chunks});
    // work = [the chunk sums, 256-byte aligned | CUB's temporary storage]
    double* partial = nullptr;
    size_t first = 0, second = 0;
    cuda_check(cub::DeviceSegmentedReduce::Sum(nullptr, first, in, partial, parts, part_begin, part_end),
               "cub::DeviceSegmentedReduce::Sum (chunks)");
    cuda_check(cub::DeviceSegmentedReduce::Sum(nullptr, second, partial, to, segments, case_begin, case_begin + 1),
               "cub::DeviceSegmentedReduce::Sum (cases)");
    const size_t head = (sizeof(double) * parts + 255) / 256 * 256;
    bytes = std::max(first, second);
    if (work.size() < head + bytes) work.resize(head + bytes);
    char* base = thrust::raw_pointer_cast(work.data());
    partial = reinterpret_cast<double*>(base);
    cuda_check(cub::DeviceSegmentedReduce::Sum(base + head, first, in, partial, parts, part_begin, part_end),
               "cub::DeviceSegmentedReduce::Sum (chunks)");
    cuda_check(cub::DeviceSegmentedReduce::Sum(base + head, second, partial, to, segments, case_begin, case_begin + 1),
               "cub::DeviceSegmentedReduce::Sum (cases)");
  }
  struct SegmentStart {
    int length;
    __host__ __device__ int operator()(int k) const { return k * length; }
  };
  // Start (end = 0) or end (end = 1) of chunk s: case s / chunks, chunk s % chunks.
  struct ChunkBound {
    int length, chunks, end;
    __host__ __device__ int operator()(int s) const {
      const int k = s / chunks, row = (s % chunks + end) * kChunkRows;
      return k * length + (row < length ? row : length);
    }
  };
  static void cuda_check(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw BackendError(std::string(what) + " failed: " + cudaGetErrorString(e));
  }
  static std::vector<double> to_host(const double* p, int n) {
    std::vector<double> h(n);
    if (n <= 0) return h;  // an empty batch: nothing to copy (p may be null)
    const cudaError_t e = cudaMemcpy(h.data(), p, sizeof(double) * n, cudaMemcpyDeviceToHost);
    if (e != cudaSuccess) throw BackendError(std::string("CUDA copy to the host failed: ") + cudaGetErrorString(e));
    return h;
  }
  static std::string name() { return "cuda"; }
  static void check(const char* what) {
    const cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess) throw BackendError(std::string("CUDA error in kernel ") + what + ": " + cudaGetErrorString(e));
  }
};

// Turns Thrust's CUDA exceptions into BackendError naming the operation.
class CudaBackend : public BackendImpl<CudaExecution> {
 public:
  using BackendImpl<CudaExecution>::BackendImpl;
  void load_mesh(const AssemblyMesh& m) override { guard("load_mesh", [&] { BackendImpl::load_mesh(m); }); }
  void load_batch(const CaseBatch& b) override { guard("load_batch", [&] { BackendImpl::load_batch(b); }); }
  std::vector<double> assemble(const std::vector<double>& step, bool with_matrix, bool initial) override {
    std::vector<double> r;
    guard("assemble", [&] { r = BackendImpl::assemble(step, with_matrix, initial); });
    return r;
  }
  std::vector<LinearSolveStats> solve_update(const std::vector<char>& active, const std::vector<double>& rtol,
                                             int maxit) override {
    std::vector<LinearSolveStats> r;
    guard("solve_update", [&] { r = BackendImpl::solve_update(active, rtol, maxit); });
    return r;
  }
  void apply_update(const std::vector<double>& step, std::vector<double>& u, std::vector<double>& a) override {
    guard("apply_update", [&] { BackendImpl::apply_update(step, u, a); });
  }
  std::vector<double> potential() const override {
    std::vector<double> r;
    guard("potential", [&] { r = BackendImpl::potential(); });
    return r;
  }
  std::vector<double> residual() const override {
    std::vector<double> r;
    guard("residual", [&] { r = BackendImpl::residual(); });
    return r;
  }
  ElementFields element_fields() const override {
    ElementFields r;
    guard("element_fields", [&] { r = BackendImpl::element_fields(); });
    return r;
  }

 private:
  template <class F>
  static void guard(const char* what, F&& f) {
    try {
      f();
    } catch (const thrust::system_error& e) {
      throw BackendError(std::string("CUDA backend failed in ") + what + ": " + e.what());
    } catch (const std::bad_alloc&) {
      throw BackendError(std::string("CUDA backend out of memory in ") + what);
    }
  }
};

}  // namespace

bool cuda_backend_compiled() { return true; }

std::unique_ptr<Backend> make_cuda_backend() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error state
    throw BackendError(std::string("no usable CUDA device: ") + cudaGetErrorString(e));
  }
  if (count == 0) throw BackendError("no usable CUDA device: none found");
  const int device = selected_cuda_device() % count;
  if (cudaSetDevice(device) != cudaSuccess) {
    cudaGetLastError();
    throw BackendError("CUDA device " + std::to_string(device) + " cannot be selected");
  }
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, device) != cudaSuccess)
    throw BackendError("CUDA device " + std::to_string(device) + " cannot be queried");
  return std::make_unique<CudaBackend>(std::string("CUDA device ") + std::to_string(device) + ", " + prop.name +
                                       ", sm_" + std::to_string(prop.major) + std::to_string(prop.minor));
}

}  // namespace rotormag::kernels

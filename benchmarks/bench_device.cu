// Device-side kernel benchmarks (benchmarks/bench_device.hpp): compiled by
// nvcc with Thrust's CUDA system, running the same CsrMatVecKernel functor
// as the CUDA backend, and cuSPARSE's SpMV on the same matrix beside it.
#include <cuda_runtime.h>
#include <cusparse.h>
#include <thrust/device_vector.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/cuda/execution_policy.h>

#include <algorithm>
#include <stdexcept>

#include "bench_device.hpp"
#include "kernels/linear_algebra_kernels.hpp"

namespace rotormag::bench {
namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

// Events around a piece of device work; seconds.
template <class F>
double timed(F&& f) {
  cudaEvent_t start, stop;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  check(cudaEventRecord(start), "cudaEventRecord");
  f();
  check(cudaEventRecord(stop), "cudaEventRecord");
  check(cudaEventSynchronize(stop), "cudaEventSynchronize");
  float ms = 0;
  check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms * 1e-3;
}

struct CopyBuffers {
  void* a = nullptr;
  void* b = nullptr;
  size_t bytes = 0;
  void ensure(size_t n) {
    if (n <= bytes) return;
    cudaFree(a);
    cudaFree(b);
    check(cudaMalloc(&a, n), "cudaMalloc");
    check(cudaMalloc(&b, n), "cudaMalloc");
    check(cudaMemset(a, 1, n), "cudaMemset");
    check(cudaMemset(b, 0, n), "cudaMemset");
    bytes = n;
  }
};

CopyBuffers& buffers() {
  static CopyBuffers b;
  return b;
}

}  // namespace

bool device_available(std::string* why) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    if (why) *why = e != cudaSuccess ? std::string("no CUDA device: ") + cudaGetErrorString(e) : "no CUDA device";
    return false;
  }
  return true;
}

double device_copy_seconds(size_t bytes) {
  CopyBuffers& b = buffers();
  b.ensure(bytes);
  return timed([&] { check(cudaMemcpy(b.b, b.a, bytes, cudaMemcpyDeviceToDevice), "cudaMemcpy"); });
}

double device_copy_bandwidth_gbps() {
  static const double gbps = [] {
    const size_t bytes = size_t(1) << 30;
    device_copy_seconds(bytes);  // warm-up
    double best = 1e300;
    for (int k = 0; k < 10; ++k) best = std::min(best, device_copy_seconds(bytes));
    return 2.0 * bytes / best / 1e9;
  }();
  return gbps;
}

void check_sparse(cusparseStatus_t s, const char* what) {
  if (s != CUSPARSE_STATUS_SUCCESS) throw std::runtime_error(std::string(what) + ": " + cusparseGetErrorString(s));
}

struct DeviceSpmv::Impl {
  thrust::device_vector<int> row_ptr, col;
  thrust::device_vector<double> values, x, y;
  int rows = 0;
  SpmvMethod method = SpmvMethod::functor;
  // cuSPARSE state (methods other than functor)
  cusparseHandle_t handle = nullptr;
  cusparseSpMatDescr_t matrix = nullptr;
  cusparseDnVecDescr_t vx = nullptr, vy = nullptr;
  thrust::device_vector<char> workspace;
  ~Impl() {
    if (vx) cusparseDestroyDnVec(vx);
    if (vy) cusparseDestroyDnVec(vy);
    if (matrix) cusparseDestroySpMat(matrix);
    if (handle) cusparseDestroy(handle);
  }
  cusparseSpMVAlg_t algorithm() const {
    return method == SpmvMethod::cusparse_csr_alg2 ? CUSPARSE_SPMV_CSR_ALG2 : CUSPARSE_SPMV_CSR_ALG1;
  }
  void set_up_cusparse() {
    const long nnz = static_cast<long>(col.size());
    check_sparse(cusparseCreate(&handle), "cusparseCreate");
    check_sparse(cusparseCreateCsr(&matrix, rows, rows, nnz, thrust::raw_pointer_cast(row_ptr.data()),
                                   thrust::raw_pointer_cast(col.data()), thrust::raw_pointer_cast(values.data()),
                                   CUSPARSE_INDEX_32I, CUSPARSE_INDEX_32I, CUSPARSE_INDEX_BASE_ZERO, CUDA_R_64F),
                 "cusparseCreateCsr");
    check_sparse(cusparseCreateDnVec(&vx, rows, thrust::raw_pointer_cast(x.data()), CUDA_R_64F), "cusparseCreateDnVec");
    check_sparse(cusparseCreateDnVec(&vy, rows, thrust::raw_pointer_cast(y.data()), CUDA_R_64F), "cusparseCreateDnVec");
    const double one = 1.0, zero = 0.0;
    size_t bytes = 0;
    check_sparse(cusparseSpMV_bufferSize(handle, CUSPARSE_OPERATION_NON_TRANSPOSE, &one, matrix, vx, &zero, vy,
                                         CUDA_R_64F, algorithm(), &bytes),
                 "cusparseSpMV_bufferSize");
    workspace.resize(std::max<size_t>(bytes, 1));
  }
  void launch_cusparse() {
    const double one = 1.0, zero = 0.0;
    check_sparse(cusparseSpMV(handle, CUSPARSE_OPERATION_NON_TRANSPOSE, &one, matrix, vx, &zero, vy, CUDA_R_64F,
                              algorithm(), thrust::raw_pointer_cast(workspace.data())),
                 "cusparseSpMV");
  }
};

DeviceSpmv::DeviceSpmv(const std::vector<int>& row_ptr, const std::vector<int>& col, SpmvMethod method)
    : impl_(new Impl) {
  impl_->method = method;
  const int n = static_cast<int>(row_ptr.size()) - 1;
  std::vector<double> v(col.size());
  for (int i = 0; i < n; ++i)
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) v[k] = col[k] == i ? 8.0 : -1.0;
  impl_->rows = n;
  impl_->row_ptr.assign(row_ptr.begin(), row_ptr.end());
  impl_->col.assign(col.begin(), col.end());
  impl_->values.assign(v.begin(), v.end());
  impl_->x.assign(n, 1.0);
  impl_->y.assign(n, 0.0);
  if (method != SpmvMethod::functor) impl_->set_up_cusparse();
}

DeviceSpmv::~DeviceSpmv() = default;

double DeviceSpmv::run(int launches) {
  Impl& d = *impl_;
  // One case, one thread per row: the backend's functor as its CUDA build launches it.
  const kernels::RowThreads<kernels::CsrMatVecKernel<double>> k{kernels::CsrMatVecKernel<double>{
      kernels::CaseRows{d.rows, nullptr}, 0, thrust::raw_pointer_cast(d.row_ptr.data()),
      thrust::raw_pointer_cast(d.col.data()), thrust::raw_pointer_cast(d.values.data()),
      thrust::raw_pointer_cast(d.x.data()), thrust::raw_pointer_cast(d.y.data())}};
  auto launch = [&] {
    if (d.method == SpmvMethod::functor)
      thrust::for_each(thrust::cuda::par, thrust::counting_iterator<int>(0), thrust::counting_iterator<int>(d.rows), k);
    else
      d.launch_cusparse();
  };
  launch();  // warm-up
  check(cudaDeviceSynchronize(), "SpMV warm-up");
  const double t = timed([&] {
    for (int i = 0; i < launches; ++i) launch();
  });
  check(cudaGetLastError(), "SpMV");
  return t;
}

}  // namespace rotormag::bench

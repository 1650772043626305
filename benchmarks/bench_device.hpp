#pragma once
// Device-side kernel benchmarks for bench_kernels (CUDA builds only):
// the copy bandwidth of the device and the solver's CSR SpMV functor,
// timed with CUDA events. Compiled by nvcc (bench_device.cu); this header
// is plain C++.
#include <memory>
#include <string>
#include <vector>

namespace rotormag::bench {

// True when a CUDA device can be used; otherwise `why` says why.
bool device_available(std::string* why);

// One device-to-device cudaMemcpy of `bytes` (buffers kept between calls), seconds.
double device_copy_seconds(size_t bytes);

// Best of 10 copies of 1 GiB, measured once per process: 2 x bytes / time [GB/s].
double device_copy_bandwidth_gbps();

// How the SpMV is done: the backend's own functor (one thread per row), or
// cuSPARSE's generic SpMV with one of its CSR algorithms (ALG1: the default,
// ALG2: load-balanced by non-zeros, deterministic), to choose the faster.
enum class SpmvMethod { functor, cusparse_csr_alg1, cusparse_csr_alg2 };

// y = K x on the device for a CSR pattern (values: a diagonally dominant
// stand-in; the bandwidth does not depend on them).
class DeviceSpmv {
 public:
  DeviceSpmv(const std::vector<int>& row_ptr, const std::vector<int>& col, SpmvMethod method = SpmvMethod::functor);
  ~DeviceSpmv();
  DeviceSpmv(const DeviceSpmv&) = delete;
  DeviceSpmv& operator=(const DeviceSpmv&) = delete;
  // `launches` SpMVs between two events (after one warm-up launch); seconds in total.
  double run(int launches);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rotormag::bench

#pragma once
// The execution model a backend is written over, and the helpers every part
// of the backend template uses to hold data on the device and launch
// kernels through it. Separate from the numerics (case_list.hpp,
// batched_pcg.hpp, multigrid_cycle.hpp, backend_impl.hpp) so that those read
// as algorithms and the model's contract is written down once: a backend
// (after Ginkgo's executors) is the one template instantiated with two
// models, OpenMpExecution (cpu_backend.cpp, host compiler) and CudaExecution
// (cuda_backend.cu, nvcc).
//
// An execution model E provides:
//   E::vector<T>                       storage on its device (std::vector on the CPU)
//   E::for_each(n, f)                  f(i) for i in [0, n)
//   E::reduce(n, f, init, op)          the reduction of f(i) over [0, n)
//   E::for_each_row(cases, f)          f.at(k, i) for the first `cases` listed cases k, rows i < f.s.rows
//   E::sum_into(rows, f, out, work)    *out = sum of f.at(0, i): one listed case
//   E::segmented_sum(k, rows, f, index, out, work)
//                                      out[index[j]] = sum of f.at(j, i) for each listed case j < k
//   E::to_host(p, n)                   n doubles from device memory
//   E::name(), E::check(kernel_name)   "cpu"/"cuda"; throws BackendError after a failed launch
#include <thrust/copy.h>
#include <thrust/functional.h>

#include <vector>

namespace rotormag::kernels {

template <class E, class T>
using DeviceVector = typename E::template vector<T>;

// f(i) for i in [0, n); a failed launch is reported with the kernel's name.
template <class E, class F>
void launch(int n, F f) {
  if (n <= 0) return;
  E::for_each(n, f);
  E::check(F::kernel_name);
}

// max of f(i) over [0, n) (0 when empty: f gives absolute values).
template <class E, class F>
double reduce_max(int n, F f) {
  const double m = E::reduce(n, f, 0.0, thrust::maximum<double>());
  E::check(F::kernel_name);
  return m;
}

template <class E, class T>
DeviceVector<E, T> upload(const std::vector<T>& h) {
  return DeviceVector<E, T>(h.begin(), h.end());
}

template <class V>
std::vector<typename V::value_type> download(const V& d) {
  std::vector<typename V::value_type> h(d.size());
  if (h.empty()) return h;  // (Thrust's host copy would bind a reference to the empty vectors' null data)
  thrust::copy(d.begin(), d.end(), h.begin());
  return h;
}

// The raw pointer of a device vector, for the kernels' plain structs.
template <class V>
typename V::value_type* ptr(V& v) {
  return thrust::raw_pointer_cast(v.data());
}
template <class V>
const typename V::value_type* ptr(const V& v) {
  return thrust::raw_pointer_cast(v.data());
}

// An empty array as one zero: a device array that kernels may point into
// even when nothing uses it (a batch without B-H tables).
inline std::vector<double> nonempty(const std::vector<double>& v) { return v.empty() ? std::vector<double>{0.0} : v; }

}  // namespace rotormag::kernels

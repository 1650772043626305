// The CPU backend: the shared kernel source compiled by the host compiler
// and run through Thrust's OpenMP system (the execution model of
// execution_model.hpp).
#include <omp.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/system/cpp/execution_policy.h>
#include <thrust/system/omp/execution_policy.h>
#include <thrust/transform_reduce.h>

#include "kernels/backend_impl.hpp"

namespace rotormag::kernels {
namespace {

struct OpenMpExecution {
  template <class T>
  using vector = std::vector<T>;
  // Below this many items a parallel region costs more than it saves (and
  // thrashes when other processes hold the cores): the same functor runs
  // through Thrust's sequential CPP system instead.
  static constexpr int parallel_threshold = 32768;

  template <class F>
  static void for_each(int n, F f) {
    thrust::counting_iterator<int> first(0), last(n);
    if (n < parallel_threshold) thrust::for_each(thrust::cpp::par, first, last, f);
    else thrust::for_each(thrust::omp::par, first, last, f);
  }
  // Large reductions: a fixed number of chunks folded in parallel, then the
  // partial results in order. The result does not depend on the thread
  // count (Thrust's OMP reduce splits by threads), and it avoids Thrust's
  // OMP reduce, whose internals bind a reference to a null policy pointer
  // (UBSan: "reference binding to null pointer", thrust/detail/reference.h).
  static constexpr int reduce_chunks = 64;
  template <class F, class Op>
  static double reduce(int n, F f, double init, Op op) {
    if (n < parallel_threshold) {
      thrust::counting_iterator<int> first(0), last(n);
      return thrust::transform_reduce(thrust::cpp::par, first, last, f, init, op);
    }
    double partial[reduce_chunks];
#pragma omp parallel for schedule(static)
    for (int c = 0; c < reduce_chunks; ++c) {
      const int begin = static_cast<int>(static_cast<long long>(n) * c / reduce_chunks);
      const int end = static_cast<int>(static_cast<long long>(n) * (c + 1) / reduce_chunks);
      double acc = f(begin);
      for (int i = begin + 1; i < end; ++i) acc = op(acc, f(i));
      partial[c] = acc;
    }
    double result = init;
    for (double p : partial) result = op(result, p);
    return result;
  }
  // A batched kernel over (listed case k, row i), without the division a
  // flat thread index would need per row: the threads split the rows of a
  // large case, or the cases of a batch of small ones.
  template <class F>
  static void for_each_row(int cases, F f) {
    const int rows = f.s.rows;
    const int threshold = parallel_threshold / RowWeight<F>::value;
    if (static_cast<long long>(cases) * rows < threshold) {
      for (int k = 0; k < cases; ++k)
        for (int i = 0; i < rows; ++i) f.at(k, i);
    } else if (rows >= threshold || cases == 1) {
      for (int k = 0; k < cases; ++k) {
#pragma omp parallel for schedule(static)
        for (int i = 0; i < rows; ++i) f.at(k, i);
      }
    } else {
#pragma omp parallel for schedule(static)
      for (int k = 0; k < cases; ++k)
        for (int i = 0; i < rows; ++i) f.at(k, i);
    }
  }
  // out[0] = the sum of f over one listed case (k = 0) of `length` rows.
  template <class F>
  static void sum_into(int length, F f, double* out, std::vector<char>& /*work space*/) {
    *out = reduce(length, Segment<F>{f, 0}, 0.0, thrust::plus<double>());
  }
  // out[index[k]] = the sum of f over the k-th listed case: each exactly the
  // reduction of that segment alone, so a case's arithmetic does not depend
  // on its batch. Many small segments: in parallel over the segments.
  template <class F>
  static void segmented_sum(int segments, int length, F f, const int* index, double* out,
                            std::vector<char>& /*work space*/) {
    const auto segment = [&](int k) { out[index[k]] = reduce(length, Segment<F>{f, k}, 0.0, thrust::plus<double>()); };
    if (segments > 1 && length < parallel_threshold && static_cast<long long>(segments) * length >= parallel_threshold) {
#pragma omp parallel for schedule(static)
      for (int k = 0; k < segments; ++k) segment(k);
    } else {
      for (int k = 0; k < segments; ++k) segment(k);
    }
  }
  template <class F>
  struct Segment {  // row i of the k-th listed case
    F f;
    int k;
    double operator()(int i) const { return f.at(k, i); }
  };
  static std::vector<double> to_host(const double* p, int n) { return std::vector<double>(p, p + n); }
  static std::string name() { return "cpu"; }
  static void check(const char*) {}  // host code reports errors by exception already
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() {
  return std::make_unique<BackendImpl<OpenMpExecution>>("CPU, OpenMP, " + std::to_string(omp_get_max_threads()) +
                                                        " threads");
}

}  // namespace rotormag::kernels

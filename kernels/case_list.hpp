#pragma once
// The list of cases a batched kernel runs over, the launches over it and
// the per-case dot products (segmented reductions). Every batched kernel
// takes CaseRows (linear_algebra_kernels.hpp): rows per case and a device
// list of cases. The assembly runs over the whole batch; the PCG and the
// multigrid cycle run over the cases still iterating, and a case leaves the
// list when it converges (lockstep). One owner for that list keeps the host
// copy, the device copy and the count in step.
#include <string>
#include <vector>

#include "kernels/execution_model.hpp"
#include "kernels/linear_algebra_kernels.hpp"

namespace rotormag::kernels {

template <class E>
class CaseList {
  template <class T>
  using Vec = DeviceVector<E, T>;

 public:
  // A new batch of `batch` cases; no case listed yet.
  void reset(int batch) {
    batch_ = batch;
    set({});
  }
  // Lists exactly these cases (an ordered subset of the batch).
  void set(const std::vector<int>& cases) {
    cases_host_ = cases;
    case_count_ = static_cast<int>(cases.size());
    case_list_ = upload<E>(cases);
  }
  // Lists every case; a list as long as the batch is all of it already.
  void list_every_case() {
    if (case_count_ == batch_) return;
    std::vector<int> every(batch_);
    for (int c = 0; c < batch_; ++c) every[c] = c;
    set(every);
  }
  // Keeps the cases for which keep(c) is true (in order); uploads the list
  // only when it changed.
  template <class Keep>
  void keep(Keep keep) {
    std::vector<int> kept;
    kept.reserve(cases_host_.size());
    for (int c : cases_host_)
      if (keep(c)) kept.push_back(c);
    if (kept.size() != cases_host_.size()) set(kept);
  }

  int batch() const { return batch_; }
  int count() const { return case_count_; }
  const std::vector<int>& host() const { return cases_host_; }

  // `rows` rows of every listed case.
  CaseRows over(int rows) const { return CaseRows{rows, ptr(case_list_)}; }

  // f over the listed cases (f.s from over()).
  template <class F>
  void run(F f) const {
    if (case_count_ == 0 || f.s.rows == 0) return;
    E::for_each_row(case_count_, f);
    E::check(F::kernel_name);
  }
  // f over every case of the batch (f.s lists no cases).
  template <class F>
  void run_every_case(F f) const {
    if (batch_ == 0 || f.s.rows == 0) return;
    E::for_each_row(batch_, f);
    E::check(F::kernel_name);
  }

  // out[c] = a.b of every listed case c, into a device array indexed by case
  // (no trip to the host).
  void dot_into(const double* a, const double* b, int rows, double* out) {
    if (case_count_ == 0) return;  // an empty batch: no segment to reduce
    const DotKernel f{over(rows), a, b};
    if (case_count_ == 1) E::sum_into(rows, f, out + cases_host_.front(), reduce_temp_);
    else E::segmented_sum(case_count_, rows, f, ptr(case_list_), out, reduce_temp_);
    E::check(DotKernel::kernel_name);
  }
  // a.b per listed case on the host, indexed by case (unlisted cases: 0).
  std::vector<double> host_dots(const double* a, const double* b, int rows) {
    if (segment_scratch_.size() < static_cast<size_t>(batch_)) segment_scratch_ = Vec<double>(batch_);
    launch<E>(batch_, FillKernel{0.0, ptr(segment_scratch_)});
    dot_into(a, b, rows, ptr(segment_scratch_));
    return E::to_host(ptr(segment_scratch_), batch_);
  }

 private:
  int batch_ = 0;
  std::vector<int> cases_host_;  // the cases the batched kernels run over now
  Vec<int> case_list_;
  int case_count_ = 0;
  Vec<double> segment_scratch_;
  Vec<char> reduce_temp_;        // the device reductions' work space
};

}  // namespace rotormag::kernels

#pragma once
// The backend a command runs on, and the one rule for a device that fails
// mid-run: with --backend auto, a CUDA failure during the work (out of
// memory, a kernel error named in the message) is reported and the work is
// done again on the CPU backend, which is kept for whatever follows. With
// --backend cuda the failure stands (exit 5).
#include <memory>
#include <string>
#include <utility>

#include "kernels/backend.hpp"

namespace rotormag::app {

class BackendInUse {
 public:
  // `choice`: "auto", "cpu" or "cuda"; `who` begins its messages ("rotormag",
  // "sweep [rank 2/4]"); the notice of an automatic choice is printed unless quiet.
  BackendInUse(const std::string& choice, std::string who, bool quiet);

  kernels::Backend& get() { return *backend_; }

  // work(backend) once; again on the CPU when the automatic choice's CUDA
  // device failed in it.
  template <class Work>
  auto run(Work&& work) -> decltype(work(std::declval<kernels::Backend&>())) {
    try {
      return work(*backend_);
    } catch (const kernels::BackendError& e) {
      if (!fall_back(e)) throw;
    }
    return work(*backend_);
  }

 private:
  // Replaces a failed automatic CUDA backend by the CPU one (and says so);
  // false when the failure stands.
  bool fall_back(const kernels::BackendError& e);

  kernels::BackendChoice choice_;
  std::string who_;
  std::unique_ptr<kernels::Backend> backend_;
};

}  // namespace rotormag::app

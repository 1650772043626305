#pragma once
// Which backend the backend-parametrised tests run on: ROTORMAG_TEST_BACKEND
// = cpu (default) or cuda. CUDA-only tests skip with the reason when no
// device works.
#include <cstdlib>
#include <memory>
#include <string>

#include "kernels/backend.hpp"

namespace rotormag::testing {

inline std::unique_ptr<kernels::Backend> test_backend() {
  const char* env = std::getenv("ROTORMAG_TEST_BACKEND");
  if (env && std::string(env) == "cuda") return kernels::make_cuda_backend();
  return kernels::make_cpu_backend();
}

// Empty when CUDA works, else why not.
inline std::string cuda_unavailable_reason() {
  try {
    kernels::make_cuda_backend();
    return {};
  } catch (const kernels::BackendError& e) {
    return e.what();
  }
}

}  // namespace rotormag::testing

#pragma once
// Backend-parametrised tests, after Ginkgo (the same checks on every
// executor): BACKEND_TEST(Suite, Name) { ... } registers the body once per
// backend, as Suite.Name_cpu and Suite.Name_cuda, so that ctest lists and
// reports each backend's run of each test. Inside the body (and the helpers
// it calls), test_backend() makes a backend of the variant being run. The
// _cuda variant skips, with the CUDA backend factory's reason, where no
// device works (no GPU, no driver, a build without CUDA).
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "kernels/backend.hpp"

namespace rotormag::testing {

// Empty when CUDA works, else why not (asked once per test program).
inline const std::string& cuda_unavailable_reason() {
  static const std::string reason = [] {
    try {
      kernels::make_cuda_backend();
      return std::string();
    } catch (const kernels::BackendError& e) {
      return std::string(e.what());
    }
  }();
  return reason;
}

namespace detail {
enum class BackendUnderTest { none, cpu, cuda };
inline BackendUnderTest& backend_under_test() {
  static BackendUnderTest b = BackendUnderTest::none;
  return b;
}
inline bool& backend_made() {  // test_backend() was called by the running variant
  static bool made = false;
  return made;
}
// Runs body on backend b: sets what test_backend() returns for its duration.
// A body that never asks for a backend (and neither skipped nor failed
// before it could) is reported: it belongs in a plain TEST.
template <class Body>
void run_on_backend(BackendUnderTest b, Body body) {
  struct Scope {
    explicit Scope(BackendUnderTest b) {
      backend_under_test() = b;
      backend_made() = false;
    }
    ~Scope() { backend_under_test() = BackendUnderTest::none; }
  } scope(b);
  body();
  if (!backend_made() && !::testing::Test::IsSkipped() && !::testing::Test::HasFailure())
    ADD_FAILURE() << "a BACKEND_TEST whose body never calls test_backend(): register it with TEST";
}
}  // namespace detail

// A new backend of the kind the running BACKEND_TEST variant tests.
inline std::unique_ptr<kernels::Backend> test_backend() {
  detail::backend_made() = true;
  switch (detail::backend_under_test()) {
    case detail::BackendUnderTest::cpu: return kernels::make_cpu_backend();
    case detail::BackendUnderTest::cuda: return kernels::make_cuda_backend();
    default: break;
  }
  throw std::logic_error("test_backend() called outside a BACKEND_TEST: register the test with BACKEND_TEST "
                         "(tests/support/backends.hpp) so that it runs on every backend");
}

}  // namespace rotormag::testing

// BACKEND_TEST(Suite, Name) { body }: the tests Suite.Name_cpu and
// Suite.Name_cuda run body with test_backend() giving that backend. The body
// is an ordinary function: gtest assertions, GTEST_SKIP and helpers work as
// in TEST.
#define BACKEND_TEST(suite, name)                                                                        \
  static void suite##_##name##_OnBackend();                                                               \
  TEST(suite, name##_cpu) {                                                                               \
    ::rotormag::testing::detail::run_on_backend(::rotormag::testing::detail::BackendUnderTest::cpu,       \
                                                suite##_##name##_OnBackend);                              \
  }                                                                                                       \
  TEST(suite, name##_cuda) {                                                                              \
    if (!::rotormag::testing::cuda_unavailable_reason().empty())                                          \
      GTEST_SKIP() << "CUDA backend not available: " << ::rotormag::testing::cuda_unavailable_reason();   \
    ::rotormag::testing::detail::run_on_backend(::rotormag::testing::detail::BackendUnderTest::cuda,      \
                                                suite##_##name##_OnBackend);                              \
  }                                                                                                       \
  static void suite##_##name##_OnBackend()

#include "app/backend_fallback.hpp"

#include <fmt/core.h>

namespace rotormag::app {

BackendInUse::BackendInUse(const std::string& choice, std::string who, bool quiet)
    : choice_(kernels::backend_choice(choice)), who_(std::move(who)) {
  std::string notice;
  backend_ = kernels::make_backend(choice_, &notice);
  if (!notice.empty() && !quiet) fmt::print(stderr, "{}: {}\n", who_, notice);
}

bool BackendInUse::fall_back(const kernels::BackendError& e) {
  if (choice_ != kernels::BackendChoice::automatic || backend_->name() == "cpu") return false;
  fmt::print(stderr, "{}: the CUDA backend failed ({}); running again on the CPU backend\n", who_, e.what());
  backend_ = kernels::make_cpu_backend();
  return true;
}

}  // namespace rotormag::app

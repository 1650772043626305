// Chooses a backend at run time (--backend auto|cpu|cuda).
#include "kernels/backend.hpp"

namespace rotormag::kernels {

#ifndef ROTORMAG_HAVE_CUDA
bool cuda_backend_compiled() { return false; }
std::unique_ptr<Backend> make_cuda_backend() {
  throw BackendError("this build of rotormag has no CUDA backend (configured with ROTORMAG_CUDA=OFF or without nvcc)");
}
#endif

BackendChoice backend_choice(const std::string& name) {
  return name == "cpu" ? BackendChoice::cpu : name == "cuda" ? BackendChoice::cuda : BackendChoice::automatic;
}

std::unique_ptr<Backend> make_backend(BackendChoice choice, std::string* notice) {
  if (choice == BackendChoice::cpu) return make_cpu_backend();
  if (choice == BackendChoice::cuda) return make_cuda_backend();
  try {
    return make_cuda_backend();
  } catch (const BackendError& e) {
    if (notice) *notice = std::string("using the CPU backend (") + e.what() + ")";
    return make_cpu_backend();
  }
}

}  // namespace rotormag::kernels

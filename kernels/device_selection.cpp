// Which GPU a process's CUDA backend takes (kernels/backend.hpp). In the
// set-up library because both backends' libraries link it (the CUDA one
// cannot link back to rotormag_kernels).
#include "kernels/backend.hpp"

namespace rotormag::kernels {

namespace {
int cuda_device_index = 0;
}  // namespace

void select_cuda_device(int index) { cuda_device_index = index < 0 ? 0 : index; }
int selected_cuda_device() { return cuda_device_index; }

}  // namespace rotormag::kernels

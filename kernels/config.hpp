#pragma once
// One kernel source for two backends: functions marked RM_HOST_DEVICE are
// compiled by nvcc for the GPU and by the host compiler for the CPU backend.
#if defined(__CUDACC__)
#define RM_HOST_DEVICE __host__ __device__
#else
#define RM_HOST_DEVICE
#endif

namespace rotormag::kernels {
constexpr double mu0 = 4.0e-7 * 3.14159265358979323846;  // H/m (classical value; SI 2019 differs by 1e-10)
}

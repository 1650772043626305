#pragma once
// The [demag] part of a motor run: every candidate magnet at every
// temperature through solver::analyse_demagnetization, the per-element state
// written as results files, the figures and the HRE mass and cost of each
// candidate for summary.json (docs/demagnetization.md).
#include <string>
#include <vector>

#include "app/motor_run.hpp"
#include "cases/case.hpp"
#include "kernels/backend.hpp"
#include "postproc/motor_results.hpp"
#include "solver/moving_band.hpp"

namespace rotormag::app {

// Distance of every element centroid of the machine mesh to the nearest
// diffused face of its magnet: the magnet region's outline edges whose normal
// lies within 45 degrees of the magnetization ("pole_faces") or all of them
// ("all_faces"). Non-magnet elements: 0.
std::vector<double> gbd_face_distance(const mesh::Mesh& m, const std::vector<char>& magnet_region,
                                      const std::vector<mesh::MagnetizationHint>& magnetization, bool all_faces);

postproc::DemagTable run_demag(const cases::Case& c, const cases::MaterialLibrary& library, const mesh::Mesh& m,
                               const std::vector<cases::ResolvedRegion>& regions, const MotorModel& model,
                               const solver::MovingBand& band, const solver::MotorSweep& sweep,
                               kernels::Backend& backend, const std::string& out_dir, bool quiet);

}  // namespace rotormag::app

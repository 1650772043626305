#pragma once
// The [demag] part of a motor run: every candidate magnet at every
// temperature through solver::analyse_demagnetization, the per-element state
// written as results files, the figures and the HRE mass and cost of each
// candidate for summary.json (docs/demagnetization.md).
#include <cstddef>
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

// How many set-ups (candidate x temperature, of one case or several) one
// analyse_demagnetization call takes; a sweep batches at most this many cases
// (each is one set-up). Memory grows with the batch: per set-up its element
// matrices (36 doubles per P2 element, 9 per P1), about as much again for the
// assembled matrix, and the vectors of Newton and CG; under 1 kB per P2
// element, so 16 set-ups of a 100k-element model take about 1 GB, which a GPU
// holds with room to spare. The CPU does the same work batched or not; there
// the bound only caps memory.
inline constexpr size_t kSetupsPerBatch = 16;

// A case of a demagnetization run and where its results files go.
struct DemagCase {
  const cases::Case* c = nullptr;
  const std::vector<cases::ResolvedRegion>* regions = nullptr;
  std::string out_dir;
};

// Whether the [demag] analyses of two cases can be set-ups of the same
// analyse_demagnetization calls: the same load events (currents, positions),
// rated load and settings. Candidates, temperatures, GBD faces and prices
// are each case's own.
bool demag_shared_by(const cases::Case& a, const cases::Case& b);

// The [demag] table of every case (in order). The cases share the mesh `m`
// and the motor (model, band, sweep) and pairwise demag_shared_by (else
// std::invalid_argument); every case's candidates x temperatures go through
// the analysis together, kSetupsPerBatch set-ups per call, each set-up's
// results file written to its case's out_dir.
std::vector<postproc::DemagTable> run_demag(const std::vector<DemagCase>& cases,
                                            const cases::MaterialLibrary& library, const mesh::Mesh& m,
                                            const MotorModel& model, const solver::MovingBand& band,
                                            const solver::MotorSweep& sweep, kernels::Backend& backend, bool quiet);

}  // namespace rotormag::app

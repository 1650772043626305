#pragma once
// The [demag] part of a motor run: every candidate magnet at every
// temperature through solver::analyse_demagnetization, kSetupsPerBatch
// set-ups per call; each set-up's per-element state written as a results
// file, its figures and the candidate's HRE mass and cost returned for
// summary.json (docs/demagnetization.md). The translation is setup/'s.
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "kernels/backend.hpp"
#include "postproc/motor_results.hpp"
#include "setup/motor_model.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/moving_band.hpp"

namespace rotormag::app {

// A case of a demagnetization run and where its results files go.
struct DemagCase {
  const cases::Case* c = nullptr;
  const std::vector<cases::ResolvedRegion>* regions = nullptr;
  std::string out_dir;
};

// The [demag] table of every case (in order). The cases share the mesh `m`
// and the motor (model, band, positions) and pairwise setup::demag_shared_by
// (else std::invalid_argument); every case's candidates x temperatures go
// through the analysis together, setup::kSetupsPerBatch set-ups per call,
// each set-up's results file written to its case's out_dir/demag.
std::vector<postproc::DemagTable> run_demag(const std::vector<DemagCase>& cases,
                                            const cases::MaterialLibrary& library, const mesh::Mesh& m,
                                            const setup::MotorModel& model, const solver::MovingBand& band,
                                            const solver::RotorPositions& positions, kernels::Backend& backend,
                                            bool quiet);

}  // namespace rotormag::app

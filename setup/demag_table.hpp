#pragma once
// The demagnetization analysis' results in postproc's terms: a candidate's
// row (material, source, confidence, HRE mass and cost) and its figures at
// one temperature (damaged volume, losses, margins, onsets, notes).
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "postproc/motor_results.hpp"
#include "setup/magnet_material.hpp"
#include "solver/demagnetization.hpp"

namespace rotormag::setup {

// The candidate's row before any temperature: what it is, where its data
// come from, and (with a price scenario) the HRE mass and cost of the
// machine's `magnet_volume_m3` of it.
postproc::DemagCandidate candidate_row(const cases::DemagCandidateSpec& spec, const CandidateMaterial& cm,
                                       double magnet_volume_m3, const cases::PriceScenario* prices);

// The figures of one candidate at one temperature; `events` are the
// analysis' (the onset current is a scale of the worst one's current).
postproc::DemagRow demag_row(const solver::DemagSummary& d, const std::vector<solver::DemagLoadEvent>& events,
                             const solver::MagnetModel& magnet, double temperature_C);

// The candidate's intrinsic curve at the set-up's temperature, sampled on
// 121 points from -0.05 to 1.2 times the largest HcJ of its elements.
postproc::MagnetCurveTable magnet_curve(const solver::DemagSetup& setup);

// How the set-up's knee is defined ("Hk at J = 0.9 Jr ..."); "" without magnets.
std::string knee_definition(const solver::DemagSetup& setup);

}  // namespace rotormag::setup

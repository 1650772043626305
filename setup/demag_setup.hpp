#pragma once
// A case's [demag] table in the solver's terms: its candidates placed in the
// machine's magnet regions (solver::DemagCandidate: the magnet model, the
// regions, the GBD gain per element), each with its row of the results
// table; the load events, rated load and settings the analysis shares.
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "cases/case.hpp"
#include "postproc/motor_results.hpp"
#include "setup/magnet_material.hpp"
#include "setup/motor_model.hpp"
#include "solver/demagnetization.hpp"

namespace rotormag::setup {

// How many set-ups (candidate x temperature, of one case or several) one
// analyse_demagnetization call takes; a sweep batches at most this many cases
// (each is one set-up). Memory grows with the batch: per set-up its element
// matrices (36 doubles per P2 element, 9 per P1), about as much again for the
// assembled matrix, and the vectors of Newton and CG; under 1 kB per P2
// element, so 16 set-ups of a 100k-element model take about 1 GB, which a GPU
// holds with room to spare. The CPU does the same work batched or not; there
// the bound only caps memory.
inline constexpr size_t kSetupsPerBatch = 16;

// One candidate of a case: its material, the solver's candidate on the
// machine, and its row of the table (HRE mass and cost filled in; a row per
// temperature is added as the set-ups finish).
struct CandidateRun {
  cases::DemagCandidateSpec spec;
  CandidateMaterial cm;
  std::shared_ptr<const solver::DemagCandidate> candidate;
  postproc::DemagCandidate row;
};

// One case's side of a demagnetization run: its candidates and its table.
struct CaseMagnets {
  std::vector<CandidateRun> runs;
  postproc::DemagTable table;
};

// The magnet regions of the case's mesh (bound to a magnet material) take
// each candidate in turn. Throws solver::ProblemError when no region is
// bound to a magnet.
CaseMagnets case_magnets(const cases::Case& c, const std::vector<cases::ResolvedRegion>& regions,
                         const cases::MaterialLibrary& library, const mesh::Mesh& m, const MotorModel& model);

// What the set-ups of one analyse_demagnetization call share: the load
// events, the rated load, the settings.
struct DemagAnalysis {
  std::vector<solver::DemagLoadEvent> events;
  std::optional<solver::StatorLoad> rated;
  solver::DemagSettings settings;
};

DemagAnalysis demag_analysis(const cases::Case& c);

// Whether the [demag] analyses of two cases can be set-ups of the same
// analyse_demagnetization calls: the same load events (currents, positions),
// rated load and settings. Candidates, temperatures, GBD faces and prices
// are each case's own.
bool demag_shared_by(const cases::Case& a, const cases::Case& b);

}  // namespace rotormag::setup

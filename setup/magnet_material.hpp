#pragma once
// A case's materials in the solver's terms: a library grade (or a composed
// candidate) as the solver's MagnetModel, and any material at a temperature
// as the solver's MaterialSpec. The physics of a magnet at a temperature is
// the solver's (MagnetModel::at, MagnetModel::material_at); this file only
// carries the data across.
#include <string>
#include <vector>

#include "cases/case.hpp"
#include "solver/magnet_model.hpp"
#include "solver/problem.hpp"

namespace rotormag::setup {

// The magnet's model (knee, temperature scaling, measured curves, GBD
// profile) with the cautions its data call for; docs/magnet-model.md.
// Throws std::invalid_argument for a material that is not a magnet.
solver::MagnetModel magnet_model(const cases::Material& m);

// The material at the temperature: a magnet as MagnetModel::material_at
// gives it (Br and mu_rec of its curve at T); other materials do not depend
// on the temperature.
solver::MaterialSpec material_at(const cases::Material& m, double temperature_C);

// A [demag] candidate's material: its library grade, or composed from a base
// (cases/composition.hpp), with what the composition model says of it.
struct CandidateMaterial {
  cases::Material material;
  bool outside_data = false, low_confidence = false;
  std::vector<std::string> warnings;
};

// Throws solver::ProblemError when a grade the candidate names is not among
// the case's resolved materials.
CandidateMaterial candidate_material(const cases::Case& c, const cases::DemagCandidateSpec& spec);

}  // namespace rotormag::setup

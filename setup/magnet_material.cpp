#include "setup/magnet_material.hpp"

#include <cstdio>
#include <stdexcept>

#include "cases/composition.hpp"

namespace rotormag::setup {

solver::MagnetModel magnet_model(const cases::Material& m) {
  if (m.kind != cases::Material::Kind::magnet)
    throw std::invalid_argument("magnet_model: material '" + m.name + "' is not a magnet");
  const cases::MagnetGrade& g = m.grade;
  solver::MagnetModel model;
  model.name = m.name;
  model.Br20_T = g.Br20_T;
  model.alpha_Br_per_K = g.alpha_Br_per_K;
  model.HcJ20_A_per_m = g.HcJ20_A_per_m;
  model.beta_HcJ_per_K = g.beta_HcJ_per_K;
  model.mu_rec20 = g.mu_rec;
  model.mu_rec_per_K = g.mu_rec_per_K;
  model.squareness = g.squareness;
  model.squareness_estimated = g.knee_confidence == cases::KneeConfidence::estimated;
  model.coefficient_range_low_C = g.coefficient_range_low_C;
  model.coefficient_range_high_C = g.coefficient_range_high_C;
  model.max_working_temperature_C = g.max_working_temperature_C;
  for (const cases::JHCurve& c : g.jh_curves) model.measured.push_back({c.temperature_C, c.h_A_per_m, c.J_T});
  if (!g.jh_curves.empty() && g.curves_confidence != cases::CurveConfidence::measured)
    model.cautions.push_back("the J-H curves are estimates, not measurements (low confidence)");
  if (g.gbd.present()) {
    model.gbd.surface_gain_A_per_m = g.gbd.surface_gain_A_per_m;
    model.gbd.depth_m = g.gbd.depth_m;
    model.beta_gain_per_K = g.gbd.beta_gain_per_K;
    if (g.gbd.profile_confidence != cases::CurveConfidence::measured) {
      char text[200];
      std::snprintf(text, sizeof text, "GBD profile gain(d) = %.4g kA/m exp(-d / %.3g mm): form and depth assumed; "
                    "HcJ20 is the undiffused core", g.gbd.surface_gain_A_per_m / 1e3, g.gbd.depth_m * 1e3);
      model.cautions.push_back(text);
    }
  }
  return model;
}

solver::MaterialSpec material_at(const cases::Material& m, double temperature_C) {
  using K = cases::Material::Kind;
  solver::MaterialSpec s;
  switch (m.kind) {
    case K::linear:
      s.kind = solver::MaterialSpec::Kind::linear;
      s.mu_r = m.mu_r;
      break;
    case K::magnet:
      s = magnet_model(m).material_at(temperature_C);
      break;
    case K::bh_curve:
      s.kind = solver::MaterialSpec::Kind::bh_curve;
      s.B_T = m.curve.B_T;
      s.H_A_per_m = m.curve.H_A_per_m;
      break;
    case K::exponential_reluctivity:
      s.kind = solver::MaterialSpec::Kind::exponential_reluctivity;
      s.nu_a = m.nu_a;
      s.nu_b = m.nu_b;
      s.nu_c = m.nu_c;
      break;
  }
  return s;
}

CandidateMaterial candidate_material(const cases::Case& c, const cases::DemagCandidateSpec& spec) {
  CandidateMaterial out;
  auto find = [&](const std::string& name) -> const cases::Material& {
    auto it = c.materials.find(name);
    if (it == c.materials.end())
      throw solver::ProblemError("[demag] candidate '" + spec.name + "': material '" + name + "' is not resolved");
    return it->second;
  };
  if (!spec.by_composition) {
    out.material = find(spec.grade);
    return out;
  }
  cases::Candidate cand;
  cand.name = spec.name;
  cand.base = find(spec.base_grade);
  cand.Dy_added_wt_pct = spec.Dy_added_wt_pct;
  cand.Tb_added_wt_pct = spec.Tb_added_wt_pct;
  cand.gbd_element = spec.gbd_element;
  cand.gbd_wt_pct = spec.gbd_wt_pct;
  cand.gbd_depth_m = spec.gbd_depth_m;
  cand.Ce_fraction_of_RE = spec.Ce_fraction_of_RE;
  const cases::ComposedMagnet composed = cases::compose(cand);
  out.material = composed.material;
  out.outside_data = composed.outside_data;
  out.low_confidence = composed.low_confidence;
  out.warnings = composed.warnings;
  return out;
}

}  // namespace rotormag::setup

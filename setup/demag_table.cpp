#include "setup/demag_table.hpp"

#include <algorithm>
#include <cmath>

#include "cases/hre_cost.hpp"
#include "setup/stator_load.hpp"

namespace rotormag::setup {

namespace {

const double kPi = std::acos(-1.0);

}  // namespace

postproc::DemagCandidate candidate_row(const cases::DemagCandidateSpec& spec, const CandidateMaterial& cm,
                                       double magnet_volume_m3, const cases::PriceScenario* prices) {
  postproc::DemagCandidate row;
  row.name = spec.name;
  row.material = cm.material.name;
  row.source = cm.material.source;
  row.outside_data = cm.outside_data;
  row.low_confidence = cm.low_confidence;
  row.warnings = cm.warnings;
  row.magnet_volume_m3 = magnet_volume_m3;
  if (prices) {
    const cases::HreBill bill = cases::hre_bill(magnet_volume_m3, cm.material.grade, *prices);
    row.magnet_kg = bill.magnet_kg;
    row.Dy_kg = bill.Dy.kg;
    row.Tb_kg = bill.Tb.kg;
    row.hre_cost = bill.hre_cost;
    row.rare_earth_cost = bill.rare_earth_cost;
    row.currency = bill.currency;
    row.price_scenario = bill.scenario;
    row.composition_stated = bill.composition_stated;
    row.cost_notes = bill.notes;
  }
  return row;
}

postproc::MagnetCurveTable magnet_curve(const solver::DemagSetup& setup) {
  postproc::MagnetCurveTable t;
  if (!setup.candidate) return t;
  const solver::MagnetModel& magnet = setup.candidate->magnet;
  const double T = setup.temperature_C;
  const solver::KneeCurve core = magnet.at(T);
  double gain_lo = 0, gain_hi = 0;
  bool any = false;
  const std::vector<double>& gain = setup.candidate->HcJ_gain_A_per_m;
  for (size_t e = 0; e < setup.is_magnet.size() && !gain.empty(); ++e)
    if (setup.is_magnet[e]) {
      gain_lo = any ? std::min(gain_lo, gain[e]) : gain[e];
      gain_hi = any ? std::max(gain_hi, gain[e]) : gain[e];
      any = true;
    }
  t.Br_T = core.remanence_T();
  t.HcJ_A_per_m = core.HcJ_A_per_m();
  t.mu_rec = core.mu_rec();
  t.squareness = core.squareness();
  t.knee_field_A_per_m = core.knee_field_A_per_m();
  t.knee_width_A_per_m = core.knee_width_A_per_m();
  t.measured = core.measured();
  // The gains as at(T, gain) applies them: scaled to T like HcJ.
  const solver::KneeCurve strongest = magnet.at(T, gain_hi);
  t.HcJ_gain_min_A_per_m = magnet.at(T, gain_lo).HcJ_A_per_m() - core.HcJ_A_per_m();
  t.HcJ_gain_max_A_per_m = strongest.HcJ_A_per_m() - core.HcJ_A_per_m();
  const double h_max = strongest.HcJ_A_per_m();
  for (int k = 0; k <= 120; ++k) {
    const double h = h_max * (-0.05 + 1.25 * k / 120.0);
    t.h_A_per_m.push_back(h);
    t.J_T.push_back(core.J_T(h));
    if (gain_hi > 0) t.J_max_gain_T.push_back(strongest.J_T(h));
  }
  return t;
}

std::string knee_definition(const solver::DemagSetup& setup) {
  for (size_t t = 0; t < setup.is_magnet.size(); ++t)
    if (setup.is_magnet[t]) return setup.knee[t].knee_definition();
  return {};
}

postproc::DemagRow demag_row(const solver::DemagSummary& d, const std::vector<solver::DemagLoadEvent>& events,
                             const solver::MagnetModel& magnet, double temperature_C) {
  postproc::DemagRow r;
  r.temperature_C = temperature_C;
  r.volume_pct_coef_below_099 = d.volume_pct_coef_below_099;
  r.volume_pct_coef_below_095 = d.volume_pct_coef_below_095;
  r.volume_pct_coef_below_090 = d.volume_pct_coef_below_090;
  r.volume_pct_coef_above = d.volume_pct_coef_above;
  r.min_margin_A_per_m = d.min_margin_A_per_m;
  r.min_margin_x_m = d.min_margin_x_m;
  r.min_margin_y_m = d.min_margin_y_m;
  r.min_margin_region = d.min_margin_region;
  r.psi_d_no_load_before_Wb = d.psi_d_no_load_before_Wb;
  r.psi_d_no_load_after_Wb = d.psi_d_no_load_after_Wb;
  r.flux_linkage_loss_pct = d.flux_linkage_loss_pct;
  r.back_emf_fundamental_loss_pct = d.back_emf_fundamental_loss_pct;
  r.torque_before_Nm = d.torque_before_Nm;
  r.torque_after_Nm = d.torque_after_Nm;
  r.torque_loss_pct = d.torque_loss_pct;
  size_t worst = 0;
  for (size_t k = 0; k < d.events.size(); ++k) {
    const auto& e = d.events[k];
    r.events.push_back({e.name, e.min_margin_A_per_m, e.worst_position_rad * 180 / kPi, e.solves});
    if (e.min_margin_A_per_m < d.events[worst].min_margin_A_per_m) worst = k;
  }
  r.worst_event = d.events[worst].name;
  if (d.onset_current_scale) r.onset_current_A = *d.onset_current_scale * current_magnitude(events[worst].load);
  r.onset_temperature_C = d.onset_temperature_C;
  r.notes = d.notes;
  for (const std::string& w : magnet.warnings(temperature_C)) r.notes.push_back(w);
  return r;
}

}  // namespace rotormag::setup

// summary.json of a motor run: the single-run keys (summary_json.cpp), then
// the sweep's scalars and per-position arrays, then "units". Keys:
// docs/results.md, "Motor runs"; keep both in step.

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "postproc/motor_results_parts.hpp"
#include "postproc/summary_json.hpp"

namespace rotormag::postproc::detail {
namespace {

using json = nlohmann::ordered_json;

// Explicit null for NaN (no check annulus) and a diverged run's infinities;
// nlohmann would write null too, but the json value would still compare as a
// number in code that inspects it before dumping.
json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json numbers(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(number_or_null(x));
  return a;
}

json phases(const std::array<std::vector<double>, 3>& abc) {
  return json{{"a", numbers(abc[0])}, {"b", numbers(abc[1])}, {"c", numbers(abc[2])}};
}

json back_emf(const BackEmfTable& e) {
  json j;
  j["speed_rpm"] = number_or_null(e.speed_rpm);
  j["method"] = e.method;
  j["phase"] = phases(e.phase_V);
  j["line_ab"] = numbers(e.line_ab_V);
  j["harmonic_order"] = numbers(e.harmonic_order);
  j["phase_a_harmonics"] = numbers(e.phase_a_harmonics_V);
  j["line_harmonics"] = numbers(e.line_harmonics_V);
  j["phase_a_rms"] = number_or_null(e.phase_a_rms_V);
  j["line_rms"] = number_or_null(e.line_rms_V);
  return j;
}

json optional_number(const std::optional<double>& v) { return v ? number_or_null(*v) : json(nullptr); }

json demag(const DemagTable& d) {
  json j;
  j["knee_definition"] = d.knee_definition;
  j["loss_threshold"] = d.loss_threshold;
  json candidates = json::array();
  for (const DemagCandidate& c : d.candidates) {
    json jc;
    jc["name"] = c.name;
    jc["material"] = c.material;
    jc["source"] = c.source;
    jc["outside_data"] = c.outside_data;
    jc["low_confidence"] = c.low_confidence;
    jc["warnings"] = c.warnings;
    jc["hre"] = json{{"magnet_volume_m3", c.magnet_volume_m3}, {"magnet_kg", c.magnet_kg},
                     {"Dy_kg", c.Dy_kg},                   {"Tb_kg", c.Tb_kg},
                     {"hre_cost", c.hre_cost},             {"rare_earth_cost", c.rare_earth_cost},
                     {"currency", c.currency},             {"price_scenario", c.price_scenario},
                     {"composition_stated", c.composition_stated}, {"notes", c.cost_notes}};
    json rows = json::array();
    for (const DemagRow& r : c.rows) {
      json jr;
      jr["temperature_C"] = r.temperature_C;
      jr["results_file"] = r.results_file;
      jr["volume_pct_coef_below_0_99"] = number_or_null(r.volume_pct_coef_below_099);
      jr["volume_pct_coef_below_0_95"] = number_or_null(r.volume_pct_coef_below_095);
      jr["volume_pct_coef_below_0_90"] = number_or_null(r.volume_pct_coef_below_090);
      jr["volume_pct_coef_at_least"] = numbers(r.volume_pct_coef_above);
      jr["min_margin_kA_per_m"] = number_or_null(r.min_margin_A_per_m / 1e3);
      jr["min_margin_at_mm"] = json{number_or_null(r.min_margin_x_m * 1e3), number_or_null(r.min_margin_y_m * 1e3)};
      jr["min_margin_region"] = r.min_margin_region;
      jr["psi_d_no_load_before_Wb"] = number_or_null(r.psi_d_no_load_before_Wb);
      jr["psi_d_no_load_after_Wb"] = number_or_null(r.psi_d_no_load_after_Wb);
      jr["flux_linkage_loss_pct"] = number_or_null(r.flux_linkage_loss_pct);
      jr["back_emf_fundamental_loss_pct"] = number_or_null(r.back_emf_fundamental_loss_pct);
      jr["torque_before_Nm"] = optional_number(r.torque_before_Nm);
      jr["torque_after_Nm"] = optional_number(r.torque_after_Nm);
      jr["torque_loss_pct"] = optional_number(r.torque_loss_pct);
      jr["onset_current_A"] = optional_number(r.onset_current_A);
      jr["onset_temperature_C"] = optional_number(r.onset_temperature_C);
      jr["worst_event"] = r.worst_event;
      json events = json::array();
      for (const DemagEventRow& e : r.events)
        events.push_back(json{{"name", e.name},
                              {"min_margin_kA_per_m", number_or_null(e.min_margin_A_per_m / 1e3)},
                              {"worst_position_deg", number_or_null(e.worst_position_deg)},
                              {"solves", e.solves}});
      jr["events"] = events;
      jr["notes"] = r.notes;
      if (r.magnet_curve) {
        const MagnetCurveTable& m = *r.magnet_curve;
        json jm{{"Br_T", m.Br_T},
                {"HcJ_A_per_m", m.HcJ_A_per_m},
                {"mu_rec", m.mu_rec},
                {"squareness", m.squareness},
                {"knee_field_A_per_m", m.knee_field_A_per_m},
                {"knee_width_A_per_m", m.knee_width_A_per_m},
                {"measured", m.measured},
                {"HcJ_gain_A_per_m", json{m.HcJ_gain_min_A_per_m, m.HcJ_gain_max_A_per_m}},
                {"h_A_per_m", numbers(m.h_A_per_m)},
                {"J_T", numbers(m.J_T)}};
        if (!m.J_max_gain_T.empty()) jm["J_max_gain_T"] = numbers(m.J_max_gain_T);
        jr["magnet_curve"] = jm;
      }
      rows.push_back(jr);
    }
    jc["temperatures"] = rows;
    candidates.push_back(jc);
  }
  j["candidates"] = candidates;
  return j;
}

}  // namespace

std::string motor_summary_json(const RunInfo& info, const MotorTable& t) {
  json j = summary_json_keys(info);
  j["positions"] = t.position_deg.size();
  j["torque_avg_Nm"] = number_or_null(t.torque_avg_Nm);
  j["torque_ripple_pct"] = number_or_null(t.torque_ripple_pct);
  j["torque_peak_to_peak_Nm"] = number_or_null(t.torque_peak_to_peak_Nm);
  j["stack_length_m"] = t.stack_length_m;
  j["model_copies"] = t.model_copies;
  j["torque_check_region"] = t.torque_check_region;
  j["position_deg"] = numbers(t.position_deg);
  j["electrical_angle_deg"] = numbers(t.electrical_angle_deg);
  j["current_A"] = phases(t.current_A);
  j["torque_Nm"] = numbers(t.torque_Nm);
  j["torque_check_Nm"] = numbers(t.torque_check_Nm);
  j["flux_linkage_Wb"] = phases(t.flux_linkage_Wb);
  j["psi_d_Wb"] = numbers(t.psi_d_Wb);
  j["psi_q_Wb"] = numbers(t.psi_q_Wb);
  j["coenergy_J"] = numbers(t.coenergy_J);
  j["position_newton_iterations"] = t.newton_iterations;
  if (t.back_emf) j["back_emf_V"] = back_emf(*t.back_emf);
  if (t.demag) j["demag"] = demag(*t.demag);

  json units = summary_json_units();
  for (const auto& [key, unit] : std::vector<std::pair<const char*, const char*>>{
           {"positions", "1"},
           {"torque_avg_Nm", "N m"},
           {"torque_ripple_pct", "%"},
           {"torque_peak_to_peak_Nm", "N m"},
           {"stack_length_m", "m"},
           {"model_copies", "1"},
           {"position_deg", "deg"},
           {"electrical_angle_deg", "deg"},
           {"current_A", "A"},
           {"torque_Nm", "N m"},
           {"torque_check_Nm", "N m"},
           {"flux_linkage_Wb", "Wb"},
           {"psi_d_Wb", "Wb"},
           {"psi_q_Wb", "Wb"},
           {"coenergy_J", "J"},
           {"position_newton_iterations", "1"}})
    units[key] = unit;
  if (t.back_emf) {
    // One unit for the object's voltages; the two members that are not voltages by name.
    units["back_emf_V"] = "V";
    units["back_emf_V.speed_rpm"] = "rpm";
    units["back_emf_V.harmonic_order"] = "1";
  }
  if (t.demag) {
    units["demag.*.hre.magnet_volume_m3"] = "m^3";
    units["demag.*.hre.magnet_kg, Dy_kg, Tb_kg"] = "kg";
    units["demag.*.hre.hre_cost, rare_earth_cost"] = "the scenario's currency (demag.*.hre.currency)";
    units["demag.*.temperatures.*.volume_pct_*"] = "% of the magnet volume";
    units["demag.*.temperatures.*.min_margin_kA_per_m"] = "kA/m";
    units["demag.*.temperatures.*.min_margin_at_mm"] = "mm";
    units["demag.*.temperatures.*.*_loss_pct"] = "%";
    units["demag.*.temperatures.*.onset_current_A"] = "A (peak)";
    units["demag.*.temperatures.*.onset_temperature_C"] = "degC";
    units["demag.*.temperatures.*.magnet_curve.h_A_per_m, HcJ_A_per_m, knee_field_A_per_m, knee_width_A_per_m, "
          "HcJ_gain_A_per_m"] = "A/m";
    units["demag.*.temperatures.*.magnet_curve.Br_T, J_T, J_max_gain_T"] = "T";
  }
  j["units"] = units;
  return j.dump(2) + "\n";
}

}  // namespace rotormag::postproc::detail

#pragma once
// Results of a motor run over rotor positions (docs/results.md, "Motor runs"):
//   DIR/NAME.hdf          every position's grid in /steps/<k> (VTKHDF 1.0
//                         layout), /VTKHDF = position 0 (opens alone in
//                         ParaView), /RotorMag with the case, the per-position
//                         table and the sweep summary;
//   DIR/NAME.hdf.series   ParaView's file series (time = rotor angle, degrees);
//   DIR/NAME.step_<k>.hdf one tiny file per position whose /VTKHDF is an
//                         HDF5 external link into NAME.hdf:/steps/<k>;
//   DIR/summary.json      scalars and the per-position arrays.
// Everything is written under temporary names and renamed at the end, the
// series file last: a run killed midway leaves no series and no NAME.hdf.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "mesh/mesh.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc {

// One rotor position's grid and fields (the mesh differs per position: the
// rotor is turned and the band re-triangulated).
struct MotorStep {
  double position_deg = 0;
  const mesh::Mesh* mesh = nullptr;
  FieldData fields;
};

struct BackEmfTable {
  double speed_rpm = 0;
  std::string method;                               // "spectral" or "finite differences"
  std::array<std::vector<double>, 3> phase_V;       // per position
  std::vector<double> line_ab_V;                    // per position
  std::vector<double> harmonic_order;               // electrical harmonics (spectral only)
  std::vector<double> phase_a_harmonics_V;          // peak amplitudes
  std::vector<double> line_harmonics_V;
  double phase_a_rms_V = 0, line_rms_V = 0;
};

// Irreversible demagnetization, per candidate magnet and temperature
// (solver/demagnetization.hpp; docs/demagnetization.md). Whole machine.
struct DemagEventRow {
  std::string name;
  double min_margin_A_per_m = 0;        // Hk - h, over the event's positions
  double worst_position_deg = 0;
  int solves = 0;
};

// The candidate's intrinsic curve at a row's temperature, sampled for plots
// (the report's J-H figure): J(h) of the undiffused core and, for a GBD
// magnet, of its most diffused element.
struct MagnetCurveTable {
  double Br_T = 0, HcJ_A_per_m = 0, mu_rec = 1, squareness = 0;
  double knee_field_A_per_m = 0, knee_width_A_per_m = 0;   // width 0: a measured curve
  bool measured = false;                                   // from measured J-H tables
  double HcJ_gain_min_A_per_m = 0, HcJ_gain_max_A_per_m = 0;   // GBD gain at T over the magnet elements
  std::vector<double> h_A_per_m, J_T;
  std::vector<double> J_max_gain_T;                        // GBD: the curve with the largest gain (else empty)
};

struct DemagRow {
  double temperature_C = 0;
  std::string results_file;             // the per-element state (relative to the output directory)
  double volume_pct_coef_below_099 = 0, volume_pct_coef_below_095 = 0, volume_pct_coef_below_090 = 0;
  std::vector<double> volume_pct_coef_above;   // demag_coef >= 0.1, 0.2, ..., 0.9
  double min_margin_A_per_m = 0;
  double min_margin_x_m = 0, min_margin_y_m = 0;  // rotor as meshed
  std::string min_margin_region;
  double psi_d_no_load_before_Wb = 0, psi_d_no_load_after_Wb = 0;
  double flux_linkage_loss_pct = 0, back_emf_fundamental_loss_pct = 0;
  std::optional<double> torque_before_Nm, torque_after_Nm, torque_loss_pct;
  std::optional<double> onset_current_A;       // magnitude of the worst event's current at onset
  std::optional<double> onset_temperature_C;
  std::string worst_event;
  std::vector<DemagEventRow> events;
  std::vector<std::string> notes;              // model warnings, search limits
  std::optional<MagnetCurveTable> magnet_curve;
};

struct DemagCandidate {
  std::string name;
  std::string material;                 // the grade, or the composed material's name
  std::string source;                   // the material's source text
  bool outside_data = false;            // a composition relation used beyond its data
  bool low_confidence = false;          // estimated inputs
  std::vector<std::string> warnings;
  // Heavy rare earths of the rotor's magnets (cases/hre_cost.hpp).
  double magnet_volume_m3 = 0, magnet_kg = 0;
  double Dy_kg = 0, Tb_kg = 0, hre_cost = 0, rare_earth_cost = 0;
  std::string currency, price_scenario;
  bool composition_stated = false;
  std::vector<std::string> cost_notes;
  std::vector<DemagRow> rows;           // one per temperature
};

struct DemagTable {
  std::string knee_definition;
  double loss_threshold = 0.01;
  std::vector<DemagCandidate> candidates;
};

// Per-position machine quantities (whole machine, SI units).
struct MotorTable {
  std::vector<double> position_deg;                 // mechanical rotor angle
  std::vector<double> electrical_angle_deg;         // from phase A's axis to the rotor d-axis
  std::array<std::vector<double>, 3> current_A;     // phase currents a, b, c
  std::vector<double> torque_Nm;                    // Arkkio in the band
  std::vector<double> torque_check_Nm;              // Arkkio in a second annulus (NaN: none)
  std::string torque_check_region;
  std::array<std::vector<double>, 3> flux_linkage_Wb;
  std::vector<double> psi_d_Wb, psi_q_Wb;
  std::vector<double> coenergy_J;
  std::vector<int> newton_iterations;
  double torque_avg_Nm = 0;
  double torque_ripple_pct = 0;
  double torque_peak_to_peak_Nm = 0;
  std::optional<BackEmfTable> back_emf;             // when a speed was given
  std::string winding_table;                        // the layout as printed (solver/winding.hpp)
  std::optional<DemagTable> demag;                  // when the case has [demag]
  double stack_length_m = 0;
  int model_copies = 1;                             // sectors in the machine
};

// Writes everything listed above. `info` describes the run as for a single
// solve (dofs, Newton iterations: of the last position; wall time: whole run).
// Throws std::invalid_argument for inconsistent inputs (before writing) and
// std::runtime_error naming the path for I/O failures; nothing is left under
// a final name then.
void write_motor_results(const std::string& directory, const std::string& name, const std::vector<MotorStep>& steps,
                         const RunInfo& info, const MotorTable& table);

// The names used for position k of `count`, zero-padded to at least 3 digits
// (more when count > 1000) so that they sort in position order:
// motor_step_file_name("demo", 7, 24) == "demo.step_007.hdf",
// motor_step_group(7, 24) == "/steps/007".
std::string motor_step_file_name(const std::string& name, std::size_t k, std::size_t count);
std::string motor_step_group(std::size_t k, std::size_t count);

}  // namespace rotormag::postproc

#pragma once
// Irreversible demagnetization of the rotor magnets under worst-case loads
// (shared/reference/demagnetization.md, sections A4-A6; docs/demagnetization.md):
//
//  1. each load event (a stator current at a magnet temperature, over rotor
//     positions) is solved with the magnets' present state;
//  2. per magnet element h = -H.m (element average) is compared with the
//     knee field Hk of that element's curve (GBD magnets: HcJ per element);
//     the worst h of every element is kept;
//  3. every element recoils on the line through its worst point on its
//     curve: remanence Br' = B(h_worst) + mu0 mu_rec h_worst (Ansys'
//     construction), equal to Br while the worst point is on the linear part
//     and below it once the curve bends (with the knee Hk at J = 0.9 Jr the
//     loss is already ~7 % at Hk); the field is solved again with the new
//     state until no element changes (the state affects the field);
//  4. after the events the machine is solved at no load (and at the rated
//     load when given) with the damaged magnets and compared with the
//     undamaged machine: flux-linkage, back-EMF and torque losses, damaged
//     volume fractions, the minimum margin and where it is;
//  5. the onset current (the largest scale of the worst event's current
//     for which, from undamaged magnets, no element settles below
//     1 - `loss_threshold` of its remanence: 1 %, the curve's "HD1") and the
//     onset temperature are found by bisection at the event's worst rotor
//     position.
//
// All of it at one magnet temperature per set-up; the state is not carried
// between temperatures (each temperature starts from undamaged magnets).
// Several set-ups (candidates x temperatures of one machine) run in
// lockstep: every field solve at one rotor position for several set-ups is
// one solve_batch, and each set-up's results are those it gives alone
// (within the solver's tolerance: solve_variants).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "solver/magnet_model.hpp"
#include "solver/motor_analysis.hpp"

namespace rotormag::solver {

// A candidate magnet in the machine's magnet regions: everything its set-up
// needs at any temperature. The magnet at a temperature (the regions' linear
// law and every element's knee) is evaluated here, in the solver, from the
// one MagnetModel, so the field and the knee test never disagree.
struct DemagCandidate {
  std::string name;                     // in messages (e.g. the candidate); may be empty
  MagnetModel magnet;
  std::vector<RegionSetup> regions;     // every region of the machine (base) mesh
  std::vector<char> magnet_region;      // per region: holds the candidate (its material is the magnet at T)
  std::vector<double> HcJ_gain_A_per_m; // per base element: GBD gain at 20 C (empty: none)
};

// One candidate magnet at one temperature, element by element.
struct DemagSetup {
  std::string name;                     // in messages (e.g. the candidate); may be empty
  double temperature_C = 20;
  std::vector<RegionSetup> regions;     // base regions, magnets with Br(T) and mu_rec(T)
  std::vector<char> is_magnet;          // per base element
  std::vector<KneeCurve> knee;          // per base element (used where is_magnet)
  std::vector<double> volume_weight;    // per base element: its share of the magnet volume (area)
  // What the set-up was made from; the onset-temperature search re-evaluates
  // it at other temperatures (at_temperature). None: no such search.
  std::shared_ptr<const DemagCandidate> candidate;
};

// The candidate at T on the machine's base mesh: its regions with the magnet
// at T, a knee curve per magnet element (with its GBD gain), each element's
// area as its volume weight. Throws ProblemError when the sizes do not match
// the mesh.
DemagSetup demag_setup(const mesh::Mesh& machine, std::shared_ptr<const DemagCandidate> candidate,
                       double temperature_C);

// The same set-up at another temperature (needs setup.candidate).
DemagSetup at_temperature(const DemagSetup& setup, double temperature_C);

struct DemagLoadEvent {
  std::string name;
  StatorLoad load;                      // the currents (they follow the rotor for a dq load)
  std::vector<double> positions_rad;
};

struct DemagSettings {
  int max_state_iterations = 30;        // solve -> state updates per position
  double state_tolerance = 1e-6;        // relative change of Br'/Br that counts as a change
  int bisection_steps = 10;             // onset current and temperature
  double loss_threshold = 0.01;         // irreversible loss that counts as onset (HD1)
  double onset_temperature_low_C = 20;  // search range of the onset temperature
  bool find_onset = true;
  std::vector<double> loss_positions_rad;  // no-load / rated-load re-solves: these positions
};

// Per-element state after an event (or the final state): base elements.
struct MagnetElementState {
  std::vector<double> demag_coef;       // Br'/Br(T): 1 undamaged (non-magnets: 1)
  std::vector<double> remanence_T;      // Br' (non-magnets: 0)
  std::vector<double> worst_h;          // max h = -H.m over the event(s) [A/m]
  std::vector<double> margin;           // Hk - worst_h [A/m] (non-magnets: +inf); Hk at J = 0.9 Jr
  std::vector<double> Hm;               // H.m at the worst point [A/m]
};

struct DemagEventResult {
  std::string name;
  MagnetElementState state;             // after this event (cumulative)
  double min_margin_A_per_m = 0;
  double min_margin_x_m = 0, min_margin_y_m = 0;   // where (element centroid, rotor as meshed)
  std::string min_margin_region;
  double worst_position_rad = 0;        // rotor position of the minimum margin
  int solves = 0;
};

struct DemagSummary {
  double temperature_C = 20;
  std::vector<DemagEventResult> events;
  MagnetElementState final_state;
  // Volume fractions of the magnets (percent).
  double volume_pct_coef_below_099 = 0, volume_pct_coef_below_095 = 0, volume_pct_coef_below_090 = 0;
  std::vector<double> volume_pct_coef_above;  // Ansys-style: Demag_coef >= 0.1, 0.2, ..., 0.9
  double min_margin_A_per_m = 0;
  double min_margin_x_m = 0, min_margin_y_m = 0;
  std::string min_margin_region;
  // Re-solves with the damaged state against the undamaged machine.
  double psi_d_no_load_before_Wb = 0, psi_d_no_load_after_Wb = 0, flux_linkage_loss_pct = 0;
  double back_emf_fundamental_loss_pct = 0;  // = flux-linkage fundamental loss at equal speed
  std::optional<double> torque_before_Nm, torque_after_Nm, torque_loss_pct;
  // Onset (at the worst event's worst position, undamaged magnets).
  std::optional<double> onset_current_scale;   // fraction of the worst event's current
  std::optional<double> onset_temperature_C;   // at the worst event's current
  std::vector<std::string> notes;
};

using DemagProgress = std::function<void(const std::string& what)>;
using DemagSetupProgress = std::function<void(size_t setup, const std::string& what)>;

DemagSummary analyse_demagnetization(const MovingBand& band, const ModelWinding& winding, const DemagSetup& setup,
                                     const std::vector<DemagLoadEvent>& events,
                                     const std::optional<StatorLoad>& rated_load, const RotorPositions& rotor,
                                     const DemagSettings& settings, kernels::Backend& backend,
                                     const DemagProgress& progress = {});

// The set-ups together (one summary each, in order), their solves batched:
//  - settling at a position: each set-up keeps its own brackets; each round
//    solves, in one batch, the set-ups not settled yet;
//  - the events: all set-ups at each position;
//  - the no-load and rated-load re-solves: one solve_variants of 2 or 4 variants per set-up;
//  - the onset searches: one step of every set-up whose worst position is
//    the same per batch (brackets, expansions and bisections per set-up).
// Memory grows with the set-ups (the batch holds each one's element
// matrices); callers bound how many go in one call.
std::vector<DemagSummary> analyse_demagnetization(const MovingBand& band, const ModelWinding& winding,
                                                  const std::vector<DemagSetup>& setups,
                                                  const std::vector<DemagLoadEvent>& events,
                                                  const std::optional<StatorLoad>& rated_load,
                                                  const RotorPositions& rotor, const DemagSettings& settings,
                                                  kernels::Backend& backend, const DemagSetupProgress& progress = {});

}  // namespace rotormag::solver

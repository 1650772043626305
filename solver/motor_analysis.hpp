#pragma once
// A motor over its rotor positions: at each position the rotor is
// turned (moving band), the phase currents follow the rotor's electrical
// angle, the nonlinear field is solved, and the machine quantities are taken:
// torque (Arkkio in the band, checked in a second air annulus), phase and dq
// flux linkages, co-energy. Over the positions: back-EMF with its harmonics,
// average torque and ripple.
//
// Conventions (docs/motor-analysis.md):
//  - mechanical rotor angle theta, counter-clockwise positive, 0 = as meshed;
//  - the d-axis of rotor pole 1 (a north pole) lies at pi/(2p) + theta
//    (templates put pole k's axis at (k - 1/2) 360/(2p) degrees);
//  - electrical angle theta_e = p (theta + pi/(2p)) - axis_A: the angle from
//    the magnetic axis of phase A to the rotor's d-axis, in electrical radians;
//  - phase B's axis is 120 electrical degrees ahead of A's in the direction
//    of rotation, C's 240;
//  - amplitude-invariant Park transform: i_a = i_d cos(theta_e) - i_q sin(theta_e),
//    i_b, i_c the same at theta_e - 2pi/3, theta_e - 4pi/3; psi_d, psi_q likewise;
//  - torque on the rotor, counter-clockwise positive, whole machine, N m.

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernels/backend.hpp"
#include "solver/moving_band.hpp"
#include "solver/problem.hpp"

namespace rotormag::solver {

// A conductor region of the model and what it carries.
struct CoilRegion {
  int region = -1;        // index in the machine mesh's regions
  int phase = 0;          // 0 = A, 1 = B, 2 = C
  double turns = 0;       // signed: + for a go, - for a return conductor
};

struct ModelWinding {
  std::vector<CoilRegion> coils;
  int parallel_paths = 1;
  int pole_pairs = 1;
  double axis_A_elec_rad = 0;   // electrical angle of phase A's magnetic axis (winding.hpp)
};

struct WindingLayout;

// The model's share of a winding: the coil sides of its first `model_slots`
// slots, in the regions "coil_<slot>_<layer>" (docs/motor-mesh.md). Throws
// ProblemError naming a region the winding needs that the mesh lacks.
ModelWinding model_winding(const WindingLayout& layout, const mesh::Mesh& machine, int model_slots);

// The stator currents as a function of the electrical angle.
struct StatorLoad {
  enum class Kind { none, dq, phase } kind = Kind::none;
  double id_A = 0, iq_A = 0;              // dq: peak amplitudes, amplitude-invariant
  std::array<double, 3> phase_A{};        // phase: fixed instantaneous currents
  std::array<double, 3> currents(double theta_e) const;
};

struct RotorPositions {
  std::vector<double> positions_rad;      // mechanical rotor angles
  double stack_length_m = 0;
  double copies = 1;                      // how many models make the machine (sectors)
  // Prescribed A_z: on each named boundary a constant [Wb/m], or A = field(x, y)
  // when `field` is set (an applied field in the validation tests).
  struct Dirichlet {
    std::string boundary;
    double value_Wb_per_m = 0;
    std::function<double(double x, double y)> field;
  };
  std::vector<Dirichlet> dirichlet;
  NewtonSettings newton;
  // Start Newton at each position from the previous position's field (the
  // rotor's field turned with it): fewer iterations, the same converged result.
  bool warm_start = true;
};

// One set-up of the machine over the positions: what may differ between set-ups that
// are swept together (solve_batch: same mesh, same Dirichlet nodes).
struct MachineVariant {
  std::vector<RegionSetup> regions;       // every region of band.machine(), as for solve_positions
  StatorLoad load;
  // Optional, per element of the machine mesh: remanence Br'/Br of damaged
  // magnets (solver/demagnetization.hpp); empty = undamaged.
  std::vector<double> remanence_factor;
  // Optional: the first position's starting field, per node of the machine
  // mesh (band.machine()); e.g. the same position solved a moment ago.
  std::vector<double> initial_base_potential;
  std::string name;                       // in error messages; empty: "variant <k>"
};

// What one rotor position gives.
struct PositionResult {
  double angle_rad = 0;
  double theta_e_rad = 0;
  std::array<double, 3> current_A{};
  double torque_Nm = 0;                   // Arkkio in the band
  double torque_check_Nm = 0;             // Arkkio in a second air annulus (NaN when there is none)
  std::string torque_check_region;
  std::array<double, 3> flux_linkage_Wb{};
  double psi_d_Wb = 0, psi_q_Wb = 0;
  double coenergy_J = 0;                  // whole machine, stack length included
  int newton_iterations = 0;
  PositionedMachine machine;              // the mesh at this position (for the results file)
  Solution solution;
};

struct BackEmf {
  bool available = false;
  std::string method;                     // "spectral" (whole electrical periods) or "finite differences"
  double speed_rpm = 0;
  std::array<std::vector<double>, 3> phase_V;   // per position
  std::vector<double> line_ab_V;                 // e_a - e_b
  std::vector<double> harmonic_order;            // electrical harmonic numbers 1, 2, ...
  std::vector<double> phase_a_harmonics_V;       // peak amplitude of each harmonic of e_a
  std::vector<double> line_harmonics_V;
  double phase_a_rms_V = 0, line_rms_V = 0;
};

struct PositionSummary {
  bool loaded = false;                    // any stator current at any position
  double torque_avg_Nm = 0;
  double torque_ripple_pct = 0;           // (max - min) / |avg| x 100; NaN without load (cogging:
                                          // use the peak-to-peak value)
  double torque_peak_to_peak_Nm = 0;
  BackEmf back_emf;
};

// Called after each position, once per variant (done = positions done).
using PositionProgress = std::function<void(int done, int total, const PositionResult&)>;

// `regions`: the set-up of every region of band.machine() (materials,
// magnetizations as meshed, no currents: coil currents come from `load`).
// Undamaged magnets, cold start at the first position.
// Throws SolveError when a position does not converge (naming the angle).
std::vector<PositionResult> solve_positions(const MovingBand& band, const std::vector<RegionSetup>& regions,
                                            const ModelWinding& winding, const StatorLoad& load,
                                            const RotorPositions& rotor, kernels::Backend& backend,
                                            const PositionProgress& progress = {});

// Several set-ups over the same positions in lockstep: at each position one
// Problem per variant on the same positioned mesh, all solved by one
// solve_batch (what fills a GPU), each warm-started from its own last field.
// Returns [variant][position], each result as solve_positions gives it.
// solve_batch's start (reference load, Dirichlet lift) is decided per batch:
// variants that all start cold, or all from an initial field, give what they
// give swept alone, within the solver's tolerance (a batch's multigrid
// hierarchy is built from its first case's matrix). Throws SolveError when a
// variant does not converge (naming the angle and, with several, the variant).
std::vector<std::vector<PositionResult>> solve_variants(const MovingBand& band,
                                                        const std::vector<MachineVariant>& variants,
                                                        const ModelWinding& winding, const RotorPositions& rotor,
                                                        kernels::Backend& backend,
                                                        const PositionProgress& progress = {});

// Back-EMF needs `speed_rpm`; the rest does not.
PositionSummary summarize(const std::vector<PositionResult>& positions, const ModelWinding& winding,
                       std::optional<double> speed_rpm);

// The electrical angle at mechanical angle theta (see the conventions above).
double electrical_angle(const ModelWinding& winding, double theta_rad);

// Area of every region of `m` [m^2], with the isoparametric geometry (curved
// P2 sides): the coil areas of the winding's current densities and flux linkages.
std::vector<double> region_areas(const mesh::Mesh& m);

}  // namespace rotormag::solver

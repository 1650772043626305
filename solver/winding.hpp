#pragma once
// The 3-phase winding of a slotted stator: which phase, sign and turns sit in
// every slot and layer, the fundamental winding factor, the phase magnetic
// axes and the smallest symmetry sector. Built with the star of slots
// (N. Bianchi, M. Dai Pre, L. Alberti, E. Fornasiero, "Theory and design of
// fractional-slot PM machines", CLEUP 2007; N. Bianchi, M. Dai Pre, "Use of
// the star of slots in designing fractional-slot single-layer synchronous
// motors", IEE Proc. Electr. Power Appl. 153(3), 2006).
//
// Conventions (fixed here; the flux linkage and the source currents of the
// field problem rely on them):
// - Slots are numbered s = 1..Q counter-clockwise; slot s has its centre at the
//   mechanical angle (s - 1/2) * 2 pi / Q, so angle 0 lies on a tooth centre.
//   In the structs below slot s is stored at index s - 1; table() prints s.
// - Electrical angle = p * mechanical angle (p pole pairs). The phasor of a
//   conductor in slot s sits at alpha_s = p (s - 1/2) 2 pi / Q.
// - A coil side of sign +1 carries the phase current i_k in +z (out of the
//   x-y plane, right-handed); sign -1 carries -i_k.
// - Phase belts of 60 electrical degrees in the order +A, -C, +B, -A, +C, -B
//   with increasing angle. The +A belt starts half a step of the star (of
//   the phasors and their opposites) before slot 1's phasor, so slot 1's top
//   (or only) coil side is always +A: the layout is deterministic.
// - Phase sequence: the rotor turns counter-clockwise (positive angle) and the
//   magnetic axis of B is 2 pi/3 electrical ahead of A's, C's 4 pi/3:
//   i_a = I cos(wt), i_b = I cos(wt - 2pi/3), i_c = I cos(wt - 4pi/3) make a
//   field turning counter-clockwise, and a counter-clockwise rotor induces
//   back-EMFs in the sequence A, B, C.
// - Magnetic axis of a phase: the electrical angle where the fundamental of
//   its air-gap MMF (positive current) points outward, from rotor to stator.
//   By Ampere's law that is arg(sum of sign * turns * exp(j alpha)) - pi/2:
//   a +z conductor at alpha has the outward flux a quarter period behind it.
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace rotormag::solver {

struct WindingError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct WindingSpec {
  int slots = 0;             // Q
  int poles = 0;             // 2p, even
  int phases = 3;            // only 3 is supported
  int layers = 1;            // 1 (one coil side per slot) or 2 (top and bottom)
  int coil_pitch_slots = 0;  // y; 0: automatic, Q / 2p rounded to the nearest integer, halves
                             // down (shorter end turns), at least 1: full pitch for integral-slot
                             // windings, 1 (tooth coils) for concentrated ones
  int turns_per_coil = 1;
  int parallel_paths = 1;
};

enum Phase : int { phase_none = -1, phase_a = 0, phase_b = 1, phase_c = 2 };

struct CoilSide {
  int phase = phase_none;  // 0 = A, 1 = B, 2 = C, -1 = empty
  int sign = 0;            // +1: carries +i_phase in +z; -1: carries -i_phase; 0 when empty
  int turns = 0;           // conductors of this side (= turns of its coil)
  bool empty() const { return phase == phase_none; }
};

// One coil: the go side carries +i_phase in +z, the return side -i_phase.
// Slot indices are 0-based (slot s is index s - 1); layer 0 = top, 1 = bottom.
struct Coil {
  int phase = phase_none;
  int go_slot = 0, go_layer = 0;
  int return_slot = 0, return_layer = 0;
  int turns = 0;
};

struct WindingLayout {
  WindingSpec spec;                          // as given, with coil_pitch_slots resolved
  std::vector<std::array<CoilSide, 2>> slot; // [Q][layer]; layer 0 = top (nearer the air gap)
                                             // or the only layer, 1 = bottom (empty if 1 layer)
  std::vector<Coil> coils;                   // Q coils (2 layers) or Q/2 (1 layer)
  int slots_per_pole_per_phase_num = 0;      // q = Q / (2p m) as a reduced fraction
  int slots_per_pole_per_phase_den = 1;
  double winding_factor = 0;                 // fundamental kw1 = |sum of phasors| / sum of turns
  double pitch_factor = 0;                   // kp1 = |sin(y p pi / Q)|
  double distribution_factor = 0;            // kd1 = kw1 / kp1
  std::array<double, 3> axis_elec_rad{};     // magnetic axis of A, B, C in [0, 2 pi), electrical
  int series_turns_per_phase = 0;            // N_ph: turns of one phase in series (coils x turns / paths)
  double slots_per_pole_per_phase() const {
    return double(slots_per_pole_per_phase_num) / slots_per_pole_per_phase_den;
  }
  // One row per slot ("slot  1 | +A | -C"), then q, kw1 (kd, kp), N_ph and the axes.
  std::string table() const;
};

// Electrical angle alpha_s [rad] of the phasor of slot index i (= s - 1), not wrapped.
double slot_phasor_angle_rad(int slots, int poles, int slot_index);

// Designs the winding; throws WindingError naming the parameter and the reason
// when the combination is not a balanced 3-phase winding of the kind asked for.
// Feasibility: poles even >= 2; slots >= 3; balanced: Q / (3 t) integer with
// t = gcd(Q, p); 1 <= y <= Q/2 with a non-zero pitch factor (y p not a
// multiple of Q); single layer: Q even (each phase then has Q/3 coil sides,
// an even number, Q/6 coils) and the slots must pair into coils s -> s + y
// using every slot once, which holds iff Q / gcd(Q, y) is even; parallel
// paths must split every phase into identical groups of coils (the same
// count of coils of each coil phasor).
// Double layer: a coil from every slot s (top, belt of alpha_s) to s + y
// (bottom, opposite sign). Single layer: coils from half of the slots, a
// pattern {i : i mod d < d/2} of starts that a 120-degree slot shift maps onto
// itself (so the belts balance it); of the patterns that qualify the one with
// the highest kw1 is kept (for full pitch and for tooth coils, y = 1, all
// give the same layout: alternate teeth wound).
WindingLayout design_winding(const WindingSpec& spec);

struct MachineSymmetry {
  int sectors = 1;           // the machine is this many copies of the sector
  double sector_deg = 360;   // 360 / sectors, mechanical
  bool antiperiodic = false; // true: the next sector is the negative of this one
  int slots_per_sector = 0;
  int poles_per_sector = 0;
};

// The smallest sector (360/n degrees with Q/n whole slots and 2p/n whole
// poles) over which slots, rotor and winding repeat: periodic when the sector
// holds an even number of poles, anti-periodic when odd; the winding must
// then equal (+) or be the negative (-) of itself one sector further on,
// checked slot by slot and layer by layer on the layout itself.
MachineSymmetry smallest_sector(const WindingLayout& layout);

}  // namespace rotormag::solver

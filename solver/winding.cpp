#include "solver/winding.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace rotormag::solver {
namespace {

constexpr double pi = 3.14159265358979323846;
constexpr int phase_count = 3;
using Phasor = std::complex<double>;

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string machine(const WindingSpec& s) {
  return "slots = " + std::to_string(s.slots) + ", poles = " + std::to_string(s.poles);
}

[[noreturn]] void fail(const std::string& what) { throw WindingError("winding: " + what); }

double wrap_2pi(double a) {
  a = std::fmod(a, 2 * pi);
  return a < 0 ? a + 2 * pi : a;
}

// Checks everything that does not need the layout itself.
void check_spec(const WindingSpec& s) {
  if (s.phases != phase_count)
    fail("phases = " + std::to_string(s.phases) + ": only 3-phase windings are supported");
  if (s.poles < 2 || s.poles % 2 != 0)
    fail("poles = " + std::to_string(s.poles) + ": the number of poles must be even and at least 2");
  if (s.slots < 3) fail("slots = " + std::to_string(s.slots) + ": a 3-phase winding needs at least 3 slots");
  if (s.layers != 1 && s.layers != 2)
    fail("layers = " + std::to_string(s.layers) + ": must be 1 (single layer) or 2 (double layer)");
  if (s.turns_per_coil < 1)
    fail("turns_per_coil = " + std::to_string(s.turns_per_coil) + ": must be at least 1");
  if (s.parallel_paths < 1)
    fail("parallel_paths = " + std::to_string(s.parallel_paths) + ": must be at least 1");
  if (s.coil_pitch_slots < 0 || s.coil_pitch_slots > s.slots / 2)
    fail("coil_pitch_slots = " + std::to_string(s.coil_pitch_slots) + ": must be between 1 and Q/2 = " +
         std::to_string(s.slots / 2) + " (or 0 for automatic)");

  // Balance: the star has Q/t spokes (t phasors each); a rotation by 120
  // electrical degrees maps it onto itself only if Q/t is a multiple of 3.
  const int p = s.poles / 2;
  const int t = std::gcd(s.slots, p);
  if (s.slots % (3 * t) != 0)
    fail(machine(s) + ": no balanced 3-phase winding; it needs Q/(3t) integer with t = gcd(Q, p) = " +
         std::to_string(t) + ", here Q/(3t) = " + std::to_string(s.slots) + "/" + std::to_string(3 * t));

  if (s.layers == 1 && s.slots % 2 != 0)
    fail(machine(s) + ", layers = 1: a single-layer winding needs an even number of slots (each coil takes "
         "two slots, so each phase needs an even number Q/3 of coil sides, i.e. Q/6 integer)");
}

// Nearest integer to Q/2p, halves down, at least 1.
int automatic_pitch(const WindingSpec& s) {
  const int p = s.poles / 2;
  return std::max(1, (s.slots + p - 1) / (2 * p));
}

// Index (0..5) of the 60-degree phase belt that holds the electrical angle
// alpha. The belts start at beta, half a step of the star before slot 1's
// phasor: the phasors and their opposites lie on a lattice of step
// pi gcd(2p, Q) / Q, and with Q/(3t) integer no lattice point falls on a
// belt edge, so no assignment is decided by rounding.
int belt_of(double alpha, double beta) {
  const int b = int(std::floor(wrap_2pi(alpha - beta) / (pi / 3)));
  return std::min(b, 5);
}

// Belts in the order of increasing angle: +A, -C, +B, -A, +C, -B.
CoilSide side_of_belt(int belt, int turns) {
  CoilSide c;
  c.sign = belt % 2 == 0 ? +1 : -1;
  c.phase = belt % 2 == 0 ? belt / 2 : ((belt + 3) / 2) % 3;
  c.turns = turns;
  return c;
}

CoilSide negated(CoilSide c) {
  c.sign = -c.sign;
  return c;
}

// Single layer: each coil s -> s+y starts in one half of the slots and ends
// in the other. Following s -> s+y visits the slots in h = gcd(Q, y) cycles
// (the classes mod h), starts and ends alternating, so the set of starts has
// period 2h and each cycle can be oriented two ways. The belts give a
// balanced winding when the set of starts maps onto itself under a slot
// shift m that turns the star by 120 degrees (p m = Q/3 mod Q): A's coils
// then map onto B's and B's onto C's. The set {i : i mod d < d/2} with
// d = gcd(m, 2h) is such a set when d does not divide h (then h = d/2 mod d,
// and the shift by y swaps its halves). Such an m exists whenever Q/(3t) is
// an integer and Q/h is even: with u = Q/t, if p/t is odd every m is a
// multiple of the power of two in u, and adding multiples of u (also a 120
// degree shift) reaches a multiple of the power of two in 2h; if p/t is even,
// u is odd and adding u changes the parity. Returns every such d, ascending.
std::vector<int> single_layer_start_periods(int Q, int p, int y) {
  const int h = std::gcd(Q, y);
  std::vector<int> periods;
  for (int m = 1; m < Q; ++m) {
    if (static_cast<long>(p) * m % Q != Q / 3) continue;
    const int d = std::gcd(m, 2 * h);
    if (h % d != 0 && std::find(periods.begin(), periods.end(), d) == periods.end()) periods.push_back(d);
  }
  std::sort(periods.begin(), periods.end());
  return periods;
}

// Places the coils s -> s+y: from every slot (start_period 0: double layer)
// or from the slots i with i mod start_period < start_period/2 (single layer).
// Each coil takes the phase and sign of the belt of its first slot's phasor.
void place_coils(WindingLayout& w, int start_period) {
  const WindingSpec& s = w.spec;
  const int Q = s.slots, y = s.coil_pitch_slots, p = s.poles / 2;
  const double beta = slot_phasor_angle_rad(Q, s.poles, 0) - 0.5 * pi * std::gcd(2 * p, Q) / Q;
  w.slot.assign(Q, {});
  w.coils.clear();
  for (int i = 0; i < Q; ++i) {
    if (start_period > 0 && i % start_period >= start_period / 2) continue;
    const CoilSide top = side_of_belt(belt_of(slot_phasor_angle_rad(Q, s.poles, i), beta), s.turns_per_coil);
    const int j = (i + y) % Q;
    const int bottom_layer = s.layers == 2 ? 1 : 0;
    w.slot[i][0] = top;
    w.slot[j][bottom_layer] = negated(top);
    Coil c;
    c.phase = top.phase;
    c.turns = s.turns_per_coil;
    if (top.sign > 0) {
      c.go_slot = i, c.go_layer = 0, c.return_slot = j, c.return_layer = bottom_layer;
    } else {
      c.go_slot = j, c.go_layer = bottom_layer, c.return_slot = i, c.return_layer = 0;
    }
    w.coils.push_back(c);
  }
}

// EMF phasor sum of each phase: sum over its coil sides of sign turns exp(j alpha).
std::array<Phasor, 3> phase_phasors(const WindingLayout& w) {
  std::array<Phasor, 3> sum{};
  for (int i = 0; i < w.spec.slots; ++i)
    for (const CoilSide& c : w.slot[i])
      if (!c.empty())
        sum[c.phase] += double(c.sign * c.turns) * std::polar(1.0, slot_phasor_angle_rad(w.spec.slots, w.spec.poles, i));
  return sum;
}

std::array<int, 3> coils_per_phase(const WindingLayout& w) {
  std::array<int, 3> n{};
  for (const Coil& c : w.coils) ++n[c.phase];
  return n;
}

// A safeguard on the result: the arguments above (belts rotated by 120
// degrees, start patterns invariant under the 120-degree shift) already
// guarantee equal coil counts and EMFs 120 degrees apart.
void check_balanced(const WindingLayout& w, const std::array<Phasor, 3>& e) {
  const auto n = coils_per_phase(w);
  const double scale = std::abs(e[0]);
  bool ok = n[0] == n[1] && n[1] == n[2] && scale > 0;
  for (int k = 1; ok && k < 3; ++k)
    ok = std::abs(e[k] - e[0] * std::polar(1.0, 2 * pi * k / 3)) <= 1e-9 * scale;
  if (!ok)
    fail(machine(w.spec) + ", layers = " + std::to_string(w.spec.layers) + ", coil_pitch_slots = " +
         std::to_string(w.spec.coil_pitch_slots) +
         ": the coils of this layout do not form a balanced 3-phase winding (phase EMFs differ)");
}

// Paths in parallel must carry equal EMFs: each path gets the same number of
// coils of every distinct coil phasor, so the path count must divide each of
// those numbers (in every phase, they are equal by balance: check phase A).
void check_paths(const WindingLayout& w) {
  const int Q = w.spec.slots, a = w.spec.parallel_paths;
  std::vector<std::pair<Phasor, int>> classes;
  for (const Coil& c : w.coils) {
    if (c.phase != phase_a) continue;
    const Phasor e = std::polar(1.0, slot_phasor_angle_rad(Q, w.spec.poles, c.go_slot)) -
                     std::polar(1.0, slot_phasor_angle_rad(Q, w.spec.poles, c.return_slot));
    auto same = [&](const auto& cls) { return std::abs(cls.first - e) < 1e-9; };
    auto it = std::find_if(classes.begin(), classes.end(), same);
    if (it == classes.end()) classes.push_back({e, 1}); else ++it->second;
  }
  int groups = 0;
  for (const auto& cls : classes) groups = std::gcd(groups, cls.second);
  if (groups % a != 0)
    fail("parallel_paths = " + std::to_string(a) + " with " + machine(w.spec) + ", layers = " +
         std::to_string(w.spec.layers) + ": each phase splits into at most " + std::to_string(groups) +
         " identical groups of coils, so the number of parallel paths must divide " + std::to_string(groups));
}

void fill_factors(WindingLayout& w, const std::array<Phasor, 3>& e) {
  const WindingSpec& s = w.spec;
  const int p = s.poles / 2;
  const int sides_turns = 2 * coils_per_phase(w)[phase_a] * s.turns_per_coil;
  w.winding_factor = std::abs(e[phase_a]) / sides_turns;
  w.pitch_factor = std::abs(std::sin(pi * s.coil_pitch_slots * p / s.slots));
  w.distribution_factor = w.winding_factor / w.pitch_factor;
  for (int k = 0; k < 3; ++k) w.axis_elec_rad[k] = wrap_2pi(std::arg(e[k]) - pi / 2);
  w.series_turns_per_phase = coils_per_phase(w)[phase_a] * s.turns_per_coil / s.parallel_paths;
  const int num = s.slots, den = 3 * s.poles, g = std::gcd(num, den);
  w.slots_per_pole_per_phase_num = num / g;
  w.slots_per_pole_per_phase_den = den / g;
}

std::string side_label(const CoilSide& c) {
  if (c.empty()) return " .";
  return std::string(c.sign > 0 ? "+" : "-") + char('A' + c.phase);
}

bool equals_scaled(const CoilSide& a, const CoilSide& b, int factor) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  return a.phase == b.phase && a.turns == b.turns && a.sign == factor * b.sign;
}

// True if shifting the winding by `shift` slots gives `factor` times itself.
bool repeats(const WindingLayout& w, int shift, int factor) {
  const int Q = w.spec.slots;
  for (int i = 0; i < Q; ++i)
    for (int layer = 0; layer < 2; ++layer)
      if (!equals_scaled(w.slot[(i + shift) % Q][layer], w.slot[i][layer], factor)) return false;
  return true;
}

}  // namespace

double slot_phasor_angle_rad(int slots, int poles, int slot_index) {
  return (poles / 2) * (slot_index + 0.5) * 2 * pi / slots;
}

WindingLayout design_winding(const WindingSpec& spec) {
  check_spec(spec);
  WindingLayout w;
  w.spec = spec;
  if (w.spec.coil_pitch_slots == 0) w.spec.coil_pitch_slots = automatic_pitch(spec);
  const int Q = spec.slots, y = w.spec.coil_pitch_slots;
  if (static_cast<long>(y) * (spec.poles / 2) % Q == 0)
    fail("coil_pitch_slots = " + std::to_string(y) + " with " + machine(spec) +
         ": both sides of each coil sit at the same electrical angle (pitch factor 0)");
  if (spec.layers == 1 && (Q / std::gcd(Q, y)) % 2 != 0)
    fail("coil_pitch_slots = " + std::to_string(y) + " with slots = " + std::to_string(Q) +
         ", layers = 1: coils s -> s+y cannot use every slot exactly once (needs Q / gcd(Q, y) even, here " +
         std::to_string(Q / std::gcd(Q, y)) + ")");
  if (spec.layers == 2) {
    place_coils(w, 0);
  } else {
    // Several start patterns may balance; keep the one of highest kw1 (the
    // first, shortest period on a tie) so that the layout is deterministic.
    double best = -1;
    WindingLayout trial = w;
    for (int d : single_layer_start_periods(Q, spec.poles / 2, y)) {
      place_coils(trial, d);
      const double emf = std::abs(phase_phasors(trial)[phase_a]);
      if (emf > best * (1 + 1e-12)) best = emf, w = trial;
    }
    if (best < 0)  // not expected: the periods exist under the checks above
      fail(machine(spec) + ", layers = 1, coil_pitch_slots = " + std::to_string(y) +
           ": no arrangement of single-layer coils gives a balanced winding");
  }
  const auto e = phase_phasors(w);
  check_balanced(w, e);
  check_paths(w);
  fill_factors(w, e);
  return w;
}

std::string WindingLayout::table() const {
  std::string out;
  const int width = int(std::to_string(slot.size()).size());
  for (size_t i = 0; i < slot.size(); ++i) {
    char num[16];
    std::snprintf(num, sizeof num, "%*zu", width, i + 1);
    out += std::string("slot ") + num + " | " + side_label(slot[i][0]);
    if (spec.layers == 2) out += " | " + side_label(slot[i][1]);
    out += "\n";
  }
  out += "Q = " + std::to_string(spec.slots) + " slots, 2p = " + std::to_string(spec.poles) + " poles, " +
         (spec.layers == 2 ? "double" : "single") + " layer, coil pitch " + std::to_string(spec.coil_pitch_slots) +
         " slots, " + std::to_string(spec.turns_per_coil) + " turns per coil, " +
         std::to_string(spec.parallel_paths) + " parallel path(s)\n";
  out += "q = " + std::to_string(slots_per_pole_per_phase_num) +
         (slots_per_pole_per_phase_den == 1 ? "" : "/" + std::to_string(slots_per_pole_per_phase_den)) +
         ", kw1 = " + fixed(winding_factor, 5) + " (kd1 = " + fixed(distribution_factor, 5) +
         ", kp1 = " + fixed(pitch_factor, 5) + "), N_ph = " + std::to_string(series_turns_per_phase) +
         " series turns per phase\n";
  out += "magnetic axes (electrical deg): A " + fixed(axis_elec_rad[0] * 180 / pi, 2) + ", B " +
         fixed(axis_elec_rad[1] * 180 / pi, 2) + ", C " + fixed(axis_elec_rad[2] * 180 / pi, 2) + "\n";
  return out;
}

MachineSymmetry smallest_sector(const WindingLayout& w) {
  const int Q = w.spec.slots, poles = w.spec.poles;
  // Largest n first: the smallest sector that repeats wins.
  for (int n = std::gcd(Q, poles); n > 1; --n) {
    if (Q % n != 0 || poles % n != 0) continue;
    const int poles_per_sector = poles / n;
    // The rotor field changes sign after every pole, so an odd number of
    // poles makes the sector anti-periodic; the currents must follow.
    const int factor = poles_per_sector % 2 == 0 ? +1 : -1;
    if (!repeats(w, Q / n, factor)) continue;
    MachineSymmetry m;
    m.sectors = n;
    m.sector_deg = 360.0 / n;
    m.antiperiodic = factor < 0;
    m.slots_per_sector = Q / n;
    m.poles_per_sector = poles_per_sector;
    return m;
  }
  MachineSymmetry whole;  // no smaller sector: the whole machine, periodic
  whole.sectors = 1;
  whole.sector_deg = 360;
  whole.antiperiodic = false;
  whole.slots_per_sector = Q;
  whole.poles_per_sector = poles;
  return whole;
}

}  // namespace rotormag::solver

// The 3-phase winding layout (star of slots): winding factors against the
// textbook formulas kd1 = sin(q' a/2) / (q' sin(a/2)), kp1 = sin(y p pi/Q)
// and the literature values, balance of the phase EMFs, the slot table of
// known machines, the magnetic axes against a Biot-Savart field, the
// smallest symmetry sector, and the error messages of infeasible windings.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "solver/winding.hpp"

namespace rm = rotormag;
using rm::solver::CoilSide;
using rm::solver::WindingError;
using rm::solver::WindingLayout;
using rm::solver::WindingSpec;

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double deg = pi / 180;

WindingSpec spec(int slots, int poles, int layers, int pitch = 0, int turns = 1, int paths = 1) {
  WindingSpec s;
  s.slots = slots;
  s.poles = poles;
  s.layers = layers;
  s.coil_pitch_slots = pitch;
  s.turns_per_coil = turns;
  s.parallel_paths = paths;
  return s;
}

// Distribution factor of n phasors spread evenly over n * step.
double kd(int n, double step) { return std::sin(n * step / 2) / (n * std::sin(step / 2)); }

// Phase EMF phasor, written out here from the convention (slot s at
// electrical angle p (s - 1/2) 2 pi / Q) rather than taken from the module.
std::complex<double> emf(const WindingLayout& w, int phase) {
  std::complex<double> sum = 0;
  const int Q = w.spec.slots, p = w.spec.poles / 2;
  for (int i = 0; i < Q; ++i)
    for (const CoilSide& c : w.slot[i])
      if (c.phase == phase) sum += double(c.sign * c.turns) * std::polar(1.0, p * (i + 0.5) * 2 * pi / Q);
  return sum;
}

std::string label(const CoilSide& c) {
  if (c.phase < 0) return ".";
  return std::string(c.sign > 0 ? "+" : "-") + char('A' + c.phase);
}

std::string layer_sequence(const WindingLayout& w, int layer) {
  std::string out;
  for (const auto& s : w.slot) out += (out.empty() ? "" : " ") + label(s[layer]);
  return out;
}

int coil_sides(const WindingLayout& w, int phase) {
  int n = 0;
  for (const auto& s : w.slot)
    for (const CoilSide& c : s) n += c.phase == phase;
  return n;
}

double wrap(double a) {
  a = std::fmod(a, 2 * pi);
  return a < 0 ? a + 2 * pi : a;
}

double angle_distance(double a, double b) {
  const double d = wrap(a - b);
  return std::min(d, 2 * pi - d);
}

std::string message_of(const WindingSpec& s) {
  try {
    rm::solver::design_winding(s);
  } catch (const WindingError& e) {
    return e.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------------------
// Toyota Prius 2004: 48 slots, 8 poles, single layer, full pitch (y = 6).

TEST(Winding, Prius48Slots8PolesSingleLayer) {
  const WindingLayout w = rm::solver::design_winding(spec(48, 8, 1));
  EXPECT_EQ(w.spec.coil_pitch_slots, 6);  // automatic: full pitch Q/2p
  EXPECT_EQ(w.slots_per_pole_per_phase_num, 2);
  EXPECT_EQ(w.slots_per_pole_per_phase_den, 1);
  // q = 2: kd1 = sin(30 deg) / (2 sin(15 deg)) = 0.9659258, kp1 = 1.
  EXPECT_NEAR(w.winding_factor, std::sin(30 * deg) / (2 * std::sin(15 * deg)), 1e-12);
  EXPECT_NEAR(w.winding_factor, 0.9659258, 1e-7);
  EXPECT_NEAR(w.pitch_factor, 1.0, 1e-12);
  // The classic belt sequence, slot 1 = +A by this module's convention.
  EXPECT_EQ(layer_sequence(w, 0).substr(0, 12 * 3 - 1), "+A +A -C -C +B +B -A -A +C +C -B -B");
  for (const auto& s : w.slot) EXPECT_TRUE(s[1].empty());
  for (int k = 0; k < 3; ++k) EXPECT_EQ(coil_sides(w, k), 16);
  EXPECT_EQ(w.coils.size(), 24u);
  // Repeats every 6 slots (one pole) with the sign flipped.
  for (int i = 0; i < 48; ++i) {
    const CoilSide &a = w.slot[i][0], &b = w.slot[(i + 6) % 48][0];
    EXPECT_EQ(b.phase, a.phase) << "slot " << i + 1;
    EXPECT_EQ(b.sign, -a.sign) << "slot " << i + 1;
  }
  const auto sym = rm::solver::smallest_sector(w);
  EXPECT_EQ(sym.sectors, 8);
  EXPECT_DOUBLE_EQ(sym.sector_deg, 45.0);
  EXPECT_TRUE(sym.antiperiodic);
  EXPECT_EQ(sym.slots_per_sector, 6);
  EXPECT_EQ(sym.poles_per_sector, 1);
  // 8 coils per phase of 1 turn in series.
  EXPECT_EQ(w.series_turns_per_phase, 8);
  // Phase A's conductors: +A in slots 1, 2 (electrical 15, 45 deg), so the
  // EMF phasor is at 30 deg and the magnetic axis at 30 - 90 = -60 = 300 deg.
  EXPECT_NEAR(w.axis_elec_rad[0], 300 * deg, 1e-12);
}

TEST(Winding, PriusParallelPaths) {
  // Each phase: 4 coils starting at the first slot of a +A belt and 4 at
  // the second (phasors 30 deg apart), so 1, 2 or 4 identical paths.
  const WindingLayout w4 = rm::solver::design_winding(spec(48, 8, 1, 0, 9, 4));
  EXPECT_EQ(w4.series_turns_per_phase, 8 * 9 / 4);
  EXPECT_EQ(rm::solver::design_winding(spec(48, 8, 1, 0, 9, 2)).series_turns_per_phase, 36);
  const std::string m = message_of(spec(48, 8, 1, 0, 9, 8));
  EXPECT_NE(m.find("parallel_paths = 8"), std::string::npos) << m;
  EXPECT_NE(m.find("must divide 4"), std::string::npos) << m;
  EXPECT_NE(message_of(spec(48, 8, 1, 0, 9, 3)).find("parallel_paths = 3"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Fractional-slot concentrated windings (coil pitch 1, double layer).

TEST(Winding, Concentrated12Slots10Poles) {
  const WindingLayout w = rm::solver::design_winding(spec(12, 10, 2));
  EXPECT_EQ(w.spec.coil_pitch_slots, 1);  // automatic: round(1.2)
  EXPECT_EQ(w.slots_per_pole_per_phase_num, 2);
  EXPECT_EQ(w.slots_per_pole_per_phase_den, 5);
  // kd1 = cos(15 deg), kp1 = sin(75 deg): kw1 = 0.9330127 (literature 0.933).
  EXPECT_NEAR(w.pitch_factor, std::sin(75 * deg), 1e-12);
  EXPECT_NEAR(w.distribution_factor, std::cos(15 * deg), 1e-12);
  EXPECT_NEAR(w.winding_factor, 0.9330127, 1e-7);
  EXPECT_NEAR(w.winding_factor, 0.933, 5e-4);
  // Star of slots by hand (slot s at 150 (s - 1/2) deg, belts from 60 deg):
  // pairs of neighbouring coils of one phase, A -A / B -B / C -C.
  EXPECT_EQ(layer_sequence(w, 0), "+A +B -B -C +C +A -A -B +B +C -C -A");
  EXPECT_EQ(layer_sequence(w, 1), "+A -A -B +B +C -C -A +A +B -B -C +C");
  // t = gcd(12, 5) = 1, but the second half (6 slots, 5 poles) is the
  // negative of the first: two anti-periodic sectors of 180 deg.
  const auto sym = rm::solver::smallest_sector(w);
  EXPECT_EQ(sym.sectors, 2);
  EXPECT_DOUBLE_EQ(sym.sector_deg, 180.0);
  EXPECT_TRUE(sym.antiperiodic);
  EXPECT_EQ(sym.slots_per_sector, 6);
  EXPECT_EQ(sym.poles_per_sector, 5);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(coil_sides(w, k), 8);
  EXPECT_EQ(w.series_turns_per_phase, 4);
}

TEST(Winding, Concentrated9Slots8Poles) {
  const WindingLayout w = rm::solver::design_winding(spec(9, 8, 2));
  // q = 3/8: three coils 20 deg apart, kp1 = sin(80 deg); kw1 = 0.9452.
  EXPECT_NEAR(w.distribution_factor, kd(3, 20 * deg), 1e-12);
  EXPECT_NEAR(w.pitch_factor, std::sin(80 * deg), 1e-12);
  EXPECT_NEAR(w.winding_factor, 0.9452, 5e-5);
  EXPECT_EQ(layer_sequence(w, 0), "+A +B -B +B +C -C +C +A -A");
  // gcd(9, 8) = 1 and no sign symmetry: the whole machine.
  const auto sym = rm::solver::smallest_sector(w);
  EXPECT_EQ(sym.sectors, 1);
  EXPECT_FALSE(sym.antiperiodic);
  EXPECT_EQ(sym.slots_per_sector, 9);
}

TEST(Winding, Concentrated12Slots8Poles) {
  const WindingLayout w = rm::solver::design_winding(spec(12, 8, 2));
  EXPECT_EQ(w.spec.coil_pitch_slots, 1);  // Q/2p = 1.5 rounds down to tooth coils
  EXPECT_NEAR(w.winding_factor, std::sin(60 * deg), 1e-12);  // 0.8660
  EXPECT_NEAR(w.winding_factor, 0.8660, 5e-5);
  EXPECT_NEAR(w.distribution_factor, 1.0, 1e-12);
  EXPECT_EQ(layer_sequence(w, 0), "+A +B +C +A +B +C +A +B +C +A +B +C");
  // t = gcd(12, 4) = 4 sectors of 3 slots and 2 poles, periodic.
  const auto sym = rm::solver::smallest_sector(w);
  EXPECT_EQ(sym.sectors, 4);
  EXPECT_DOUBLE_EQ(sym.sector_deg, 90.0);
  EXPECT_FALSE(sym.antiperiodic);
}

// ---------------------------------------------------------------------------
// Distributed windings.

TEST(Winding, ShortPitched24Slots4Poles) {
  const WindingLayout w = rm::solver::design_winding(spec(24, 4, 2, 5));
  // q = 2, slot angle 30 deg: kd1 = 0.9659, y = 5 of 6: kp1 = sin(75 deg) = 0.9659.
  EXPECT_NEAR(w.distribution_factor, kd(2, 30 * deg), 1e-12);
  EXPECT_NEAR(w.pitch_factor, std::sin(75 * deg), 1e-12);
  EXPECT_NEAR(w.winding_factor, 0.9330, 5e-5);
  // Full pitch (automatic y = 6) has kw1 = kd1.
  EXPECT_NEAR(rm::solver::design_winding(spec(24, 4, 2)).winding_factor, kd(2, 30 * deg), 1e-12);
  const auto sym = rm::solver::smallest_sector(w);
  EXPECT_EQ(sym.sectors, 4);
  EXPECT_TRUE(sym.antiperiodic);
  EXPECT_EQ(sym.slots_per_sector, 6);
}

TEST(Winding, SingleLayer36Slots4Poles) {
  const WindingLayout w = rm::solver::design_winding(spec(36, 4, 1));
  EXPECT_EQ(w.spec.coil_pitch_slots, 9);
  // q = 3, slot angle 20 deg: kw1 = sin(30 deg) / (3 sin(10 deg)) = 0.9598.
  EXPECT_NEAR(w.winding_factor, kd(3, 20 * deg), 1e-12);
  EXPECT_NEAR(w.winding_factor, 0.9598, 5e-5);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(coil_sides(w, k), 12);
}

TEST(Winding, SingleLayerConcentrated) {
  // 12/10 single layer, alternate teeth wound: kw1 = kp1 = sin(75 deg) = 0.9659.
  const WindingLayout a = rm::solver::design_winding(spec(12, 10, 1));
  EXPECT_NEAR(a.winding_factor, std::sin(75 * deg), 1e-12);
  EXPECT_EQ(layer_sequence(a, 0), "+A -A -B +B +C -C -A +A +B -B -C +C");
  EXPECT_EQ(a.coils.size(), 6u);
  // 12/8 single layer: kw1 = sin(60 deg); only every other tooth is wound,
  // so the winding repeats over 2 sectors (t = 4 holds for the slots only).
  const WindingLayout b = rm::solver::design_winding(spec(12, 8, 1));
  EXPECT_NEAR(b.winding_factor, std::sin(60 * deg), 1e-12);
  const auto sym = rm::solver::smallest_sector(b);
  EXPECT_EQ(sym.sectors, 2);
  EXPECT_FALSE(sym.antiperiodic);
  EXPECT_EQ(sym.poles_per_sector, 4);
}

// ---------------------------------------------------------------------------
// Properties over many machines.

std::vector<WindingSpec> known_machines() {
  return {spec(48, 8, 1),    spec(12, 10, 2), spec(9, 8, 2),  spec(12, 8, 2),     spec(24, 4, 2, 5),
          spec(36, 4, 1),    spec(12, 10, 1), spec(12, 8, 1), spec(24, 4, 1, 5),  spec(18, 16, 2),
          spec(36, 8, 2, 4), spec(27, 6, 2),  spec(54, 6, 2, 8, 3, 3)};
}

TEST(Winding, PhaseEmfsAreBalanced) {
  for (const WindingSpec& s : known_machines()) {
    const WindingLayout w = rm::solver::design_winding(s);
    const auto a = emf(w, 0), b = emf(w, 1), c = emf(w, 2);
    SCOPED_TRACE(w.table());
    ASSERT_GT(std::abs(a), 0.0);
    // Equal magnitudes, B = A e^{j 120 deg}, C = A e^{j 240 deg} (relative 1e-12).
    EXPECT_NEAR(std::abs(b), std::abs(a), 1e-12 * std::abs(a));
    EXPECT_NEAR(std::abs(c), std::abs(a), 1e-12 * std::abs(a));
    EXPECT_NEAR(std::abs(b - a * std::polar(1.0, 2 * pi / 3)), 0.0, 1e-12 * std::abs(a));
    EXPECT_NEAR(std::abs(c - a * std::polar(1.0, 4 * pi / 3)), 0.0, 1e-12 * std::abs(a));
    // kw1 is |EMF| over the turns of all the phase's coil sides.
    const double turns = coil_sides(w, 0) * s.turns_per_coil;
    EXPECT_NEAR(w.winding_factor, std::abs(a) / turns, 1e-12);
    EXPECT_NEAR(w.winding_factor, w.distribution_factor * w.pitch_factor, 1e-12);
    // Every coil has its go side at +1 and its return side at -1.
    for (const auto& coil : w.coils) {
      EXPECT_EQ(w.slot[coil.go_slot][coil.go_layer].sign, +1);
      EXPECT_EQ(w.slot[coil.return_slot][coil.return_layer].sign, -1);
      EXPECT_EQ(w.slot[coil.go_slot][coil.go_layer].phase, coil.phase);
      EXPECT_EQ(w.slot[coil.return_slot][coil.return_layer].phase, coil.phase);
    }
    // N_ph = coils per phase x turns / paths.
    EXPECT_EQ(w.series_turns_per_phase, coil_sides(w, 0) / 2 * s.turns_per_coil / s.parallel_paths);
  }
}

// Sweep over Q = 3..60, 2p = 2..24, both layer counts and every coil pitch
// 1..Q/2: every combination that passes the documented feasibility rules
// gives a balanced, fully filled winding whose smallest sector really
// repeats, and every one that fails them is refused.
TEST(Winding, FeasibilityRulesMatchTheConstruction) {
  int built = 0, refused = 0;
  for (int Q = 3; Q <= 60; ++Q)
    for (int poles = 2; poles <= 24; poles += 2)
      for (int layers = 1; layers <= 2; ++layers)
        for (int y = 0; y <= Q / 2; ++y) {
          const int p = poles / 2, t = std::gcd(Q, p);
          const int pitch = y > 0 ? y : std::max(1, (Q + p - 1) / (2 * p));  // the documented automatic pitch
          bool feasible = Q % (3 * t) == 0 && std::abs(std::sin(pi * pitch * p / Q)) > 1e-9;
          if (layers == 1) feasible = feasible && Q % 2 == 0 && (Q / std::gcd(Q, pitch)) % 2 == 0;
          SCOPED_TRACE("Q = " + std::to_string(Q) + ", 2p = " + std::to_string(poles) + ", layers " +
                       std::to_string(layers) + ", y = " + std::to_string(y));
          if (!feasible) {
            EXPECT_THROW(rm::solver::design_winding(spec(Q, poles, layers, y)), WindingError);
            ++refused;
            continue;
          }
          const WindingLayout w = rm::solver::design_winding(spec(Q, poles, layers, y));
          ++built;
          ASSERT_EQ(w.spec.coil_pitch_slots, pitch);
          const auto a = emf(w, 0);
          ASSERT_NEAR(std::abs(emf(w, 1) - a * std::polar(1.0, 2 * pi / 3)), 0.0, 1e-9 * std::abs(a));
          ASSERT_NEAR(std::abs(emf(w, 2) - a * std::polar(1.0, 4 * pi / 3)), 0.0, 1e-9 * std::abs(a));
          ASSERT_GT(w.winding_factor, 0.0);
          ASSERT_LE(w.winding_factor, 1.0 + 1e-12);
          for (const auto& s : w.slot) {  // both layers filled (double) or the one (single)
            ASSERT_FALSE(s[0].empty());
            ASSERT_EQ(s[1].empty(), layers == 1);
          }
          const auto sym = rm::solver::smallest_sector(w);
          ASSERT_EQ(Q % sym.sectors, 0);
          ASSERT_EQ(poles % sym.sectors, 0);
          ASSERT_EQ(sym.antiperiodic, (poles / sym.sectors) % 2 == 1);
          const int shift = Q / sym.sectors, factor = sym.antiperiodic ? -1 : 1;
          for (int i = 0; i < Q; ++i)
            for (int l = 0; l < 2; ++l) {
              const CoilSide &c = w.slot[i][l], &n = w.slot[(i + shift) % Q][l];
              ASSERT_EQ(n.phase, c.phase);
              ASSERT_EQ(n.sign, factor * c.sign);
            }
        }
  // The sweep covers both outcomes (3893 built, 19075 refused when written).
  EXPECT_GT(built, 3000);
  EXPECT_GT(refused, 3000);
}

// ---------------------------------------------------------------------------
// Magnetic axes: the radial field of the phase's conductors as line currents
// (Biot-Savart in free space; concentric iron would scale each harmonic but
// not move it) peaks at the reported axis.

double biot_savart_axis(const WindingLayout& w, int phase) {
  const int Q = w.spec.slots, p = w.spec.poles / 2;
  const double R = 1.0, r = 0.5;
  const int n = 360;
  std::complex<double> fundamental = 0;
  for (int k = 0; k < n; ++k) {
    const double phi = 2 * pi * k / n, x = r * std::cos(phi), y = r * std::sin(phi);
    double bx = 0, by = 0;
    for (int i = 0; i < Q; ++i)
      for (const CoilSide& c : w.slot[i]) {
        if (c.phase != phase) continue;
        const double phi_s = (i + 0.5) * 2 * pi / Q;
        const double dx = x - R * std::cos(phi_s), dy = y - R * std::sin(phi_s), d2 = dx * dx + dy * dy;
        const double current = c.sign * c.turns;  // +z
        bx += current * -dy / d2;                  // B ~ z x d / |d|^2
        by += current * dx / d2;
      }
    const double br = bx * std::cos(phi) + by * std::sin(phi);
    fundamental += br * std::polar(1.0, -p * phi);
  }
  return wrap(-std::arg(fundamental));  // Re(c e^{j p phi}) peaks at p phi = -arg c
}

TEST(Winding, MagneticAxesFollowTheFieldOfThePhaseCurrents) {
  for (const WindingSpec& s : known_machines()) {
    const WindingLayout w = rm::solver::design_winding(s);
    SCOPED_TRACE(w.table());
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(angle_distance(biot_savart_axis(w, k), w.axis_elec_rad[k]), 0.0, 1e-9);
    // B leads A by 120 deg electrical, C by 240 deg.
    EXPECT_NEAR(angle_distance(w.axis_elec_rad[1], w.axis_elec_rad[0] + 2 * pi / 3), 0.0, 1e-12);
    EXPECT_NEAR(angle_distance(w.axis_elec_rad[2], w.axis_elec_rad[0] + 4 * pi / 3), 0.0, 1e-12);
  }
}

TEST(Winding, BalancedCurrentsMakeACounterClockwiseField) {
  // MMF fundamental sum_k i_k cos(theta - axis_k) with i_k = cos(wt - 2 pi k/3)
  // = 3/2 cos(theta - axis_A - wt): its peak moves to larger angles.
  const WindingLayout w = rm::solver::design_winding(spec(12, 10, 2));
  auto peak = [&](double wt) {
    std::complex<double> f = 0;
    for (int k = 0; k < 3; ++k) f += std::cos(wt - 2 * pi * k / 3) * std::polar(1.0, w.axis_elec_rad[k]);
    return std::arg(f);
  };
  EXPECT_NEAR(angle_distance(peak(0.3), peak(0.0) + 0.3), 0.0, 1e-12);
}

// ---------------------------------------------------------------------------
// Errors and the table.

TEST(Winding, InfeasibleCombinationsAreRefusedWithTheReason) {
  auto expect_message = [](const WindingSpec& s, const std::string& part) {
    const std::string m = message_of(s);
    EXPECT_NE(m.find(part), std::string::npos) << "message: " << m << "\nexpected to contain: " << part;
  };
  // 10/4: t = gcd(10, 2) = 2, Q/(3t) = 10/6.
  expect_message(spec(10, 4, 2), "no balanced 3-phase winding");
  expect_message(spec(10, 4, 2), "t = gcd(Q, p) = 2");
  expect_message(spec(9, 8, 1), "single-layer winding needs an even number of slots");
  expect_message(spec(24, 4, 1, 8), "Q / gcd(Q, y) even, here 3");
  expect_message(spec(12, 10, 2, 7), "coil_pitch_slots = 7");
  expect_message(spec(18, 12, 2, 3), "pitch factor 0");
  expect_message(spec(12, 7, 2), "poles = 7");
  expect_message(spec(12, 0, 2), "poles = 0");
  expect_message(spec(2, 2, 2), "slots = 2");
  expect_message(spec(12, 10, 3), "layers = 3");
  expect_message(spec(12, 10, 2, 0, 0), "turns_per_coil = 0");
  expect_message(spec(12, 10, 2, 0, 1, 0), "parallel_paths = 0");
  expect_message(spec(12, 10, 2, 0, 1, 4), "parallel_paths = 4");  // 2 anti-periodic halves: at most 2
  WindingSpec five = spec(15, 4, 2);
  five.phases = 5;
  expect_message(five, "phases = 5: only 3-phase");
  EXPECT_THROW(rm::solver::design_winding(spec(10, 4, 2)), std::invalid_argument);
}

TEST(Winding, TableListsEverySlotAndTheSummary) {
  for (const WindingSpec& s : {spec(48, 8, 1), spec(12, 10, 2)}) {
    const WindingLayout w = rm::solver::design_winding(s);
    const std::string text = w.table();
    std::istringstream in(text);
    std::set<int> listed;
    for (std::string line; std::getline(in, line);) {
      int slot = 0;
      if (line.rfind("slot ", 0) == 0 && std::sscanf(line.c_str(), "slot %d |", &slot) == 1) listed.insert(slot);
    }
    EXPECT_EQ(listed.size(), size_t(s.slots)) << text;
    EXPECT_EQ(*listed.begin(), 1);
    EXPECT_EQ(*listed.rbegin(), s.slots);
    EXPECT_NE(text.find("kw1 = " + std::string(s.layers == 1 ? "0.96593" : "0.93301")), std::string::npos) << text;
    EXPECT_NE(text.find("N_ph = "), std::string::npos);
  }
  const std::string t = rm::solver::design_winding(spec(12, 10, 2)).table();
  EXPECT_NE(t.find("slot  1 | +A | +A"), std::string::npos) << t;
  EXPECT_NE(t.find("q = 2/5"), std::string::npos) << t;
}

}  // namespace

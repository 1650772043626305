#pragma once
// The magnets' state at one rotor position, consistent with their curves, for
// several demagnetization set-ups at once (their solves batched): the
// settling step of solver/demagnetization.cpp, alone so that both files stay
// readable. Internal to the analysis.
#include <string>
#include <vector>

#include "solver/demagnetization.hpp"

namespace rotormag::solver {

// The magnets' state of one set-up, per base element.
struct MagnetState {
  std::vector<double> factor;    // Br'/Br
  std::vector<double> worst_h;   // the worst h = -H.m so far [A/m]
  std::vector<double> worst_Hm;  // H.m there
  explicit MagnetState(size_t elements) : factor(elements, 1.0), worst_h(elements, 0.0), worst_Hm(elements, 0.0) {}
};

// One set-up to settle at a rotor position: its curves, its load, its state
// (updated in place).
struct SettleTask {
  const DemagSetup* setup;
  StatorLoad load;
  MagnetState* state;
};

struct SettledPosition {
  std::vector<double> h;        // h = -H.m at the settled state, per element
  int solves = 0;
  bool converged = true;
  double mismatch_A_per_m = 0;
};

// Settles every task at `angle`: each round solves, in one batch, the
// set-ups whose search goes on; a set-up that has settled drops out.
std::vector<SettledPosition> settle_position(const MovingBand& band, const ModelWinding& winding,
                                             const std::vector<SettleTask>& tasks, double angle,
                                             const RotorPositions& rotor, const DemagSettings& settings,
                                             kernels::Backend& backend);

// "N42SH at 150 C": a set-up in error messages.
std::string setup_label(const DemagSetup& setup);

}  // namespace rotormag::solver

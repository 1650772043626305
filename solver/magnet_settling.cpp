#include "solver/magnet_settling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace rotormag::solver {

namespace {

// The magnets' state of one set-up at one rotor position under one load,
// consistent with their curves. Each damaged element sits where its recoil
// line meets its curve: the operating point h* with Br' = recoil(h*) for
// which the field solved with Br' gives back h*. Per element this is a root of
//   G(g) = h(solved with Br' = min(Br'_before, recoil(g))) - g,
// decreasing in g, bracketed by its worst h so far (G >= 0: nothing new) and
// the h of the solve with the state before this position (G <= 0). All
// elements are searched together by regula falsi with the Illinois rule
// (a plain "solve, then recoil through the h found" overshoots: past the knee
// |dJ/dh| / mu0 is large and the damage would come out far too deep).
// The solves are made by settle_position, several set-ups at a time.
class SettleSearch {
 public:
  SettleSearch(const SettleTask& task, const DemagSettings& settings)
      : setup_(*task.setup), state_(*task.state), settings_(settings), factor_before_(state_.factor) {
    const size_t ne = factor_before_.size();
    active_.assign(ne, 0);
    lo_.assign(ne, 0.0);
    hi_.assign(ne, 0.0);
    g_lo_.assign(ne, 0.0);
    g_hi_.assign(ne, 0.0);
    guess_.assign(ne, 0.0);
    side_.assign(ne, 0);
    result_.h.assign(ne, 0.0);
  }

  // The solve with the present factors.
  void take(PositionResult solved) {
    last_ = std::move(solved);
    ++result_.solves;
  }
  // Where the next solve starts: the last field, on the machine's own nodes.
  std::vector<double> field_guess(size_t base_nodes) const {
    return {last_.solution.A.begin(), last_.solution.A.begin() + base_nodes};
  }
  bool searching() const {
    if (settled_) return false;
    for (char a : active_)
      if (a) return true;
    return false;
  }

  // Elements the last solve drove past their worst h far enough to lose
  // remanence join the search.
  bool activate_new() {
    bool any = false;
    for (size_t e = 0; e < active_.size(); ++e) {
      if (!setup_.is_magnet[e] || active_[e]) continue;
      const double h = -last_.solution.Hm[e];
      if (h <= state_.worst_h[e] || recoil_factor(e, h) >= state_.factor[e] * (1 - settings_.state_tolerance)) continue;
      active_[e] = 1;
      any = true;
      lo_[e] = state_.worst_h[e];
      g_lo_[e] = h - state_.worst_h[e];  // with the state before: at least this much
      hi_[e] = h;
      g_hi_[e] = std::numeric_limits<double>::quiet_NaN();  // not solved there yet
      guess_[e] = h;
    }
    return any;
  }

  // Next guess: the bracket's end where G is unknown first, then regula
  // falsi; the factors to solve with follow.
  void choose_guesses() {
    for (size_t e = 0; e < active_.size(); ++e) {
      if (!active_[e]) continue;
      if (std::isnan(g_hi_[e])) {
        guess_[e] = hi_[e];
      } else {
        const double g = lo_[e] + (hi_[e] - lo_[e]) * g_lo_[e] / (g_lo_[e] - g_hi_[e]);
        guess_[e] = std::isfinite(g) ? std::clamp(g, lo_[e], hi_[e]) : 0.5 * (lo_[e] + hi_[e]);
      }
      state_.factor[e] = recoil_factor(e, guess_[e]);
    }
  }

  // After the solve with the guesses: brackets narrowed, new elements taken
  // in; settled when every guess is met (or its bracket is closed) and no
  // element joined. `iteration` counts from 0.
  void narrow(int iteration) {
    const double tolerance = 1e-6;  // relative to the element's HcJ
    double worst = 0;
    bool settled = true;
    for (size_t e = 0; e < active_.size(); ++e) {
      if (!active_[e]) continue;
      const double g = -last_.solution.Hm[e] - guess_[e];
      const double scale = setup_.knee[e].HcJ_A_per_m();
      worst = std::max(worst, std::abs(g));
      if (std::abs(g) > tolerance * scale && hi_[e] - lo_[e] > tolerance * scale) settled = false;
      if (g >= 0) {
        lo_[e] = guess_[e];
        g_lo_[e] = g;
        if (side_[e] == -1 && std::isfinite(g_hi_[e])) g_hi_[e] *= 0.5;
        side_[e] = -1;
      } else {
        hi_[e] = guess_[e];
        g_hi_[e] = g;
        if (side_[e] == 1) g_lo_[e] *= 0.5;
        side_[e] = 1;
      }
    }
    result_.mismatch_A_per_m = worst;
    const bool grew = activate_new();
    if (settled && !grew) settled_ = true;
    else if (iteration + 1 == settings_.max_state_iterations) result_.converged = false;
  }

  // The settled h per element; the worst h so far follows.
  SettledPosition finish() {
    for (size_t e = 0; e < active_.size(); ++e) {
      if (!setup_.is_magnet[e]) continue;
      const double h = active_[e] ? guess_[e] : -last_.solution.Hm[e];
      result_.h[e] = h;
      if (h > state_.worst_h[e]) {
        state_.worst_h[e] = h;
        state_.worst_Hm[e] = -h;
      }
    }
    return std::move(result_);
  }

 private:
  double recoil_factor(size_t e, double h) const {
    const double f = setup_.knee[e].recoil_remanence_T(h) / setup_.knee[e].remanence_T();
    return std::min(factor_before_[e], std::max(f, -1.0));  // at worst fully reversed
  }

  const DemagSetup& setup_;
  MagnetState& state_;
  const DemagSettings& settings_;
  const std::vector<double> factor_before_;
  // Bracket per element: lo (G >= 0), hi (G <= 0) and G there.
  std::vector<char> active_;
  std::vector<double> lo_, hi_, g_lo_, g_hi_, guess_;
  std::vector<int> side_;  // Illinois: the side moved last
  PositionResult last_;
  SettledPosition result_;
  bool settled_ = false;
};

}  // namespace

// Settles every task at `angle`: each round solves, in one batch, the
// set-ups whose search goes on; a set-up that has settled drops out.
std::vector<SettledPosition> settle_position(const MovingBand& band, const ModelWinding& winding,
                                             const std::vector<SettleTask>& tasks, double angle,
                                             const RotorPositions& rotor, const DemagSettings& settings,
                                             kernels::Backend& backend) {
  const size_t nn = band.machine().node_count();
  std::vector<SettleSearch> search;
  search.reserve(tasks.size());
  for (const SettleTask& t : tasks) search.emplace_back(t, settings);
  RotorPositions here = rotor;
  here.positions_rad = {angle};
  // The first solve starts cold (the state before this position), the later
  // ones from each set-up's last field: every batch starts alike.
  auto solve = [&](const std::vector<size_t>& which, bool from_last_field) {
    std::vector<MachineVariant> variants;
    variants.reserve(which.size());
    for (size_t i : which) {
      MachineVariant v;
      v.regions = tasks[i].setup->regions;
      v.load = tasks[i].load;
      v.remanence_factor = tasks[i].state->factor;
      if (from_last_field) v.initial_base_potential = search[i].field_guess(nn);
      v.name = setup_label(*tasks[i].setup);
      variants.push_back(std::move(v));
    }
    std::vector<std::vector<PositionResult>> solved = solve_variants(band, variants, winding, here, backend);
    for (size_t k = 0; k < which.size(); ++k) search[which[k]].take(std::move(solved[k].front()));
  };

  std::vector<size_t> all(tasks.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  solve(all, false);
  for (SettleSearch& s : search) s.activate_new();
  for (int it = 0; it < settings.max_state_iterations; ++it) {
    std::vector<size_t> searching;
    for (size_t i = 0; i < search.size(); ++i)
      if (search[i].searching()) searching.push_back(i);
    if (searching.empty()) break;
    for (size_t i : searching) search[i].choose_guesses();
    solve(searching, true);
    for (size_t i : searching) search[i].narrow(it);
  }
  std::vector<SettledPosition> out;
  out.reserve(search.size());
  for (SettleSearch& s : search) out.push_back(s.finish());
  return out;
}

// "N42SH at 150 C": a set-up in error messages.
std::string setup_label(const DemagSetup& setup) {
  std::ostringstream o;
  o << (setup.name.empty() ? "set-up" : setup.name) << " at " << setup.temperature_C << " C";
  return o.str();
}

}  // namespace rotormag::solver

#include "solver/demagnetization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "solver/magnetostatic_solver.hpp"

namespace rotormag::solver {

namespace {

const double kPi = std::acos(-1.0);
const double kInf = std::numeric_limits<double>::infinity();

StatorLoad scaled(const StatorLoad& load, double s) {
  StatorLoad out = load;
  out.id_A *= s;
  out.iq_A *= s;
  for (double& i : out.phase_A) i *= s;
  return out;
}

// One rotor position solved with the magnets' present state.
PositionResult solve_at(const MovingBand& band, const ModelWinding& winding, const std::vector<RegionSetup>& regions,
                        const std::vector<double>& remanence_factor, const StatorLoad& load, double angle,
                        const MotorSweep& base_sweep, const std::vector<double>& guess, kernels::Backend& backend) {
  MotorSweep sweep = base_sweep;
  sweep.positions_rad = {angle};
  sweep.remanence_factor = remanence_factor;
  sweep.initial_base_potential = guess;
  std::vector<PositionResult> r = sweep_positions(band, regions, winding, load, sweep, backend);
  return std::move(r.front());
}

struct Centroid {
  double x, y;
};

Centroid centroid(const mesh::Mesh& m, size_t t) {
  const int npe = m.nodes_per_triangle();
  double x = 0, y = 0;
  for (int k = 0; k < 3; ++k) {
    x += m.x[m.triangles[t * npe + k]] / 3;
    y += m.y[m.triangles[t * npe + k]] / 3;
  }
  return {x, y};
}

double mean_psi_d(const std::vector<PositionResult>& r) {
  double s = 0;
  for (const auto& p : r) s += p.psi_d_Wb / r.size();
  return s;
}

double mean_torque(const std::vector<PositionResult>& r) {
  double s = 0;
  for (const auto& p : r) s += p.torque_Nm / r.size();
  return s;
}

// The magnets' state at one rotor position under one load, consistent with
// their curves. Each damaged element sits where its recoil line meets its
// curve: the operating point h* with Br' = recoil(h*) for which the field
// solved with Br' gives back h*. Per element this is a root of
//   G(g) = h(solved with Br' = min(Br'_before, recoil(g))) - g,
// decreasing in g, bracketed by its worst h so far (G >= 0: nothing new) and
// the h of the solve with the state before this position (G <= 0). All
// elements are searched together by regula falsi with the Illinois rule
// (a plain "solve, then recoil through the h found" overshoots: past the knee
// |dJ/dh| / mu0 is large and the damage would come out far too deep).
struct PositionState {
  std::vector<double> h;        // h = -H.m at the settled state, per element
  int solves = 0;
  bool converged = true;
  double mismatch_A_per_m = 0;
};

PositionState settle_position(const MovingBand& band, const ModelWinding& winding, const DemagSetup& setup,
                              const StatorLoad& load, double angle, const MotorSweep& sweep,
                              const DemagSettings& settings, kernels::Backend& backend, std::vector<double>& factor,
                              std::vector<double>& worst_h, std::vector<double>& worst_Hm) {
  const mesh::Mesh& base = band.machine();
  const size_t ne = base.triangle_count(), nn = base.node_count();
  const std::vector<double> factor_before = factor;
  PositionState out;
  out.h.assign(ne, 0.0);
  std::vector<double> guess_field;
  PositionResult r = solve_at(band, winding, setup.regions, factor, load, angle, sweep, guess_field, backend);
  ++out.solves;
  // Bracket per element: lo (G >= 0), hi (G <= 0) and G there.
  std::vector<char> active(ne, 0);
  std::vector<double> lo(ne), hi(ne), g_lo(ne), g_hi(ne), guess(ne);
  std::vector<int> side(ne, 0);  // Illinois: the side moved last
  const auto recoil_factor = [&](size_t e, double h) {
    const double f = setup.knee[e].recoil_remanence_T(h) / setup.knee[e].remanence_T();
    return std::min(factor_before[e], std::max(f, -1.0));  // at worst fully reversed
  };
  auto activate_new = [&](const PositionResult& res) {
    bool any = false;
    for (size_t e = 0; e < ne; ++e) {
      if (!setup.is_magnet[e] || active[e]) continue;
      const double h = -res.solution.Hm[e];
      if (h <= worst_h[e] || recoil_factor(e, h) >= factor[e] * (1 - settings.state_tolerance)) continue;
      active[e] = 1;
      any = true;
      lo[e] = worst_h[e];
      g_lo[e] = h - worst_h[e];  // with the state before: at least this much
      hi[e] = h;
      g_hi[e] = std::numeric_limits<double>::quiet_NaN();  // not solved there yet
      guess[e] = h;
    }
    return any;
  };
  activate_new(r);
  const double tolerance = 1e-6;  // relative to the element's HcJ
  for (int it = 0; it < settings.max_state_iterations; ++it) {
    bool any = false;
    for (size_t e = 0; e < ne; ++e) any = any || active[e];
    if (!any) break;
    // Next guess: the bracket's end where G is unknown first, then regula falsi.
    for (size_t e = 0; e < ne; ++e) {
      if (!active[e]) continue;
      if (std::isnan(g_hi[e])) {
        guess[e] = hi[e];
      } else {
        const double g = lo[e] + (hi[e] - lo[e]) * g_lo[e] / (g_lo[e] - g_hi[e]);
        guess[e] = std::isfinite(g) ? std::clamp(g, lo[e], hi[e]) : 0.5 * (lo[e] + hi[e]);
      }
      factor[e] = recoil_factor(e, guess[e]);
    }
    guess_field.assign(r.solution.A.begin(), r.solution.A.begin() + nn);
    r = solve_at(band, winding, setup.regions, factor, load, angle, sweep, guess_field, backend);
    ++out.solves;
    double worst = 0;
    bool settled = true;
    for (size_t e = 0; e < ne; ++e) {
      if (!active[e]) continue;
      const double g = -r.solution.Hm[e] - guess[e];
      const double scale = setup.knee[e].HcJ_A_per_m();
      worst = std::max(worst, std::abs(g));
      if (std::abs(g) > tolerance * scale && hi[e] - lo[e] > tolerance * scale) settled = false;
      if (g >= 0) {
        lo[e] = guess[e];
        g_lo[e] = g;
        if (side[e] == -1 && std::isfinite(g_hi[e])) g_hi[e] *= 0.5;
        side[e] = -1;
      } else {
        hi[e] = guess[e];
        g_hi[e] = g;
        if (side[e] == 1) g_lo[e] *= 0.5;
        side[e] = 1;
      }
    }
    out.mismatch_A_per_m = worst;
    const bool grew = activate_new(r);
    if (settled && !grew) break;
    if (it + 1 == settings.max_state_iterations) out.converged = false;
  }
  for (size_t e = 0; e < ne; ++e) {
    if (!setup.is_magnet[e]) continue;
    const double h = active[e] ? guess[e] : -r.solution.Hm[e];
    out.h[e] = h;
    if (h > worst_h[e]) {
      worst_h[e] = h;
      worst_Hm[e] = -h;
    }
  }
  return out;
}

}  // namespace

DemagSummary analyse_demagnetization(const MovingBand& band, const ModelWinding& winding, const DemagSetup& setup,
                                     const std::vector<DemagLoadEvent>& events,
                                     const std::optional<StatorLoad>& rated_load, const MotorSweep& sweep,
                                     const DemagSettings& settings, kernels::Backend& backend,
                                     const DemagProgress& progress) {
  const mesh::Mesh& base = band.machine();
  const size_t ne = base.triangle_count();
  if (setup.is_magnet.size() != ne || setup.knee.size() != ne || setup.volume_weight.size() != ne)
    throw ProblemError("demagnetization: one magnet flag, knee curve and volume weight per machine element expected");
  if (events.empty()) throw ProblemError("demagnetization: no load event");
  auto say = [&](const std::string& s) {
    if (progress) progress(s);
  };

  DemagSummary out;
  out.temperature_C = setup.temperature_C;
  std::vector<double> factor(ne, 1.0), worst_h(ne, 0.0), worst_Hm(ne, 0.0);
  double total_volume = 0;
  for (size_t e = 0; e < ne; ++e)
    if (setup.is_magnet[e]) total_volume += setup.volume_weight[e];
  if (!(total_volume > 0)) throw ProblemError("demagnetization: the machine has no magnet elements");

  auto snapshot = [&]() {
    MagnetElementState s;
    s.demag_coef = factor;
    s.remanence_T.assign(ne, 0.0);
    s.worst_h = worst_h;
    s.margin.assign(ne, kInf);
    s.Hm = worst_Hm;
    for (size_t e = 0; e < ne; ++e)
      if (setup.is_magnet[e]) {
        s.remanence_T[e] = factor[e] * setup.knee[e].remanence_T();
        s.margin[e] = setup.knee[e].knee_field_A_per_m() - worst_h[e];
      }
    return s;
  };

  // ---- the events, in order, each over its positions
  double overall_margin = kInf;
  size_t worst_event = 0;
  for (size_t k = 0; k < events.size(); ++k) {
    const DemagLoadEvent& ev = events[k];
    DemagEventResult result;
    result.name = ev.name;
    double event_margin = kInf;
    size_t event_element = 0;
    for (double angle : ev.positions_rad) {
      const PositionState ps =
          settle_position(band, winding, setup, ev.load, angle, sweep, settings, backend, factor, worst_h, worst_Hm);
      result.solves += ps.solves;
      if (!ps.converged)
        out.notes.push_back("event '" + ev.name + "' at " + std::to_string(angle * 180 / kPi) +
                            " deg: the magnet state did not settle in " + std::to_string(settings.max_state_iterations) +
                            " solves (largest mismatch " + std::to_string(ps.mismatch_A_per_m) + " A/m)");
      for (size_t e = 0; e < ne; ++e) {
        if (!setup.is_magnet[e]) continue;
        const double margin = setup.knee[e].knee_field_A_per_m() - ps.h[e];
        if (margin < event_margin) {
          event_margin = margin;
          event_element = e;
          result.worst_position_rad = angle;
        }
      }
      std::ostringstream o;
      o << "demagnetization at " << setup.temperature_C << " C, event '" << ev.name << "', position "
        << angle * 180 / kPi << " deg: minimum margin so far " << event_margin / 1e3 << " kA/m";
      say(o.str());
    }
    result.state = snapshot();
    result.min_margin_A_per_m = event_margin;
    const Centroid c = centroid(base, event_element);
    result.min_margin_x_m = c.x;
    result.min_margin_y_m = c.y;
    result.min_margin_region = base.regions[base.triangle_region[event_element]].name;
    if (event_margin < overall_margin) {
      overall_margin = event_margin;
      worst_event = k;
      out.min_margin_A_per_m = event_margin;
      out.min_margin_x_m = c.x;
      out.min_margin_y_m = c.y;
      out.min_margin_region = result.min_margin_region;
    }
    out.events.push_back(std::move(result));
  }
  out.final_state = snapshot();

  // ---- volume fractions
  double below099 = 0, below095 = 0, below090 = 0;
  std::vector<double> above(9, 0.0);
  for (size_t e = 0; e < ne; ++e) {
    if (!setup.is_magnet[e]) continue;
    const double w = setup.volume_weight[e], f = factor[e];
    if (f < 0.99) below099 += w;
    if (f < 0.95) below095 += w;
    if (f < 0.90) below090 += w;
    for (int t = 1; t <= 9; ++t)
      if (f >= 0.1 * t) above[t - 1] += w;
  }
  out.volume_pct_coef_below_099 = 100 * below099 / total_volume;
  out.volume_pct_coef_below_095 = 100 * below095 / total_volume;
  out.volume_pct_coef_below_090 = 100 * below090 / total_volume;
  for (double& a : above) a = 100 * a / total_volume;
  out.volume_pct_coef_above = above;

  // ---- re-solves at no load (and the rated load) with and without the damage
  MotorSweep loss_sweep = sweep;
  loss_sweep.positions_rad = settings.loss_positions_rad;
  if (loss_sweep.positions_rad.empty()) {
    // Six positions over 60 electrical degrees: the mean of psi_d over them
    // removes the 6k-th harmonics of a 3-phase machine.
    for (int k = 0; k < 6; ++k) loss_sweep.positions_rad.push_back(k * (kPi / 3) / 6 / winding.pole_pairs);
  }
  say("demagnetization: no-load re-solve, undamaged and damaged");
  const std::vector<double> undamaged(ne, 1.0);
  MotorSweep before = loss_sweep, after = loss_sweep;
  before.remanence_factor = undamaged;
  after.remanence_factor = factor;
  const auto nl_before = sweep_positions(band, setup.regions, winding, {}, before, backend);
  const auto nl_after = sweep_positions(band, setup.regions, winding, {}, after, backend);
  out.psi_d_no_load_before_Wb = mean_psi_d(nl_before);
  out.psi_d_no_load_after_Wb = mean_psi_d(nl_after);
  out.flux_linkage_loss_pct =
      100 * (out.psi_d_no_load_before_Wb - out.psi_d_no_load_after_Wb) / std::abs(out.psi_d_no_load_before_Wb);
  out.back_emf_fundamental_loss_pct = out.flux_linkage_loss_pct;
  if (rated_load) {
    say("demagnetization: rated-load re-solve, undamaged and damaged");
    const auto t_before = sweep_positions(band, setup.regions, winding, *rated_load, before, backend);
    const auto t_after = sweep_positions(band, setup.regions, winding, *rated_load, after, backend);
    out.torque_before_Nm = mean_torque(t_before);
    out.torque_after_Nm = mean_torque(t_after);
    out.torque_loss_pct = 100 * (*out.torque_before_Nm - *out.torque_after_Nm) / std::abs(*out.torque_before_Nm);
  }

  // ---- onset current and temperature at the worst event's worst position
  if (settings.find_onset) {
    const DemagLoadEvent& ev = events[worst_event];
    const double angle = out.events[worst_event].worst_position_rad;
    // "No loss": the settled state at the worst position, from undamaged
    // magnets, keeps every element above 1 - loss_threshold of its remanence.
    // Returned as a margin (>= 0: no loss) for the bisections below.
    auto margin_at = [&](const DemagSetup& s, double scale) {
      std::vector<double> f(ne, 1.0), wh(ne, 0.0), wm(ne, 0.0);
      settle_position(band, winding, s, scaled(ev.load, scale), angle, sweep, settings, backend, f, wh, wm);
      double lowest = 1.0;
      for (size_t e = 0; e < ne; ++e)
        if (s.is_magnet[e]) lowest = std::min(lowest, f[e]);
      return lowest - (1 - settings.loss_threshold);
    };
    say("demagnetization: onset current by bisection");
    // The largest scale of the event's current with no element past its knee.
    double lo = 0, hi = 1;
    if (margin_at(setup, 1.0) >= 0) {  // no loss at the full current: look further up
      lo = 1;
      hi = 2;
      while (hi <= 16 && margin_at(setup, hi) >= 0) lo = hi, hi *= 2;
    }
    if (hi <= 16 && margin_at(setup, 0.0) >= 0) {
      for (int s = 0; s < settings.bisection_steps; ++s) {
        const double mid = 0.5 * (lo + hi);
        (margin_at(setup, mid) >= 0 ? lo : hi) = mid;
      }
      out.onset_current_scale = lo;
    } else if (hi > 16) {
      out.notes.push_back("no irreversible loss up to 16 times the current of event '" + ev.name + "'");
    } else {
      out.onset_current_scale = 0.0;
      out.notes.push_back("the magnets pass their knee with no stator current at this temperature");
    }
    if (setup.at_temperature) {
      say("demagnetization: onset temperature by bisection");
      double t_lo = settings.onset_temperature_low_C, t_hi = setup.temperature_C;
      const bool loss_at_event = margin_at(setup, 1.0) < 0;  // more than the threshold lost
      if (!loss_at_event) {
        t_lo = setup.temperature_C;
        t_hi = t_lo + 20;
        while (t_hi <= 300 && margin_at(setup.at_temperature(t_hi), 1.0) >= 0) t_lo = t_hi, t_hi += 20;
      }
      if (t_hi > 300) {
        out.notes.push_back("no irreversible loss up to 300 C at the current of event '" + ev.name + "'");
      } else if (margin_at(setup.at_temperature(t_lo), 1.0) < 0) {
        out.notes.push_back("already past the knee at " + std::to_string(t_lo) + " C (the lowest temperature searched)");
      } else {
        for (int s = 0; s < settings.bisection_steps; ++s) {
          const double mid = 0.5 * (t_lo + t_hi);
          (margin_at(setup.at_temperature(mid), 1.0) >= 0 ? t_lo : t_hi) = mid;
        }
        out.onset_temperature_C = t_lo;
      }
    }
  }
  return out;
}

}  // namespace rotormag::solver

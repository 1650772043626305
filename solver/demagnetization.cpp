#include "solver/demagnetization.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "solver/magnet_settling.hpp"

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


// "demagnetization at 150 C": how the progress messages of a set-up begin.
std::string demag_at(const DemagSetup& setup) {
  std::ostringstream o;
  o << "demagnetization at " << setup.temperature_C << " C";
  return o.str();
}

MagnetElementState snapshot(const DemagSetup& setup, const MagnetState& state) {
  const size_t ne = state.factor.size();
  MagnetElementState s;
  s.demag_coef = state.factor;
  s.remanence_T.assign(ne, 0.0);
  s.worst_h = state.worst_h;
  s.margin.assign(ne, kInf);
  s.Hm = state.worst_Hm;
  for (size_t e = 0; e < ne; ++e)
    if (setup.is_magnet[e]) {
      s.remanence_T[e] = state.factor[e] * setup.knee[e].remanence_T();
      s.margin[e] = setup.knee[e].knee_field_A_per_m() - state.worst_h[e];
    }
  return s;
}

double magnet_volume(const DemagSetup& setup) {
  double v = 0;
  for (size_t e = 0; e < setup.is_magnet.size(); ++e)
    if (setup.is_magnet[e]) v += setup.volume_weight[e];
  return v;
}

using SayTo = std::function<void(size_t setup, const std::string& what)>;

// The events in order, each over its positions, all set-ups together at
// every position. Fills the events and the minimum margins of `out`;
// returns each set-up's worst event.
std::vector<size_t> run_events(const MovingBand& band, const ModelWinding& winding,
                               const std::vector<DemagSetup>& setups, const std::vector<DemagLoadEvent>& events,
                               const RotorPositions& rotor, const DemagSettings& settings, kernels::Backend& backend,
                               std::vector<MagnetState>& state, std::vector<DemagSummary>& out, const SayTo& say) {
  const mesh::Mesh& base = band.machine();
  const size_t ne = base.triangle_count(), ns = setups.size();
  std::vector<double> overall_margin(ns, kInf);
  std::vector<size_t> worst_event(ns, 0);
  for (size_t k = 0; k < events.size(); ++k) {
    const DemagLoadEvent& ev = events[k];
    std::vector<DemagEventResult> result(ns);
    std::vector<double> event_margin(ns, kInf);
    std::vector<size_t> event_element(ns, 0);
    std::vector<SettleTask> tasks;
    for (size_t i = 0; i < ns; ++i) {
      result[i].name = ev.name;
      tasks.push_back({&setups[i], ev.load, &state[i]});
    }
    for (double angle : ev.positions_rad) {
      const std::vector<SettledPosition> settled =
          settle_position(band, winding, tasks, angle, rotor, settings, backend);
      for (size_t i = 0; i < ns; ++i) {
        const SettledPosition& ps = settled[i];
        const DemagSetup& setup = setups[i];
        result[i].solves += ps.solves;
        if (!ps.converged)
          out[i].notes.push_back("event '" + ev.name + "' at " + std::to_string(angle * 180 / kPi) +
                                 " deg: the magnet state did not settle in " +
                                 std::to_string(settings.max_state_iterations) + " solves (largest mismatch " +
                                 std::to_string(ps.mismatch_A_per_m) + " A/m)");
        for (size_t e = 0; e < ne; ++e) {
          if (!setup.is_magnet[e]) continue;
          const double margin = setup.knee[e].knee_field_A_per_m() - ps.h[e];
          if (margin < event_margin[i]) {
            event_margin[i] = margin;
            event_element[i] = e;
            result[i].worst_position_rad = angle;
          }
        }
        std::ostringstream o;
        o << demag_at(setup) << ", event '" << ev.name << "', position "
          << angle * 180 / kPi << " deg: minimum margin so far " << event_margin[i] / 1e3 << " kA/m";
        say(i, o.str());
      }
    }
    for (size_t i = 0; i < ns; ++i) {
      DemagEventResult& r = result[i];
      r.state = snapshot(setups[i], state[i]);
      r.min_margin_A_per_m = event_margin[i];
      const Centroid c = centroid(base, event_element[i]);
      r.min_margin_x_m = c.x;
      r.min_margin_y_m = c.y;
      r.min_margin_region = base.regions[base.triangle_region[event_element[i]]].name;
      if (event_margin[i] < overall_margin[i]) {
        overall_margin[i] = event_margin[i];
        worst_event[i] = k;
        out[i].min_margin_A_per_m = event_margin[i];
        out[i].min_margin_x_m = c.x;
        out[i].min_margin_y_m = c.y;
        out[i].min_margin_region = r.min_margin_region;
      }
      out[i].events.push_back(std::move(r));
    }
  }
  return worst_event;
}

// Volume fractions of the magnets by their final demag_coef.
void add_damaged_volume(DemagSummary& out, const DemagSetup& setup, const std::vector<double>& factor) {
  const double total_volume = magnet_volume(setup);
  double below099 = 0, below095 = 0, below090 = 0;
  std::vector<double> above(9, 0.0);
  for (size_t e = 0; e < factor.size(); ++e) {
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
}

// The machine at no load (and the rated load), undamaged and damaged, every
// set-up: one solve_variants of 2 (or 4) variants per set-up.
void compare_with_undamaged(const MovingBand& band, const ModelWinding& winding, const std::vector<DemagSetup>& setups,
                            const std::vector<MagnetState>& state, const std::optional<StatorLoad>& rated_load,
                            const RotorPositions& rotor, const DemagSettings& settings, kernels::Backend& backend,
                            std::vector<DemagSummary>& out, const SayTo& say) {
  RotorPositions loss_positions = rotor;
  loss_positions.positions_rad = settings.loss_positions_rad;
  if (loss_positions.positions_rad.empty()) {
    // Six positions over 60 electrical degrees: the mean of psi_d over them
    // removes the 6k-th harmonics of a 3-phase machine.
    for (int k = 0; k < 6; ++k) loss_positions.positions_rad.push_back(k * (kPi / 3) / 6 / winding.pole_pairs);
  }
  std::vector<StatorLoad> loads = {StatorLoad{}};
  if (rated_load) loads.push_back(*rated_load);
  std::vector<MachineVariant> variants;
  for (size_t i = 0; i < setups.size(); ++i) {
    say(i, demag_at(setups[i]) + (rated_load ? ": no-load and rated-load re-solves, undamaged and damaged"
                                             : ": no-load re-solve, undamaged and damaged"));
    for (size_t l = 0; l < loads.size(); ++l)
      for (bool damaged : {false, true}) {
        MachineVariant v;
        v.regions = setups[i].regions;
        v.load = loads[l];
        if (damaged) v.remanence_factor = state[i].factor;
        v.name = setup_label(setups[i]) + (l == 0 ? ", no load" : ", rated load") +
                 (damaged ? ", damaged" : ", undamaged");
        variants.push_back(std::move(v));
      }
  }
  const std::vector<std::vector<PositionResult>> swept = solve_variants(band, variants, winding, loss_positions, backend);
  for (size_t i = 0; i < setups.size(); ++i) {
    const auto* r = &swept[i * 2 * loads.size()];  // no load before, after, rated before, after
    DemagSummary& o = out[i];
    o.psi_d_no_load_before_Wb = mean_psi_d(r[0]);
    o.psi_d_no_load_after_Wb = mean_psi_d(r[1]);
    o.flux_linkage_loss_pct =
        100 * (o.psi_d_no_load_before_Wb - o.psi_d_no_load_after_Wb) / std::abs(o.psi_d_no_load_before_Wb);
    o.back_emf_fundamental_loss_pct = o.flux_linkage_loss_pct;
    if (rated_load) {
      o.torque_before_Nm = mean_torque(r[2]);
      o.torque_after_Nm = mean_torque(r[3]);
      o.torque_loss_pct = 100 * (*o.torque_before_Nm - *o.torque_after_Nm) / std::abs(*o.torque_before_Nm);
    }
  }
}

// One set-up's onset current and temperature searches, driven one margin
// evaluation at a time so that the evaluations of set-ups at the same rotor
// position settle in one batch. As a plain loop it reads:
//  - current: no loss at 1? then hi = 2, 4, ... while no loss (up to 16);
//    no loss at 0? then bisect [lo, hi] (settings.bisection_steps);
//  - temperature (set-ups with a candidate): with loss at the event temperature,
//    bisect [onset_temperature_low_C, T] when there is no loss at the low
//    end; without, T + 20, T + 40, ... while no loss (up to 300 C), then bisect.
// A margin >= 0 is "no loss" (margin_for_onset).
class OnsetSearch {
 public:
  struct Query {
    std::optional<double> temperature_C;   // none: the set-up's own
    double current_scale = 1;              // of the worst event's current
  };

  OnsetSearch(const DemagSetup& setup, const DemagSettings& settings, std::string event, DemagSummary& out,
              std::function<void(const std::string&)> say)
      : setup_(setup), settings_(settings), event_(std::move(event)), out_(out), say_(std::move(say)) {
    say_(demag_at(setup_) + ": onset current by bisection");
    advance();
  }

  // What to evaluate next; none when both searches are done.
  const std::optional<Query>& next() const { return query_; }

  void answer(double margin) {
    const bool no_loss = margin >= 0;
    switch (step_) {
      case Step::current_at_full:
        loss_at_full_ = !no_loss;
        if (no_loss) lo_ = 1, hi_ = 2, step_ = Step::current_up;
        else step_ = Step::current_at_zero;
        break;
      case Step::current_up:
        if (no_loss) lo_ = hi_, hi_ *= 2;
        else step_ = Step::current_at_zero;
        break;
      case Step::current_at_zero:
        if (no_loss) {
          step_ = Step::current_bisect;
        } else {
          out_.onset_current_scale = 0.0;
          out_.notes.push_back("the magnets pass their knee with no stator current at this temperature");
          start_temperature();
        }
        break;
      case Step::current_bisect:
        (no_loss ? lo_ : hi_) = query_->current_scale;
        ++bisected_;
        break;
      case Step::temperature_up:
        if (no_loss) t_lo_ = t_hi_, t_hi_ += 20;
        else step_ = Step::temperature_range;
        break;
      case Step::temperature_at_low:
        if (no_loss) {
          step_ = Step::temperature_bisect;
        } else {
          out_.notes.push_back("already past the knee at " + std::to_string(t_lo_) +
                               " C (the lowest temperature searched)");
          step_ = Step::done;
        }
        break;
      case Step::temperature_bisect:
        (no_loss ? t_lo_ : t_hi_) = *query_->temperature_C;
        ++bisected_;
        break;
      case Step::temperature_range:
      case Step::done:
        break;
    }
    advance();
  }

 private:
  enum class Step {
    current_at_full, current_up, current_at_zero, current_bisect,
    temperature_up, temperature_range, temperature_at_low, temperature_bisect, done
  };

  // On to the next step that needs an evaluation.
  void advance() {
    query_.reset();
    while (!query_ && step_ != Step::done) {
      switch (step_) {
        case Step::current_at_full:
          query_ = Query{std::nullopt, 1.0};
          break;
        case Step::current_up:
          if (hi_ <= 16) {
            query_ = Query{std::nullopt, hi_};
          } else {
            out_.notes.push_back("no irreversible loss up to 16 times the current of event '" + event_ + "'");
            start_temperature();
          }
          break;
        case Step::current_at_zero:
          query_ = Query{std::nullopt, 0.0};
          break;
        case Step::current_bisect:
          if (bisected_ < settings_.bisection_steps) {
            query_ = Query{std::nullopt, 0.5 * (lo_ + hi_)};
          } else {
            out_.onset_current_scale = lo_;
            start_temperature();
          }
          break;
        case Step::temperature_up:
          if (t_hi_ <= 300) query_ = Query{t_hi_, 1.0};
          else step_ = Step::temperature_range;
          break;
        case Step::temperature_range:
          if (t_hi_ > 300) {
            out_.notes.push_back("no irreversible loss up to 300 C at the current of event '" + event_ + "'");
            step_ = Step::done;
          } else {
            step_ = Step::temperature_at_low;
          }
          break;
        case Step::temperature_at_low:
          query_ = Query{t_lo_, 1.0};
          break;
        case Step::temperature_bisect:
          if (bisected_ < settings_.bisection_steps) {
            query_ = Query{0.5 * (t_lo_ + t_hi_), 1.0};
          } else {
            out_.onset_temperature_C = t_lo_;
            step_ = Step::done;
          }
          break;
        case Step::done:
          break;
      }
    }
  }

  // The onset temperature at the event's full current (its loss there is known).
  void start_temperature() {
    bisected_ = 0;
    if (!setup_.candidate) {
      step_ = Step::done;
      return;
    }
    say_(demag_at(setup_) + ": onset temperature by bisection");
    if (loss_at_full_) {
      t_lo_ = settings_.onset_temperature_low_C;
      t_hi_ = setup_.temperature_C;
      step_ = Step::temperature_range;
    } else {
      t_lo_ = setup_.temperature_C;
      t_hi_ = t_lo_ + 20;
      step_ = Step::temperature_up;
    }
  }

  const DemagSetup& setup_;
  const DemagSettings& settings_;
  const std::string event_;
  DemagSummary& out_;
  const std::function<void(const std::string&)> say_;
  Step step_ = Step::current_at_full;
  std::optional<Query> query_;
  bool loss_at_full_ = false;
  double lo_ = 0, hi_ = 1;         // current scale: no loss at lo, loss at hi
  double t_lo_ = 0, t_hi_ = 0;     // temperature: no loss at t_lo, loss at t_hi
  int bisected_ = 0;
};

// "No loss": the settled state from undamaged magnets keeps every element
// above 1 - loss_threshold of its remanence. As a margin (>= 0: no loss).
double margin_for_onset(const DemagSetup& setup, const MagnetState& settled, const DemagSettings& settings) {
  double lowest = 1.0;
  for (size_t e = 0; e < settled.factor.size(); ++e)
    if (setup.is_magnet[e]) lowest = std::min(lowest, settled.factor[e]);
  return lowest - (1 - settings.loss_threshold);
}

// Onset current and temperature of every set-up at its worst event's worst
// position, from undamaged magnets: each round takes one evaluation of every
// set-up still searching and settles those at the same position together.
void find_onsets(const MovingBand& band, const ModelWinding& winding, const std::vector<DemagSetup>& setups,
                 const std::vector<DemagLoadEvent>& events, const std::vector<size_t>& worst_event,
                 const RotorPositions& rotor, const DemagSettings& settings, kernels::Backend& backend,
                 std::vector<DemagSummary>& out, const SayTo& say) {
  const size_t ne = band.machine().triangle_count(), ns = setups.size();
  std::vector<double> angle(ns);
  std::vector<OnsetSearch> search;
  search.reserve(ns);
  for (size_t i = 0; i < ns; ++i) {
    angle[i] = out[i].events[worst_event[i]].worst_position_rad;
    search.emplace_back(setups[i], settings, events[worst_event[i]].name, out[i],
                        [&say, i](const std::string& what) { say(i, what); });
  }
  for (;;) {
    std::map<double, std::vector<size_t>> at_angle;
    for (size_t i = 0; i < ns; ++i)
      if (search[i].next()) at_angle[angle[i]].push_back(i);
    if (at_angle.empty()) break;
    for (const auto& [a, which] : at_angle) {
      std::deque<DemagSetup> heated;  // set-ups at a searched temperature (stable addresses)
      std::vector<MagnetState> undamaged(which.size(), MagnetState(ne));
      std::vector<SettleTask> tasks;
      for (size_t k = 0; k < which.size(); ++k) {
        const size_t i = which[k];
        const OnsetSearch::Query& q = *search[i].next();
        const DemagSetup* s = &setups[i];
        if (q.temperature_C) s = &heated.emplace_back(at_temperature(setups[i], *q.temperature_C));
        tasks.push_back({s, scaled(events[worst_event[i]].load, q.current_scale), &undamaged[k]});
      }
      settle_position(band, winding, tasks, a, rotor, settings, backend);
      for (size_t k = 0; k < which.size(); ++k)
        search[which[k]].answer(margin_for_onset(*tasks[k].setup, undamaged[k], settings));
    }
  }
}

// The candidate's regions and knees at T (is_magnet, weights: as they are).
void evaluate_at(const DemagCandidate& c, double temperature_C, DemagSetup& s) {
  s.name = c.name;
  s.temperature_C = temperature_C;
  s.regions = c.regions;
  const MaterialSpec magnet = c.magnet.material_at(temperature_C);
  for (size_t r = 0; r < s.regions.size(); ++r)
    if (c.magnet_region[r]) s.regions[r].material = magnet;
  const size_t ne = s.is_magnet.size();
  s.knee.assign(ne, KneeCurve{});
  for (size_t t = 0; t < ne; ++t)
    if (s.is_magnet[t]) s.knee[t] = c.magnet.at(temperature_C, c.HcJ_gain_A_per_m.empty() ? 0.0 : c.HcJ_gain_A_per_m[t]);
}

}  // namespace

DemagSetup demag_setup(const mesh::Mesh& machine, std::shared_ptr<const DemagCandidate> candidate,
                       double temperature_C) {
  const DemagCandidate& c = *candidate;
  const size_t ne = machine.triangle_count();
  if (c.regions.size() != machine.regions.size() || c.magnet_region.size() != machine.regions.size() ||
      !(c.HcJ_gain_A_per_m.empty() || c.HcJ_gain_A_per_m.size() == ne))
    throw ProblemError("demagnetization: one region set-up and magnet flag per machine region, and one GBD gain per "
                       "machine element (or none), expected");
  DemagSetup s;
  s.is_magnet.assign(ne, 0);
  s.volume_weight.assign(ne, 0.0);
  const int npe = machine.nodes_per_triangle();
  for (size_t t = 0; t < ne; ++t) {
    if (!c.magnet_region[machine.triangle_region[t]]) continue;
    s.is_magnet[t] = 1;
    const int* v = &machine.triangles[t * npe];
    const auto& x = machine.x;
    const auto& y = machine.y;
    s.volume_weight[t] =
        0.5 * std::abs((x[v[1]] - x[v[0]]) * (y[v[2]] - y[v[0]]) - (x[v[2]] - x[v[0]]) * (y[v[1]] - y[v[0]]));
  }
  evaluate_at(c, temperature_C, s);
  s.candidate = std::move(candidate);
  return s;
}

DemagSetup at_temperature(const DemagSetup& setup, double temperature_C) {
  if (!setup.candidate) throw std::logic_error("demagnetization: a set-up without its candidate has one temperature");
  DemagSetup s = setup;
  evaluate_at(*setup.candidate, temperature_C, s);
  return s;
}

std::vector<DemagSummary> analyse_demagnetization(const MovingBand& band, const ModelWinding& winding,
                                                  const std::vector<DemagSetup>& setups,
                                                  const std::vector<DemagLoadEvent>& events,
                                                  const std::optional<StatorLoad>& rated_load,
                                                  const RotorPositions& rotor, const DemagSettings& settings,
                                                  kernels::Backend& backend, const DemagSetupProgress& progress) {
  const size_t ne = band.machine().triangle_count();
  for (const DemagSetup& setup : setups) {
    if (setup.is_magnet.size() != ne || setup.knee.size() != ne || setup.volume_weight.size() != ne)
      throw ProblemError("demagnetization: one magnet flag, knee curve and volume weight per machine element expected");
    if (!(magnet_volume(setup) > 0)) throw ProblemError("demagnetization: the machine has no magnet elements");
  }
  if (events.empty()) throw ProblemError("demagnetization: no load event");
  if (setups.empty()) return {};
  const SayTo say = [&](size_t setup, const std::string& what) {
    if (progress) progress(setup, what);
  };

  std::vector<DemagSummary> out(setups.size());
  std::vector<MagnetState> state(setups.size(), MagnetState(ne));
  for (size_t i = 0; i < setups.size(); ++i) out[i].temperature_C = setups[i].temperature_C;
  const std::vector<size_t> worst_event =
      run_events(band, winding, setups, events, rotor, settings, backend, state, out, say);
  for (size_t i = 0; i < setups.size(); ++i) {
    out[i].final_state = snapshot(setups[i], state[i]);
    add_damaged_volume(out[i], setups[i], state[i].factor);
  }
  compare_with_undamaged(band, winding, setups, state, rated_load, rotor, settings, backend, out, say);
  if (settings.find_onset) find_onsets(band, winding, setups, events, worst_event, rotor, settings, backend, out, say);
  return out;
}

DemagSummary analyse_demagnetization(const MovingBand& band, const ModelWinding& winding, const DemagSetup& setup,
                                     const std::vector<DemagLoadEvent>& events,
                                     const std::optional<StatorLoad>& rated_load, const RotorPositions& rotor,
                                     const DemagSettings& settings, kernels::Backend& backend,
                                     const DemagProgress& progress) {
  DemagSetupProgress each;
  if (progress) each = [&progress](size_t, const std::string& what) { progress(what); };
  return std::move(
      analyse_demagnetization(band, winding, std::vector<DemagSetup>{setup}, events, rated_load, rotor, settings,
                              backend, each)
          .front());
}

}  // namespace rotormag::solver

// Magnet curves at temperature: the tanh knee, measured curves, GBD profile.
// The model and its choices: magnet_model.hpp and docs/magnet-model.md.
#include "solver/magnet_model.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace rotormag::solver {
namespace {

constexpr double mu0 = 4.0e-7 * 3.14159265358979323846;

std::string fmt(const char* format, double a) {
  char buf[160];
  std::snprintf(buf, sizeof buf, format, a);
  return buf;
}

std::string fmt(const char* format, double a, double b) {
  char buf[240];
  std::snprintf(buf, sizeof buf, format, a, b);
  return buf;
}

std::string fmt(const char* format, double a, double b, double c) {
  char buf[320];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

// sech^2(u) without overflow.
double sech2(double u) {
  const double a = std::abs(u);
  if (a > 350.0) return 0.0;
  const double c = std::cosh(a);
  return 1.0 / (c * c);
}

}  // namespace

// ---------------------------------------------------------------------------
// Measured shape: a monotone cubic Hermite interpolant (Fritsch-Butland
// derivatives, end derivatives = end secants) through (x_i, j_i), linear
// beyond both ends.
struct KneeCurve::Shape {
  std::vector<double> x, j, d;

  static Shape build(const std::vector<double>& x, const std::vector<double>& y) {
    Shape s;
    s.x = x;
    s.j = y;
    const std::size_t n = x.size();
    s.d.assign(n, 0.0);
    std::vector<double> delta(n - 1);
    for (std::size_t i = 0; i + 1 < n; ++i) delta[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
    s.d[0] = delta[0];
    s.d[n - 1] = delta[n - 2];
    for (std::size_t i = 1; i + 1 < n; ++i) {
      if (delta[i - 1] * delta[i] <= 0.0) {
        s.d[i] = 0.0;
        continue;
      }
      const double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
      const double w1 = 2 * h1 + h0, w2 = h1 + 2 * h0;
      s.d[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i]);
    }
    return s;
  }

  std::size_t segment(double at) const {
    const auto it = std::upper_bound(x.begin(), x.end(), at);
    std::size_t i = static_cast<std::size_t>(it - x.begin());
    i = i == 0 ? 0 : i - 1;
    return std::min(i, x.size() - 2);
  }

  double value(double at) const {
    if (at <= x.front()) return j.front() + d.front() * (at - x.front());
    if (at >= x.back()) return j.back() + d.back() * (at - x.back());
    const std::size_t i = segment(at);
    const double h = x[i + 1] - x[i], t = (at - x[i]) / h;
    const double t2 = t * t, t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * j[i] + (t3 - 2 * t2 + t) * h * d[i] + (-2 * t3 + 3 * t2) * j[i + 1] +
           (t3 - t2) * h * d[i + 1];
  }

  double slope(double at) const {
    if (at <= x.front()) return d.front();
    if (at >= x.back()) return d.back();
    const std::size_t i = segment(at);
    const double h = x[i + 1] - x[i], t = (at - x[i]) / h;
    const double t2 = t * t;
    return ((6 * t2 - 6 * t) * j[i] + (6 * t2 - 6 * t) * -j[i + 1]) / h + (3 * t2 - 4 * t + 1) * d[i] +
           (3 * t2 - 2 * t) * d[i + 1];
  }

  // The zero of the (decreasing) interpolant; the table covers it.
  double root() const {
    std::size_t i = 0;
    while (i + 1 < j.size() && j[i + 1] > 0.0) ++i;
    if (i + 1 >= j.size()) return x.back();   // not covered (the reader refuses such tables)
    double lo = x[i], hi = x[i + 1];
    if (j[i + 1] == 0.0) return hi;
    for (int it = 0; it < 200; ++it) {
      const double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      (value(mid) > 0.0 ? lo : hi) = mid;
    }
    return std::abs(value(lo)) < std::abs(value(hi)) ? lo : hi;
  }
};

// ---------------------------------------------------------------------------

KneeCurve::KneeCurve() { *this = parametric(1.0, 1.05, 1e6, 0.95); }

KneeCurve KneeCurve::parametric(double Jr_T, double mu_rec, double HcJ_A_per_m, double squareness) {
  if (!(Jr_T > 0) || !(HcJ_A_per_m > 0) || !(mu_rec >= 1.0) || !std::isfinite(Jr_T + HcJ_A_per_m + mu_rec))
    throw std::invalid_argument("KneeCurve: needs Jr > 0, HcJ > 0, mu_rec >= 1 (got Jr " + std::to_string(Jr_T) +
                                " T, HcJ " + std::to_string(HcJ_A_per_m) + " A/m, mu_rec " +
                                std::to_string(mu_rec) + ")");
  KneeCurve c{Raw{}};
  if (!(squareness >= 0.5 && squareness <= 0.999)) {
    const double clamped = std::clamp(std::isfinite(squareness) ? squareness : 0.95, 0.5, 0.999);
    c.notes_.push_back(fmt("squareness %.4g is outside [0.5, 0.999]: %.4g used", squareness, clamped));
    squareness = clamped;
  }
  c.Jr_ = Jr_T;
  c.HcJ_ = HcJ_A_per_m;
  c.chi_ = mu_rec - 1.0;
  c.k_ = mu0 * c.chi_;
  c.A0_ = Jr_T - c.k_ * HcJ_A_per_m;
  if (c.A0_ < 0.05 * Jr_T) {
    // The recoil line would reach J = 0 before HcJ: inconsistent data. Keep
    // the knee at HcJ and flatten the reversible slope just enough.
    c.chi_ = 0.95 * Jr_T / (mu0 * HcJ_A_per_m);
    c.k_ = mu0 * c.chi_;
    c.A0_ = Jr_T - c.k_ * HcJ_A_per_m;
    c.notes_.push_back(fmt("the recoil line (mu_rec %.4g) reaches J = 0 before HcJ = %.4g kA/m: mu_rec lowered to %.4g",
                           mu_rec, HcJ_A_per_m / 1e3, 1.0 + c.chi_));
  }
  const double c0 = HcJ_A_per_m, c1 = (1.0 - squareness) * HcJ_A_per_m;
  const double rho = (0.9 * Jr_T - c.k_ * c1) / c.A0_;
  if (rho > 0.0 && rho < 1.0 - 1e-12) {
    // tanh(s c1) = rho tanh(s c0): fixed point, a contraction (tanh(s c0) ~ 1).
    double s = std::atanh(rho) / c1;
    for (int it = 0; it < 200; ++it) {
      const double next = std::atanh(rho * std::tanh(s * c0)) / c1;
      const bool done = std::abs(next - s) <= 1e-16 * s;
      s = next;
      if (done) break;
    }
    c.s_ = s;
  } else {
    c.s_ = std::atanh(0.9) / c1;   // M2's width
    c.notes_.push_back(fmt("squareness %.4g is not reachable with mu_rec %.4g: the recoil line alone reaches "
                           "J = 0.9 Jr at h = %.4g kA/m; Hk is taken there (conservative, no knee yet)",
                           squareness, 1.0 + c.chi_, 0.1 * Jr_T / std::max(c.k_, 1e-300) / 1e3));
  }
  c.tanh_u0_ = std::tanh(c.s_ * c0);
  c.shape_text_ = "tanh knee (M2-additive)";
  c.solve_knee_field();
  return c;
}

double KneeCurve::J_T(double h) const {
  if (!measured()) {
    const double u = s_ * (HcJ_ - h);
    return (Jr_ - k_ * h) + A0_ * (std::tanh(u) / tanh_u0_ - 1.0);
  }
  if (h < 0.0) return Jr_ - k_ * h;
  const double x = h / HcJ_;
  return Jr_ * ((1.0 - t_) * shape_lo_->value(x) + t_ * shape_hi_->value(x));
}

double KneeCurve::dJ_dh(double h) const {
  if (!measured()) return -k_ - A0_ * s_ * sech2(s_ * (HcJ_ - h)) / tanh_u0_;
  if (h < 0.0) return -k_;
  const double x = h / HcJ_;
  return Jr_ / HcJ_ * ((1.0 - t_) * shape_lo_->slope(x) + t_ * shape_hi_->slope(x));
}

double KneeCurve::recoil_remanence_T(double h_worst) const {
  if (!(h_worst > 0.0)) return Jr_;
  // B(h) + mu0 mu_rec h = J(h) + k h.
  return std::min(Jr_, J_T(h_worst) + k_ * h_worst);
}

std::string KneeCurve::knee_definition() const {
  return fmt("Hk at J = 0.9 Jr (squareness Hk/HcJ = %.4f), ", squareness()) + shape_text_;
}

double KneeCurve::irreversible_loss_field_A_per_m(double fraction) const {
  if (!(fraction > 0.0)) return 0.0;
  // Br'(h) = J(h) + k h is non-increasing (dJ/dh <= -k): bisection.
  const double target = (1.0 - fraction) * Jr_;
  double lo = 0.0, hi = HcJ_;
  while (recoil_remanence_T(hi) > target && hi < 1e3 * HcJ_) hi *= 2.0;
  for (int it = 0; it < 400; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (recoil_remanence_T(mid) > target ? lo : hi) = mid;
  }
  return hi;
}

void KneeCurve::solve_knee_field() {
  // J is strictly decreasing from Jr at 0 to 0 at HcJ: bisection to the last bit.
  const double target = 0.9 * Jr_;
  double lo = 0.0, hi = HcJ_;
  for (int it = 0; it < 400; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (J_T(mid) > target ? lo : hi) = mid;
  }
  Hk_ = std::abs(J_T(lo) - target) <= std::abs(J_T(hi) - target) ? lo : hi;
}

// ---------------------------------------------------------------------------

double GbdProfile::gain_A_per_m(double distance_m) const {
  if (!present()) return 0.0;
  return surface_gain_A_per_m * std::exp(-std::max(distance_m, 0.0) / depth_m);
}

double GbdProfile::slab_mean_gain_A_per_m(double thickness_m) const {
  if (!present() || !(thickness_m > 0)) return present() ? surface_gain_A_per_m : 0.0;
  const double half = 0.5 * thickness_m;
  return surface_gain_A_per_m * depth_m / half * (1.0 - std::exp(-half / depth_m));
}

// ---------------------------------------------------------------------------

namespace {

struct TableSummary {
  double T, Jr, HcJ;
  const MeasuredJH* table;
};

std::vector<TableSummary> sorted_tables(const std::vector<MeasuredJH>& measured) {
  std::vector<TableSummary> out;
  for (const MeasuredJH& m : measured) {
    if (m.h_A_per_m.size() < 2 || m.h_A_per_m.size() != m.J_T.size())
      throw std::invalid_argument("MagnetModel: a measured J-H table needs >= 2 points and equal lengths");
    out.push_back({m.temperature_C, m.J_T.front(), 0.0, &m});
  }
  std::sort(out.begin(), out.end(), [](const TableSummary& a, const TableSummary& b) { return a.T < b.T; });
  return out;
}

}  // namespace

double MagnetModel::remanence_T(double temperature_C) const {
  return at(temperature_C).remanence_T();
}

double MagnetModel::mu_rec(double temperature_C) const { return at(temperature_C).mu_rec(); }

MaterialSpec MagnetModel::material_at(double temperature_C) const {
  const KneeCurve curve = at(temperature_C);
  MaterialSpec s;
  s.kind = MaterialSpec::Kind::magnet;
  s.mu_r = curve.mu_rec();
  s.remanence_T = curve.remanence_T();
  return s;
}

KneeCurve MagnetModel::at(double temperature_C, double HcJ_gain_A_per_m) const {
  const double dT = temperature_C - 20.0;
  const double beta_gain = std::isnan(beta_gain_per_K) ? beta_HcJ_per_K : beta_gain_per_K;
  const double gain_T = HcJ_gain_A_per_m * std::max(1.0 + beta_gain * dT, 0.0);
  std::vector<std::string> notes;

  if (measured.empty()) {
    double Jr = Br20_T * (1.0 + alpha_Br_per_K * dT);
    if (!(Jr >= 0.01 * Br20_T)) {
      notes.push_back(fmt("the linear alpha law gives Br <= 1 %% of Br20 at %.4g C: clamped", temperature_C));
      Jr = 0.01 * Br20_T;
    }
    double HcJ = HcJ20_A_per_m * (1.0 + beta_HcJ_per_K * dT) + gain_T;
    const double floor = 0.02 * (HcJ20_A_per_m + std::max(HcJ_gain_A_per_m, 0.0));
    if (!(HcJ >= floor)) {
      notes.push_back(fmt("the linear beta law gives HcJ <= 2 %% of HcJ20 at %.4g C: clamped to %.4g kA/m "
                          "(the magnet is as good as demagnetized)", temperature_C, floor / 1e3));
      HcJ = floor;
    }
    const double mu = std::max(1.0, mu_rec20 + mu_rec_per_K * dT);
    KneeCurve c = KneeCurve::parametric(Jr, mu, HcJ, squareness);
    c.notes_.insert(c.notes_.begin(), notes.begin(), notes.end());
    return c;
  }

  // Measured curves: normalized shapes of the two tables around T.
  std::vector<TableSummary> tables = sorted_tables(measured);
  std::vector<std::shared_ptr<const KneeCurve::Shape>> shapes;
  for (TableSummary& t : tables) {
    const KneeCurve::Shape raw = KneeCurve::Shape::build(t.table->h_A_per_m, t.table->J_T);
    t.HcJ = raw.root();
    KneeCurve::Shape s = raw;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      s.x[i] = raw.x[i] / t.HcJ;
      s.j[i] = raw.j[i] / t.Jr;
      s.d[i] = raw.d[i] * t.HcJ / t.Jr;
    }
    shapes.push_back(std::make_shared<const KneeCurve::Shape>(std::move(s)));
  }
  double Jr = 0, HcJ = 0, weight = 0;
  std::size_t lo = 0, hi = 0;
  if (tables.size() == 1) {
    // One table: its shape at every T, Jr and HcJ moved by alpha and beta.
    const TableSummary& t = tables[0];
    Jr = t.Jr * (1.0 + alpha_Br_per_K * dT) / (1.0 + alpha_Br_per_K * (t.T - 20.0));
    HcJ = t.HcJ * (1.0 + beta_HcJ_per_K * dT) / (1.0 + beta_HcJ_per_K * (t.T - 20.0));
  } else {
    std::size_t i = 0;
    while (i + 2 < tables.size() && temperature_C > tables[i + 1].T) ++i;
    const TableSummary &a = tables[i], &b = tables[i + 1];
    const double t = (temperature_C - a.T) / (b.T - a.T);
    Jr = a.Jr + t * (b.Jr - a.Jr);
    HcJ = a.HcJ + t * (b.HcJ - a.HcJ);
    weight = std::clamp(t, 0.0, 1.0);
    lo = i;
    hi = i + 1;
  }
  const double Jr_ref = tables.front().Jr, HcJ_ref = tables.front().HcJ;
  if (!(Jr >= 0.01 * Jr_ref)) {
    notes.push_back(fmt("extrapolated Jr <= 1 %% of the coldest curve's at %.4g C: clamped", temperature_C));
    Jr = 0.01 * Jr_ref;
  }
  if (!(HcJ >= 0.02 * HcJ_ref)) {
    notes.push_back(fmt("extrapolated HcJ <= 2 %% of the coldest curve's at %.4g C: clamped", temperature_C));
    HcJ = 0.02 * HcJ_ref;
  }
  HcJ += gain_T;
  KneeCurve c{KneeCurve::Raw{}};
  c.notes_ = notes;
  c.Jr_ = Jr;
  c.HcJ_ = HcJ;
  c.shape_lo_ = shapes[lo];
  c.shape_hi_ = shapes[hi];
  c.t_ = weight;
  c.A0_ = 0;
  c.s_ = 1;
  c.tanh_u0_ = 1;
  c.chi_ = std::max(0.0, -Jr / HcJ * ((1.0 - weight) * shapes[lo]->d.front() + weight * shapes[hi]->d.front()) / mu0);
  c.k_ = mu0 * c.chi_;
  c.shape_text_ = "measured J-H curves (monotone cubic, blended between temperatures)";
  c.solve_knee_field();
  return c;
}

std::vector<std::string> MagnetModel::warnings(double temperature_C) const {
  std::vector<std::string> w;
  const std::string who = name.empty() ? std::string("magnet") : name;
  if (!measured.empty()) {
    double lo = measured.front().temperature_C, hi = lo;
    for (const MeasuredJH& m : measured) {
      lo = std::min(lo, m.temperature_C);
      hi = std::max(hi, m.temperature_C);
    }
    if (temperature_C < lo || temperature_C > hi)
      w.push_back(who + fmt(": %.4g C is outside the measured curves (%.4g..%.4g C): Jr and HcJ extrapolated along "
                            "the secants of the two nearest curves, knee shape of the nearest",
                            temperature_C, lo, hi));
  } else if (temperature_C < coefficient_range_low_C || temperature_C > coefficient_range_high_C) {
    w.push_back(who + fmt(": %.4g C is outside %.4g..%.4g C, the range alpha and beta were measured over: Br and "
                          "HcJ extrapolated (beta is a secant; the real HcJ(T) is curved)",
                          temperature_C, coefficient_range_low_C, coefficient_range_high_C));
  }
  if (temperature_C > max_working_temperature_C)
    w.push_back(who + fmt(": %.4g C is above the grade's maximum working temperature %.4g C (a catalogue rating "
                          "for one load line, not a rotor limit)",
                          temperature_C, max_working_temperature_C));
  if (squareness_estimated)
    w.push_back(who + fmt(": knee shape estimated (squareness Hk/HcJ = %.3g, no source gives it): Hk and the "
                          "irreversible loss depend on it",
                          squareness));
  for (const std::string& c : cautions) w.push_back(who + ": " + c);
  try {
    const KneeCurve curve = at(temperature_C);
    for (const std::string& n : curve.notes()) w.push_back(who + ": " + n);
  } catch (const std::exception& e) {
    w.push_back(who + ": no curve at this temperature: " + e.what());
  }
  return w;
}

}  // namespace rotormag::solver

#pragma once
// Sintered NdFeB along its magnetization at a temperature: the second-quadrant
// J(h) curve with its knee, the recoil line after damage, and the GBD
// coercivity profile. Physics only (no file formats); docs/magnet-model.md.
//
// Conventions (shared/reference/demagnetization.md, A1-A4):
//   h = -H.m >= 0        the demagnetizing field along the magnetization [A/m]
//   J(h)                 the polarization along m [T];  B(h) = -mu0 h + J(h)
//   Jr = Br(T)           J(0);  HcJ: J(HcJ) = 0;  Hk: J(Hk) = 0.9 Jr
//   squareness SQ        Hk / HcJ (the industry's "Hk at 90 % of Jr", A2 item 2)
//
// The parametric curve ("M2-additive", a variant of the reference's tanh knee M2):
//
//   J(h) = Jr - k h + A0 (tanh(s (HcJ - h)) / tanh(s HcJ) - 1),
//   k = mu0 (mu_rec - 1),  A0 = Jr - k HcJ,  s = 1 / (2 w)
//
// i.e. the linear recoil line Jlin(h) = Jr - k h plus a tanh knee that is
// exponentially small (relative size ~ exp(-2 s (HcJ - h))) below the knee.
// Properties, exact by construction: J(0) = Jr, J(HcJ) = 0 (tanh(0) = 0),
// dJ/dh = -k - A0 s sech^2(.) / tanh(s HcJ) < -k <= 0 for every h (so
// dB/dh <= -mu0 everywhere, also past HcJ, where M2's product form turns
// back when Jlin changes sign), smooth (C-infinity), J -> linear for h < 0.
// The width w is solved so that J(SQ HcJ) = 0.9 Jr exactly; for k = 0 it is
// M2's w = (HcJ - Hk) / (2 atanh 0.9) up to exp(-2 s HcJ). Hk is then found
// on the curve numerically (J(Hk) = 0.9 Jr to rounding).
// A squareness is unreachable when the recoil slope alone takes J to 0.9 Jr
// before SQ HcJ (k SQ HcJ >= 0.1 Jr: high HcJ with a large mu_rec, e.g. an AH
// grade at 20 C). The curve then keeps M2's width w = (1 - SQ) HcJ / (2 atanh 0.9),
// Hk (J = 0.9 Jr, solved on the curve) lies below SQ HcJ on the near-linear
// part, and notes() says so: a conservative margin, no irreversible loss there.
//
// Measured curves (MeasuredJH at >= 2 temperatures) replace the parametric
// curve: each table is a monotone cubic (Fritsch-Butland) in the normalized
// coordinates x = h / HcJ_i, j = J / Jr_i; between two table temperatures Jr
// and HcJ are interpolated linearly in T and the two normalized shapes
// blended with the same weight. That keeps J(HcJ(T)) = 0, J monotone and the
// tables reproduced at their temperatures. Outside the tables' range Jr and
// HcJ follow the secants of the two nearest tables (a warning says so).
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "solver/problem.hpp"

namespace rotormag::solver {

// One measured (or supplier) intrinsic curve at one temperature.
struct MeasuredJH {
  double temperature_C = 20.0;
  std::vector<double> h_A_per_m;   // demagnetizing field: starts at 0, strictly increasing
  std::vector<double> J_T;         // polarization: strictly decreasing, J[0] = Jr, last <= 0 (covers HcJ)
};

// Second-quadrant behaviour along the magnetization at one temperature.
// h = -H.m >= 0 the demagnetizing field [A/m]; J the polarization along m [T]; B = -mu0 h + J.
// Copies are cheap (measured shapes are shared). Default-constructed: a
// placeholder (1 T, mu_rec 1.05, 1 MA/m, SQ 0.95) so that containers can be sized.
class KneeCurve {
 public:
  KneeCurve();
  // The parametric curve (see the file comment). squareness in [0.5, 0.999].
  static KneeCurve parametric(double Jr_T, double mu_rec, double HcJ_A_per_m, double squareness);

  double remanence_T() const { return Jr_; }        // Jr = Br(T)
  double mu_rec() const { return 1.0 + chi_; }      // relative recoil permeability at T
  double HcJ_A_per_m() const { return HcJ_; }       // J(HcJ) = 0
  double knee_field_A_per_m() const { return Hk_; } // Hk: J(Hk) = 0.9 Jr, solved on the curve
  double squareness() const { return Hk_ / HcJ_; }  // Hk / HcJ as realised on the curve
  double J_T(double h) const;       // h >= 0: reversible + knee; h < 0: the recoil line
  double B_T(double h) const { return -mu0_ * h + J_T(h); }
  double dJ_dh(double h) const;     // <= -mu0 (mu_rec - 1) <= 0
  double dB_dh(double h) const { return -mu0_ + dJ_dh(h); }   // <= -mu0
  // Remanence of the recoil line through the curve point at h_worst (Ansys' construction):
  // Br' = B(h_worst) + mu0 mu_rec h_worst, capped at Jr; Jr for h_worst <= 0. Equals Jr
  // (to ~1e-15 relative) while h_worst is on the linear part, < Jr past the knee.
  double recoil_remanence_T(double h_worst) const;
  std::string knee_definition() const;
  // The field at which the recoil remanence has lost this fraction of Jr:
  // 0.05 gives IEC 60404-8-1's HD5. With the 0.9 Jr definition the loss at Hk
  // itself is 10 % - k Hk / Jr (7.5 % for N42SH at 150 C), so HD5 < Hk and
  // the onset of irreversible loss (say 1 %) lies a few knee widths below Hk.
  double irreversible_loss_field_A_per_m(double fraction) const;
  bool measured() const { return static_cast<bool>(shape_lo_); }
  double knee_width_A_per_m() const { return measured() ? 0.0 : 0.5 / s_; }   // w (parametric)
  // Things the caller should know about this curve (squareness unreachable, ...).
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  friend struct MagnetModel;
  struct Shape;   // one normalized measured table (monotone cubic)
  struct Raw {};
  explicit KneeCurve(Raw) {}   // members as declared; filled by parametric() / MagnetModel::at
  void solve_knee_field();

  static constexpr double mu0_ = 4.0e-7 * 3.14159265358979323846;
  double Jr_ = 1.0, chi_ = 0.05, HcJ_ = 1e6, Hk_ = 0.95e6;
  // parametric
  double k_ = 0, A0_ = 0, s_ = 1, tanh_u0_ = 1;
  std::string shape_text_ = "tanh knee (M2-additive)";
  // measured: J(h) = Jr ((1 - t) lo(h / HcJ) + t hi(h / HcJ))
  std::shared_ptr<const Shape> shape_lo_, shape_hi_;
  double t_ = 0;
  std::vector<std::string> notes_;
};

// GBD: coercivity gain as a function of the distance d from the nearest
// diffused face, gain(d) = surface_gain exp(-d / depth) [A/m, at 20 C].
struct GbdProfile {
  double surface_gain_A_per_m = 0.0;
  double depth_m = 0.0;            // decay length (an assumption in the shipped library: 2 mm)
  bool present() const { return surface_gain_A_per_m > 0.0 && depth_m > 0.0; }
  double gain_A_per_m(double distance_m) const;
  // Mean gain of a slab of this thickness diffused from both faces.
  double slab_mean_gain_A_per_m(double thickness_m) const;
};

// What a grade (or a composition, or measured curves) says about the magnet.
struct MagnetModel {
  std::string name;
  double Br20_T = 1.3, alpha_Br_per_K = -0.0012, HcJ20_A_per_m = 1e6, beta_HcJ_per_K = -0.006, mu_rec20 = 1.05;
  double mu_rec_per_K = 0;              // optional drift of mu_rec with T (FEMM N30EH: 1.028 -> 1.146 over 20..180 C)
  double squareness = 0.95;             // Hk/HcJ (knee shape)
  bool squareness_estimated = false;    // no source gives the knee shape: warnings() says so
  double coefficient_range_low_C = 20, coefficient_range_high_C = 80, max_working_temperature_C = 80;
  // Optional measured J-H curves at several temperatures (Ce-substituted grades): interpolated in h and T;
  // when present (>= 2 temperatures) they replace the parametric curve.
  std::vector<MeasuredJH> measured;
  // GBD: per-element HcJ gain by distance to the diffused faces (HcJ20 is the undiffused core).
  GbdProfile gbd;
  // Temperature coefficient of a gain passed to at() (NaN: beta_HcJ_per_K, i.e. the gain
  // scales like the rest). A composition with GBD sets it (docs/magnet-model.md).
  double beta_gain_per_K = std::numeric_limits<double>::quiet_NaN();
  // Model-level cautions (composition outside the data, low-confidence curves): always in warnings().
  std::vector<std::string> cautions;

  double remanence_T(double temperature_C) const;     // Jr(T) (parametric, or from the tables)
  double mu_rec(double temperature_C) const;
  // HcJ_gain: local GBD increase at 20 C, scaled with beta_gain (default beta) like the rest:
  // HcJ(T) = HcJ20 (1 + beta dT) + gain (1 + beta_gain dT).
  KneeCurve at(double temperature_C, double HcJ_gain_A_per_m = 0) const;
  // The magnet as the field solve sees it at T: the linear recoil law with
  // Br(T) and mu_rec(T) of the curve at(T). The one place a magnet region's
  // material at a temperature comes from, so the field and the knee test agree.
  MaterialSpec material_at(double temperature_C) const;
  double gbd_HcJ_gain_A_per_m(double distance_m) const { return gbd.gain_A_per_m(distance_m); }
  // e.g. outside the coefficient range, above Tmax, knee estimated, measured range left.
  std::vector<std::string> warnings(double temperature_C) const;
};

}  // namespace rotormag::solver

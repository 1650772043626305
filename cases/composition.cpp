// The composition model: candidate -> magnet material. Relations and their
// sources: composition.hpp and docs/magnet-model.md.
#include "cases/composition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "solver/magnet_model.hpp"

namespace rotormag::cases {
namespace {

using R = CompositionRelations;

std::string num(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// Per wt% of Tb, from "1.5x Dy per atom": more atoms per wt% (lighter than Dy).
double tb_per_wt_factor() { return R::Tb_per_Dy_atom * R::molar_mass_Dy / R::molar_mass_Tb; }

Band band_of(double amount, const double per_unit[3]) {
  const double a = amount * per_unit[0], b = amount * per_unit[2];
  return Band{std::min(a, b), amount * per_unit[1], std::max(a, b)};
}

Band add(Band x, Band y) { return Band{x.low + y.low, x.mid + y.mid, x.high + y.high}; }

// HcB at 20 C on the knee curve: B(h) = 0 (or Br/(mu0 mu_rec) without a knee before it).
double normal_coercivity(const MagnetGrade& g) {
  const solver::KneeCurve c = solver::KneeCurve::parametric(g.Br20_T, std::max(1.0, g.mu_rec), g.HcJ20_A_per_m,
                                                            std::clamp(g.squareness, 0.5, 0.999));
  double lo = 0.0, hi = c.HcJ_A_per_m();
  if (c.B_T(hi) > 0.0) return hi;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (c.B_T(mid) > 0.0 ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace

double suffix_working_temperature_C(double HcJ20_A_per_m) {
  // grade_suffixes.csv: minimum HcJ per suffix and its nominal working temperature.
  const double kA = HcJ20_A_per_m / 1e3;
  if (kA >= 2626) return 220;   // AH (2626..2706 by supplier)
  if (kA >= 2388) return 200;   // EH
  if (kA >= 1990) return 180;   // UH
  if (kA >= 1592) return 150;   // SH
  if (kA >= 1353) return 120;   // H
  if (kA >= 1114) return 100;   // M
  if (kA >= 955) return 80;     // N
  return 60;                    // below the N minimum (N52/N55 class)
}

ComposedMagnet compose(const Candidate& c) {
  if (c.base.kind != Material::Kind::magnet)
    throw std::invalid_argument("composition: base '" + c.base.name + "' is not a magnet");
  if (c.gbd_element != GbdElement::none && !(c.gbd_wt_pct > 0.0))
    throw std::invalid_argument("composition: GBD " + std::string(gbd_element_name(c.gbd_element)) +
                                " needs gbd_wt_pct > 0, got " + num(c.gbd_wt_pct));
  ComposedMagnet out;
  Material& m = out.material;
  m = c.base;
  m.name = c.name.empty() ? c.base.name + "-composed" : c.name;
  MagnetGrade& g = m.grade;
  const MagnetGrade& base = c.base.grade;
  std::vector<std::string> steps;   // for `source`
  auto warn = [&](const std::string& text, bool outside, bool low) {
    out.warnings.push_back(text);
    out.outside_data = out.outside_data || outside;
    out.low_confidence = out.low_confidence || low;
  };

  // --- what the base holds --------------------------------------------------
  const MagnetComposition& bc = base.composition;
  if (!bc.stated && (c.Dy_added_wt_pct != 0 || c.Tb_added_wt_pct != 0 || c.gbd_element != GbdElement::none))
    warn("base '" + c.base.name + "' states no composition: HRE totals count the additions only", false, true);
  const double Dy_total = bc.Dy_wt_pct + c.Dy_added_wt_pct;
  const double Tb_total = bc.Tb_wt_pct + c.Tb_added_wt_pct;
  if (Dy_total < -1e-12 || Tb_total < -1e-12)
    throw std::invalid_argument("composition: removes more bulk HRE than base '" + c.base.name + "' holds (Dy " +
                                num(bc.Dy_wt_pct) + " wt%, Tb " + num(bc.Tb_wt_pct) + " wt%)");
  g.composition.stated = true;
  g.composition.Dy_wt_pct = std::max(0.0, Dy_total);
  g.composition.Tb_wt_pct = std::max(0.0, Tb_total);
  g.composition.confidence = bc.stated ? bc.confidence : CompositionConfidence::estimated;

  // --- bulk Dy / Tb ---------------------------------------------------------
  const bool bulk = c.Dy_added_wt_pct != 0.0 || c.Tb_added_wt_pct != 0.0;
  const double tb = tb_per_wt_factor();
  const double Tb_HcJ[3] = {R::Dy_HcJ_A_per_m[0] * tb, R::Dy_HcJ_A_per_m[1] * tb, R::Dy_HcJ_A_per_m[2] * tb};
  // Br per atom as Dy (Js of Dy2Fe14B and Tb2Fe14B are close [K]): per wt% x M_Dy/M_Tb.
  const double per_atom = R::molar_mass_Dy / R::molar_mass_Tb;
  const double Tb_Br[3] = {R::Dy_Br_T[0] * per_atom, R::Dy_Br_T[1] * per_atom, R::Dy_Br_T[2] * per_atom};
  const Band dHcJ = add(band_of(c.Dy_added_wt_pct, R::Dy_HcJ_A_per_m), band_of(c.Tb_added_wt_pct, Tb_HcJ));
  const Band dBr = add(band_of(c.Dy_added_wt_pct, R::Dy_Br_T), band_of(c.Tb_added_wt_pct, Tb_Br));
  out.HcJ20_A_per_m = Band{base.HcJ20_A_per_m + dHcJ.low, base.HcJ20_A_per_m + dHcJ.mid, base.HcJ20_A_per_m + dHcJ.high};
  out.Br20_T = Band{base.Br20_T + dBr.low, base.Br20_T + dBr.mid, base.Br20_T + dBr.high};
  if (bulk && !base.jh_curves.empty()) {
    warn("bulk Dy/Tb additions cannot be applied to measured J-H curves: the base's curves are used unchanged "
         "(give measured curves of the candidate)", true, false);
    out.HcJ20_A_per_m = Band{base.HcJ20_A_per_m, base.HcJ20_A_per_m, base.HcJ20_A_per_m};
    out.Br20_T = Band{base.Br20_T, base.Br20_T, base.Br20_T};
  } else if (bulk) {
    if (!(out.HcJ20_A_per_m.mid > 0.0 && out.Br20_T.mid > 0.0))
      throw std::invalid_argument("composition: the additions leave HcJ20 or Br20 <= 0");
    g.HcJ20_A_per_m = out.HcJ20_A_per_m.mid;
    g.Br20_T = out.Br20_T.mid;
    // beta moves with HcJ20 along the prior's slope (the base's own beta is kept at 0 additions).
    g.beta_HcJ_per_K = base.beta_HcJ_per_K + R::beta_slope_pct_per_C_per_kA_per_m / 100.0 * (dHcJ.mid / 1e3);
    g.max_working_temperature_C = suffix_working_temperature_C(g.HcJ20_A_per_m);
    g.coefficient_range_low_C = 20.0;
    g.coefficient_range_high_C = std::max(g.max_working_temperature_C, 21.0);
    steps.push_back(num(c.Dy_added_wt_pct) + " wt% bulk Dy and " + num(c.Tb_added_wt_pct) +
                    " wt% bulk Tb: HcJ20 " + num(dHcJ.mid / 1e3) + " kA/m [" + num(dHcJ.low / 1e3) + ".." +
                    num(dHcJ.high / 1e3) + "], Br20 " + num(dBr.mid) + " T [" + num(dBr.low) + ".." + num(dBr.high) +
                    "], beta by the prior slope 1.26e-4 %/C per kA/m, Tmax by the suffix table");
    if (c.Tb_added_wt_pct != 0.0)
      warn("bulk Tb: 1.5x Dy per atom is an estimate (data/README.md)", false, true);
  }
  const double Dy_equivalent = g.composition.Dy_wt_pct + g.composition.Tb_wt_pct;
  if (Dy_equivalent > R::bulk_max_wt_pct)
    warn("bulk HRE " + num(Dy_equivalent) + " wt% is above " + num(R::bulk_max_wt_pct) +
         " wt%: the per-wt% relations come from grades up to AH (about 8 wt% Dy, estimated)", true, false);

  // --- grain-boundary diffusion ---------------------------------------------
  out.gbd_surface_gain_A_per_m = Band{};
  if (c.gbd_element != GbdElement::none) {
    if (base.gbd.present())
      warn("base '" + c.base.name + "' is already diffused: a second GBD is not in the data; the base's GBD is "
           "replaced", true, false);
    const bool Tb = c.gbd_element == GbdElement::Tb;
    const double* gain = Tb ? R::gbd_Tb_gain_A_per_m : R::gbd_Dy_gain_A_per_m;
    const double* br = Tb ? R::gbd_Tb_Br_fraction : R::gbd_Dy_Br_fraction;
    out.gbd_surface_gain_A_per_m = Band{gain[0], gain[1], gain[2]};
    const double Br_before = g.Br20_T;
    out.Br20_T = Band{out.Br20_T.low * (1 + br[0]), out.Br20_T.mid * (1 + br[1]), out.Br20_T.high * (1 + br[2])};
    g.Br20_T = Br_before * (1 + br[1]);
    GbdTreatment& t = g.gbd;
    t.element = c.gbd_element;
    t.wt_pct = c.gbd_wt_pct;
    t.surface_gain_A_per_m = gain[1];
    t.depth_m = c.gbd_depth_m > 0 ? c.gbd_depth_m : R::gbd_default_depth_m;
    // The gain's own temperature coefficient from the beta prior: the whole
    // sample (core + gain) follows beta_core + slope * gain, so
    // beta_gain = beta_core + slope * (HcJ_core + gain) [%/C, kA/m].
    t.beta_gain_per_K = g.beta_HcJ_per_K +
                        R::beta_slope_pct_per_C_per_kA_per_m / 100.0 * ((g.HcJ20_A_per_m + gain[1]) / 1e3);
    t.profile_confidence = CurveConfidence::estimated;
    g.max_working_temperature_C = suffix_working_temperature_C(g.HcJ20_A_per_m + gain[1]);
    steps.push_back(std::string("GBD ") + gbd_element_name(c.gbd_element) + " " + num(c.gbd_wt_pct) +
                    " wt%: surface HcJ gain " + num(gain[1] / 1e3) + " kA/m [" + num(gain[0] / 1e3) + ".." +
                    num(gain[2] / 1e3) + "], Br " + num(br[1] * 100) + " % [" + num(br[0] * 100) + ".." +
                    num(br[2] * 100) + "] (hre_coercivity_gains.csv), gain(d) = gain exp(-d / " +
                    num(t.depth_m * 1e3) + " mm) (assumed), beta of the gain " + num(t.beta_gain_per_K * 100) +
                    " %/C (beta prior)");
    if (c.gbd_wt_pct > R::gbd_max_wt_pct)
      warn("GBD " + num(c.gbd_wt_pct) + " wt% is above the < 1 wt% the gains were measured with", true, false);
    if (bulk || Dy_equivalent > 0)
      warn("bulk HRE and GBD together: their gains are added (assumed; the GBD data include one Dy-containing "
           "base: DyF3 +255 kA/m vs +243 on a Dy-free one)", false, true);
    warn("GBD profile: the measured whole-sample gain is taken as the surface value and decays as exp(-d / " +
         num(t.depth_m * 1e3) + " mm) (form and depth assumed: conservative below the surface)", false, true);
  }

  // --- Ce ------------------------------------------------------------------
  const double Ce = c.Ce_fraction_of_RE < 0 ? bc.Ce_fraction_of_RE : c.Ce_fraction_of_RE;
  g.composition.Ce_fraction_of_RE = Ce;
  if (std::abs(Ce - bc.Ce_fraction_of_RE) > 1e-9)
    warn("Ce fraction " + num(Ce) + " differs from the base's " + num(bc.Ce_fraction_of_RE) +
         ": Ce substitution is not modelled parametrically (no temperature coefficients found); use a base with "
         "measured curves at that Ce content. The base's properties are used unchanged",
         true, true);
  if (Ce > 0 && (base.jh_curves.empty() || base.curves_confidence != CurveConfidence::measured))
    warn("Ce-substituted base without measured curves: low confidence", false, true);
  if (g.composition.Dy_wt_pct + g.composition.Tb_wt_pct + Ce * g.composition.RE_wt_pct > g.composition.RE_wt_pct)
    warn("Dy + Tb + Ce exceed the rare-earth content " + num(g.composition.RE_wt_pct) + " wt% of the base", true, false);

  // --- density (equal molar volume on substitution for Nd, an estimate) -------
  double rho = 1.0;
  rho += c.Dy_added_wt_pct / 100.0 * (1.0 - R::molar_mass_Nd / R::molar_mass_Dy);
  rho += c.Tb_added_wt_pct / 100.0 * (1.0 - R::molar_mass_Nd / R::molar_mass_Tb);
  if (c.gbd_element != GbdElement::none)
    rho += c.gbd_wt_pct / 100.0 *
           (1.0 - R::molar_mass_Nd / (c.gbd_element == GbdElement::Tb ? R::molar_mass_Tb : R::molar_mass_Dy));
  g.density_kg_per_m3 = base.density_kg_per_m3 * rho;

  if (bulk && base.jh_curves.empty()) g.HcB_A_per_m = normal_coercivity(g);
  else if (c.gbd_element != GbdElement::none && base.jh_curves.empty()) g.HcB_A_per_m = normal_coercivity(g);
  if (steps.empty()) steps.push_back("no additions");

  std::string source = "composition model (docs/magnet-model.md) on base '" + c.base.name + "' [" + c.base.source + "]";
  for (const std::string& s : steps) source += "; " + s;
  m.source = source;
  std::string note = c.base.note;
  for (const std::string& w : out.warnings) note += (note.empty() ? "" : "; ") + w;
  m.note = note;
  return out;
}

}  // namespace rotormag::cases

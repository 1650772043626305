#pragma once
// The composition model: a candidate magnet described by what it is made of
// (a base grade plus bulk Dy/Tb, grain-boundary diffusion, Ce) -> a magnet
// material with Br20, HcJ20, alpha, beta, squareness, density, its GBD
// profile, the uncertainty bands of the relations, and warnings when a
// relation is used outside the data behind it. Relations and sources:
// docs/magnet-model.md ("Composition"), shared/data/README.md,
// shared/data/hre_coercivity_gains.csv.
//
// It lives in cases/ because it is data (sourced per-wt% relations) turned
// into a library material; the physics of the result is solver::MagnetModel.
#include <string>
#include <vector>

#include "cases/materials.hpp"

namespace rotormag::cases {

struct Candidate {
  std::string name;                     // name of the composed material
  Material base;                        // kind magnet: a library grade, or Dy/Tb-free base properties
  // Bulk (alloyed) HRE added to the base, percent of the magnet mass; negative
  // removes it (down to the base's own content, e.g. a leaner N42SH).
  double Dy_added_wt_pct = 0.0;
  double Tb_added_wt_pct = 0.0;
  GbdElement gbd_element = GbdElement::none;
  double gbd_wt_pct = 0.0;              // HRE taken up by the diffusion (cost; the gain does not scale with it)
  double gbd_depth_m = 0.0;             // decay length of the gain; 0: the default (2 mm, an assumption)
  double Ce_fraction_of_RE = -1.0;      // < 0: the base's. Ce only through a base with measured curves
};

// A value with the band its relation allows (low <= mid <= high).
struct Band {
  double low = 0.0, mid = 0.0, high = 0.0;
};

struct ComposedMagnet {
  Material material;                    // kind magnet; source and note say how it was composed
  Band Br20_T;                          // from the bands of the per-wt% relations
  Band HcJ20_A_per_m;                   // bulk (for GBD: the undiffused core)
  Band gbd_surface_gain_A_per_m;        // 0 without GBD
  std::vector<std::string> warnings;    // every relation used outside its data, every estimate
  bool outside_data = false;            // the flag results carry: a relation extrapolated
  bool low_confidence = false;          // estimated inputs (Ce curves, Tb relation, base composition)
};

// The sourced relations (midpoint and band), for tests and documentation.
struct CompositionRelations {
  // Bulk Dy per wt%: data/README.md (bounded by grade pairs and intrinsic properties).
  static constexpr double Dy_HcJ_A_per_m[3] = {180e3, 210e3, 240e3};
  static constexpr double Dy_Br_T[3] = {-0.026, -0.021, -0.016};
  // Tb: 1.5x Dy per atom (data/README.md, an estimate); per wt% x M_Dy/M_Tb = 162.50/158.93.
  static constexpr double Tb_per_Dy_atom = 1.5;
  static constexpr double molar_mass_Nd = 144.24, molar_mass_Dy = 162.50, molar_mass_Tb = 158.93,
                          molar_mass_Ce = 140.12;
  // GBD (hre_coercivity_gains.csv): Tb 727..762 kA/m with 0..-2.2 % Br; Dy 250..410 kA/m with ~0 Br.
  static constexpr double gbd_Tb_gain_A_per_m[3] = {727e3, 744.5e3, 762e3};
  static constexpr double gbd_Tb_Br_fraction[3] = {-0.022, -0.011, 0.0};
  static constexpr double gbd_Dy_gain_A_per_m[3] = {250e3, 330e3, 410e3};
  static constexpr double gbd_Dy_Br_fraction[3] = {-0.022, 0.0, 0.0};
  static constexpr double gbd_max_wt_pct = 1.0;           // the data: "< 1 wt%"
  static constexpr double gbd_default_depth_m = 2e-3;     // an assumption (docs/magnet-model.md)
  // beta prior from the Arnold grades: beta [%/C] = -0.746 + 1.26e-4 HcJ20 [kA/m].
  static constexpr double beta_slope_pct_per_C_per_kA_per_m = 1.26e-4;
  static constexpr double bulk_max_wt_pct = 10.0;         // beyond: outside the grades behind the relation
};

// Throws std::invalid_argument for a base that is not a magnet, a negative
// GBD amount, or removing more HRE than the base holds.
ComposedMagnet compose(const Candidate& candidate);

// Nominal working temperature of a sintered NdFeB with this HcJ20 by the
// suffix convention (shared/data/grade_suffixes.csv): 955 kA/m -> 80 C ... 2626 -> 220 C.
double suffix_working_temperature_C(double HcJ20_A_per_m);

}  // namespace rotormag::cases

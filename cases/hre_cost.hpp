#pragma once
// Heavy-rare-earth mass and cost of the magnets of one rotor under a price
// scenario (cases/materials/prices.toml, or a case's own scenario).
//
//   m_magnet = V rho;  m_Dy = m_magnet (Dy_bulk + Dy_GBD) / 100;  m_Tb likewise
//   cost_X  = m_X * price_per_t(product) / 1000 / element_mass_fraction(product)
//
// Included: Dy and Tb (bulk alloy + GBD uptake), and, where the scenario
// prices them, the light rare earths of the alloy (PrNd, else Nd) and Ce:
// the rare-earth raw-material cost. Not included: Fe, B, Co, Cu, Al, Ga and
// other alloying metals; melting, milling, pressing, sintering, machining,
// coating; the GBD coating and heat treatment and the HRE lost in it (only
// the HRE taken up is counted); yield and scrap; the metal premium over an
// oxide quote (Ce); taxes and transport. docs/magnet-model.md, "HRE cost".
#include <string>
#include <vector>

#include "cases/materials.hpp"

namespace rotormag::cases {

struct ElementCost {
  double kg = 0.0;
  double cost = 0.0;                    // scenario currency; 0 when not priced
  bool priced = false;
  double price_per_kg = 0.0;            // per kg of element
  std::string product, date;            // the quote used
};

struct HreBill {
  std::string scenario, currency;
  double magnet_volume_m3 = 0.0, density_kg_per_m3 = 0.0, magnet_kg = 0.0;
  double Dy_bulk_kg = 0.0, Dy_gbd_kg = 0.0, Tb_bulk_kg = 0.0, Tb_gbd_kg = 0.0;
  ElementCost Dy, Tb;                   // bulk + GBD
  double hre_kg = 0.0, hre_cost = 0.0;  // Dy + Tb
  ElementCost light_RE;                 // Pr + Nd of the alloy (priced as PrNd, else Nd)
  ElementCost Ce;
  double rare_earth_kg = 0.0;
  double rare_earth_cost = 0.0;         // Dy + Tb + light RE + Ce, the priced ones (see notes)
  bool composition_stated = false;      // false: the grade does not say what it holds (masses 0)
  std::string composition_confidence;   // composition_confidence_name() of the grade; "unknown" when it states
                                        // none; "stated" from the Dy/Tb wt% overload
  std::vector<std::string> notes;       // what is and is not included, missing prices
};

// From the magnet volume of the rotor [m^3], a density [kg/m^3] and the
// contents in wt% (bulk Dy and Tb plus the GBD uptake).
HreBill hre_bill(double magnet_volume_m3, double density_kg_per_m3, const MagnetComposition& composition,
                 const GbdTreatment& gbd, const PriceScenario& prices);
HreBill hre_bill(double magnet_volume_m3, const MagnetGrade& grade, const PriceScenario& prices);
// Dy and Tb only (wt% of the magnet mass, bulk + GBD together).
HreBill hre_bill(double magnet_volume_m3, double density_kg_per_m3, double Dy_wt_pct, double Tb_wt_pct,
                 const PriceScenario& prices);

}  // namespace rotormag::cases

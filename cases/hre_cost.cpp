// HRE mass and cost per rotor; formulas and what is included: hre_cost.hpp.
#include "cases/hre_cost.hpp"

#include <algorithm>
#include <stdexcept>

namespace rotormag::cases {
namespace {

ElementCost price(double kg, const PriceScenario& s, const char* element, std::vector<std::string>& notes) {
  ElementCost e;
  e.kg = kg;
  if (const ElementPrice* p = s.find(element)) {
    e.priced = true;
    e.price_per_kg = p->per_kg_element();
    e.cost = kg * e.price_per_kg;
    e.product = p->product;
    e.date = p->date;
  } else if (kg > 0.0) {
    notes.push_back(std::string("scenario '") + s.name + "' has no " + element + " price: " + element +
                    " not costed");
  }
  return e;
}

}  // namespace

HreBill hre_bill(double V, double rho, const MagnetComposition& c, const GbdTreatment& gbd, const PriceScenario& s) {
  if (!(V >= 0.0) || !(rho > 0.0))
    throw std::invalid_argument("hre_bill: needs a magnet volume >= 0 and a density > 0");
  HreBill b;
  b.scenario = s.name;
  b.currency = s.currency;
  b.magnet_volume_m3 = V;
  b.density_kg_per_m3 = rho;
  b.magnet_kg = V * rho;
  b.composition_stated = c.stated;
  b.composition_confidence = c.stated ? composition_confidence_name(c.confidence) : "unknown";
  const double kg_per_pct = b.magnet_kg / 100.0;
  if (c.stated) {
    b.Dy_bulk_kg = kg_per_pct * c.Dy_wt_pct;
    b.Tb_bulk_kg = kg_per_pct * c.Tb_wt_pct;
  } else {
    b.notes.push_back("the grade states no composition: its bulk HRE is unknown and not counted");
  }
  if (gbd.element == GbdElement::Dy) b.Dy_gbd_kg = kg_per_pct * gbd.wt_pct;
  if (gbd.element == GbdElement::Tb) b.Tb_gbd_kg = kg_per_pct * gbd.wt_pct;
  b.Dy = price(b.Dy_bulk_kg + b.Dy_gbd_kg, s, "Dy", b.notes);
  b.Tb = price(b.Tb_bulk_kg + b.Tb_gbd_kg, s, "Tb", b.notes);
  b.hre_kg = b.Dy.kg + b.Tb.kg;
  b.hre_cost = b.Dy.cost + b.Tb.cost;
  if (c.stated) {
    const double Ce_kg = kg_per_pct * c.RE_wt_pct * c.Ce_fraction_of_RE;
    const double light_kg = std::max(0.0, kg_per_pct * c.RE_wt_pct - b.Dy_bulk_kg - b.Tb_bulk_kg - Ce_kg);
    b.light_RE = price(light_kg, s, s.find("PrNd") ? "PrNd" : "Nd", b.notes);
    b.Ce = price(Ce_kg, s, "Ce", b.notes);
  }
  b.rare_earth_kg = b.hre_kg + b.light_RE.kg + b.Ce.kg;
  b.rare_earth_cost = b.hre_cost + b.light_RE.cost + b.Ce.cost;
  b.notes.push_back("included: rare-earth raw material (Dy, Tb bulk + GBD uptake; Pr/Nd and Ce of the alloy where "
                    "priced) at the scenario's element prices (product price / element mass fraction)");
  b.notes.push_back("not included: Fe, B, Co, Cu, Al, Ga; processing (melting to coating); GBD coating, heat "
                    "treatment and HRE lost in it; yield and scrap; metal premium over an oxide quote; taxes, "
                    "transport");
  if (c.stated && c.confidence == CompositionConfidence::estimated)
    b.notes.push_back("composition estimated (not a supplier value): masses and costs are estimates");
  return b;
}

HreBill hre_bill(double V, const MagnetGrade& g, const PriceScenario& s) {
  return hre_bill(V, g.density_kg_per_m3, g.composition, g.gbd, s);
}

HreBill hre_bill(double V, double rho, double Dy_wt_pct, double Tb_wt_pct, const PriceScenario& s) {
  MagnetComposition c;
  c.stated = true;
  c.confidence = CompositionConfidence::supplier;   // given by the caller: no "composition estimated" note
  c.Dy_wt_pct = Dy_wt_pct;
  c.Tb_wt_pct = Tb_wt_pct;
  c.RE_wt_pct = 0.0;   // Dy and Tb only: no light rare earths counted
  HreBill b = hre_bill(V, rho, c, GbdTreatment{}, s);
  b.composition_confidence = "stated";   // numbers given, not a grade's composition
  return b;
}

}  // namespace rotormag::cases

#pragma once
// The material library: steels (B-H curves), magnet grades (with knee shape,
// composition, GBD and measured curves), linear materials, and rare-earth
// price scenarios. Every value carries its source. Files: cases/materials/*.toml.

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace rotormag::cases {

struct BHCurve {
  std::vector<double> B_T;           // strictly increasing, starts at 0
  std::vector<double> H_A_per_m;     // strictly increasing, starts at 0
};

// A measured (or supplier) intrinsic curve at one temperature: J along the
// magnetization against the demagnetizing field h = -H.m (>= 0).
struct JHCurve {
  double temperature_C = 20.0;
  std::vector<double> h_A_per_m;     // starts at 0, strictly increasing
  std::vector<double> J_T;           // strictly decreasing, J[0] = Jr, last <= 0 (covers HcJ)
};

enum class GbdElement { none, Tb, Dy };
const char* gbd_element_name(GbdElement e);   // "none", "Tb", "Dy"

// Where a value of a grade comes from, as the library states it; the
// xxx_name() functions give the spelling of the library files.
enum class KneeConfidence { measured, datasheet, estimated };   // the knee shape (squareness)
enum class CurveConfidence { measured, estimated };             // measured J-H curves, a GBD gain profile
enum class CompositionConfidence { supplier, paper, estimated };  // what the magnet is made of
const char* knee_confidence_name(KneeConfidence c);                // "measured", "datasheet", "estimated"
const char* curve_confidence_name(CurveConfidence c);              // "measured", "estimated"
const char* composition_confidence_name(CompositionConfidence c);  // "supplier", "paper", "estimated"

// What the magnet is made of, as far as it matters for the composition
// model and the HRE cost. Mass percentages of the whole magnet.
struct MagnetComposition {
  bool stated = false;                     // false: unknown (no HRE mass or cost can be given)
  double Dy_wt_pct = 0.0;                  // bulk (alloyed) Dy
  double Tb_wt_pct = 0.0;                  // bulk (alloyed) Tb
  double RE_wt_pct = 31.0;                 // all rare earths of the alloy (Pr, Nd, Dy, Tb, Ce, ...), GBD excluded
  double Ce_fraction_of_RE = 0.0;          // Ce share of the rare-earth mass
  CompositionConfidence confidence = CompositionConfidence::estimated;
};

// Grain-boundary diffusion: HRE diffused from the faces after sintering.
// HcJ20 of the grade is the undiffused core; the gain falls with the distance
// d from the nearest diffused face: gain(d) = surface_gain exp(-d / depth).
struct GbdTreatment {
  GbdElement element = GbdElement::none;
  double wt_pct = 0.0;                     // HRE taken up, percent of the magnet mass
  double surface_gain_A_per_m = 0.0;       // HcJ gain at a diffused face, at 20 C
  double depth_m = 0.0;                    // decay length of the gain
  double beta_gain_per_K = std::numeric_limits<double>::quiet_NaN();  // NaN: the grade's beta
  CurveConfidence profile_confidence = CurveConfidence::estimated;
  bool present() const { return element != GbdElement::none; }
};

struct MagnetGrade {
  double Br20_T = 0.0;                     // remanence at 20 C
  double alpha_Br_per_K = 0.0;             // e.g. -0.0012 for -0.12 %/C
  double HcJ20_A_per_m = 0.0;              // intrinsic coercivity at 20 C (minimum; GBD: the core)
  double beta_HcJ_per_K = 0.0;             // e.g. -0.0062
  double HcB_A_per_m = 0.0;
  double mu_rec = 1.05;                    // relative recoil permeability (at 20 C)
  double mu_rec_per_K = 0.0;               // its drift with temperature
  double density_kg_per_m3 = 7500.0;
  double coefficient_range_low_C = 20.0;   // alpha/beta measured over this range
  double coefficient_range_high_C = 80.0;
  double max_working_temperature_C = 80.0;
  // Knee shape: squareness Hk/HcJ with Hk at J = 0.9 Jr (docs/magnet-model.md).
  double squareness = 0.95;
  KneeConfidence knee_confidence = KneeConfidence::estimated;
  MagnetComposition composition;
  GbdTreatment gbd;
  // Measured J-H curves (>= 2 temperatures) replace the parametric curve.
  std::vector<JHCurve> jh_curves;
  CurveConfidence curves_confidence = CurveConfidence::estimated;   // of jh_curves (required with them)
};

struct Material {
  enum class Kind {
    linear,                   // constant mu_r (air, copper, linear iron)
    magnet,                   // linear recoil: B = mu0 mu_rec H + Br(T) m; knee: docs/magnet-model.md
    bh_curve,                 // soft steel from tabulated B-H points
    exponential_reluctivity   // nu(B) = a + b exp(c B^2) [m/H] (GetDP's analytic iron law)
  } kind = Kind::linear;
  std::string name;
  std::string source;         // where the values come from
  std::string note;           // conflicts resolved, confidence
  double mu_r = 1.0;          // linear
  MagnetGrade grade;          // magnet
  BHCurve curve;              // bh_curve
  double nu_a = 0, nu_b = 0, nu_c = 0;  // exponential_reluctivity
};

// One price per element, from one quote of one product.
struct ElementPrice {
  std::string product;                     // what was quoted: "Tb metal", "Dy-Fe alloy", "Ce oxide"
  double price_per_t = 0.0;                // the value used, scenario currency per tonne of product
  double low_per_t = 0.0, high_per_t = 0.0;  // the quote's range (both = price for a single quote)
  double element_mass_fraction = 1.0;      // element mass per product mass (Dy-Fe alloy 0.80, Tb4O7 0.850)
  std::string date;                        // of the quote, YYYY-MM-DD
  std::string source;
  double per_kg_element() const { return price_per_t / 1000.0 / element_mass_fraction; }
};

// A price scenario (prices move: Tb oxide 3.5 -> 15 -> 7 M CNY/t in 2020-2025).
// Elements: "Tb", "Dy" (required), "PrNd", "Nd", "Ce" (optional).
struct PriceScenario {
  std::string name;
  std::string currency;                    // e.g. "CNY"
  std::string source;
  std::string note;
  std::map<std::string, ElementPrice> prices;
  const ElementPrice* find(const std::string& element) const {
    auto it = prices.find(element);
    return it == prices.end() ? nullptr : &it->second;
  }
};

class MaterialLibrary {
 public:
  // Loads every *.toml in `directory` (the shipped library is cases/materials);
  // `prices.toml` there holds the price scenarios instead of materials.
  // Throws CaseError (case.hpp) with positions for a bad library file.
  static MaterialLibrary load(const std::string& directory);
  const Material* find(const std::string& name) const;
  void add(Material m);
  std::vector<std::string> names() const;

  // Price scenarios: by name, or the default one for an empty name (nullptr when none).
  const PriceScenario* price_scenario(const std::string& name = "") const;
  std::vector<std::string> price_scenario_names() const;
  const std::string& default_price_scenario() const { return default_price_scenario_; }
  void add_price_scenario(PriceScenario s, bool make_default = false);

 private:
  std::map<std::string, Material> materials_;
  std::map<std::string, PriceScenario> price_scenarios_;
  std::string default_price_scenario_;
};

// Directory of the shipped library: $ROTORMAG_MATERIALS, else the source
// tree's cases/materials (compiled in), else next to the executable.
std::string default_library_directory();

}  // namespace rotormag::cases

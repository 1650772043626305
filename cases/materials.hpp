#pragma once
// The material library: steels (B-H curves), magnet grades, linear materials.
// Every value carries its source. Files: cases/materials/*.toml.

#include <map>
#include <string>
#include <vector>

namespace rotormag::cases {

struct BHCurve {
  std::vector<double> B_T;           // strictly increasing, starts at 0
  std::vector<double> H_A_per_m;     // strictly increasing, starts at 0
};

struct MagnetGrade {
  double Br20_T = 0.0;                     // remanence at 20 C
  double alpha_Br_per_K = 0.0;             // e.g. -0.0012 for -0.12 %/C
  double HcJ20_A_per_m = 0.0;              // intrinsic coercivity at 20 C (minimum)
  double beta_HcJ_per_K = 0.0;             // e.g. -0.0062
  double HcB_A_per_m = 0.0;
  double mu_rec = 1.05;                    // relative recoil permeability
  double density_kg_per_m3 = 7500.0;
  double coefficient_range_low_C = 20.0;   // alpha/beta measured over this range
  double coefficient_range_high_C = 80.0;
  double max_working_temperature_C = 80.0;
};

struct Material {
  enum class Kind {
    linear,                   // constant mu_r (air, copper, linear iron)
    magnet,                   // linear recoil: B = mu0 mu_rec H + Br(T) m
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

class MaterialLibrary {
 public:
  // Loads every *.toml in `directory` (the shipped library is cases/materials).
  // Throws CaseError (case.hpp) with positions for a bad library file.
  static MaterialLibrary load(const std::string& directory);
  const Material* find(const std::string& name) const;
  void add(Material m);
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Material> materials_;
};

// Directory of the shipped library: $ROTORMAG_MATERIALS, else the source
// tree's cases/materials (compiled in), else next to the executable.
std::string default_library_directory();

}  // namespace rotormag::cases

#pragma once
// Pieces of the case-file schema shared by the reader (case_file.cpp) and
// the writer of the resolved case (resolved_case.cpp). Internal to cases/.

#include <string>
#include <vector>

#include "cases/case.hpp"

namespace rotormag::cases::detail {

// One field of mesh::SlotlessVRotor as it appears in [mesh.ipm_v_rotor]: every
// `double xxx_m` is the key `xxx_mm` (engineers draw rotors in mm), `*_deg`
// stays in degrees, `poles` is an integer, other doubles keep their name
// (dimensionless, e.g. size_grading).
struct IpmField {
  enum class Unit { count, length, angle, plain } unit;
  const char* key;                       // TOML key
  double mesh::SlotlessVRotor::*real = nullptr;
  int mesh::SlotlessVRotor::*count = nullptr;
  bool zero_means_default = false;       // 0 asks the template for its own choice
};
const std::vector<IpmField>& ipm_v_rotor_fields();

// The case with every default filled in, as TOML in the case-file format
// (stored in the results file so that a run can be repeated exactly).
std::string write_resolved_toml(const Case& c);

}  // namespace rotormag::cases::detail

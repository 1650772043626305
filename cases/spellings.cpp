// The public names of the case's enumerations (case.hpp, materials.hpp),
// read from the one table per enum in spellings.hpp.
#include "cases/spellings.hpp"

namespace rotormag::cases {

const char* gbd_element_name(GbdElement e) { return detail::name_of(e, detail::gbd_elements); }
const char* knee_confidence_name(KneeConfidence c) { return detail::name_of(c, detail::knee_confidences); }
const char* curve_confidence_name(CurveConfidence c) { return detail::name_of(c, detail::curve_confidences); }
const char* composition_confidence_name(CompositionConfidence c) {
  return detail::name_of(c, detail::composition_confidences);
}

const char* preconditioner_name(SolverSettings::Preconditioner p) { return detail::name_of(p, detail::preconditioners); }

std::optional<SolverSettings::Preconditioner> parse_preconditioner(std::string_view name) {
  return detail::parse_choice(name, detail::preconditioners);
}

const char* gbd_faces_name(DemagSpec::GbdFaces f) { return detail::name_of(f, detail::gbd_faces_choices); }

}  // namespace rotormag::cases

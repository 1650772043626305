#pragma once
// The case-file spelling of the enumerations a case holds: one table per
// enum, its choices in the order messages list them. The readers parse with
// these tables and the resolved-TOML writer and the messages write from them,
// so that each word of the case file is written down once. Internal to cases/.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/case.hpp"

namespace rotormag::cases::detail {

template <typename E>
using Choices = std::vector<std::pair<E, const char*>>;

// The spelling of `value` ("?" for a value the table lacks).
template <typename E>
const char* name_of(E value, const Choices<E>& choices) {
  for (const auto& [v, n] : choices)
    if (v == value) return n;
  return "?";
}

// The value spelled `text`, if any.
template <typename E>
std::optional<E> parse_choice(std::string_view text, const Choices<E>& choices) {
  for (const auto& [v, n] : choices)
    if (text == n) return v;
  return std::nullopt;
}

// Every spelling, in the table's order (for messages and suggestions).
template <typename E>
std::vector<std::string> choice_names(const Choices<E>& choices) {
  std::vector<std::string> names;
  for (const auto& [v, n] : choices) names.push_back(n);
  return names;
}

// Material library files (and a case's [materials]).
inline const Choices<GbdElement> gbd_elements = {{GbdElement::none, "none"}, {GbdElement::Tb, "Tb"}, {GbdElement::Dy, "Dy"}};
inline const Choices<KneeConfidence> knee_confidences = {{KneeConfidence::measured, "measured"},
                                                         {KneeConfidence::datasheet, "datasheet"},
                                                         {KneeConfidence::estimated, "estimated"}};
inline const Choices<CurveConfidence> curve_confidences = {{CurveConfidence::measured, "measured"},
                                                           {CurveConfidence::estimated, "estimated"}};
inline const Choices<CompositionConfidence> composition_confidences = {
    {CompositionConfidence::supplier, "supplier"},
    {CompositionConfidence::paper, "paper"},
    {CompositionConfidence::estimated, "estimated"}};

// [solver]
inline const Choices<SolverSettings::Preconditioner> preconditioners = {
    {SolverSettings::Preconditioner::multigrid, "multigrid"},
    {SolverSettings::Preconditioner::multigrid_single, "multigrid-single"},
    {SolverSettings::Preconditioner::jacobi, "jacobi"}};

// [demag] (its candidates' gbd_element: gbd_elements above).
inline const Choices<DemagSpec::GbdFaces> gbd_faces_choices = {{DemagSpec::GbdFaces::pole_faces, "pole_faces"},
                                                               {DemagSpec::GbdFaces::all_faces, "all_faces"}};

// [mesh.motor] and [motor].
inline const Choices<mesh::SlotShape> slot_shapes = {{mesh::SlotShape::semi_closed, "semi_closed"},
                                                     {mesh::SlotShape::open_rectangular, "open_rectangular"}};
inline const Choices<mesh::LayerSplit> layer_splits = {{mesh::LayerSplit::radial, "radial"},
                                                       {mesh::LayerSplit::tangential, "tangential"}};
inline const Choices<mesh::RotorKind> rotor_types = {{mesh::RotorKind::surface_magnet, "surface_magnet"},
                                                     {mesh::RotorKind::interior_v, "interior_v"},
                                                     {mesh::RotorKind::interior_bar, "interior_bar"},
                                                     {mesh::RotorKind::spoke, "spoke"}};
inline const Choices<mesh::SurfaceMagnetization> surface_magnetizations = {
    {mesh::SurfaceMagnetization::radial, "radial"}, {mesh::SurfaceMagnetization::parallel, "parallel"}};
inline const Choices<MotorSpec::Symmetry> motor_symmetries = {{MotorSpec::Symmetry::sector, "sector"},
                                                              {MotorSpec::Symmetry::full, "full"}};

}  // namespace rotormag::cases::detail

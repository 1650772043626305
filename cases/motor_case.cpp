// The motor part of the case-file schema: [mesh.motor...] (the parametric
// cross-section, mesh::MotorGeometry) and [motor...] (stack length, symmetry,
// winding, rotor positions, stator load), their resolved TOML, and the
// case-file terms of mesh::build_motor's errors. docs/case-file.md describes
// the schema; keep the two in step.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "cases/motor_schema.hpp"
#include "solver/winding.hpp"

namespace rotormag::cases::detail {

#define ROTORMAG_FIELD(expr) [](mesh::MotorGeometry& g) -> double& { return g.expr; }

const std::vector<MotorField>& motor_fields() {
  using C = MotorField::Check;
  static const std::vector<MotorField> fields = {
      // [mesh.motor]: element sizes (MotorMeshSizes) and the band radii.
      {"", "band_element_size_mm", "sizes.band_element_size_m", true, C::automatic_or_positive,
       ROTORMAG_FIELD(sizes.band_element_size_m)},
      {"", "airgap_element_size_mm", "sizes.airgap_element_size_m", true, C::automatic_or_positive,
       ROTORMAG_FIELD(sizes.airgap_element_size_m)},
      {"", "magnet_element_size_mm", "sizes.magnet_element_size_m", true, C::automatic_or_positive,
       ROTORMAG_FIELD(sizes.magnet_element_size_m)},
      {"", "slot_element_size_mm", "sizes.slot_element_size_m", true, C::automatic_or_positive,
       ROTORMAG_FIELD(sizes.slot_element_size_m)},
      {"", "size_grading", "sizes.size_grading", false, C::plain_positive, ROTORMAG_FIELD(sizes.size_grading)},
      {"", "band_inner_radius_mm", "band_inner_radius_m", true, C::automatic_or_positive,
       ROTORMAG_FIELD(band_inner_radius_m)},
      {"", "band_outer_radius_mm", "band_outer_radius_m", true, C::automatic_or_positive,
       ROTORMAG_FIELD(band_outer_radius_m)},
      // [mesh.motor.stator]
      {"stator", "bore_radius_mm", "stator.bore_radius_m", true, C::positive, ROTORMAG_FIELD(stator.bore_radius_m)},
      {"stator", "outer_radius_mm", "stator.outer_radius_m", true, C::positive, ROTORMAG_FIELD(stator.outer_radius_m)},
      // [mesh.motor.stator.semi_closed]
      {"stator.semi_closed", "opening_width_mm", "stator.semi_closed.opening_width_m", true, C::positive,
       ROTORMAG_FIELD(stator.semi_closed.opening_width_m)},
      {"stator.semi_closed", "opening_depth_mm", "stator.semi_closed.opening_depth_m", true, C::positive,
       ROTORMAG_FIELD(stator.semi_closed.opening_depth_m)},
      {"stator.semi_closed", "wedge_depth_mm", "stator.semi_closed.wedge_depth_m", true, C::non_negative,
       ROTORMAG_FIELD(stator.semi_closed.wedge_depth_m)},
      {"stator.semi_closed", "body_depth_mm", "stator.semi_closed.body_depth_m", true, C::positive,
       ROTORMAG_FIELD(stator.semi_closed.body_depth_m)},
      {"stator.semi_closed", "top_width_mm", "stator.semi_closed.top_width_m", true, C::positive,
       ROTORMAG_FIELD(stator.semi_closed.top_width_m)},
      {"stator.semi_closed", "bottom_width_mm", "stator.semi_closed.bottom_width_m", true, C::positive,
       ROTORMAG_FIELD(stator.semi_closed.bottom_width_m)},
      {"stator.semi_closed", "bottom_fillet_radius_mm", "stator.semi_closed.bottom_fillet_radius_m", true,
       C::non_negative, ROTORMAG_FIELD(stator.semi_closed.bottom_fillet_radius_m)},
      // [mesh.motor.stator.open]
      {"stator.open", "width_mm", "stator.open.width_m", true, C::positive, ROTORMAG_FIELD(stator.open.width_m)},
      {"stator.open", "depth_mm", "stator.open.depth_m", true, C::positive, ROTORMAG_FIELD(stator.open.depth_m)},
      // [mesh.motor.rotor]
      {"rotor", "shaft_radius_mm", "rotor.shaft_radius_m", true, C::positive, ROTORMAG_FIELD(rotor.shaft_radius_m)},
      {"rotor", "outer_radius_mm", "rotor.outer_radius_m", true, C::positive, ROTORMAG_FIELD(rotor.outer_radius_m)},
      // [mesh.motor.rotor.surface_magnet]
      {"rotor.surface_magnet", "magnet_thickness_mm", "rotor.surface.magnet_thickness_m", true, C::positive,
       ROTORMAG_FIELD(rotor.surface.magnet_thickness_m)},
      {"rotor.surface_magnet", "pole_arc_ratio", "rotor.surface.pole_arc_ratio", false, C::fraction,
       ROTORMAG_FIELD(rotor.surface.pole_arc_ratio)},
      // [mesh.motor.rotor.interior_v]
      {"rotor.interior_v", "v_bottom_depth_mm", "rotor.interior_v.v_bottom_depth_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_v.v_bottom_depth_m)},
      {"rotor.interior_v", "bridge_mm", "rotor.interior_v.bridge_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_v.bridge_m)},
      {"rotor.interior_v", "top_span_mm", "rotor.interior_v.top_span_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_v.top_span_m)},
      {"rotor.interior_v", "center_post_width_mm", "rotor.interior_v.center_post_width_m", true, C::non_negative,
       ROTORMAG_FIELD(rotor.interior_v.center_post_width_m)},
      {"rotor.interior_v", "magnet_offset_mm", "rotor.interior_v.magnet_offset_m", true, C::non_negative,
       ROTORMAG_FIELD(rotor.interior_v.magnet_offset_m)},
      {"rotor.interior_v", "magnet_length_mm", "rotor.interior_v.magnet_length_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_v.magnet_length_m)},
      {"rotor.interior_v", "magnet_thickness_mm", "rotor.interior_v.magnet_thickness_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_v.magnet_thickness_m)},
      {"rotor.interior_v", "magnet_recess_mm", "rotor.interior_v.magnet_recess_m", true, C::non_negative,
       ROTORMAG_FIELD(rotor.interior_v.magnet_recess_m)},
      {"rotor.interior_v", "rib_width_mm", "rotor.interior_v.rib_width_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_v.rib_width_m)},
      // [mesh.motor.rotor.interior_bar]
      {"rotor.interior_bar", "magnet_width_mm", "rotor.interior_bar.magnet_width_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_bar.magnet_width_m)},
      {"rotor.interior_bar", "magnet_thickness_mm", "rotor.interior_bar.magnet_thickness_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_bar.magnet_thickness_m)},
      {"rotor.interior_bar", "magnet_depth_mm", "rotor.interior_bar.magnet_depth_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_bar.magnet_depth_m)},
      {"rotor.interior_bar", "bridge_mm", "rotor.interior_bar.bridge_m", true, C::positive,
       ROTORMAG_FIELD(rotor.interior_bar.bridge_m)},
      // [mesh.motor.rotor.spoke]
      {"rotor.spoke", "magnet_width_mm", "rotor.spoke.magnet_width_m", true, C::positive,
       ROTORMAG_FIELD(rotor.spoke.magnet_width_m)},
      {"rotor.spoke", "magnet_length_mm", "rotor.spoke.magnet_length_m", true, C::positive,
       ROTORMAG_FIELD(rotor.spoke.magnet_length_m)},
      {"rotor.spoke", "bridge_mm", "rotor.spoke.bridge_m", true, C::non_negative, ROTORMAG_FIELD(rotor.spoke.bridge_m)},
      {"rotor.spoke", "inner_pocket_depth_mm", "rotor.spoke.inner_pocket_depth_m", true, C::non_negative,
       ROTORMAG_FIELD(rotor.spoke.inner_pocket_depth_m)},
  };
  return fields;
}

#undef ROTORMAG_FIELD

namespace {

constexpr double mm = 1e-3;
constexpr double pi = 3.14159265358979323846;
// Lengths in the file: 1 nm .. 1 km (so that mm -> m -> mm stays exact and
// tiny numbers do not underflow to 0).
constexpr double kMinLength_mm = 1e-6, kMaxLength_mm = 1e6;
// Rotor positions: `stop_deg` is included when it lies within this many steps
// of a step.
constexpr double kStepTolerance = 1e-9;
// A .msh sector matches k smallest sectors within this many degrees.
constexpr double kSectorTolerance_deg = 1e-6;

template <typename E>
using Choices = std::vector<std::pair<E, const char*>>;

const Choices<mesh::SlotShape> slot_shapes = {{mesh::SlotShape::semi_closed, "semi_closed"},
                                              {mesh::SlotShape::open_rectangular, "open_rectangular"}};
const Choices<mesh::LayerSplit> layer_splits = {{mesh::LayerSplit::radial, "radial"},
                                                {mesh::LayerSplit::tangential, "tangential"}};
const Choices<mesh::RotorKind> rotor_types = {{mesh::RotorKind::surface_magnet, "surface_magnet"},
                                              {mesh::RotorKind::interior_v, "interior_v"},
                                              {mesh::RotorKind::interior_bar, "interior_bar"},
                                              {mesh::RotorKind::spoke, "spoke"}};
const Choices<mesh::SurfaceMagnetization> surface_magnetizations = {
    {mesh::SurfaceMagnetization::radial, "radial"}, {mesh::SurfaceMagnetization::parallel, "parallel"}};
const Choices<MotorSpec::Symmetry> symmetries = {{MotorSpec::Symmetry::sector, "sector"},
                                                 {MotorSpec::Symmetry::full, "full"}};

template <typename E>
const char* name_of(E value, const Choices<E>& choices) {
  for (const auto& [v, n] : choices)
    if (v == value) return n;
  return "?";
}

// A string from a fixed set. Returns false when the key is given but not valid.
template <typename E>
bool read_choice(TableReader& r, const char* key, const char* what, const Choices<E>& choices, E& out) {
  if (!r.has(key)) {
    r.raw(key);
    return true;
  }
  auto s = r.string(key);
  if (!s) return false;
  std::vector<std::string> names;
  std::string list;
  for (const auto& [value, name] : choices) {
    if (*s == name) {
      out = value;
      return true;
    }
    names.push_back(name);
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  r.invalid(key, "unknown " + std::string(what) + " '" + *s + "' (" + list + ")" + did_you_mean(*s, names));
  return false;
}

// An integer in [lo, hi]; `rule` says why, for the message.
std::optional<int> read_count(TableReader& r, const char* key, long long lo, long long hi, const std::string& rule,
                              bool required = false) {
  auto v = r.integer(key, required);
  if (!v) return std::nullopt;
  if (*v < lo || *v > hi) {
    r.invalid(key, rule + ", got " + std::to_string(*v));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<int> read_poles(TableReader& r, const char* key, bool required = false) {
  auto v = r.integer(key, required);
  if (!v) return std::nullopt;
  if (*v < 2 || *v % 2 != 0 || *v > kMaxMotorPoles) {
    r.invalid(key, "number of poles must be even, >= 2 and <= " + std::to_string(kMaxMotorPoles) + ", got " +
                       std::to_string(*v));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

// A length in mm: > 0 (or >= 0 with `zero_ok`), within [1 nm, 1 km].
std::optional<double> read_length_mm(TableReader& r, const char* key, bool zero_ok, const char* zero_meaning = "",
                                     bool required = false) {
  auto v = r.number(key, required);
  if (!v) return std::nullopt;
  const std::string rule = zero_ok ? std::string(">= 0 mm") + zero_meaning : "> 0 mm";
  if (!(zero_ok ? *v >= 0 : *v > 0)) {
    r.invalid(key, "length must be " + rule + ", got " + fmt_number(*v));
    return std::nullopt;
  }
  if (!(*v == 0 || (*v >= kMinLength_mm && *v <= kMaxLength_mm))) {
    r.invalid(key, "length must be " + std::string(zero_ok ? "0 or " : "") + "between " + fmt_number(kMinLength_mm) +
                       " and " + fmt_number(kMaxLength_mm) + " mm, got " + fmt_number(*v));
    return std::nullopt;
  }
  return *v;
}

std::optional<double> read_finite(TableReader& r, const char* key, bool required = false) {
  auto v = r.number(key, required);
  if (!v) return std::nullopt;
  if (!std::isfinite(*v)) {
    r.invalid(key, "must be a finite number, got " + fmt_number(*v));
    return std::nullopt;
  }
  return v;
}

// The real-valued fields of one table of [mesh.motor].
void read_fields(TableReader& r, const std::string& table, mesh::MotorGeometry& g) {
  using C = MotorField::Check;
  for (const MotorField& f : motor_fields()) {
    if (table != f.table) continue;
    if (f.length) {
      auto v = read_length_mm(r, f.key, f.check != C::positive, f.check == C::automatic_or_positive ? " (0: automatic)" : "");
      if (v) f.ref(g) = *v * mm;
      continue;
    }
    auto v = r.number(f.key);
    if (!v) continue;
    if (f.check == C::fraction && !(*v > 0 && *v <= 1))
      r.invalid(f.key, "must lie in (0, 1], got " + fmt_number(*v));
    else if (f.check == C::plain_positive && !(*v > 0 && std::isfinite(*v)))
      r.invalid(f.key, "must be a finite number > 0, got " + fmt_number(*v));
    else
      f.ref(g) = *v;
  }
}

// A parameter subtable that belongs to one choice (slot shape, rotor type):
// read when it belongs to the chosen one, else an error.
template <typename Read>
void choice_table(TableReader& r, const toml::node* node, const char* key, bool belongs, const std::string& why_not,
                  Read read) {
  if (!node) return;
  const std::string path = r.child(key);
  if (!belongs) {
    r.log().add(*node, path, "[" + path + "] given but " + why_not);
    return;
  }
  const toml::table* t = node->as_table();
  if (!t) {
    r.log().add(*node, path, "expected a table, got " + describe_type(*node));
    return;
  }
  TableReader sub(r.log(), *t, path);
  read(sub);
  sub.finish();
}

void read_stator(TableReader& s, mesh::MotorGeometry& g) {
  const std::size_t issues_before = s.log().issues().size();
  mesh::StatorGeometry& st = g.stator;
  if (auto v = read_count(s, "slots", 3, kMaxMotorSlots,
                          "number of slots must be in [3, " + std::to_string(kMaxMotorSlots) +
                              "] (a 3-phase winding needs at least 3)"))
    st.slots = *v;
  read_fields(s, "stator", g);
  const bool shape_ok = read_choice(s, "slot_shape", "slot shape", slot_shapes, st.slot_shape);
  if (auto v = read_count(s, "winding_layers", 1, 2, "winding layers must be 1 or 2")) st.winding_layers = *v;
  read_choice(s, "layer_split", "layer split", layer_splits, st.layer_split);
  const toml::node* semi = s.raw("semi_closed");
  const toml::node* open = s.raw("open");
  if (shape_ok) {
    const std::string why = std::string("slot_shape is '") + name_of(st.slot_shape, slot_shapes) + "'";
    choice_table(s, semi, "semi_closed", st.slot_shape == mesh::SlotShape::semi_closed, why,
                 [&](TableReader& t) { read_fields(t, "stator.semi_closed", g); });
    choice_table(s, open, "open", st.slot_shape == mesh::SlotShape::open_rectangular, why,
                 [&](TableReader& t) { read_fields(t, "stator.open", g); });
  }
  if (s.log().issues().size() == issues_before && !(st.outer_radius_m > st.bore_radius_m))
    s.invalid(s.has("outer_radius_mm") ? "outer_radius_mm" : "bore_radius_mm",
              "the stator's outer radius must exceed its bore radius (outer_radius_mm > bore_radius_mm)");
  s.finish();
}

void read_rotor(TableReader& r, mesh::MotorGeometry& g) {
  const std::size_t issues_before = r.log().issues().size();
  mesh::RotorGeometry& ro = g.rotor;
  const bool type_ok = read_choice(r, "type", "rotor type", rotor_types, ro.kind);
  if (auto v = read_poles(r, "poles")) ro.poles = *v;
  read_fields(r, "rotor", g);
  std::map<mesh::RotorKind, const toml::node*> tables;
  for (const auto& [kind, name] : rotor_types) tables[kind] = r.raw(name);
  if (type_ok) {
    const std::string why = std::string("the rotor type is '") + name_of(ro.kind, rotor_types) + "'";
    for (const auto& choice : rotor_types) {
      const mesh::RotorKind kind = choice.first;  // not a structured binding: lambdas capture it (C++17)
      const std::string table = std::string("rotor.") + choice.second;
      choice_table(r, tables[kind], choice.second, ro.kind == kind, why, [&](TableReader& t) {
        read_fields(t, table, g);
        if (kind == mesh::RotorKind::surface_magnet)
          read_choice(t, "magnetization", "magnetization", surface_magnetizations, ro.surface.magnetization);
        if (kind == mesh::RotorKind::spoke) {
          if (auto v = t.boolean("open_to_airgap")) ro.spoke.open_to_airgap = *v;
          if (!ro.spoke.open_to_airgap && t.has("bridge_mm") && ro.spoke.bridge_m == 0)
            t.invalid("bridge_mm", "a bridge of 0 mm leaves the spoke open: set open_to_airgap = true, or give a bridge > 0 mm");
        }
      });
    }
  }
  if (r.log().issues().size() == issues_before && !(ro.shaft_radius_m < ro.outer_radius_m))
    r.invalid(r.has("shaft_radius_mm") ? "shaft_radius_mm" : "outer_radius_mm",
              "the shaft must lie inside the rotor (shaft_radius_mm < outer_radius_mm)");
  r.finish();
}

// Position of the value at `dotted`, else of the nearest table above it that
// the file writes, else 1:1.
SourcePosition position_at(const IssueLog& log, const toml::table& root, const std::string& dotted) {
  for (std::string path = dotted; !path.empty();) {
    if (const toml::node* node = root.at_path(path).node())
      if (node->source().begin.line > 0) return log.position(*node);
    const auto dot = path.rfind('.');
    path = dot == std::string::npos ? "" : path.substr(0, dot);
  }
  return SourcePosition{log.file(), 1, 1};
}

// Whether an issue was recorded at one of `keys`, or below one of `prefixes`.
bool issue_at(IssueLog& log, const std::vector<std::string>& keys, const std::vector<std::string>& prefixes) {
  for (const CaseIssue& issue : log.issues()) {
    for (const auto& k : keys)
      if (issue.key_path == k) return true;
    for (const auto& p : prefixes)
      if (issue.key_path == p || issue.key_path.rfind(p + ".", 0) == 0 || issue.key_path.rfind(p + "[", 0) == 0)
        return true;
  }
  return false;
}

// cos and sin of an angle in degrees, exact at multiples of 90 degrees (so
// that current_angle_deg = 90 gives id = 0, not 6e-17 I).
std::pair<double, double> cos_sin_deg(double deg) {
  const double quarter = deg / 90.0;
  if (quarter == std::floor(quarter) && std::abs(quarter) < 1e15) {
    switch (((static_cast<long long>(quarter) % 4) + 4) % 4) {
      case 0: return {1.0, 0.0};
      case 1: return {0.0, 1.0};
      case 2: return {-1.0, 0.0};
      default: return {0.0, -1.0};
    }
  }
  const double rad = deg * pi / 180.0;
  return {std::cos(rad), std::sin(rad)};
}

void read_positions(TableReader& r, MotorSpec& m) {
  auto start = read_finite(r, "start_deg");
  auto stop = read_finite(r, "stop_deg");
  auto step = read_finite(r, "step_deg");
  auto angles = r.numbers("angles_deg");
  const bool range = r.has("start_deg") || r.has("stop_deg") || r.has("step_deg");
  const bool list = r.has("angles_deg");
  if (range && list) {
    r.invalid("angles_deg", "give either angles_deg or start_deg, stop_deg and step_deg, not both");
  } else if (list) {
    if (angles) {
      bool ok = true;
      if (angles->empty()) {
        r.invalid("angles_deg", "at least one rotor position is needed");
        ok = false;
      } else if (angles->size() > static_cast<std::size_t>(kMaxMotorPositions)) {
        r.invalid("angles_deg", "at most " + std::to_string(kMaxMotorPositions) + " rotor positions, got " +
                                    std::to_string(angles->size()));
        ok = false;
      }
      for (std::size_t i = 0; ok && i < angles->size(); ++i)
        if (!std::isfinite((*angles)[i])) {
          r.invalid("angles_deg", "angles must be finite numbers, got " + fmt_number((*angles)[i]) + " (entry " +
                                      std::to_string(i) + ")");
          ok = false;
        }
      if (ok) m.positions_deg = *angles;
    }
  } else if (range) {
    for (const char* key : {"start_deg", "stop_deg", "step_deg"})
      if (!r.has(key)) r.missing(key);
    if (start && stop && step) {
      bool ok = true;
      if (!(*step > 0)) {
        r.invalid("step_deg", "step must be > 0 deg, got " + fmt_number(*step));
        ok = false;
      }
      if (!(*stop >= *start)) {
        r.invalid("stop_deg", "stop_deg (" + fmt_number(*stop) + ") must not be below start_deg (" + fmt_number(*start) + ")");
        ok = false;
      }
      if (ok) {
        // Positions start + k step, k = 0 .. K, K = floor((stop - start) / step + 1e-9);
        // the last one is stop itself when it lies within 1e-9 steps of a step.
        const double steps = (*stop - *start) / *step;
        if (!(steps + kStepTolerance < kMaxMotorPositions)) {
          r.invalid("step_deg", "start_deg " + fmt_number(*start) + " to stop_deg " + fmt_number(*stop) +
                                    " in steps of " + fmt_number(*step) + " deg gives " +
                                    fmt_number(std::floor(steps + kStepTolerance) + 1) + " rotor positions; at most " +
                                    std::to_string(kMaxMotorPositions));
        } else {
          const int last = static_cast<int>(std::floor(steps + kStepTolerance));
          m.positions_deg.clear();
          for (int k = 0; k <= last; ++k) m.positions_deg.push_back(*start + k * *step);
          if (std::abs(steps - last) <= kStepTolerance) m.positions_deg.back() = *stop;
        }
      }
    }
  }
  r.finish();
}

void read_load(TableReader& r, MotorSpec& m) {
  auto id = read_finite(r, "id_A");
  auto iq = read_finite(r, "iq_A");
  auto peak = read_finite(r, "current_peak_A");
  auto angle = read_finite(r, "current_angle_deg");
  auto phases = r.numbers("phase_currents_A");
  struct Form {
    const char* name;
    std::vector<const char*> keys;
    bool given = false;
  };
  std::vector<Form> forms = {{"{id_A, iq_A}", {"id_A", "iq_A"}},
                             {"{current_peak_A, current_angle_deg}", {"current_peak_A", "current_angle_deg"}},
                             {"phase_currents_A", {"phase_currents_A"}}};
  std::vector<const Form*> given;
  for (auto& f : forms) {
    for (const char* k : f.keys) f.given = f.given || r.has(k);
    if (f.given) given.push_back(&f);
  }
  if (given.size() > 1) {
    for (std::size_t i = 1; i < given.size(); ++i) {
      const char* key = nullptr;
      for (const char* k : given[i]->keys)
        if (!key && r.has(k)) key = k;
      r.invalid(key, std::string("give the load in one form only: {id_A, iq_A}, {current_peak_A, current_angle_deg} "
                                 "or phase_currents_A; this table mixes ") +
                         given[0]->name + " and " + given[i]->name);
    }
    return r.finish();
  }
  if (given.empty()) {
    m.load = MotorSpec::Load::none;
  } else if (given[0] == &forms[0]) {
    if ((!r.has("id_A") || id) && (!r.has("iq_A") || iq)) {
      m.load = MotorSpec::Load::dq;
      m.id_A = id.value_or(0.0);
      m.iq_A = iq.value_or(0.0);
    }
  } else if (given[0] == &forms[1]) {
    if (!r.has("current_peak_A"))
      r.invalid("current_angle_deg", "current_angle_deg needs current_peak_A (the peak phase current it applies to)");
    if (!r.has("current_angle_deg"))
      r.invalid("current_peak_A", "current_peak_A needs current_angle_deg (from the d-axis towards the q-axis: "
                                  "90 = q-axis current, > 90 = field weakening)");
    if (peak && *peak < 0) {
      r.invalid("current_peak_A", "the peak current must be >= 0 A (turn current_angle_deg by 180 to reverse it), got " +
                                      fmt_number(*peak));
      peak.reset();
    }
    if (angle && !(std::abs(*angle) <= 360)) {
      r.invalid("current_angle_deg", "angle must lie in [-360, 360] degrees, got " + fmt_number(*angle));
      angle.reset();
    }
    if (peak && angle) {
      const auto [c, s] = cos_sin_deg(*angle);
      m.load = MotorSpec::Load::dq;
      m.id_A = *peak * c;
      m.iq_A = *peak * s;
    }
  } else if (phases) {
    bool ok = true;
    if (phases->size() != 3) {
      r.invalid("phase_currents_A", "three phase currents [ia, ib, ic] are needed, got " + std::to_string(phases->size()));
      ok = false;
    }
    for (std::size_t i = 0; ok && i < phases->size(); ++i)
      if (!std::isfinite((*phases)[i])) {
        r.invalid("phase_currents_A", "currents must be finite numbers, got " + fmt_number((*phases)[i]));
        ok = false;
      }
    if (ok) {
      m.load = MotorSpec::Load::phase;
      m.phase_currents_A = *phases;
    }
  }
  r.finish();
}

// [motor.winding]. With a template, slots, poles and layers come from
// [mesh.motor]; a .msh gives them here.
void read_winding(TableReader& w, bool is_file, MotorSpec& m) {
  if (auto v = read_count(w, "turns_per_coil", 1, 100000, "turns per coil must be in [1, 100000]")) m.turns_per_coil = *v;
  if (auto v = read_count(w, "parallel_paths", 1, kMaxMotorSlots,
                          "parallel paths must be in [1, " + std::to_string(kMaxMotorSlots) + "]"))
    m.parallel_paths = *v;
  if (auto v = read_count(w, "coil_pitch_slots", 0, kMaxMotorSlots,
                          "coil pitch must be in [0, " + std::to_string(kMaxMotorSlots) + "] slots (0: automatic)"))
    m.coil_pitch_slots = *v;
  static const std::pair<const char*, const char*> from_template[] = {
      {"slots", "mesh.motor.stator.slots"}, {"poles", "mesh.motor.rotor.poles"}, {"layers", "mesh.motor.stator.winding_layers"}};
  if (!is_file) {
    for (const auto& [key, source] : from_template)
      if (w.has(key)) {
        w.raw(key);
        w.invalid(key, std::string("with mesh.template = \"motor\" the ") + key + " come from " + source +
                           "; remove motor.winding." + key);
      }
  } else {
    if (auto v = read_count(w, "slots", 3, kMaxMotorSlots,
                            "number of slots must be in [3, " + std::to_string(kMaxMotorSlots) +
                                "] (a 3-phase winding needs at least 3)",
                            true))
      m.slots = *v;
    if (auto v = read_poles(w, "poles", true)) m.poles = *v;
    if (auto v = read_count(w, "layers", 1, 2, "winding layers must be 1 or 2", true)) m.layers = *v;
  }
  w.finish();
}

// The key a WindingError is about: the message names the parameter first
// ("winding: coil_pitch_slots = 5 with ...", "winding: slots = 50, poles = 8: ...").
std::string winding_error_key(const std::string& what, const std::string& slots, const std::string& poles,
                              const std::string& layers) {
  std::string m = what;
  if (m.rfind("winding: ", 0) == 0) m = m.substr(9);
  auto starts = [&](const char* p) { return m.rfind(p, 0) == 0; };
  if (starts("turns_per_coil")) return "motor.winding.turns_per_coil";
  if (starts("parallel_paths")) return "motor.winding.parallel_paths";
  if (starts("coil_pitch_slots")) return "motor.winding.coil_pitch_slots";
  if (starts("poles")) return poles;
  if (starts("layers")) return layers;
  const std::string head = m.substr(0, m.find(": "));
  if (head.find("coil_pitch_slots") != std::string::npos) return "motor.winding.coil_pitch_slots";
  if (head.find("layers = 1") != std::string::npos) return layers;
  return slots;
}

std::string list_degrees(const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " or " : ", ";
    out += fmt::format("{:.10g}", values[i]);
  }
  return out;
}

// Designs the winding; sets the sector (template) or checks the given one
// (.msh, when `check_sector`: sector_deg and antiperiodic were read without error).
void design_winding(IssueLog& log, const toml::table& root, bool is_template, bool check_sector, TableReader& motor,
                    Case& c) {
  MotorSpec& m = c.motor;
  solver::WindingSpec spec;
  std::string slots_key = "motor.winding.slots", poles_key = "motor.winding.poles", layers_key = "motor.winding.layers";
  if (is_template) {
    spec.slots = c.mesh.motor.stator.slots;
    spec.poles = c.mesh.motor.rotor.poles;
    spec.layers = c.mesh.motor.stator.winding_layers;
    slots_key = "mesh.motor.stator.slots";
    poles_key = "mesh.motor.rotor.poles";
    layers_key = "mesh.motor.stator.winding_layers";
  } else {
    spec.slots = m.slots;
    spec.poles = m.poles;
    spec.layers = m.layers;
  }
  spec.turns_per_coil = m.turns_per_coil;
  spec.parallel_paths = m.parallel_paths;
  spec.coil_pitch_slots = m.coil_pitch_slots;
  solver::WindingLayout layout;
  solver::MachineSymmetry smallest;
  try {
    layout = solver::design_winding(spec);
    smallest = solver::smallest_sector(layout);
  } catch (const solver::WindingError& e) {
    const std::string key = winding_error_key(e.what(), slots_key, poles_key, layers_key);
    std::string message = e.what();
    if (is_template) message = std::regex_replace(message, std::regex("\\blayers = "), "winding_layers = ");
    log.add(position_at(log, root, key), key, message);
    return;
  }
  m.slots = spec.slots;
  m.poles = spec.poles;
  m.layers = spec.layers;
  m.coil_pitch_slots = layout.spec.coil_pitch_slots;  // resolved (0 asked for the automatic pitch)
  if (is_template) {
    const bool sector = m.symmetry == MotorSpec::Symmetry::sector;
    m.sector_deg = sector ? smallest.sector_deg : 360.0;
    m.antiperiodic = sector && smallest.antiperiodic;
    c.mesh.motor.sector_deg = m.sector_deg;
    return;
  }
  if (!check_sector) return;
  // A .msh: its sector must be k smallest sectors, k dividing their number.
  const std::string machine = fmt::format("{} slots, {} poles, {} layer(s): the winding repeats every {:.10g} deg ({})",
                                          spec.slots, spec.poles, spec.layers, smallest.sector_deg,
                                          smallest.antiperiodic ? "anti-periodic" : "periodic");
  std::vector<double> allowed;
  int k = 0;
  for (int j = 1; j <= smallest.sectors; ++j) {
    if (smallest.sectors % j != 0) continue;
    const double deg = 360.0 * j / smallest.sectors;
    allowed.push_back(deg);
    if (std::abs(deg - m.sector_deg) <= kSectorTolerance_deg) k = j;
  }
  if (!k) {
    motor.invalid("sector_deg", fmt::format("{:.10g} deg is not a symmetry sector of this machine ({}); sector_deg must be {}",
                                            m.sector_deg, machine, list_degrees(allowed)));
    return;
  }
  m.sector_deg = 360.0 * k / smallest.sectors;  // exactly
  const bool antiperiodic = smallest.antiperiodic && k % 2 == 1;
  if (m.antiperiodic != antiperiodic)
    motor.invalid("antiperiodic", fmt::format("a {:.10g} deg sector of this machine is {} ({}): set antiperiodic = {}",
                                              m.sector_deg, antiperiodic ? "anti-periodic" : "periodic", machine,
                                              antiperiodic ? "true" : "false"));
}

}  // namespace

void read_mesh_motor(TableReader& r, mesh::MotorGeometry& g) {
  read_fields(r, "", g);
  if (r.has("sector_deg")) {
    r.raw("sector_deg");
    r.invalid("sector_deg", "not a key of [mesh.motor]: the sector follows from the winding and motor.symmetry "
                            "(\"sector\": the smallest sector the slots, poles and winding allow; \"full\": the whole machine)");
  }
  if (auto t = r.subtable("stator")) {
    TableReader s(r.log(), *t, r.child("stator"));
    read_stator(s, g);
  }
  if (auto t = r.subtable("rotor")) {
    TableReader s(r.log(), *t, r.child("rotor"));
    read_rotor(s, g);
  }
  if (g.band_inner_radius_m > 0 && g.band_outer_radius_m > 0 && !(g.band_inner_radius_m < g.band_outer_radius_m))
    r.invalid("band_outer_radius_mm", "the band's outer radius must exceed its inner radius "
                                      "(band_inner_radius_mm < band_outer_radius_mm)");
  r.finish();
}

void read_motor(TableReader& root_reader, const toml::table& root, bool mesh_known, Case& c) {
  IssueLog& log = root_reader.log();
  const toml::node* node = root_reader.raw("motor");
  const bool is_template = mesh_known && c.mesh.kind == MeshSpec::Kind::motor;
  const bool is_file = mesh_known && c.mesh.kind == MeshSpec::Kind::file;
  if (!node) {
    if (is_template)
      log.add(position_at(log, root, "mesh.template"), "motor",
              "mesh template 'motor' needs a [motor] table (stack_length_mm, and optionally symmetry, "
              "[motor.winding], [motor.positions], [motor.load])");
    return;
  }
  const toml::table* t = node->as_table();
  if (!t) {
    log.add(*node, "motor", "expected a table, got " + describe_type(*node));
    return;
  }
  if (!mesh_known) return;  // [mesh] is wrong already; what [motor] means depends on it
  if (!is_template && !is_file) {
    log.add(position_at(log, root, "motor"), "motor",
            std::string("[motor] is for motor meshes (mesh.template = \"motor\", or a .msh file made as in "
                        "docs/motor-mesh.md); the '") +
                (c.mesh.kind == MeshSpec::Kind::ipm_v_rotor ? "ipm_v_rotor" : "concentric_layers") +
                "' template is not a motor");
    return;
  }

  MotorSpec& m = c.motor;
  TableReader r(log, *t, "motor");
  m.present = true;
  m.where = position_at(log, root, "motor");
  if (auto v = read_length_mm(r, "stack_length_mm", false, "", true)) m.stack_length_m = *v * mm;
  if (is_template) {
    read_choice(r, "symmetry", "symmetry", symmetries, m.symmetry);
    for (const char* key : {"sector_deg", "antiperiodic"})
      if (r.has(key)) {
        r.raw(key);
        r.invalid(key, std::string(key) + " is for a .msh mesh; with mesh.template = \"motor\" the sector follows "
                                          "from motor.symmetry (\"sector\" or \"full\")");
      }
  } else {
    if (r.has("symmetry")) {
      r.raw("symmetry");
      r.invalid("symmetry", "symmetry is for mesh.template = \"motor\"; a .msh mesh gives its span as "
                            "motor.sector_deg and motor.antiperiodic");
    }
    if (auto v = r.number("sector_deg", true)) {
      if (!(*v > 0 && *v <= 360)) r.invalid("sector_deg", "the sector must lie in (0, 360] degrees (360: the whole machine), got " + fmt_number(*v));
      else m.sector_deg = *v;
    }
    if (auto v = r.boolean("antiperiodic")) m.antiperiodic = *v;
  }
  if (auto v = r.number("speed_rpm")) {
    if (!(*v > 0 && std::isfinite(*v))) r.invalid("speed_rpm", "speed must be a finite number > 0 rpm, got " + fmt_number(*v));
    else m.speed_rpm = *v;
  }
  if (auto w = r.subtable("winding")) {
    TableReader wr(log, *w, "motor.winding");
    read_winding(wr, is_file, m);
  } else if (is_file && !r.has("winding")) {
    log.add(m.where, "motor.winding", "a .msh motor needs [motor.winding] with slots, poles and layers");
  }
  m.positions_deg = {0.0};
  if (auto p = r.subtable("positions")) {
    TableReader pr(log, *p, "motor.positions");
    read_positions(pr, m);
  }
  if (auto l = r.subtable("load")) {
    TableReader lr(log, *l, "motor.load");
    read_load(lr, m);
  }

  // The winding, once what it depends on is valid.
  const bool blocked =
      is_template ? issue_at(log,
                             {"mesh", "mesh.template", "mesh.motor", "mesh.motor.stator", "mesh.motor.rotor",
                              "mesh.motor.stator.slots", "mesh.motor.stator.winding_layers", "mesh.motor.rotor.poles",
                              "motor.symmetry"},
                             {"motor.winding"})
                  : issue_at(log, {"motor"}, {"motor.winding"});
  const bool sector_ok = !issue_at(log, {"motor.sector_deg", "motor.antiperiodic"}, {});
  if (!blocked) design_winding(log, root, is_template, sector_ok, r, c);
  r.finish();
}

namespace {

toml::table fields_table(const std::string& table, const mesh::MotorGeometry& geometry) {
  mesh::MotorGeometry g = geometry;  // the accessors take a mutable geometry
  toml::table t;
  for (const MotorField& f : motor_fields())
    if (table == f.table) t.insert(f.key, f.length ? f.ref(g) / mm : f.ref(g));
  return t;
}

}  // namespace

toml::table motor_mesh_table(const mesh::MotorGeometry& g) {
  toml::table t = fields_table("", g);
  toml::table stator = fields_table("stator", g);
  stator.insert("slots", g.stator.slots);
  stator.insert("slot_shape", name_of(g.stator.slot_shape, slot_shapes));
  stator.insert("winding_layers", g.stator.winding_layers);
  stator.insert("layer_split", name_of(g.stator.layer_split, layer_splits));
  if (g.stator.slot_shape == mesh::SlotShape::semi_closed) stator.insert("semi_closed", fields_table("stator.semi_closed", g));
  else stator.insert("open", fields_table("stator.open", g));
  t.insert("stator", std::move(stator));

  toml::table rotor = fields_table("rotor", g);
  const char* type = name_of(g.rotor.kind, rotor_types);
  rotor.insert("type", type);
  rotor.insert("poles", g.rotor.poles);
  toml::table params = fields_table(std::string("rotor.") + type, g);
  if (g.rotor.kind == mesh::RotorKind::surface_magnet)
    params.insert("magnetization", name_of(g.rotor.surface.magnetization, surface_magnetizations));
  if (g.rotor.kind == mesh::RotorKind::spoke) params.insert("open_to_airgap", g.rotor.spoke.open_to_airgap);
  rotor.insert(type, std::move(params));
  t.insert("rotor", std::move(rotor));
  return t;
}

toml::table motor_table(const Case& c) {
  const MotorSpec& m = c.motor;
  const bool is_file = c.mesh.kind == MeshSpec::Kind::file;
  toml::table t;
  t.insert("stack_length_mm", m.stack_length_m / mm);
  if (is_file) {
    t.insert("sector_deg", m.sector_deg);
    t.insert("antiperiodic", m.antiperiodic);
  } else {
    t.insert("symmetry", name_of(m.symmetry, symmetries));
  }
  if (m.speed_rpm) t.insert("speed_rpm", *m.speed_rpm);

  toml::table winding{{"turns_per_coil", m.turns_per_coil},
                      {"parallel_paths", m.parallel_paths},
                      {"coil_pitch_slots", m.coil_pitch_slots}};
  if (is_file) {
    winding.insert("slots", m.slots);
    winding.insert("poles", m.poles);
    winding.insert("layers", m.layers);
  }
  t.insert("winding", std::move(winding));

  toml::array angles;
  for (double a : m.positions_deg) angles.push_back(a);
  t.insert("positions", toml::table{{"angles_deg", std::move(angles)}});

  if (m.load == MotorSpec::Load::dq) {
    t.insert("load", toml::table{{"id_A", m.id_A}, {"iq_A", m.iq_A}});
  } else if (m.load == MotorSpec::Load::phase) {
    toml::array currents;
    for (double i : m.phase_currents_A) currents.push_back(i);
    t.insert("load", toml::table{{"phase_currents_A", std::move(currents)}});
  }
  return t;
}

std::vector<MeshPartEstimate> estimate_motor_mesh(const mesh::MotorGeometry& g, const mesh::MeshingOptions& options) {
  const double h = options.element_size_m;
  const auto& st = g.stator;
  const auto& ro = g.rotor;
  const auto& sz = g.sizes;
  const double fraction = g.sector_deg > 0 && g.sector_deg <= 360 ? g.sector_deg / 360.0 : 1.0;
  auto triangles = [&](double area, double size) { return size > 0 ? fraction * std::max(0.0, area) / (0.43 * size * size) : 0.0; };
  auto disk = [](double r) { return pi * r * r; };

  // Slots: conductor body (and opening, wedge) of every slot.
  double slot_area, narrowest;
  if (st.slot_shape == mesh::SlotShape::semi_closed) {
    const auto& s = st.semi_closed;
    slot_area = s.body_depth_m * 0.5 * (s.top_width_m + s.bottom_width_m) + s.opening_width_m * s.opening_depth_m +
                s.wedge_depth_m * 0.5 * (s.opening_width_m + s.top_width_m);
    narrowest = std::min(s.top_width_m, s.bottom_width_m);
  } else {
    slot_area = st.open.width_m * st.open.depth_m;
    narrowest = st.open.width_m;
  }
  slot_area *= st.slots;
  const bool slot_given = sz.slot_element_size_m > 0;
  const double h_slot = slot_given ? sz.slot_element_size_m : std::min(h, narrowest / 3);

  // Magnets.
  const double r_iron = ro.outer_radius_m;
  const double r_gap = mesh::rotor_airgap_radius_m(ro);
  double magnet_area = 0, thinnest = 0;
  switch (ro.kind) {
    case mesh::RotorKind::surface_magnet:
      magnet_area = ro.surface.pole_arc_ratio * (disk(r_gap) - disk(r_iron));
      thinnest = ro.surface.magnet_thickness_m;
      break;
    case mesh::RotorKind::interior_v:
      magnet_area = 2.0 * ro.poles * ro.interior_v.magnet_length_m * ro.interior_v.magnet_thickness_m;
      thinnest = std::min(ro.interior_v.magnet_length_m, ro.interior_v.magnet_thickness_m);
      break;
    case mesh::RotorKind::interior_bar:
      magnet_area = ro.poles * ro.interior_bar.magnet_width_m * ro.interior_bar.magnet_thickness_m;
      thinnest = std::min(ro.interior_bar.magnet_width_m, ro.interior_bar.magnet_thickness_m);
      break;
    case mesh::RotorKind::spoke:
      magnet_area = ro.poles * ro.spoke.magnet_width_m * ro.spoke.magnet_length_m;
      thinnest = std::min(ro.spoke.magnet_width_m, ro.spoke.magnet_length_m);
      break;
  }
  const bool magnet_given = sz.magnet_element_size_m > 0;
  const double h_magnet = magnet_given ? sz.magnet_element_size_m : std::min(h, thinnest / 3);

  // Air gap (the band included): the band element size, by default the band width.
  const double gap = st.bore_radius_m - r_gap;
  const double r1 = g.band_inner_radius_m > 0 ? g.band_inner_radius_m : r_gap + gap / 3;
  const double r2 = g.band_outer_radius_m > 0 ? g.band_outer_radius_m : r_gap + 2 * gap / 3;
  const double h_band = sz.band_element_size_m > 0 ? sz.band_element_size_m : r2 - r1;
  const double h_gap = sz.airgap_element_size_m > 0 ? sz.airgap_element_size_m : h_band;
  const std::string gap_key = sz.airgap_element_size_m > 0 ? "mesh.motor.airgap_element_size_mm" : "mesh.motor.band_element_size_mm";

  std::vector<MeshPartEstimate> parts;
  parts.push_back({triangles(disk(st.outer_radius_m) - disk(st.bore_radius_m) - slot_area, h), "mesh.element_size_mm", h});
  parts.push_back({triangles(slot_area, h_slot),
                   slot_given || h_slot < h ? "mesh.motor.slot_element_size_mm" : "mesh.element_size_mm", h_slot});
  parts.push_back({triangles(disk(st.bore_radius_m) - disk(r_gap), h_gap), gap_key, h_gap});
  parts.push_back({triangles(magnet_area, h_magnet),
                   magnet_given || h_magnet < h ? "mesh.motor.magnet_element_size_mm" : "mesh.element_size_mm", h_magnet});
  const double rotor_area = disk(r_iron) - (ro.kind == mesh::RotorKind::surface_magnet ? 0.0 : magnet_area);
  parts.push_back({triangles(rotor_area, h), "mesh.element_size_mm", h});
  return parts;
}

std::pair<std::string, std::string> motor_error_in_case_terms(const std::string& what,
                                                              const std::function<bool(const std::string&)>& given) {
  // Template parameter (as build_motor names it) -> case key.
  std::map<std::string, std::string> key_of = {
      {"stator.slots", "mesh.motor.stator.slots"},
      {"stator.winding_layers", "mesh.motor.stator.winding_layers"},
      {"rotor.poles", "mesh.motor.rotor.poles"},
      {"sector_deg", "motor.symmetry"},
      {"MeshingOptions.element_size_m", "mesh.element_size_mm"},
  };
  std::set<std::string> length_leaves;  // "bridge" for bridge_m -> bridge_mm
  for (const MotorField& f : motor_fields()) {
    const std::string table = *f.table ? std::string("mesh.motor.") + f.table : "mesh.motor";
    key_of[f.parameter] = table + "." + f.key;
    if (f.length) {
      const std::string key = f.key;
      length_leaves.insert(key.substr(0, key.size() - 3));
    }
  }

  const std::string prefix = "motor template: ";
  if (what.rfind(prefix, 0) != 0) return {"mesh.motor", "cannot build the motor mesh: " + what};
  std::string message = what.substr(prefix.size());
  std::string key = "mesh.motor";
  const auto colon = message.find(": ");
  if (colon != std::string::npos) {
    auto it = key_of.find(message.substr(0, colon));
    if (it != key_of.end()) {
      key = it->second;
      message = message.substr(colon + 2);
      // A default the file does not give: point at a key of the same table
      // that the message names and the file gives.
      if (!given(key)) {
        const std::string table = key.substr(0, key.rfind('.'));
        for (const MotorField& f : motor_fields()) {
          const std::string candidate = (*f.table ? std::string("mesh.motor.") + f.table : "mesh.motor") + "." + f.key;
          if (candidate.rfind(table + ".", 0) != 0 || candidate.find('.', table.size() + 1) != std::string::npos) continue;
          std::string leaf = f.parameter;
          leaf = leaf.substr(leaf.rfind('.') + 1);
          if (std::regex_search(message, std::regex("\\b" + leaf + "\\b")) && given(candidate)) {
            key = candidate;
            break;
          }
        }
      }
    }
  }
  // Parameter names and lengths as the case file writes them.
  std::string leaves;
  for (const auto& leaf : length_leaves) leaves += (leaves.empty() ? "" : "|") + leaf;
  message = std::regex_replace(message, std::regex("\\b(" + leaves + ")_m\\b"), "$1_mm");
  message = std::regex_replace(message, std::regex("\\bMeshingOptions\\.element_size_m\\b"), "mesh.element_size_mm");
  std::string converted;
  const std::regex metres("(-?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?) m\\b");
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(message.begin(), message.end(), metres); it != std::sregex_iterator(); ++it) {
    converted += message.substr(last, it->position() - last);
    converted += fmt::format("{:.4g} mm", std::strtod((*it)[1].str().c_str(), nullptr) * 1e3);
    last = it->position() + it->length();
  }
  message = "cannot build the motor: " + converted + message.substr(last);
  return {key, message};
}

}  // namespace rotormag::cases::detail

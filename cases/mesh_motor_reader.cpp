// [mesh.motor...]: the parametric motor cross-section (mesh::MotorGeometry),
// its table of real-valued fields (shared with the resolved TOML and the
// translation of mesh errors) and its reader: stator and slot shape, rotor
// type and its magnets, element sizes and band radii. docs/case-file.md
// describes the schema; keep the two in step.
#include <cmath>
#include <map>

#include "cases/motor_reading.hpp"
#include "cases/motor_schema.hpp"

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

}  // namespace rotormag::cases::detail

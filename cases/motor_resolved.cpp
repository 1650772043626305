// The resolved TOML of [mesh.motor] and [motor]: every default filled in, in
// the case-file spelling (called from resolved_case.cpp).
#include <string>
#include <utility>

#include "cases/motor_reading.hpp"
#include "cases/motor_schema.hpp"

namespace rotormag::cases::detail {

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
    t.insert("symmetry", name_of(m.symmetry, motor_symmetries));
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

}  // namespace rotormag::cases::detail

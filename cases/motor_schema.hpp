#pragma once
// The motor part of the case-file schema ([mesh.motor...] and [motor...]):
// its limits and real-valued fields, reading (mesh_motor_reader.cpp,
// motor_reader.cpp; called from case_file.cpp) and the resolved TOML
// (motor_resolved.cpp; called from resolved_case.cpp). What build_mesh.cpp
// needs about the motor template is in motor_mesh_terms.hpp. Internal to cases/.

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "cases/case.hpp"
#include "cases/toml_reader.hpp"

namespace rotormag::cases::detail {

// Limits of the motor schema (docs/case-file.md).
inline constexpr int kMaxMotorSlots = 1000;
inline constexpr int kMaxMotorPoles = 1000;
inline constexpr int kMaxMotorPositions = 10000;

// One real-valued field of mesh::MotorGeometry as it appears in the file:
// every `double xxx_m` is the key `xxx_mm` in the table named like the
// struct path (the rotor's `surface` struct is [mesh.motor.rotor.surface_magnet],
// MotorMeshSizes' fields sit in [mesh.motor] itself).
struct MotorField {
  enum class Check { positive, automatic_or_positive, non_negative, fraction, plain_positive };
  const char* table;       // below [mesh.motor]: "", "stator", "stator.semi_closed", "rotor.interior_v", ...
  const char* key;         // TOML key
  const char* parameter;   // the field as mesh::build_motor's messages name it ("stator.semi_closed.body_depth_m")
  bool length;             // metres inside, mm in the file
  Check check;
  double& (*ref)(mesh::MotorGeometry&);
};
const std::vector<MotorField>& motor_fields();

// [mesh.motor]: `r` reads that table. Fills `g` (sector_deg is set later, from [motor]).
void read_mesh_motor(TableReader& r, mesh::MotorGeometry& g);

// [motor] (marks the key known in `root_reader`, the reader of the whole
// file): checks it against the mesh kind (`mesh_known`: [mesh] named a valid
// template or file), designs the winding and resolves c.motor's winding and
// sector whatever the mesh kind (and c.mesh.motor.sector_deg for a template).
// Issues are positioned at the keys of `root`.
void read_motor(TableReader& root_reader, const toml::table& root, bool mesh_known, Case& c);

// The resolved TOML of [mesh.motor] and of [motor].
toml::table motor_mesh_table(const mesh::MotorGeometry& g);
toml::table motor_table(const Case& c);

}  // namespace rotormag::cases::detail

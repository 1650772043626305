#pragma once
// The motor part of the case-file schema ([mesh.motor...] and [motor...]):
// reading (motor_case.cpp, called from case_file.cpp), the resolved TOML
// (called from resolved_case.cpp) and the terms build_mesh.cpp needs to
// report motor mesh errors at their keys. Internal to cases/.

#include <functional>
#include <string>
#include <utility>
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
// template or file), designs the winding, sets the symmetry sector and
// c.mesh.motor.sector_deg. Issues are positioned at the keys of `root`.
void read_motor(TableReader& root_reader, const toml::table& root, bool mesh_known, Case& c);

// The resolved TOML of [mesh.motor] and of [motor].
toml::table motor_mesh_table(const mesh::MotorGeometry& g);
toml::table motor_table(const Case& c);

// mesh::build_motor's estimate of its size before meshing: one entry per
// part (stator core, slots, air gap, magnets, rotor core), for the model
// (sector or whole machine) the case asks for.
struct MeshPartEstimate {
  double triangles = 0;
  std::string key;      // the key whose element size governs the part
  double h_m = 0;
};
std::vector<MeshPartEstimate> estimate_motor_mesh(const mesh::MotorGeometry& g, const mesh::MeshingOptions& options);

// A mesh::MeshError of build_motor in the case file's terms: the key
// ("mesh.motor.stator.semi_closed.top_width_mm") and the message (parameters
// `xxx_m` as `xxx_mm`, lengths in mm). `given(key)`: whether the file gives
// that key (else another key the message names and the file gives is used).
std::pair<std::string, std::string> motor_error_in_case_terms(const std::string& what,
                                                              const std::function<bool(const std::string&)>& given);

}  // namespace rotormag::cases::detail

#pragma once
// The motor template in the case file's terms (motor_mesh_terms.cpp), for
// build_mesh.cpp: the mesh size a [mesh.motor] asks for, estimated before
// meshing, and mesh::build_motor's errors at their keys. Internal to cases/.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mesh/motor_geometry.hpp"
#include "mesh/templates.hpp"

namespace rotormag::cases::detail {

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

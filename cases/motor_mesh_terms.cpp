// The motor template in the case file's terms, for build_mesh.cpp: the size
// of the mesh a [mesh.motor] asks for, per part and the key that governs it,
// estimated before meshing; and mesh::build_motor's errors at the key they
// are about, with lengths in mm.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>

#include "cases/motor_mesh_terms.hpp"
#include "cases/motor_schema.hpp"

namespace rotormag::cases::detail {

namespace {

constexpr double pi = 3.14159265358979323846;

}  // namespace

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

#pragma once
// Parametric geometries built in-process with the Gmsh C++ API (OpenCASCADE).
// All lengths in metres. Each builder returns a checked mesh (see quality.hpp).

#include <string>
#include <vector>

#include "mesh/mesh.hpp"

namespace rotormag::mesh {

struct MeshingOptions {
  int order = 1;                  // 1 or 2 (order 2: curved, mid-nodes on the geometry)
  double element_size_m = 1e-3;   // default target edge length
};

// A disk and concentric annuli: region i is radii[i-1] < r < radii[i]
// (region 0 the disk r < radii[0]). The outer circle r = radii.back() is the
// boundary `outer_boundary`. Used by the analytic tests (T1, T2, T7) and as
// a simple user geometry.
struct ConcentricLayers {
  std::vector<double> radii_m;
  std::vector<std::string> region_names;          // one per layer, may repeat (same region)
  std::vector<double> element_size_m;             // optional, one per layer; else the default
  std::vector<MagnetizationHint> magnetization;   // optional, one per layer
  std::string outer_boundary = "outer";
  // Optional, one per radius: a boundary name for the circle r = radii_m[i]
  // ("" for none; the last circle is outer_boundary). A layer between circles
  // named "band_rotor" and "band_stator" and itself named "band" makes the
  // layers a rotating machine for the moving band (solver/moving_band.hpp).
  std::vector<std::string> circle_names;
};

// The demo geometry (mesh.template = "ipm_v_rotor"): an interior-permanent-magnet
// rotor with one V-shaped magnet pair per pole, inside a smooth (slotless)
// stator ring, with a meshed air gap. Not the motor template's V rotor
// (mesh::InteriorVMagnets in motor_geometry.hpp, which sits in a slotted stator).
//
// Pole k (1..poles) has its axis at angle (k-1) * 2*pi/poles from +x (pole 1
// on the +x axis). In pole coordinates (u along the axis, v tangential,
// counter-clockwise positive) magnet "a" lies on the +v side and "b" is its
// mirror image. Each magnet is a magnet_length_m x magnet_thickness_m
// rectangle whose long side makes v_angle_deg/2 with the pole axis; the inner
// corners facing the V interior sit at u = rotor_outer_radius_m - magnet_depth_m,
// v = +-center_web_m/2. At the outer end of each magnet an air pocket (flux
// barrier) bounded by radial lines runs out to r = rotor_outer_radius_m - bridge_m.
//
// Regions: "shaft", "rotor_core", "magnet_<pole>_<a|b>" (magnetization:
// perpendicular to the magnet's long side, towards the V interior and the air
// gap on odd (N) poles, away from it on even (S) poles), "pocket" (all flux
// barriers), "airgap", "stator_core". Boundaries: "stator_outer"
// (r = stator_outer_radius_m), "shaft_surface" (r = shaft_radius_m),
// "rotor_surface" (r = rotor_outer_radius_m) and "stator_bore"
// (r = rotor_outer_radius_m + airgap_m), the last two for moving-band use.
struct SlotlessVRotor {
  int poles = 8;                          // even, >= 2
  double shaft_radius_m = 0.012;          // shaft region r < shaft_radius_m
  double rotor_outer_radius_m = 0.040;    // rotor surface
  double airgap_m = 0.0007;               // radial air-gap length
  double stator_outer_radius_m = 0.060;   // outer radius of the slotless stator ring
  double magnet_length_m = 0.011;         // long side of each magnet
  double magnet_thickness_m = 0.0025;     // short side, along the magnetization
  double v_angle_deg = 120.0;             // angle between the two magnets of a pole, opening outwards
  double magnet_depth_m = 0.013;          // depth of the V tip (inner magnet corners) below the rotor surface
  double center_web_m = 0.0015;           // iron web between the two magnets of a pole, on the pole axis
  double bridge_m = 0.001;                // iron between pocket and rotor surface
  double airgap_element_size_m = 0.0;     // 0: airgap_m / 2 (at least two element layers in the gap)
  double magnet_element_size_m = 0.0;     // 0: min(element size, magnet_thickness_m / 3); also pockets
  double size_grading = 0.9;              // growth of the element size per metre away from the air gap
};

// The torque benchmark of the validation ladder (T6, FEMM's "TorqueBenchmark";
// not a motor rotor): a magnet_width_m x
// magnet_height_m magnet (region "magnet", magnetized along +x) centred in an
// air disk r < band_inner_radius_m ("airgap_rotor"), an empty band up to
// band_outer_radius_m, and an air annulus to outer_radius_m ("airgap_stator").
// Boundaries "band_rotor", "band_stator" (the band's circles) and "outer".
struct TorqueBenchmarkMagnet {
  double magnet_width_m = 0.01;
  double magnet_height_m = 0.005;
  double band_inner_radius_m = 0.00725;
  double band_outer_radius_m = 0.00775;
  double outer_radius_m = 0.01;
  double band_element_size_m = 0.0;  // 0: the default element size
};

Mesh build_concentric_layers(const ConcentricLayers& geometry, const MeshingOptions& options);
Mesh build_torque_benchmark_magnet(const TorqueBenchmarkMagnet& geometry, const MeshingOptions& options);
Mesh build_slotless_v_rotor(const SlotlessVRotor& geometry, const MeshingOptions& options);

// Reads a Gmsh .msh file (ASCII 4.1 or 2.x) with physical names, with
// RotorMag's own parser (msh_reader.cpp; every error "file:line: problem").
// 2D physical groups become regions, 1D and 0D physical groups boundaries.
// Linear and quadratic triangles; other 2D element types are an error.
// Region names may carry a magnetization or coil annotation (mesh.hpp,
// parse_region_name); without one a magnet's direction comes from the case.
Mesh read_msh(const std::string& path);

// Writes a mesh to .msh 4.1 with physical names (for GetDP and for users);
// regions with hints get annotated names (annotated_region_name).
void write_msh(const Mesh& mesh, const std::string& path);

}  // namespace rotormag::mesh

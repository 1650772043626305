#pragma once
// Parametric motor cross-sections: a slotted (or smooth, slotless) stator
// around one of four rotor types, meshed as the whole machine or as a
// symmetry sector, with an empty annulus (the moving band) left in the air
// gap for the solver to triangulate per rotor position. Region and boundary
// names, angles and every parameter with a sketch: docs/motor-mesh.md.
//
// Conventions: lengths in metres, angles in degrees (`_deg`), mechanical
// angles counter-clockwise from +x, origin on the machine axis.
//  - Slot s (1-based) is centred at (s - 0.5) * 360/Q, so angle 0 is a tooth centre.
//    Q = 0: a slotless stator (smooth bore, no slots).
//  - Pole k (1-based) has its axis at (k - 0.5) * 360/(2p); odd poles are N
//    (magnetization out of the rotor at the pole axis), even poles S.
//  - A sector spans [0, sector_deg]; its radial edges are meshed periodically.
//  - Defaults describe the Toyota Prius 2004 motor (48 slots, 8 poles, V magnets;
//    /work/shared/data/prius2004_geometry.md), as a full machine.

#include "mesh/mesh.hpp"
#include "mesh/templates.hpp"  // MeshingOptions

namespace rotormag::mesh {

enum class SlotShape { semi_closed, open_rectangular };

// Where the two winding layers of a slot lie: radial = layer 1 nearer the air
// gap, layer 2 at the slot bottom (split where both have the same area);
// tangential = layer 1 on the lower-angle side of the slot centre line.
enum class LayerSplit { radial, tangential };

// Semi-closed slot, from the bore outwards (u along the slot centre line):
// an air opening w0 x h0 (h0 measured from the bore corners of the opening),
// an optional air wedge of depth h1 widening linearly from w0 to top_width_m,
// then the conductor body: depth body_depth_m, straight sides from
// top_width_m to bottom_width_m at depth body_depth_m - r, and bottom corners
// rounded by quarter circles of radius r = bottom_fillet_radius_m down to a flat
// bottom at depth body_depth_m (r = 0: sharp; r = bottom_width_m/2: semicircular
// bottom). Defaults: the Prius slot.
struct SemiClosedSlot {
  double opening_width_m = 1.93e-3;          // w0
  double opening_depth_m = 1.0e-3;           // h0 > 0
  double wedge_depth_m = 0.0;                // h1 >= 0
  double body_depth_m = 33.3e-3;             // conductor area, top to bottom
  double top_width_m = 5.0e-3;               // body width at its top (>= w0)
  double bottom_width_m = 8.0e-3;            // body width where the straight sides end
  double bottom_fillet_radius_m = 4.0e-3;    // 0 .. bottom_width_m/2, < body_depth_m
};

// Open rectangular slot: all conductor, open to the air gap; depth measured
// from the bore corners (the conductor's bottom edge is the bore arc).
struct OpenSlot {
  double width_m = 6.0e-3;
  double depth_m = 20.0e-3;
};

// slots = 0: a slotless stator, a plain iron ring bore_radius_m < r <
// outer_radius_m ("stator_core", a smooth bore; no "slot_opening" or coil
// regions). The slot fields (shape, layers) are then ignored.
struct StatorGeometry {
  int slots = 48;                            // Q >= 2, or 0: slotless (smooth bore)
  double bore_radius_m = 80.95e-3;
  double outer_radius_m = 134.62e-3;
  SlotShape slot_shape = SlotShape::semi_closed;
  SemiClosedSlot semi_closed;                // used when slot_shape == semi_closed
  OpenSlot open;                             // used when slot_shape == open_rectangular
  int winding_layers = 1;                    // 1 or 2
  LayerSplit layer_split = LayerSplit::radial;
};

enum class RotorKind { surface_magnet, interior_v, interior_bar, spoke };

enum class SurfaceMagnetization {
  radial,    // MagnetizationHint::radial, sign +1 (N) / -1 (S)
  parallel,  // uniform along the pole axis
};

// Surface magnets on an iron core of radius RotorGeometry::outer_radius_m (Rr):
// one arc magnet per pole, Rr < r < Rr + magnet_thickness_m, spanning
// pole_arc_ratio x pole pitch, centred on the pole axis. The air between
// magnets belongs to "airgap_rotor"; the air gap starts at Rr + magnet_thickness_m.
// The mesh has edges on the arc r = Rr + magnet_thickness_m between magnets
// too, so every triangle of "airgap_rotor" lies either between two magnets
// or outside the magnet radius (a solver may give the former another material).
struct SurfaceMagnets {
  double magnet_thickness_m = 4.0e-3;
  double pole_arc_ratio = 0.8;               // alpha_p in (0, 1]
  SurfaceMagnetization magnetization = SurfaceMagnetization::radial;
};

// The V magnets of the motor template's interior-V rotor (RotorKind::interior_v,
// [mesh.motor.rotor.interior_v]; not the stand-alone demo rotor in a slotless
// ring, templates.hpp's SlotlessVRotor): one V-shaped hole per pole holding two
// rectangular magnets (the Prius rotor; pyleecan's HoleM50 in our words: the
// HoleM50 symbol of each field in brackets). In pole coordinates (u along the pole axis, v across): the
// hole's top edge (the side facing the air gap) of each half runs straight
// from the V bottom B = (R - v_bottom_depth_m, center_post_width_m/2) to the
// outer end T on the circle r = R - bridge_m at |v| = top_span_m/2. Each magnet
// lies against that edge (magnet_offset_m from B, magnet_length_m long,
// magnet_thickness_m deep); the hole's air parts reach
// magnet_thickness_m - magnet_recess_m below the edge: an outer pocket up to
// the bridge and to the q-axis rib (walls parallel to the q-axis,
// rib_width_m apart), an inner pocket down to the pole axis (or the centre post).
// HoleM50's H4 (pocket top height) is not supported (taken as 0).
struct InteriorVMagnets {
  double v_bottom_depth_m = 10.96e-3;        // [H0] depth of B below the rotor surface
  double bridge_m = 1.5e-3;                  // [H1] iron between the hole and the rotor surface
  double top_span_m = 42.0e-3;               // [W0] chord between the two outer ends T
  double center_post_width_m = 0.0;          // [W1] iron post on the pole axis (0: halves join)
  double magnet_offset_m = 0.0;              // [W2] from B along the top edge to the magnet
  double magnet_length_m = 18.9e-3;          // [W4] magnet long side
  double magnet_thickness_m = 6.5e-3;        // [H3] magnet short side (magnetization)
  double magnet_recess_m = 1.0e-3;           // [H2] magnet depth beyond the air pockets, >= 0
  double rib_width_m = 14.0e-3;              // [W3] iron rib on the q-axis between poles
};

// One rectangular magnet per pole, its long side perpendicular to the pole
// axis, its outer face magnet_depth_m below the rotor surface (on the axis).
// At both ends an air pocket continues the magnet's outer and inner faces out
// to the circle r = R - bridge_m (the bridge). Magnetized along the pole axis.
struct InteriorBar {
  double magnet_width_m = 26.0e-3;           // long side, tangential
  double magnet_thickness_m = 3.5e-3;        // along the pole axis (magnetization)
  double magnet_depth_m = 2.5e-3;            // rotor surface to the magnet's outer face
  double bridge_m = 1.0e-3;                  // iron between the pockets and the rotor surface
};

// Spoke rotor: 2p rectangular magnets lying radially on the q-axes (magnet k
// centred on the line at k * 360/(2p)), magnetized tangentially, alternating so
// that flux concentrates in the iron poles between them (pole k, between
// spokes k-1 and k, is N for odd k). The shaft/hub (r < shaft_radius_m) must
// be non-magnetic. Outer end: an iron bridge (the magnet's outer corners lie
// on r = R - bridge_m), or open (the magnet reaches the rotor surface; its
// outer face is the rotor-surface arc). magnet_length_m is measured on the
// magnet's centre line from its inner face to the outer corners' line
// (bridge) or to the rotor surface (open). An optional air pocket of the
// magnet's width continues it inwards by inner_pocket_depth_m.
struct Spoke {
  double magnet_width_m = 6.0e-3;            // tangential (along the magnetization)
  double magnet_length_m = 20.0e-3;          // radial
  bool open_to_airgap = false;
  double bridge_m = 1.0e-3;                  // used when !open_to_airgap; > 0
  double inner_pocket_depth_m = 0.0;         // 0: no pocket
};

struct RotorGeometry {
  RotorKind kind = RotorKind::interior_v;
  int poles = 8;                             // 2p, even
  double shaft_radius_m = 55.32e-3;          // region "shaft", r < shaft_radius_m (meshed to r = 0)
  double outer_radius_m = 80.2e-3;           // iron outer radius R (surface magnets: the core, Rr)
  SurfaceMagnets surface;                    // used by kind == surface_magnet
  InteriorVMagnets interior_v;               // kind == interior_v
  InteriorBar interior_bar;                  // kind == interior_bar
  Spoke spoke;                               // kind == spoke
};

// Element sizes; 0 = automatic. The band circles carry the same number of
// equally spaced nodes N per base sector (see docs/motor-mesh.md):
// N = ceil(arc length at the mid-band radius / band_element_size_m).
struct MotorMeshSizes {
  double band_element_size_m = 0.0;          // 0: band width r2 - r1 (= g/3 by default):
                                             //    near-equilateral band triangles
  double airgap_element_size_m = 0.0;        // 0: the band element size
  double magnet_element_size_m = 0.0;        // 0: min(element size, thinnest magnet side / 3); also pockets
  double slot_element_size_m = 0.0;          // 0: min(element size, narrowest conductor width / 3)
  double size_grading = 0.9;                 // growth of the size per metre away from the air gap
};

struct MotorGeometry {
  StatorGeometry stator;
  RotorGeometry rotor;
  double sector_deg = 360.0;                 // 360: full machine; else whole slots and poles
                                             // (slotless: whole poles)
  double band_inner_radius_m = 0.0;          // r1; 0: rotor radius + g/3
  double band_outer_radius_m = 0.0;          // r2; 0: rotor radius + 2g/3
  MotorMeshSizes sizes;
};

// Builds and checks the mesh (see the naming convention in docs/motor-mesh.md).
// Always meshes the smallest periodic sector, 360/gcd(Q, 2p) degrees
// (slotless, Q = 0: one pole, 360/(2p)), once
// (periodic radial edges), and assembles the requested sector or the full
// machine from rotated copies of it, so that any two models of one machine
// share the same triangles. Throws MeshError naming the parameter for
// impossible geometry.
Mesh build_motor(const MotorGeometry& geometry, const MeshingOptions& options);

// The smallest sector (degrees) holding whole slots and whole poles:
// 360 / gcd(slots, poles); for a slotless stator (slots = 0) one pole, 360 / poles.
double motor_base_sector_deg(const MotorGeometry& geometry);

// The radius the air gap starts from: rotor.outer_radius_m, plus the magnet
// thickness for surface magnets.
double rotor_airgap_radius_m(const RotorGeometry& rotor);

}  // namespace rotormag::mesh

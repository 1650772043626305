#pragma once
// Internal to mesh/: the labelled 2D outlines that build_motor
// (motor_template.cpp) fragments into one conforming model, produced by the
// stator (stator_slots.cpp) and rotor (motor_rotors.cpp) builders, and the
// sector replication (motor_sector.cpp). Nothing here calls Gmsh.

#include <optional>
#include <string>
#include <vector>

#include "mesh/mesh.hpp"
#include "mesh/motor_geometry.hpp"

namespace rotormag::mesh::motor {

extern const char* const kOrigin;  // "motor template", first word of every message
inline constexpr double kPi = 3.14159265358979323846;
// Thinnest iron (teeth, ribs, posts, inner bridges) and yoke the templates accept.
inline constexpr double kMinIronWidth_m = 0.2e-3;
inline constexpr double kMinYoke_m = 0.5e-3;

// "motor template: <parameter>: <why>"
[[noreturn]] void reject(const std::string& parameter, const std::string& why);

struct Point2 {
  double x = 0, y = 0;
};
inline Point2 operator+(Point2 a, Point2 b) { return {a.x + b.x, a.y + b.y}; }
inline Point2 operator-(Point2 a, Point2 b) { return {a.x - b.x, a.y - b.y}; }
inline Point2 operator*(double s, Point2 a) { return {s * a.x, s * a.y}; }
double norm(Point2 p);
Point2 rotated(Point2 p, double angle_rad);
Point2 polar(double r, double angle_rad);
// Intersection of the lines p + s*d and q + t*e (not parallel): returns s.
double line_intersection(Point2 p, Point2 d, Point2 q, Point2 e);

// A closed outline: from each vertex to the next a straight edge or a circular
// arc about `centre` (arcs are at most 90 degrees; longer ones are split).
struct OutlineVertex {
  Point2 p;
  bool arc_to_next = false;
  Point2 centre;
};
using Outline = std::vector<OutlineVertex>;

// Builds an outline edge by edge; zero-length edges are dropped, so that
// degenerate parameters (no wedge, no fillet) need no special cases.
class OutlineBuilder {
 public:
  explicit OutlineBuilder(Point2 start) { vertices_.push_back({start, false, {}}); }
  OutlineBuilder& line_to(Point2 p);
  OutlineBuilder& arc_to(Point2 p, Point2 centre);  // the short way round
  Outline close();                                  // straight edge back to the start
  Outline close_arc(Point2 centre);                 // arc back to the start

 private:
  std::vector<OutlineVertex> vertices_;
};

Outline rotated(const Outline& outline, double angle_rad);
Outline mirrored_v(const Outline& outline);  // (x, y) -> (x, -y), order reversed
Outline rectangle(double x0, double x1, double y0, double y1);
// Points on the outline (vertices and, on arcs, `per_arc` interior points).
std::vector<Point2> sample(const Outline& outline, int per_arc = 16);

// What a region of the model is made of before fragmenting: a fragment takes
// the label of the highest-priority part containing it.
enum Priority : int {
  kStatorCore = 0,
  kSlot = 1,
  kSlotLayer2 = 2,
  kAirgapStator = 3,
  kBand = 4,
  kAirgapRotor = 5,
  kRotorCore = 6,
  kShaft = 7,
  kRotorHole = 8,
};

struct Part {
  Outline outline;
  std::optional<Outline> clip;       // the part is outline ∩ clip
  std::string label;
  int priority = 0;
  double element_size_m = 0.0;       // 0: no local refinement
  MagnetizationHint magnetization;   // magnets only
};

// The sector that is meshed once (360 / gcd(Q, 2p) degrees).
struct BaseSector {
  double angle_rad = 2 * kPi;
  bool full = true;   // the base sector is the whole machine
  int slots = 0;      // slots in it
  int poles = 0;      // poles in it
};

// Stator (stator_slots.cpp).
void validate_stator(const StatorGeometry& stator);
// Slot openings and conductor regions of the slots of the base sector.
// `core_size_m` is MeshingOptions::element_size_m.
std::vector<Part> stator_slot_parts(const StatorGeometry& stator, const BaseSector& sector,
                                    double slot_element_size_m, double core_size_m);

// Rotor (motor_rotors.cpp).
void validate_rotor(const RotorGeometry& rotor);
// Magnets and pockets of the base sector (spokes on its edges included
// whole; the caller clips them), with their magnetization hints.
std::vector<Part> rotor_hole_parts(const RotorGeometry& rotor, const BaseSector& sector, double magnet_element_size_m,
                                   double core_size_m);

// Sector replication (motor_sector.cpp): the base-sector mesh with boundaries
// "sector_start_*" / "sector_end_*" is copied `copies` times, copy j rotated
// by j * base angle; nodes of copy j's end edges are merged with copy j+1's
// start edges (and the last with the first when `close_ring`). Numbered
// regions are renumbered globally: slot s of copy j becomes j*slots + s,
// pole i becomes j*poles + i (spokes k likewise; spoke 2p when the ring closes
// at angle 0); magnetization hints are rotated, and reversed in copies
// j with j*poles odd (the machine is anti-periodic over an odd pole count).
Mesh replicate_sector(const Mesh& base, const BaseSector& sector, int copies, bool close_ring, int total_poles);

// Regions in a fixed order (stator_core, slot_opening, coils by slot and
// layer, airgap_stator, airgap_rotor, rotor_core, shaft, pocket, magnets by
// number), ids 1, 2, ...
void sort_regions(Mesh& mesh);

}  // namespace rotormag::mesh::motor

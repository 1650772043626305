// The demo rotor (mesh.template = "ipm_v_rotor"): an interior-permanent-magnet
// rotor with a V magnet pair per pole, flux-barrier pockets and a slotless
// stator, all fragmented together so that every interface conforms. Geometry
// conventions: see templates.hpp. The motor template's V rotor in a slotted
// stator is another geometry (mesh::InteriorVMagnets, motor_rotors.cpp). Its
// error messages keep their "IPM V rotor" prefix (cases/build_mesh.cpp reads it).

#include <gmsh.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/gmsh_session.hpp"
#include "mesh/quality.hpp"
#include "mesh/templates.hpp"

namespace rotormag::mesh {

namespace {

const char* kOrigin = "IPM V rotor";
const double kPi = std::acos(-1.0);

struct Point2 {
  double x, y;
};

double radius(Point2 p) { return std::hypot(p.x, p.y); }

// Corners of magnet "a" of a pole lying on the +x axis, in order
// C0 (V tip, interior side), C1 (outer end, interior side), C2 (outer end,
// back side), C3 (V tip, back side).
struct MagnetOutline {
  Point2 corner[4];
};

MagnetOutline magnet_a_outline(const SlotlessVRotor& g) {
  const double alpha = 0.5 * g.v_angle_deg * kPi / 180.0;
  const Point2 along{std::cos(alpha), std::sin(alpha)};   // long side, outwards
  const Point2 back{-std::sin(alpha), std::cos(alpha)};   // away from the V interior
  const Point2 c0{g.rotor_outer_radius_m - g.magnet_depth_m, 0.5 * g.center_web_m};
  const double l = g.magnet_length_m, t = g.magnet_thickness_m;
  return {{c0,
           {c0.x + l * along.x, c0.y + l * along.y},
           {c0.x + l * along.x + t * back.x, c0.y + l * along.y + t * back.y},
           {c0.x + t * back.x, c0.y + t * back.y}}};
}

void reject(const char* parameter, const std::string& why) {
  throw MeshError(fmt::format("{}: {}: {}", kOrigin, parameter, why));
}

void validate(const SlotlessVRotor& g, const MeshingOptions& options) {
  if (g.poles < 2 || g.poles % 2 != 0) reject("poles", fmt::format("must be even and >= 2 (got {})", g.poles));
  if (!(g.airgap_m > 0)) reject("airgap_m", fmt::format("must be positive (got {})", g.airgap_m));
  if (!(g.rotor_outer_radius_m > 0)) reject("rotor_outer_radius_m", "must be positive");
  if (!(g.shaft_radius_m > 0 && g.shaft_radius_m < g.rotor_outer_radius_m))
    reject("shaft_radius_m", fmt::format("must lie in (0, rotor_outer_radius_m = {}) (got {})", g.rotor_outer_radius_m, g.shaft_radius_m));
  if (!(g.stator_outer_radius_m > g.rotor_outer_radius_m + g.airgap_m))
    reject("stator_outer_radius_m", "must exceed rotor_outer_radius_m + airgap_m");
  if (!(g.magnet_length_m > 0)) reject("magnet_length_m", "must be positive");
  if (!(g.magnet_thickness_m > 0)) reject("magnet_thickness_m", "must be positive");
  if (!(g.v_angle_deg > 0 && g.v_angle_deg < 180)) reject("v_angle_deg", fmt::format("must lie in (0, 180) (got {})", g.v_angle_deg));
  if (!(g.center_web_m > 0)) reject("center_web_m", "must be positive (the magnets of a pole must not touch)");
  if (!(g.bridge_m > 0)) reject("bridge_m", "must be positive");
  if (!(g.magnet_depth_m > 0 && g.magnet_depth_m < g.rotor_outer_radius_m))
    reject("magnet_depth_m", "must lie in (0, rotor_outer_radius_m)");
  if (g.airgap_element_size_m < 0 || g.airgap_element_size_m > 0.5 * g.airgap_m)
    reject("airgap_element_size_m", fmt::format("must be 0 (automatic) or at most airgap_m / 2 = {} for two element layers", 0.5 * g.airgap_m));
  if (g.magnet_element_size_m < 0) reject("magnet_element_size_m", "must be >= 0");
  if (!(g.size_grading > 0)) reject("size_grading", "must be positive");
  if (!(options.element_size_m > 0)) reject("MeshingOptions.element_size_m", "must be positive");

  const MagnetOutline m = magnet_a_outline(g);
  const double pocket_top = g.rotor_outer_radius_m - g.bridge_m;
  for (const Point2& c : m.corner)
    if (radius(c) >= pocket_top)
      reject("magnet_length_m", fmt::format("the magnet reaches r = {:.4g} m, outside the rotor less the bridge (r < {:.4g} m); "
                                            "shorten the magnet, increase magnet_depth_m or reduce bridge_m",
                                            radius(c), pocket_top));
  for (const Point2& c : m.corner)
    if (radius(c) <= g.shaft_radius_m || c.x <= 0)
      reject("magnet_depth_m", fmt::format("the magnet reaches the shaft (corner at r = {:.4g} m, shaft_radius_m = {:.4g} m)",
                                           radius(c), g.shaft_radius_m));
  // Each pole's magnets and pockets must stay inside its sector |angle| < pi/poles
  // (the pocket's outer corners share the angles of C1 and C2).
  const double half_pitch = kPi / g.poles;
  for (const Point2& c : m.corner)
    if (std::atan2(c.y, c.x) >= half_pitch)
      reject("magnet_length_m", fmt::format("magnets of neighbouring poles overlap (a corner lies {:.2f} deg from the pole axis, "
                                            "half pole pitch {:.2f} deg); shorten the magnets or reduce v_angle_deg",
                                            std::atan2(c.y, c.x) * 180 / kPi, half_pitch * 180 / kPi));
}

Point2 rotated(Point2 p, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  return {c * p.x - s * p.y, s * p.x + c * p.y};
}

int add_polygon_surface(const std::vector<Point2>& points) {
  std::vector<int> tags, lines;
  for (const Point2& p : points) tags.push_back(gmsh::model::occ::addPoint(p.x, p.y, 0));
  for (std::size_t i = 0; i < tags.size(); ++i) lines.push_back(gmsh::model::occ::addLine(tags[i], tags[(i + 1) % tags.size()]));
  return gmsh::model::occ::addPlaneSurface({gmsh::model::occ::addCurveLoop(lines)});
}

// Pocket at the outer end of a magnet: from the end face (p1, p2) radially out
// to the circle r = top, closed by an arc of that circle.
int add_pocket_surface(Point2 p1, Point2 p2, double top) {
  const Point2 q1{p1.x * top / radius(p1), p1.y * top / radius(p1)};
  const Point2 q2{p2.x * top / radius(p2), p2.y * top / radius(p2)};
  const int a = gmsh::model::occ::addPoint(p1.x, p1.y, 0), b = gmsh::model::occ::addPoint(q1.x, q1.y, 0);
  const int c = gmsh::model::occ::addPoint(q2.x, q2.y, 0), d = gmsh::model::occ::addPoint(p2.x, p2.y, 0);
  const int centre = gmsh::model::occ::addPoint(0, 0, 0);
  const std::vector<int> loop = {gmsh::model::occ::addLine(a, b), gmsh::model::occ::addCircleArc(b, centre, c),
                                 gmsh::model::occ::addLine(c, d), gmsh::model::occ::addLine(d, a)};
  return gmsh::model::occ::addPlaneSurface({gmsh::model::occ::addCurveLoop(loop)});
}

}  // namespace

Mesh build_slotless_v_rotor(const SlotlessVRotor& g, const MeshingOptions& options) {
  validate(g, options);
  const double alpha = 0.5 * g.v_angle_deg * kPi / 180.0;
  const double bore = g.rotor_outer_radius_m + g.airgap_m;
  const double h_core = options.element_size_m;
  const double h_gap = g.airgap_element_size_m > 0 ? g.airgap_element_size_m : 0.5 * g.airgap_m;
  const double h_magnet =
      std::max(h_gap, g.magnet_element_size_m > 0 ? g.magnet_element_size_m : std::min(h_core, g.magnet_thickness_m / 3));

  GmshSession session(kOrigin);
  session.run("building the geometry", [&] {
    gmsh::model::add("ipm_v_rotor");
    namespace occ = gmsh::model::occ;
    // Inputs from the least to the most specific; a fragment takes the label
    // of the most specific input that contains it.
    std::vector<std::string> labels = {"stator_core", "airgap", "rotor_core", "shaft"};
    gmsh::vectorpair inputs = {{2, occ::addDisk(0, 0, 0, g.stator_outer_radius_m, g.stator_outer_radius_m)},
                               {2, occ::addDisk(0, 0, 0, bore, bore)},
                               {2, occ::addDisk(0, 0, 0, g.rotor_outer_radius_m, g.rotor_outer_radius_m)},
                               {2, occ::addDisk(0, 0, 0, g.shaft_radius_m, g.shaft_radius_m)}};
    const MagnetOutline a = magnet_a_outline(g);
    for (int pole = 1; pole <= g.poles; ++pole) {
      const double axis = (pole - 1) * 2 * kPi / g.poles;
      for (int side : {+1, -1}) {  // +1: magnet a, -1: its mirror image b
        std::vector<Point2> corners;
        for (const Point2& c : a.corner) corners.push_back(rotated({c.x, side * c.y}, axis));
        inputs.emplace_back(2, add_polygon_surface(corners));
        labels.push_back(fmt::format("magnet_{}_{}", pole, side > 0 ? 'a' : 'b'));
        inputs.emplace_back(2, add_pocket_surface(corners[1], corners[2], g.rotor_outer_radius_m - g.bridge_m));
        labels.push_back("pocket");
      }
    }
    gmsh::vectorpair out;
    std::vector<gmsh::vectorpair> pieces;
    occ::fragment({inputs.front()}, gmsh::vectorpair(inputs.begin() + 1, inputs.end()), out, pieces);
    occ::synchronize();

    std::vector<std::string> label_of_surface;
    std::vector<int> surfaces;
    for (std::size_t i = 0; i < pieces.size(); ++i)
      for (const auto& [dim, tag] : pieces[i]) {
        if (dim != 2) continue;
        auto it = std::find(surfaces.begin(), surfaces.end(), tag);
        if (it == surfaces.end()) {
          surfaces.push_back(tag);
          label_of_surface.push_back(labels[i]);
        } else {
          label_of_surface[it - surfaces.begin()] = labels[i];  // later inputs are more specific
        }
      }

    // Physical groups in a stable order: shaft, rotor_core, magnets, pocket, airgap, stator_core.
    std::vector<std::string> order = {"shaft", "rotor_core"};
    for (int pole = 1; pole <= g.poles; ++pole)
      for (char side : {'a', 'b'}) order.push_back(fmt::format("magnet_{}_{}", pole, side));
    for (const char* name : {"pocket", "airgap", "stator_core"}) order.emplace_back(name);
    std::set<int> magnet_surfaces;
    for (const auto& name : order) {
      std::vector<int> group;
      for (std::size_t s = 0; s < surfaces.size(); ++s)
        if (label_of_surface[s] == name) group.push_back(surfaces[s]);
      if (group.empty()) throw MeshError(fmt::format("{}: region '{}' vanished while fragmenting the geometry", kOrigin, name));
      add_named_group(2, group, name);
      if (name == "pocket" || name.rfind("magnet_", 0) == 0) magnet_surfaces.insert(group.begin(), group.end());
    }
    const std::pair<const char*, double> circles[] = {{"stator_outer", g.stator_outer_radius_m},
                                                      {"shaft_surface", g.shaft_radius_m},
                                                      {"rotor_surface", g.rotor_outer_radius_m},
                                                      {"stator_bore", bore}};
    for (const auto& [name, r] : circles) {
      const auto curves = circle_curves(r);
      if (curves.size() != 1) throw MeshError(fmt::format("{}: found {} curves for boundary '{}' (expected 1)", kOrigin, curves.size(), name));
      add_named_group(1, curves, name);
    }

    // Sizes: h_gap in the gap, growing by size_grading per metre into both
    // cores up to the element size; h_magnet on magnets, pockets and their edges.
    gmsh::vectorpair magnet_closure, magnet_dimtags;
    for (int s : magnet_surfaces) magnet_dimtags.emplace_back(2, s);
    gmsh::model::getBoundary(magnet_dimtags, magnet_closure, false, false, true);
    gmsh::vectorpair curves_of_magnets;
    gmsh::model::getBoundary(magnet_dimtags, curves_of_magnets, false, false, false);
    std::set<std::pair<int, int>> fine(magnet_closure.begin(), magnet_closure.end());
    fine.insert(curves_of_magnets.begin(), curves_of_magnets.end());
    fine.insert(magnet_dimtags.begin(), magnet_dimtags.end());
    const double r_rotor = g.rotor_outer_radius_m, grading = g.size_grading;
    gmsh::model::mesh::setSizeCallback([=](int dim, int tag, double x, double y, double) {
      const double r = std::hypot(x, y);
      const double distance = r < r_rotor ? r_rotor - r : (r > bore ? r - bore : 0.0);
      double h = std::min(h_core, h_gap + grading * distance);
      if (fine.count({dim, std::abs(tag)})) h = std::min(h, h_magnet);
      return h;
    });
  });
  generate_mesh(session, options);
  Mesh mesh = session.run("reading the mesh", [&] { return extract_current_model(kOrigin, OrientationPolicy::flip_each); });

  // Magnetization: normal to the long side, towards the V interior (and the
  // gap) on N poles; in pole coordinates a: (sin a, -cos a), b: (sin a, cos a).
  for (int pole = 1; pole <= g.poles; ++pole) {
    const double axis = (pole - 1) * 2 * kPi / g.poles;
    const double flip = pole % 2 == 1 ? 0.0 : kPi;
    for (char side : {'a', 'b'}) {
      const double local = side == 'a' ? alpha - 0.5 * kPi : 0.5 * kPi - alpha;
      const double angle = axis + local + flip;
      auto& region = mesh.regions.at(mesh.find_region(fmt::format("magnet_{}_{}", pole, side)));
      region.magnetization = {MagnetizationKind::parallel, std::atan2(std::sin(angle), std::cos(angle)), 1.0};
    }
  }
  check_quality(mesh, kOrigin);
  return mesh;
}

}  // namespace rotormag::mesh

// build_motor: the parts of the stator and the rotor, fragmented into one
// conforming OCC model of the base sector (360/gcd(Q, 2p) degrees; one pole
// for a slotless stator, Q = 0), named,
// sized and meshed with periodic radial edges and an unmeshed band in the air
// gap whose two circles carry equally spaced nodes; then copied round to the
// requested sector or the whole machine (motor_sector.cpp).

#include <gmsh.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "mesh/extract.hpp"
#include "mesh/gmsh_session.hpp"
#include "mesh/motor_parts.hpp"
#include "mesh/quality.hpp"

namespace rotormag::mesh {

namespace motor {
namespace {

std::string mm(double metres) { return fmt::format("{:.4g} mm", metres * 1e3); }

struct Radii {
  double shaft, rotor_iron, rotor, band_inner, band_outer, bore, outer;
};

struct Sizes {
  double core, gap, band, grading;
  int band_divisions;  // per base sector
};

Radii radii_of(const MotorGeometry& g) {
  Radii r{};
  r.shaft = g.rotor.shaft_radius_m;
  r.rotor_iron = g.rotor.outer_radius_m;
  r.rotor = rotor_airgap_radius_m(g.rotor);
  r.bore = g.stator.bore_radius_m;
  r.outer = g.stator.outer_radius_m;
  const double gap = r.bore - r.rotor;
  r.band_inner = g.band_inner_radius_m > 0 ? g.band_inner_radius_m : r.rotor + gap / 3;
  r.band_outer = g.band_outer_radius_m > 0 ? g.band_outer_radius_m : r.rotor + 2 * gap / 3;
  return r;
}

void validate(const MotorGeometry& g, const MeshingOptions& options) {
  validate_rotor(g.rotor);
  validate_stator(g.stator);
  const Radii r = radii_of(g);
  if (!(r.bore > r.rotor))
    reject("stator.bore_radius_m", fmt::format("{} leaves no air gap: the rotor reaches r = {}{}", mm(r.bore), mm(r.rotor),
                                               g.rotor.kind == RotorKind::surface_magnet ? " (core plus magnets)" : ""));
  if (g.band_inner_radius_m < 0 || g.band_outer_radius_m < 0) reject("band_inner_radius_m", "must be >= 0 (0: automatic)");
  if (!(r.band_inner > r.rotor && r.band_outer > r.band_inner && r.bore > r.band_outer))
    reject(g.band_inner_radius_m > 0 ? "band_inner_radius_m" : "band_outer_radius_m",
           fmt::format("the band must lie inside the air gap: rotor radius {} < r1 = {} < r2 = {} < bore {}", mm(r.rotor),
                       mm(r.band_inner), mm(r.band_outer), mm(r.bore)));
  if (!(g.sector_deg > 0 && g.sector_deg <= 360)) reject("sector_deg", fmt::format("must lie in (0, 360] (got {})", g.sector_deg));
  const double slots = g.sector_deg * g.stator.slots / 360.0, poles = g.sector_deg * g.rotor.poles / 360.0;
  if (g.stator.slots > 0 && std::abs(slots - std::round(slots)) > 1e-9 * g.stator.slots)
    reject("sector_deg", fmt::format("{} deg does not hold a whole number of slots (slot pitch {:.6g} deg, {:.6g} slots)", g.sector_deg,
                                     360.0 / g.stator.slots, slots));
  if (std::abs(poles - std::round(poles)) > 1e-9 * g.rotor.poles)
    reject("sector_deg", fmt::format("{} deg does not hold a whole number of poles (pole pitch {:.6g} deg, {:.6g} poles)", g.sector_deg,
                                     360.0 / g.rotor.poles, poles));
  const auto& s = g.sizes;
  for (auto [name, value] : {std::pair{"sizes.band_element_size_m", s.band_element_size_m},
                             {"sizes.airgap_element_size_m", s.airgap_element_size_m},
                             {"sizes.magnet_element_size_m", s.magnet_element_size_m},
                             {"sizes.slot_element_size_m", s.slot_element_size_m}})
    if (!(value >= 0)) reject(name, fmt::format("must be >= 0 (0: automatic; got {})", value));
  if (!(s.size_grading > 0)) reject("sizes.size_grading", fmt::format("must be positive (got {})", s.size_grading));
  if (!(options.element_size_m > 0)) reject("MeshingOptions.element_size_m", fmt::format("must be positive (got {})", options.element_size_m));
}

namespace occ = gmsh::model::occ;

int add_outline(const Outline& outline) {
  std::vector<int> points, curves;
  gmsh::vectorpair centres;
  for (const auto& v : outline) points.push_back(occ::addPoint(v.p.x, v.p.y, 0));
  for (std::size_t i = 0; i < outline.size(); ++i) {
    const int next = points[(i + 1) % points.size()];
    if (outline[i].arc_to_next) {
      const int centre = occ::addPoint(outline[i].centre.x, outline[i].centre.y, 0);
      centres.emplace_back(0, centre);
      curves.push_back(occ::addCircleArc(points[i], centre, next));
    } else {
      curves.push_back(occ::addLine(points[i], next));
    }
  }
  const int surface = occ::addPlaneSurface({occ::addCurveLoop(curves)});
  occ::remove(centres);
  return surface;
}

// Surfaces of `surface` ∩ `tool`; removes `surface`, and `tool` if asked.
std::vector<int> intersect(int surface, int tool, bool remove_tool) {
  gmsh::vectorpair out;
  std::vector<gmsh::vectorpair> map;
  occ::intersect({{2, surface}}, {{2, tool}}, out, map, -1, true, remove_tool);
  std::vector<int> tags;
  for (const auto& [dim, tag] : out)
    if (dim == 2) tags.push_back(tag);
  return tags;
}

bool inside_sector(Point2 p, double angle, double tol) {
  return p.y >= -tol && std::cos(angle) * p.y - std::sin(angle) * p.x <= tol;
}

// A sampled curve: five points evenly spaced in its parameter.
std::vector<Point2> curve_points(int tag) {
  std::vector<double> lo, hi;
  gmsh::model::getParametrizationBounds(1, tag, lo, hi);
  std::vector<Point2> points;
  for (int k = 0; k <= 4; ++k) {
    std::vector<double> xyz;
    gmsh::model::getValue(1, tag, {lo[0] + (hi[0] - lo[0]) * k / 4.0}, xyz);
    points.push_back({xyz[0], xyz[1]});
  }
  return points;
}

struct Input {
  int surface;
  std::string label;
  int priority;
  double element_size_m;
};

// Builds the base sector in Gmsh, meshes it and returns it with hints.
Mesh mesh_base_sector(const MeshingOptions& options, const BaseSector& sector, const Radii& r, const Sizes& h,
                      const std::vector<Part>& parts) {
  GmshSession session(kOrigin);
  session.run("building the geometry", [&] {
    gmsh::model::add("motor");
    const double tol = 1e-9 * r.outer;
    int wedge = -1;
    if (!sector.full) {
      // A polygon (points at most 45 degrees apart) around the sector, beyond the outer radius.
      const int pieces = static_cast<int>(std::ceil(sector.angle_rad / (0.25 * kPi) - 1e-9));
      const double far = 1.5 * r.outer / std::cos(0.5 * sector.angle_rad / pieces);
      OutlineBuilder b({0, 0});
      for (int k = 0; k <= pieces; ++k) b.line_to(polar(far, sector.angle_rad * k / pieces));
      wedge = add_outline(b.close());
    }
    std::vector<Input> inputs;
    auto add = [&](int surface, bool clip, const std::string& label, int priority, double size) {
      for (int piece : clip && wedge >= 0 ? intersect(surface, wedge, false) : std::vector<int>{surface})
        inputs.push_back({piece, label, priority, size});
    };
    const std::pair<const char*, double> disks[] = {{"stator_core", r.outer},     {"airgap_stator", r.bore}, {"band", r.band_outer},
                                                    {"airgap_rotor", r.band_inner}, {"rotor_core", r.rotor_iron}, {"shaft", r.shaft}};
    const int disk_priority[] = {kStatorCore, kAirgapStator, kBand, kAirgapRotor, kRotorCore, kShaft};
    for (int i = 0; i < 6; ++i) add(occ::addDisk(0, 0, 0, disks[i].second, disks[i].second), true, disks[i].first, disk_priority[i], 0.0);
    for (const Part& part : parts) {
      int surface = add_outline(part.outline);
      if (part.clip) {
        const auto pieces = intersect(surface, add_outline(*part.clip), true);
        if (pieces.size() != 1)
          throw MeshError(fmt::format("{}: internal: splitting '{}' gave {} pieces", kOrigin, part.label, pieces.size()));
        surface = pieces[0];
      }
      bool crosses = false;
      for (Point2 p : sample(part.outline)) crosses = crosses || !inside_sector(p, sector.angle_rad, tol);
      add(surface, !sector.full && crosses, part.label, part.priority, part.element_size_m);
    }
    if (wedge >= 0) occ::remove({{2, wedge}}, false);  // its curves go with the orphans below

    // Fragment; each piece takes the label of its highest-priority input.
    std::stable_sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) { return a.priority < b.priority; });
    gmsh::vectorpair tools, out;
    for (std::size_t i = 1; i < inputs.size(); ++i) tools.emplace_back(2, inputs[i].surface);
    std::vector<gmsh::vectorpair> pieces;
    occ::fragment({{2, inputs[0].surface}}, tools, out, pieces);
    std::map<int, std::size_t> owner;  // surface -> input
    for (std::size_t i = 0; i < pieces.size() && i < inputs.size(); ++i)
      for (const auto& [dim, tag] : pieces[i])
        if (dim == 2) owner[tag] = i;  // inputs are sorted: later ones are more specific
    occ::synchronize();
    // Keep only the labelled fragments outside the band; then drop every curve
    // and point that bounds no surface (the band's radial edges, the wedge's
    // edges), so that nothing is meshed in the band.
    {
      gmsh::vectorpair surfaces, unwanted;
      gmsh::model::getEntities(surfaces, 2);
      for (const auto& [d, tag] : surfaces) {
        auto it = owner.find(tag);
        if (it == owner.end() || inputs[it->second].label == "band") unwanted.emplace_back(d, tag);
      }
      if (!unwanted.empty()) gmsh::model::removeEntities(unwanted, false);
    }
    for (int dim : {1, 0}) {
      gmsh::vectorpair entities, orphans;
      gmsh::model::getEntities(entities, dim);
      for (const auto& [d, tag] : entities) {
        std::vector<int> up, down;
        gmsh::model::getAdjacencies(d, tag, up, down);
        if (up.empty()) orphans.emplace_back(d, tag);
      }
      if (!orphans.empty()) gmsh::model::removeEntities(orphans, false);
    }

    std::vector<std::string> order;
    std::map<std::string, std::vector<int>> surfaces_of;
    std::map<std::pair<int, int>, double> fine;  // entity -> local size
    for (const Input& in : inputs)
      if (in.label != "band" && std::find(order.begin(), order.end(), in.label) == order.end()) order.push_back(in.label);
    for (const auto& [surface, i] : owner) {
      if (inputs[i].label == "band") continue;
      surfaces_of[inputs[i].label].push_back(surface);
      if (inputs[i].element_size_m <= 0) continue;
      gmsh::vectorpair closure = {{2, surface}}, curves, points;
      gmsh::model::getBoundary({{2, surface}}, curves, false, false, false);
      gmsh::model::getBoundary({{2, surface}}, points, false, false, true);
      closure.insert(closure.end(), curves.begin(), curves.end());
      closure.insert(closure.end(), points.begin(), points.end());
      for (auto [dim, tag] : closure) {
        auto [it, inserted] = fine.emplace(std::pair{dim, std::abs(tag)}, inputs[i].element_size_m);
        if (!inserted) it->second = std::min(it->second, inputs[i].element_size_m);
      }
    }
    for (const std::string& name : order) {
      auto it = surfaces_of.find(name);
      if (it == surfaces_of.end()) throw MeshError(fmt::format("{}: region '{}' vanished while fragmenting the geometry", kOrigin, name));
      add_named_group(2, it->second, name);
    }

    // Boundaries: circles by radius, sector edges by angle.
    std::map<std::string, std::vector<int>> groups;
    std::vector<std::pair<double, int>> start_curves, end_curves;
    gmsh::vectorpair curves;
    gmsh::model::getEntities(curves, 1);
    for (const auto& [dim, tag] : curves) {
      const std::vector<Point2> points = curve_points(tag);
      auto all = [&](auto&& pred) { return std::all_of(points.begin(), points.end(), pred); };
      for (auto [name, radius] : {std::pair{"band_rotor", r.band_inner}, {"band_stator", r.band_outer}, {"stator_outer", r.outer}})
        if (all([&, radius = radius](Point2 p) { return std::abs(norm(p) - radius) < tol; })) groups[name].push_back(tag);
      if (sector.full) continue;
      const double radius = norm(points[2]);
      const char* side = radius < r.band_inner ? "rotor" : "stator";
      const double a = sector.angle_rad;
      if (all([&](Point2 p) { return std::abs(p.y) < tol && p.x > -tol; })) {
        groups[fmt::format("sector_start_{}", side)].push_back(tag);
        start_curves.emplace_back(radius, tag);
      } else if (all([&](Point2 p) { return std::abs(std::cos(a) * p.y - std::sin(a) * p.x) < tol && std::cos(a) * p.x + std::sin(a) * p.y > -tol; })) {
        groups[fmt::format("sector_end_{}", side)].push_back(tag);
        end_curves.emplace_back(radius, tag);
      }
    }
    std::vector<const char*> names = {"band_rotor", "band_stator", "stator_outer"};
    if (!sector.full) names.insert(names.end(), {"sector_start_rotor", "sector_end_rotor", "sector_start_stator", "sector_end_stator"});
    for (const char* name : names) {
      if (groups[name].empty()) throw MeshError(fmt::format("{}: internal: found no curves for boundary '{}'", kOrigin, name));
      add_named_group(1, groups[name], name);
    }
    // N intervals: N + 1 nodes on an arc; on a closed circle Gmsh counts the
    // start point twice, so N + 1 gives N distinct nodes there too.
    for (const char* name : {"band_rotor", "band_stator"})
      for (int tag : groups[name]) gmsh::model::mesh::setTransfiniteCurve(tag, h.band_divisions + 1);

    if (!sector.full) {
      // End edge = start edge rotated by the sector angle, curve by curve.
      if (start_curves.size() != end_curves.size())
        throw MeshError(fmt::format("{}: internal: the sector's start edge has {} curves, its end edge {}", kOrigin, start_curves.size(),
                                    end_curves.size()));
      std::sort(start_curves.begin(), start_curves.end());
      std::sort(end_curves.begin(), end_curves.end());
      std::vector<int> masters, slaves;
      for (std::size_t i = 0; i < start_curves.size(); ++i) {
        if (std::abs(start_curves[i].first - end_curves[i].first) > tol)
          throw MeshError(fmt::format("{}: internal: sector edge curves at r = {} and {} do not match", kOrigin, start_curves[i].first,
                                      end_curves[i].first));
        masters.push_back(start_curves[i].second);
        slaves.push_back(end_curves[i].second);
      }
      const double c = std::cos(sector.angle_rad), s = std::sin(sector.angle_rad);
      gmsh::model::mesh::setPeriodic(1, slaves, masters, {c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
    }

    // Sizes: the gap size at the air gap, growing by the grading per metre
    // into both cores up to the element size; finer on magnets, pockets and slots.
    const double r_rotor = r.rotor, bore = r.bore;
    gmsh::model::mesh::setSizeCallback([=](int dim, int tag, double x, double y, double) {
      const double radius = std::hypot(x, y);
      const double distance = radius < r_rotor ? r_rotor - radius : (radius > bore ? radius - bore : 0.0);
      double size = std::min(h.core, h.gap + h.grading * distance);
      auto it = fine.find({dim, std::abs(tag)});
      if (it != fine.end()) size = std::min(size, it->second);
      return size;
    });
  });
  generate_mesh(session, options);
  Mesh mesh = session.run("reading the mesh", [&] { return extract_current_model(kOrigin, OrientationPolicy::flip_each); });
  for (const Part& part : parts) {
    if (part.magnetization.kind == MagnetizationKind::none) continue;
    const int region = mesh.find_region(part.label);
    if (region >= 0) mesh.regions[region].magnetization = part.magnetization;
  }
  return mesh;
}

}  // namespace
}  // namespace motor

double motor_base_sector_deg(const MotorGeometry& g) {
  // gcd(0, 2p) = 2p: a slotless stator repeats with every pole.
  const int q = std::max(0, g.stator.slots), p = std::max(1, g.rotor.poles);
  return 360.0 / std::gcd(q, p);
}

Mesh build_motor(const MotorGeometry& g, const MeshingOptions& options) {
  using namespace motor;
  validate(g, options);
  const Radii r = radii_of(g);
  // Slotless (Q = 0): gcd(0, 2p) = 2p, a base sector of one pole (no slots).
  const int symmetry = std::gcd(g.stator.slots, g.rotor.poles);
  BaseSector sector;
  sector.full = symmetry == 1;
  sector.angle_rad = 2 * kPi / symmetry;
  sector.slots = g.stator.slots / symmetry;
  sector.poles = g.rotor.poles / symmetry;
  const int copies = static_cast<int>(std::lround(g.sector_deg / 360.0 * symmetry));
  const bool full = std::abs(g.sector_deg - 360.0) < 1e-9;

  Sizes h{};
  h.core = options.element_size_m;
  h.band = g.sizes.band_element_size_m > 0 ? g.sizes.band_element_size_m : r.band_outer - r.band_inner;
  h.gap = g.sizes.airgap_element_size_m > 0 ? g.sizes.airgap_element_size_m : h.band;
  h.grading = g.sizes.size_grading;
  const double arc = sector.angle_rad * 0.5 * (r.band_inner + r.band_outer);
  h.band_divisions = std::max(sector.full ? 8 : 2, static_cast<int>(std::ceil(arc / h.band - 1e-9)));

  std::vector<Part> parts = stator_slot_parts(g.stator, sector, g.sizes.slot_element_size_m, h.core);
  for (Part& part : rotor_hole_parts(g.rotor, sector, g.sizes.magnet_element_size_m, h.core)) parts.push_back(std::move(part));

  Mesh base = mesh_base_sector(options, sector, r, h, parts);
  Mesh mesh = copies == 1 ? std::move(base) : replicate_sector(base, sector, copies, full && !sector.full, g.rotor.poles);
  sort_regions(mesh);
  check_quality(mesh, kOrigin);
  return mesh;
}

}  // namespace rotormag::mesh

// The rotor's magnets and air pockets for the four rotor kinds (surface
// magnets, interior V, interior bar, spoke). Each pole is built in pole
// coordinates (u along the pole axis, v across it, counter-clockwise
// positive; spokes: along their q-axis) and rotated into place. The rotor
// core, the shaft and the rotor-side air gap are the disks of
// motor_template.cpp; magnets and pockets lie on top of them.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mesh/motor_parts.hpp"

namespace rotormag::mesh::motor {

namespace {

std::string mm(double metres) { return fmt::format("{:.4g} mm", metres * 1e3); }

double half_pole_pitch(const RotorGeometry& r) { return kPi / r.poles; }

// Distance from p (pole coordinates, v >= 0) to the q-axis at +half pitch:
// half the width of the iron between p and its mirror image in the next pole.
double distance_to_q_axis(Point2 p, double half_pitch) { return p.x * std::sin(half_pitch) - p.y * std::cos(half_pitch); }

// The V hole of a pole, side a (v > 0), in pole coordinates; names after the
// geometry they describe (HoleM50 point names in brackets).
struct VHole {
  Point2 bottom;           // [Z8] V bottom: top edge meets the pole axis or the post
  Point2 top_end;          // [Z9] outer end of the top edge, on r = R - bridge
  Point2 along, into;      // unit vectors: along the top edge (outwards), and away from the air gap
  Point2 magnet[4];        // [Z8b, Z8c, Z4, Z5]: inner top, outer top, outer bottom, inner bottom
  Point2 wall_outer;       // [Z3] hole wall meets the magnet's outer end
  Point2 wall_inner;       // [Z6] hole wall meets the magnet's inner end
  Point2 wall_axis;        // [Z7] hole wall meets the pole axis (or the post)
  Point2 rib_top;          // [Z1] outer pocket's corner on the rib, on r = R - bridge
  Point2 rib_bottom;       // [Z2] rib wall meets the hole wall
};

VHole v_hole(const RotorGeometry& r) {
  const InteriorVMagnets& g = r.interior_v;
  const std::string p = "rotor.interior_v.";
  const double R = r.outer_radius_m, hp = half_pole_pitch(r);
  if (!(g.bridge_m > 0)) reject(p + "bridge_m", fmt::format("must be positive (got {})", g.bridge_m));
  const double r_top = R - g.bridge_m;
  if (!(r_top > r.shaft_radius_m)) reject(p + "bridge_m", fmt::format("{} leaves no rotor iron above the shaft", mm(g.bridge_m)));
  if (!(g.top_span_m > 0 && g.top_span_m < 2 * r_top))
    reject(p + "top_span_m", fmt::format("must lie in (0, 2 (R - bridge_m) = {}) (got {})", mm(2 * r_top), mm(g.top_span_m)));
  if (!(g.center_post_width_m >= 0 && g.center_post_width_m < g.top_span_m))
    reject(p + "center_post_width_m", fmt::format("must lie in [0, top_span_m) (got {})", mm(g.center_post_width_m)));
  if (!(g.magnet_length_m > 0)) reject(p + "magnet_length_m", fmt::format("must be positive (got {})", g.magnet_length_m));
  if (!(g.magnet_thickness_m > 0)) reject(p + "magnet_thickness_m", fmt::format("must be positive (got {})", g.magnet_thickness_m));
  if (!(g.magnet_recess_m >= 0 && g.magnet_recess_m < g.magnet_thickness_m))
    reject(p + "magnet_recess_m", fmt::format("must lie in [0, magnet_thickness_m) (got {})", mm(g.magnet_recess_m)));
  if (!(g.magnet_offset_m >= 0)) reject(p + "magnet_offset_m", fmt::format("must be >= 0 (got {})", g.magnet_offset_m));
  if (!(g.rib_width_m > 0)) reject(p + "rib_width_m", fmt::format("must be positive (got {})", g.rib_width_m));

  VHole h;
  h.bottom = {R - g.v_bottom_depth_m, 0.5 * g.center_post_width_m};
  h.top_end = {std::sqrt(r_top * r_top - 0.25 * g.top_span_m * g.top_span_m), 0.5 * g.top_span_m};
  if (!(g.v_bottom_depth_m > 0) || !(h.top_end.x - h.bottom.x > 1e-6))
    reject(p + "v_bottom_depth_m", fmt::format("the V bottom must lie deeper than the hole's outer ends (which are {} below the "
                                               "rotor surface on the pole axis; got {})",
                                               mm(R - h.top_end.x), mm(g.v_bottom_depth_m)));
  const Point2 edge = h.top_end - h.bottom;
  const double edge_length = norm(edge);
  h.along = (1.0 / edge_length) * edge;
  h.into = {-h.along.y, h.along.x};
  if (!(g.magnet_offset_m + g.magnet_length_m < edge_length - 1e-6))
    reject(p + "magnet_length_m", fmt::format("the magnet (magnet_offset_m + magnet_length_m = {}) does not fit along the hole's "
                                              "top edge ({} from the V bottom to the bridge)",
                                              mm(g.magnet_offset_m + g.magnet_length_m), mm(edge_length)));
  const double wall = g.magnet_thickness_m - g.magnet_recess_m;
  h.magnet[0] = h.bottom + g.magnet_offset_m * h.along;
  h.magnet[1] = h.magnet[0] + g.magnet_length_m * h.along;
  h.magnet[2] = h.magnet[1] + g.magnet_thickness_m * h.into;
  h.magnet[3] = h.magnet[0] + g.magnet_thickness_m * h.into;
  h.wall_outer = h.magnet[1] + wall * h.into;
  h.wall_inner = h.magnet[0] + wall * h.into;
  h.wall_axis = h.bottom + line_intersection(h.bottom, {-1, 0}, h.wall_inner, h.along) * Point2{-1, 0};

  const double rib_angle = hp - std::asin(std::min(1.0, 0.5 * g.rib_width_m / r_top));
  if (!(rib_angle > std::atan2(h.top_end.y, h.top_end.x) + 1e-6))
    reject(p + "rib_width_m", fmt::format("{} leaves no room at the bridge between the hole's outer end and the rib "
                                          "(reduce rib_width_m or top_span_m)",
                                          mm(g.rib_width_m)));
  h.rib_top = polar(r_top, rib_angle);
  const Point2 down_rib = polar(-1.0, hp);  // along the q-axis, inwards
  const double rib_wall = line_intersection(h.rib_top, down_rib, h.wall_outer, h.along);
  if (!(rib_wall > 1e-6))
    reject(p + "top_span_m", fmt::format("the outer pocket does not close inside the rotor: the hole wall ({} below the top edge) "
                                         "meets the rib's wall beyond the bridge; reduce top_span_m or rib_width_m",
                                         mm(wall)));
  h.rib_bottom = h.rib_top + rib_wall * down_rib;
  if (line_intersection(h.wall_outer, h.along, h.rib_top, down_rib) < 1e-6)
    reject(p + "rib_width_m", fmt::format("the rib between poles ({}) cuts into the magnet's end: shorten magnet_length_m or "
                                          "reduce rib_width_m",
                                          mm(g.rib_width_m)));
  return h;
}

// Checks shared by the interior rotors: hole points (pole coordinates, v >= 0
// side) below r_max, above the shaft by the thinnest iron, and clear of the
// neighbouring pole by a rib of at least the thinnest iron.
void check_hole_points(const RotorGeometry& r, const std::vector<Point2>& points, double r_max, const std::string& deep_parameter,
                       const std::string& wide_parameter, const std::string& outer_parameter) {
  const double hp = half_pole_pitch(r);
  for (const Point2& q : points) {
    if (norm(q) > r_max * (1 + 1e-12))
      reject(outer_parameter, fmt::format("the hole reaches r = {}, outside r = {} (the rotor surface less the bridge)", mm(norm(q)),
                                          mm(r_max)));
    if (norm(q) < r.shaft_radius_m + kMinIronWidth_m)
      reject(deep_parameter, fmt::format("the hole reaches r = {}, within {} of the shaft (shaft_radius_m = {})", mm(norm(q)),
                                         mm(kMinIronWidth_m), mm(r.shaft_radius_m)));
    if (q.y >= 0 && 2 * distance_to_q_axis(q, hp) < kMinIronWidth_m)
      reject(wide_parameter, fmt::format("the holes of neighbouring poles overlap or leave less than {} of iron between them "
                                         "(at r = {})",
                                         mm(kMinIronWidth_m), mm(norm(q))));
  }
}

MagnetizationHint parallel(double angle) { return {MagnetizationKind::parallel, std::atan2(std::sin(angle), std::cos(angle)), 1.0}; }

// --- surface magnets ---------------------------------------------------------

Outline surface_magnet(const RotorGeometry& r) {
  const double rr = r.outer_radius_m, rm = rr + r.surface.magnet_thickness_m;
  const double beta = r.surface.pole_arc_ratio * half_pole_pitch(r);
  return OutlineBuilder(polar(rr, -beta)).line_to(polar(rm, -beta)).arc_to(polar(rm, beta), {0, 0}).line_to(polar(rr, beta)).close_arc({0, 0});
}

// --- interior bar --------------------------------------------------------------

struct BarOutlines {
  Outline magnet, pocket_a;  // pocket b is the mirror image
};

BarOutlines bar_outlines(const RotorGeometry& r) {
  const InteriorBar& g = r.interior_bar;
  const std::string p = "rotor.interior_bar.";
  if (!(g.magnet_width_m > 0)) reject(p + "magnet_width_m", fmt::format("must be positive (got {})", g.magnet_width_m));
  if (!(g.magnet_thickness_m > 0)) reject(p + "magnet_thickness_m", fmt::format("must be positive (got {})", g.magnet_thickness_m));
  if (!(g.bridge_m > 0)) reject(p + "bridge_m", fmt::format("must be positive (got {})", g.bridge_m));
  if (!(g.magnet_depth_m > g.bridge_m))
    reject(p + "magnet_depth_m", fmt::format("must exceed bridge_m = {} (got {})", mm(g.bridge_m), mm(g.magnet_depth_m)));
  const double r_top = r.outer_radius_m - g.bridge_m;
  const double u_top = r.outer_radius_m - g.magnet_depth_m, u_bottom = u_top - g.magnet_thickness_m;
  const double w = 0.5 * g.magnet_width_m;
  const double v_top = std::sqrt(std::max(0.0, r_top * r_top - u_top * u_top));
  if (!(v_top > w + 1e-6))
    reject(p + "magnet_width_m", fmt::format("the magnet's outer corners (r = {}) reach the bridge circle r = R - bridge_m = {}: "
                                             "make it narrower or deeper",
                                             mm(std::hypot(u_top, w)), mm(r_top)));
  if (!(u_bottom > 0)) reject(p + "magnet_depth_m", "the magnet reaches the rotor centre");
  const double v_bottom = std::sqrt(r_top * r_top - u_bottom * u_bottom);
  BarOutlines o;
  o.magnet = rectangle(u_bottom, u_top, -w, w);
  o.pocket_a = OutlineBuilder({u_bottom, w}).line_to({u_bottom, v_bottom}).arc_to({u_top, v_top}, {0, 0}).line_to({u_top, w}).close();
  return o;
}

// --- spoke -----------------------------------------------------------------------

struct SpokeOutlines {
  Outline magnet;
  std::optional<Outline> pocket;
};

// In q-axis coordinates (u along the spoke's centre line).
SpokeOutlines spoke_outlines(const RotorGeometry& r) {
  const Spoke& g = r.spoke;
  const std::string p = "rotor.spoke.";
  const double R = r.outer_radius_m, w = 0.5 * g.magnet_width_m;
  if (!(g.magnet_width_m > 0 && w < 0.5 * R)) reject(p + "magnet_width_m", fmt::format("must lie in (0, R) (got {})", mm(g.magnet_width_m)));
  if (!(g.magnet_length_m > 0)) reject(p + "magnet_length_m", fmt::format("must be positive (got {})", g.magnet_length_m));
  if (!(g.inner_pocket_depth_m >= 0)) reject(p + "inner_pocket_depth_m", fmt::format("must be >= 0 (got {})", g.inner_pocket_depth_m));
  SpokeOutlines o;
  double u_inner;
  if (g.open_to_airgap) {
    const double u_corner = std::sqrt(R * R - w * w);
    u_inner = R - g.magnet_length_m;
    if (!(u_inner < u_corner - 1e-6))
      reject(p + "magnet_length_m", fmt::format("must exceed the rotor surface's sagitta over the magnet width ({})", mm(R - u_corner)));
    o.magnet = OutlineBuilder({u_inner, -w}).line_to({u_corner, -w}).arc_to({u_corner, w}, {0, 0}).line_to({u_inner, w}).close();
  } else {
    if (!(g.bridge_m > 0)) reject(p + "bridge_m", fmt::format("must be positive unless open_to_airgap (got {})", g.bridge_m));
    const double r_top = R - g.bridge_m;
    if (!(r_top > w)) reject(p + "bridge_m", fmt::format("{} leaves no room for the magnet", mm(g.bridge_m)));
    const double u_outer = std::sqrt(r_top * r_top - w * w);
    u_inner = u_outer - g.magnet_length_m;
    o.magnet = rectangle(u_inner, u_outer, -w, w);
  }
  const double u_lowest = u_inner - g.inner_pocket_depth_m;
  if (!(u_lowest >= r.shaft_radius_m + kMinIronWidth_m))
    reject(g.inner_pocket_depth_m > 0 ? p + "inner_pocket_depth_m" : p + "magnet_length_m",
           fmt::format("the spoke's inner end (r = {}) is within {} of the hub (shaft_radius_m = {})", mm(u_lowest), mm(kMinIronWidth_m),
                       mm(r.shaft_radius_m)));
  if (g.inner_pocket_depth_m > 0) o.pocket = rectangle(u_lowest, u_inner, -w, w);
  // The iron pole between two spokes is symmetric about the pole axis at half a pole pitch.
  const double hp = half_pole_pitch(r);
  for (const Point2& q : sample(o.pocket ? *o.pocket : o.magnet))
    if (q.y > 0 && 2 * distance_to_q_axis(q, hp) < kMinIronWidth_m)
      reject(p + "magnet_width_m", fmt::format("neighbouring spokes leave an iron pole of {} at r = {} (at least {})",
                                               mm(2 * distance_to_q_axis(q, hp)), mm(norm(q)), mm(kMinIronWidth_m)));
  return o;
}

}  // namespace

void validate_rotor(const RotorGeometry& r) {
  if (r.poles < 2 || r.poles % 2 != 0) reject("rotor.poles", fmt::format("must be even and >= 2 (got {})", r.poles));
  if (!(r.outer_radius_m > 0)) reject("rotor.outer_radius_m", fmt::format("must be positive (got {})", r.outer_radius_m));
  if (!(r.shaft_radius_m > 0 && r.shaft_radius_m < r.outer_radius_m))
    reject("rotor.shaft_radius_m", fmt::format("must lie in (0, outer_radius_m = {}) (got {})", mm(r.outer_radius_m), mm(r.shaft_radius_m)));
  switch (r.kind) {
    case RotorKind::surface_magnet: {
      const auto& g = r.surface;
      if (!(g.magnet_thickness_m > 0)) reject("rotor.surface.magnet_thickness_m", fmt::format("must be positive (got {})", g.magnet_thickness_m));
      if (!(g.pole_arc_ratio > 0 && g.pole_arc_ratio <= 1))
        reject("rotor.surface.pole_arc_ratio", fmt::format("must lie in (0, 1] (got {})", g.pole_arc_ratio));
      break;
    }
    case RotorKind::interior_v: {
      const VHole h = v_hole(r);
      const InteriorVMagnets& g = r.interior_v;
      const double r_top = r.outer_radius_m - g.bridge_m;
      std::vector<Point2> points(std::begin(h.magnet), std::end(h.magnet));
      for (Point2 q : {h.wall_axis, h.rib_bottom, h.rib_top, h.top_end}) points.push_back(q);
      check_hole_points(r, points, r_top, "rotor.interior_v.v_bottom_depth_m", "rotor.interior_v.magnet_length_m",
                        "rotor.interior_v.magnet_length_m");
      break;
    }
    case RotorKind::interior_bar: {
      const BarOutlines o = bar_outlines(r);
      std::vector<Point2> points = sample(o.magnet);
      for (Point2 q : sample(o.pocket_a)) points.push_back(q);
      check_hole_points(r, points, r.outer_radius_m - r.interior_bar.bridge_m, "rotor.interior_bar.magnet_depth_m",
                        "rotor.interior_bar.magnet_depth_m", "rotor.interior_bar.magnet_width_m");
      break;
    }
    case RotorKind::spoke:
      spoke_outlines(r);
      break;
  }
}

std::vector<Part> rotor_hole_parts(const RotorGeometry& r, const BaseSector& sector, double magnet_element_size_m, double core_size_m) {
  std::vector<Part> parts;
  const double pitch = 2 * half_pole_pitch(r);
  auto size_for = [&](double thinnest) {
    return magnet_element_size_m > 0 ? magnet_element_size_m : std::min(core_size_m, thinnest / 3);
  };
  if (r.kind == RotorKind::spoke) {
    const SpokeOutlines o = spoke_outlines(r);
    const double h = size_for(std::min(r.spoke.magnet_width_m, r.spoke.magnet_length_m));
    // Spoke k on the q-axis at k * pitch; a proper sector holds spokes 0..poles,
    // the first and last cut in half by its edges.
    const int first = sector.full ? 1 : 0, last = sector.full ? r.poles : sector.poles;
    for (int k = first; k <= last; ++k) {
      const double angle = k * pitch;
      // Magnetization along +e_theta for even k, -e_theta for odd k: both
      // spokes beside pole k (between spokes k-1 and k) point into it when k is odd.
      const double direction = angle + (k % 2 == 0 ? 0.5 * kPi : -0.5 * kPi);
      parts.push_back({rotated(o.magnet, angle), std::nullopt, fmt::format("magnet_{}", k), kRotorHole, h, parallel(direction)});
      if (o.pocket) parts.push_back({rotated(*o.pocket, angle), std::nullopt, "pocket", kRotorHole, h, {}});
    }
    return parts;
  }
  for (int pole = 1; pole <= sector.poles; ++pole) {
    const double axis = (pole - 0.5) * pitch;
    const double polarity = pole % 2 == 1 ? 0.0 : kPi;  // N: along the outward direction; S: reversed
    const std::string name = fmt::format("magnet_{}", pole);
    switch (r.kind) {
      case RotorKind::surface_magnet: {
        const MagnetizationHint hint = r.surface.magnetization == SurfaceMagnetization::radial
                                           ? MagnetizationHint{MagnetizationKind::radial, 0.0, pole % 2 == 1 ? 1.0 : -1.0}
                                           : parallel(axis + polarity);
        parts.push_back({rotated(surface_magnet(r), axis), std::nullopt, name, kRotorHole, size_for(r.surface.magnet_thickness_m), hint});
        break;
      }
      case RotorKind::interior_v: {
        const VHole h = v_hole(r);
        const double size = size_for(std::min(r.interior_v.magnet_thickness_m, r.interior_v.magnet_length_m));
        const Outline magnet = OutlineBuilder(h.magnet[0]).line_to(h.magnet[1]).line_to(h.magnet[2]).line_to(h.magnet[3]).close();
        const Outline outer = OutlineBuilder(h.rib_top)
                                  .line_to(h.rib_bottom)
                                  .line_to(h.wall_outer)
                                  .line_to(h.magnet[1])
                                  .line_to(h.top_end)
                                  .close_arc({0, 0});
        const Outline inner = OutlineBuilder(h.bottom).line_to(h.magnet[0]).line_to(h.wall_inner).line_to(h.wall_axis).close();
        // Magnetization normal to the long side, towards the air-gap side
        // (-into) on N poles: side a (-into) = (along.y, -along.x); side b mirrored.
        const double angle_a = std::atan2(-h.along.x, h.along.y), angle_b = std::atan2(h.along.x, h.along.y);
        parts.push_back({rotated(magnet, axis), std::nullopt, name + "_a", kRotorHole, size, parallel(axis + angle_a + polarity)});
        parts.push_back({rotated(mirrored_v(magnet), axis), std::nullopt, name + "_b", kRotorHole, size, parallel(axis + angle_b + polarity)});
        for (const Outline* pocket : {&outer, &inner}) {
          parts.push_back({rotated(*pocket, axis), std::nullopt, "pocket", kRotorHole, size, {}});
          parts.push_back({rotated(mirrored_v(*pocket), axis), std::nullopt, "pocket", kRotorHole, size, {}});
        }
        break;
      }
      case RotorKind::interior_bar: {
        const BarOutlines o = bar_outlines(r);
        const double size = size_for(std::min(r.interior_bar.magnet_thickness_m, r.interior_bar.magnet_width_m));
        parts.push_back({rotated(o.magnet, axis), std::nullopt, name, kRotorHole, size, parallel(axis + polarity)});
        parts.push_back({rotated(o.pocket_a, axis), std::nullopt, "pocket", kRotorHole, size, {}});
        parts.push_back({rotated(mirrored_v(o.pocket_a), axis), std::nullopt, "pocket", kRotorHole, size, {}});
        break;
      }
      case RotorKind::spoke:
        break;
    }
  }
  if (r.kind == RotorKind::surface_magnet && r.surface.pole_arc_ratio < 1) {
    // The air between neighbouring magnets, centred on the q-axes k * pitch
    // (those on the edges of a sector are clipped by it): part of
    // "airgap_rotor", but meshed on its own so that the arc r = Rm between
    // the magnets is a mesh edge and no triangle straddles it.
    const double rr = r.outer_radius_m, rm = rr + r.surface.magnet_thickness_m;
    const double half_gap = (1 - r.surface.pole_arc_ratio) * half_pole_pitch(r);
    const Outline gap = OutlineBuilder(polar(rr, -half_gap))
                            .line_to(polar(rm, -half_gap))
                            .arc_to(polar(rm, half_gap), {0, 0})
                            .line_to(polar(rr, half_gap))
                            .close_arc({0, 0});
    const int first = sector.full ? 1 : 0, last = sector.full ? r.poles : sector.poles;
    for (int k = first; k <= last; ++k)
      parts.push_back({rotated(gap, k * pitch), std::nullopt, "airgap_rotor", kRotorHole, size_for(r.surface.magnet_thickness_m), {}});
  }
  return parts;
}

}  // namespace rotormag::mesh::motor

namespace rotormag::mesh {
double rotor_airgap_radius_m(const RotorGeometry& r) {
  return r.outer_radius_m + (r.kind == RotorKind::surface_magnet ? r.surface.magnet_thickness_m : 0.0);
}
}  // namespace rotormag::mesh

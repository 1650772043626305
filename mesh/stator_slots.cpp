// The stator's slots: semi-closed (air opening and wedge, conductor body with
// rounded bottom corners) or open rectangular, one or two winding layers.
// Shapes are built in slot coordinates (u outwards along the slot centre
// line, v across it, counter-clockwise positive) and rotated into place; the
// stator core and the bore come from the disks in motor_template.cpp. A
// slotless stator (slots = 0) has no parts here: it is that core ring alone.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "mesh/motor_parts.hpp"

namespace rotormag::mesh::motor {

namespace {

const double kMm = 1e3;  // metres -> millimetres, for messages

// The slot's key coordinates in slot coordinates.
struct SlotLayout {
  // Semi-closed: opening from the bore corners (u_corner) to u_opening_top,
  // wedge to u_body_top, straight sides to u_straight_end, bottom at u_bottom.
  // Open: conductor from the bore corners (u_corner) to u_bottom.
  double u_corner = 0, u_opening_top = 0, u_body_top = 0, u_straight_end = 0, u_bottom = 0;
  double max_half_width = 0;
};

SlotLayout layout_of(const StatorGeometry& s) {
  SlotLayout l;
  const double rb = s.bore_radius_m;
  if (s.slot_shape == SlotShape::semi_closed) {
    const auto& g = s.semi_closed;
    l.u_corner = std::sqrt(rb * rb - 0.25 * g.opening_width_m * g.opening_width_m);
    l.u_opening_top = l.u_corner + g.opening_depth_m;
    l.u_body_top = l.u_opening_top + g.wedge_depth_m;
    l.u_bottom = l.u_body_top + g.body_depth_m;
    l.u_straight_end = l.u_bottom - g.bottom_fillet_radius_m;
    l.max_half_width = 0.5 * std::max({g.opening_width_m, g.top_width_m, g.bottom_width_m});
  } else {
    const auto& g = s.open;
    l.u_corner = std::sqrt(rb * rb - 0.25 * g.width_m * g.width_m);
    l.u_opening_top = l.u_body_top = l.u_corner;
    l.u_bottom = l.u_straight_end = l.u_corner + g.depth_m;
    l.max_half_width = 0.5 * g.width_m;
  }
  return l;
}

// Air opening and wedge of a semi-closed slot (bottom edge: the bore arc).
Outline opening_outline(const StatorGeometry& s, const SlotLayout& l) {
  const auto& g = s.semi_closed;
  const double w0 = 0.5 * g.opening_width_m, wt = 0.5 * g.top_width_m;
  OutlineBuilder b({l.u_corner, -w0});
  b.line_to({l.u_opening_top, -w0});
  if (g.wedge_depth_m > 0) b.line_to({l.u_body_top, -wt}).line_to({l.u_body_top, wt});  // no wedge: the body's top edge is wider
  return b.line_to({l.u_opening_top, w0}).line_to({l.u_corner, w0}).close_arc({0, 0});
}

// Conductor body.
Outline body_outline(const StatorGeometry& s, const SlotLayout& l) {
  if (s.slot_shape == SlotShape::open_rectangular) {
    const double w = 0.5 * s.open.width_m;
    return OutlineBuilder({l.u_corner, -w}).line_to({l.u_bottom, -w}).line_to({l.u_bottom, w}).line_to({l.u_corner, w}).close_arc({0, 0});
  }
  const auto& g = s.semi_closed;
  const double wt = 0.5 * g.top_width_m, wb = 0.5 * g.bottom_width_m, rf = g.bottom_fillet_radius_m;
  return OutlineBuilder({l.u_body_top, -wt})
      .line_to({l.u_straight_end, -wb})
      .arc_to({l.u_bottom, -wb + rf}, {l.u_straight_end, -wb + rf})
      .line_to({l.u_bottom, wb - rf})
      .arc_to({l.u_straight_end, wb}, {l.u_straight_end, wb - rf})
      .line_to({l.u_body_top, wt})
      .close();
}

// Area of a semi-closed slot body from its top down to depth t.
double semi_closed_area_to_depth(const SemiClosedSlot& g, double t) {
  const double wt = g.top_width_m, wb = g.bottom_width_m, rf = g.bottom_fillet_radius_m;
  const double straight = g.body_depth_m - rf;
  const double ts = std::min(t, straight);
  double a = wt * ts + (wb - wt) * ts * ts / (2 * straight);
  if (t > straight) {
    const double x = std::min(t - straight, rf);
    a += (wb - 2 * rf) * x + x * std::sqrt(std::max(0.0, rf * rf - x * x)) + rf * rf * std::asin(rf > 0 ? x / rf : 0.0);
  }
  return a;
}

// u of the radial split line that gives both layers the same area.
double radial_split_u(const StatorGeometry& s, const SlotLayout& l) {
  if (s.slot_shape == SlotShape::open_rectangular) {
    // Conductor: |v| < w/2, r > bore, u < u_bottom. With the bore segment
    // (between the chord u = u_corner and the arc) of area seg, the layer near
    // the gap, u_corner < u < u_corner + t, has area w t - seg.
    const double w = s.open.width_m, rb = s.bore_radius_m;
    const double half_angle = std::asin(0.5 * w / rb);
    const double seg = rb * rb * half_angle - 0.5 * w * l.u_corner;
    return l.u_corner + (w * s.open.depth_m + seg) / (2 * w);
  }
  const auto& g = s.semi_closed;
  const double half = 0.5 * semi_closed_area_to_depth(g, g.body_depth_m);
  double lo = 0, hi = g.body_depth_m;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (semi_closed_area_to_depth(g, mid) < half ? lo : hi) = mid;
  }
  return l.u_body_top + 0.5 * (lo + hi);
}

std::string mm(double metres) { return fmt::format("{:.4g} mm", metres * kMm); }

// Thinnest tooth: the tooth between two slots is symmetric about the radial
// line at half a slot pitch from the slot centre, so its width at a slot
// boundary point P is twice P's distance to that line.
void check_teeth(const StatorGeometry& s, const std::vector<std::pair<std::vector<Point2>, std::string>>& pieces) {
  const double half_pitch = kPi / s.slots;
  for (const auto& [points, parameter] : pieces)
    for (const Point2& p : points) {
      if (p.y < 0) continue;  // symmetric
      const double tooth = 2 * (p.x * std::sin(half_pitch) - p.y * std::cos(half_pitch));
      if (tooth < kMinIronWidth_m)
        reject(parameter, fmt::format("the slots are too wide for the slot pitch ({:.4g} deg): the tooth between two slots is {} "
                                      "at r = {} (at least {}); make the slot narrower or use fewer slots",
                                      360.0 / s.slots, mm(tooth), mm(norm(p)), mm(kMinIronWidth_m)));
    }
}

}  // namespace

void validate_stator(const StatorGeometry& s) {
  if (s.slots != 0 && s.slots < 2) reject("stator.slots", fmt::format("must be at least 2, or 0 for a slotless stator (got {})", s.slots));
  if (!(s.bore_radius_m > 0)) reject("stator.bore_radius_m", fmt::format("must be positive (got {})", s.bore_radius_m));
  if (!(s.outer_radius_m > s.bore_radius_m))
    reject("stator.outer_radius_m", fmt::format("must exceed bore_radius_m = {} (got {})", mm(s.bore_radius_m), mm(s.outer_radius_m)));
  if (s.slots == 0) return;  // slotless: a plain ring, the slot fields are not used
  if (s.winding_layers != 1 && s.winding_layers != 2)
    reject("stator.winding_layers", fmt::format("must be 1 or 2 (got {})", s.winding_layers));

  std::vector<std::pair<std::vector<Point2>, std::string>> pieces;
  const SlotLayout l = layout_of(s);
  if (s.slot_shape == SlotShape::semi_closed) {
    const auto& g = s.semi_closed;
    const std::string p = "stator.semi_closed.";
    if (!(g.opening_width_m > 0)) reject(p + "opening_width_m", fmt::format("must be positive (got {})", g.opening_width_m));
    if (!(g.opening_width_m < s.bore_radius_m)) reject(p + "opening_width_m", "must be smaller than the bore radius");
    if (!(g.opening_depth_m > 0)) reject(p + "opening_depth_m", fmt::format("must be positive (the tooth tips need a thickness; got {})", g.opening_depth_m));
    if (!(g.wedge_depth_m >= 0)) reject(p + "wedge_depth_m", fmt::format("must be >= 0 (got {})", g.wedge_depth_m));
    if (!(g.top_width_m > 0)) reject(p + "top_width_m", fmt::format("must be positive (got {})", g.top_width_m));
    if (!(g.bottom_width_m > 0)) reject(p + "bottom_width_m", fmt::format("must be positive (got {})", g.bottom_width_m));
    if (!(g.body_depth_m > 0)) reject(p + "body_depth_m", fmt::format("must be positive (got {})", g.body_depth_m));
    if (g.opening_width_m > g.top_width_m)
      reject(p + "opening_width_m", fmt::format("{} is wider than top_width_m = {} (the opening must not overhang the slot body)",
                                                mm(g.opening_width_m), mm(g.top_width_m)));
    if (!(g.bottom_fillet_radius_m >= 0 && g.bottom_fillet_radius_m <= 0.5 * g.bottom_width_m * (1 + 1e-12)))
      reject(p + "bottom_fillet_radius_m", fmt::format("must lie in [0, bottom_width_m / 2 = {}] (got {})", mm(0.5 * g.bottom_width_m),
                                                       mm(g.bottom_fillet_radius_m)));
    if (!(g.bottom_fillet_radius_m < g.body_depth_m))
      reject(p + "bottom_fillet_radius_m", fmt::format("{} is too large: it must be smaller than body_depth_m = {}",
                                                       mm(g.bottom_fillet_radius_m), mm(g.body_depth_m)));
    pieces.emplace_back(sample(opening_outline(s, l)), p + "opening_width_m");
    std::vector<Point2> top, bottom;
    for (const Point2& q : sample(body_outline(s, l)))
      (q.x < 0.5 * (l.u_body_top + l.u_straight_end) ? top : bottom).push_back(q);
    pieces.emplace_back(top, p + "top_width_m");
    pieces.emplace_back(bottom, p + "bottom_width_m");
  } else {
    const auto& g = s.open;
    const std::string p = "stator.open.";
    if (!(g.width_m > 0)) reject(p + "width_m", fmt::format("must be positive (got {})", g.width_m));
    if (!(g.width_m < s.bore_radius_m)) reject(p + "width_m", "must be smaller than the bore radius");
    const double sagitta = s.bore_radius_m - l.u_corner;
    if (!(g.depth_m > 4 * sagitta))
      reject(p + "depth_m", fmt::format("must exceed 4x the bore's sagitta over the slot width ({}; got {})", mm(4 * sagitta), mm(g.depth_m)));
    pieces.emplace_back(sample(body_outline(s, l)), p + "width_m");
  }
  check_teeth(s, pieces);

  double deepest = 0;
  for (const auto& piece : pieces)
    for (const Point2& q : piece.first) deepest = std::max(deepest, norm(q));
  const double yoke = s.outer_radius_m - deepest;
  if (yoke < kMinYoke_m)
    reject(s.slot_shape == SlotShape::semi_closed ? "stator.semi_closed.body_depth_m" : "stator.open.depth_m",
           fmt::format("the slot bottom reaches r = {}, leaving a yoke of {} below outer_radius_m = {} (at least {})", mm(deepest),
                       mm(yoke), mm(s.outer_radius_m), mm(kMinYoke_m)));
}

std::vector<Part> stator_slot_parts(const StatorGeometry& s, const BaseSector& sector, double slot_element_size_m,
                                    double core_size_m) {
  if (s.slots == 0) return {};  // slotless: the stator is the core disk of motor_template.cpp alone
  const SlotLayout l = layout_of(s);
  double narrowest = s.slot_shape == SlotShape::semi_closed ? std::min(s.semi_closed.top_width_m, s.semi_closed.bottom_width_m)
                                                            : s.open.width_m;
  const double h_slot = slot_element_size_m > 0 ? slot_element_size_m : std::min(core_size_m, narrowest / 3);
  const Outline body = body_outline(s, l);
  std::optional<Outline> opening;
  double h_opening = h_slot;
  if (s.slot_shape == SlotShape::semi_closed) {
    opening = opening_outline(s, l);
    const auto& g = s.semi_closed;
    h_opening = std::min(h_slot, 0.5 * std::min(g.opening_width_m, g.opening_depth_m + g.wedge_depth_m));
  }
  // Layer 2 = body ∩ clip (u beyond the equal-area line, or v > 0).
  std::optional<Outline> clip;
  if (s.winding_layers == 2) {
    const double margin = 0.1 * (l.u_bottom - l.u_corner) + 1e-4;
    const double w = 2 * l.max_half_width + margin;
    clip = s.layer_split == LayerSplit::radial ? rectangle(radial_split_u(s, l), l.u_bottom + margin, -w, w)
                                               : rectangle(l.u_corner - margin, l.u_bottom + margin, 0.0, w);
  }
  std::vector<Part> parts;
  for (int slot = 1; slot <= sector.slots; ++slot) {
    const double angle = (slot - 0.5) * 2 * kPi / s.slots;
    if (opening) parts.push_back({rotated(*opening, angle), std::nullopt, "slot_opening", kSlot, h_opening, {}});
    parts.push_back({rotated(body, angle), std::nullopt, fmt::format("coil_{}_1", slot), kSlot, h_slot, {}});
    if (clip) parts.push_back({rotated(body, angle), rotated(*clip, angle), fmt::format("coil_{}_2", slot), kSlotLayer2, h_slot, {}});
  }
  return parts;
}

}  // namespace rotormag::mesh::motor

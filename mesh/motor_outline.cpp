// Plane outlines (straight edges and circular arcs) for the motor template's
// parts, and the template's error helper.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mesh/motor_parts.hpp"

namespace rotormag::mesh::motor {

const char* const kOrigin = "motor template";

void reject(const std::string& parameter, const std::string& why) {
  throw MeshError(fmt::format("{}: {}: {}", kOrigin, parameter, why));
}

double norm(Point2 p) { return std::hypot(p.x, p.y); }

Point2 rotated(Point2 p, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  return {c * p.x - s * p.y, s * p.x + c * p.y};
}

Point2 polar(double r, double angle) { return {r * std::cos(angle), r * std::sin(angle)}; }

double line_intersection(Point2 p, Point2 d, Point2 q, Point2 e) {
  // p + s d = q + t e  ->  s (d x e) = (q - p) x e
  const double cross = d.x * e.y - d.y * e.x;
  const Point2 w = q - p;
  return (w.x * e.y - w.y * e.x) / cross;
}

namespace {
// Edges shorter than this are dropped (degenerate parameters).
constexpr double kSameVertex_m = 1e-10;
}  // namespace

OutlineBuilder& OutlineBuilder::line_to(Point2 p) {
  if (norm(p - vertices_.back().p) < kSameVertex_m) return *this;
  vertices_.push_back({p, false, {}});
  return *this;
}

OutlineBuilder& OutlineBuilder::arc_to(Point2 p, Point2 centre) {
  const Point2 from = vertices_.back().p;
  if (norm(p - from) < kSameVertex_m) return *this;
  // Split arcs longer than 90 degrees (OCC's three-point arcs need < 180).
  const double r = norm(from - centre);
  const double a0 = std::atan2(from.y - centre.y, from.x - centre.x);
  double sweep = std::atan2(p.y - centre.y, p.x - centre.x) - a0;
  while (sweep > kPi) sweep -= 2 * kPi;
  while (sweep < -kPi) sweep += 2 * kPi;
  const int pieces = std::max(1, static_cast<int>(std::ceil(std::abs(sweep) / (0.5 * kPi) - 1e-9)));
  for (int i = 1; i <= pieces; ++i) {
    vertices_.back().arc_to_next = true;
    vertices_.back().centre = centre;
    vertices_.push_back({i == pieces ? p : centre + polar(r, a0 + sweep * i / pieces), false, {}});
  }
  return *this;
}

Outline OutlineBuilder::close() {
  if (vertices_.size() > 1 && norm(vertices_.back().p - vertices_.front().p) < kSameVertex_m) vertices_.pop_back();
  return vertices_;
}

Outline OutlineBuilder::close_arc(Point2 centre) {
  arc_to(vertices_.front().p, centre);
  // arc_to appended the start point again: drop it, keeping the arc flag on the vertex before.
  if (vertices_.size() > 1 && norm(vertices_.back().p - vertices_.front().p) < kSameVertex_m) vertices_.pop_back();
  return vertices_;
}

Outline rotated(const Outline& outline, double angle) {
  Outline out = outline;
  for (auto& v : out) {
    v.p = rotated(v.p, angle);
    v.centre = rotated(v.centre, angle);
  }
  return out;
}

Outline mirrored_v(const Outline& outline) {
  // Reversing the order keeps the outline counter-clockwise; the edge from
  // vertex i to i+1 becomes the edge from i+1' to i', so arc flags shift.
  const std::size_t n = outline.size();
  Outline out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& from = outline[n - 1 - i];
    out[i].p = {from.p.x, -from.p.y};
  }
  for (std::size_t i = 0; i < n; ++i) {
    // Edge out[i] -> out[i+1] is the mirror of outline[k-1] -> outline[k], k = n-1-i.
    const std::size_t k = n - 1 - i;
    const auto& edge_owner = outline[(k + n - 1) % n];
    out[i].arc_to_next = edge_owner.arc_to_next;
    out[i].centre = {edge_owner.centre.x, -edge_owner.centre.y};
  }
  return out;
}

Outline rectangle(double x0, double x1, double y0, double y1) {
  return OutlineBuilder({x0, y0}).line_to({x1, y0}).line_to({x1, y1}).line_to({x0, y1}).close();
}

std::vector<Point2> sample(const Outline& outline, int per_arc) {
  std::vector<Point2> points;
  for (std::size_t i = 0; i < outline.size(); ++i) {
    const auto& v = outline[i];
    points.push_back(v.p);
    if (!v.arc_to_next) continue;
    const Point2 to = outline[(i + 1) % outline.size()].p;
    const double r = norm(v.p - v.centre);
    const double a0 = std::atan2(v.p.y - v.centre.y, v.p.x - v.centre.x);
    double sweep = std::atan2(to.y - v.centre.y, to.x - v.centre.x) - a0;
    while (sweep > kPi) sweep -= 2 * kPi;
    while (sweep < -kPi) sweep += 2 * kPi;
    for (int k = 1; k <= per_arc; ++k) points.push_back(v.centre + polar(r, a0 + sweep * k / (per_arc + 1)));
  }
  return points;
}

}  // namespace rotormag::mesh::motor

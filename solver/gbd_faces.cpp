#include "solver/gbd_faces.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace rotormag::solver {

namespace {

struct Point {
  double x, y;
};

double segment_distance(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

}  // namespace

std::vector<double> gbd_face_distance(const mesh::Mesh& m, const std::vector<char>& magnet_region,
                                      const std::vector<mesh::MagnetizationHint>& magnetization, GbdFaces diffused_faces) {
  const int npe = m.nodes_per_triangle();
  const size_t ne = m.triangle_count();
  // Outline edges of each magnet region: edges of its triangles used once.
  std::map<std::pair<int, int>, std::pair<int, int>> edge_use;  // (a, b) -> (count, region)
  for (size_t t = 0; t < ne; ++t) {
    const int r = m.triangle_region[t];
    if (!magnet_region[r]) continue;
    for (int k = 0; k < 3; ++k) {
      const int a = m.triangles[t * npe + k], b = m.triangles[t * npe + (k + 1) % 3];
      auto& use = edge_use[{std::min(a, b), std::max(a, b)}];
      use.first += 1;
      use.second = r;
    }
  }
  std::map<int, std::vector<std::pair<Point, Point>>> faces;  // region -> diffused face segments
  for (const auto& [edge, use] : edge_use) {
    if (use.first != 1) continue;  // inside the region
    const Point a{m.x[edge.first], m.y[edge.first]}, b{m.x[edge.second], m.y[edge.second]};
    bool diffused = diffused_faces == GbdFaces::all_faces;
    if (!diffused) {
      // Pole faces: the magnetization crosses them (normal within 45 degrees of m).
      const double tx = b.x - a.x, ty = b.y - a.y, len = std::hypot(tx, ty);
      const double nx = -ty / len, ny = tx / len;
      double mx = 0, my = 0;
      const mesh::MagnetizationHint& hint = magnetization[use.second];
      if (hint.kind == mesh::MagnetizationKind::parallel) {
        mx = std::cos(hint.angle_rad);
        my = std::sin(hint.angle_rad);
      } else if (hint.kind == mesh::MagnetizationKind::radial) {
        const double cx = 0.5 * (a.x + b.x), cy = 0.5 * (a.y + b.y), r = std::hypot(cx, cy);
        if (r > 0) mx = cx / r, my = cy / r;
      }
      diffused = std::abs(nx * mx + ny * my) > std::sqrt(0.5);
    }
    if (diffused) faces[use.second].push_back({a, b});
  }
  std::vector<double> d(ne, 0.0);
  for (size_t t = 0; t < ne; ++t) {
    const int r = m.triangle_region[t];
    if (!magnet_region[r]) continue;
    Point c{0, 0};
    for (int k = 0; k < 3; ++k) {
      c.x += m.x[m.triangles[t * npe + k]] / 3;
      c.y += m.y[m.triangles[t * npe + k]] / 3;
    }
    double best = std::numeric_limits<double>::infinity();
    for (const auto& [a, b] : faces[r]) best = std::min(best, segment_distance(c, a, b));
    d[t] = std::isfinite(best) ? best : 0.0;
  }
  return d;
}

}  // namespace rotormag::solver

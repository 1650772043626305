#include "support/structured_mesh.hpp"

#include <cmath>
#include <map>
#include <utility>

namespace rotormag::testing {

mesh::Mesh structured_rectangle(int order, int nx, int ny, double x0, double y0, double w, double h) {
  mesh::Mesh m;
  m.order = order;
  m.regions = {{1, "left", {}}, {2, "right", {}}};
  // Node grid of (order*nx+1) x (order*ny+1): P2 mid nodes are grid points too.
  const int gx = order * nx + 1, gy = order * ny + 1;
  for (int j = 0; j < gy; ++j)
    for (int i = 0; i < gx; ++i) {
      m.x.push_back(x0 + w * i / (gx - 1));
      m.y.push_back(y0 + h * j / (gy - 1));
    }
  auto id = [&](int i, int j) { return j * gx + i; };
  auto add = [&](std::pair<int, int> a, std::pair<int, int> b, std::pair<int, int> c, int region) {
    auto g = [&](std::pair<int, int> p) { return id(p.first, p.second); };
    auto mid = [&](std::pair<int, int> p, std::pair<int, int> q) {
      return id((p.first + q.first) / 2, (p.second + q.second) / 2);
    };
    m.triangles.insert(m.triangles.end(), {g(a), g(b), g(c)});
    if (order == 2) m.triangles.insert(m.triangles.end(), {mid(a, b), mid(b, c), mid(c, a)});
    m.triangle_region.push_back(region);
  };
  const int s = order;  // grid steps per cell
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const int region = (i + 0.5) < nx / 2.0 ? 0 : 1;
      std::pair<int, int> p00{s * i, s * j}, p10{s * (i + 1), s * j}, p01{s * i, s * (j + 1)},
          p11{s * (i + 1), s * (j + 1)};
      add(p00, p10, p11, region);
      add(p00, p11, p01, region);
    }
  mesh::Boundary outer{1, "outer", {}};
  for (int j = 0; j < gy; ++j)
    for (int i = 0; i < gx; ++i)
      if (i == 0 || j == 0 || i == gx - 1 || j == gy - 1) outer.nodes.push_back(id(i, j));
  m.boundaries.push_back(outer);
  return m;
}

}  // namespace rotormag::testing

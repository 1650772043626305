#include "mesh_test_util.hpp"

#include <filesystem>
#include <fstream>

namespace rotormag::mesh::test {

double vertex_area(const Mesh& m, std::size_t t) {
  const int* v = &m.triangles[t * m.nodes_per_triangle()];
  return 0.5 * ((m.x[v[1]] - m.x[v[0]]) * (m.y[v[2]] - m.y[v[0]]) - (m.x[v[2]] - m.x[v[0]]) * (m.y[v[1]] - m.y[v[0]]));
}

double curved_area(const Mesh& m, std::size_t t) {
  if (m.order == 1) return vertex_area(m, t);
  const int* v = &m.triangles[t * 6];
  const double pts[3][2] = {{0.5, 0}, {0.5, 0.5}, {0, 0.5}};
  double sum = 0;
  for (const auto& p : pts) {
    const double l0 = 1 - p[0] - p[1], l1 = p[0], l2 = p[1];
    const double dxi[6] = {-(4 * l0 - 1), 4 * l1 - 1, 0, 4 * (l0 - l1), 4 * l2, -4 * l2};
    const double deta[6] = {-(4 * l0 - 1), 0, 4 * l2 - 1, -4 * l1, 4 * l1, 4 * (l0 - l2)};
    double a = 0, b = 0, c = 0, d = 0;
    for (int i = 0; i < 6; ++i) {
      a += dxi[i] * m.x[v[i]];
      b += deta[i] * m.x[v[i]];
      c += dxi[i] * m.y[v[i]];
      d += deta[i] * m.y[v[i]];
    }
    sum += a * d - b * c;
  }
  return sum / 6.0;
}

double region_area(const Mesh& m, const std::string& region) {
  const int r = m.find_region(region);
  double a = 0;
  for (std::size_t t = 0; t < m.triangle_count(); ++t)
    if (m.triangle_region[t] == r) a += curved_area(m, t);
  return a;
}

double total_area(const Mesh& m) {
  double a = 0;
  for (std::size_t t = 0; t < m.triangle_count(); ++t) a += curved_area(m, t);
  return a;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("rotormag_test_mesh_" + name)).string();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace rotormag::mesh::test

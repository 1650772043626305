#include "mesh/quality.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "mesh/extract.hpp"

namespace rotormag::mesh {

namespace {

// det J of the P2 map at reference point (xi, eta); node order
// (v0,v1,v2,m01,m12,m20), barycentrics L0 = 1-xi-eta, L1 = xi, L2 = eta.
double p2_jacobian(const Mesh& mesh, const int* v, double xi, double eta) {
  const double l0 = 1.0 - xi - eta, l1 = xi, l2 = eta;
  const double d_xi[6] = {-(4 * l0 - 1), 4 * l1 - 1, 0.0, 4 * (l0 - l1), 4 * l2, -4 * l2};
  const double d_eta[6] = {-(4 * l0 - 1), 0.0, 4 * l2 - 1, -4 * l1, 4 * l1, 4 * (l0 - l2)};
  double x_xi = 0, x_eta = 0, y_xi = 0, y_eta = 0;
  for (int i = 0; i < 6; ++i) {
    x_xi += d_xi[i] * mesh.x[v[i]];
    x_eta += d_eta[i] * mesh.x[v[i]];
    y_xi += d_xi[i] * mesh.y[v[i]];
    y_eta += d_eta[i] * mesh.y[v[i]];
  }
  return x_xi * y_eta - x_eta * y_xi;
}

std::size_t node_number(const EntityNumbers* numbers, std::size_t i) {
  return numbers && i < numbers->node.size() ? numbers->node[i] : i;
}
std::size_t triangle_number(const EntityNumbers* numbers, std::size_t t) {
  return numbers && t < numbers->triangle.size() ? numbers->triangle[t] : t;
}

std::string region_of_triangle(const Mesh& mesh, std::size_t t) {
  const int region = mesh.triangle_region[t];
  return region >= 0 && region < static_cast<int>(mesh.regions.size()) ? mesh.regions[region].name : "?";
}

// Names of the regions whose triangles use `node` ("'a'" or "'a', 'b'").
std::string regions_of_node(const Mesh& mesh, std::size_t node) {
  const int npt = mesh.nodes_per_triangle();
  std::vector<std::string> names;
  for (std::size_t t = 0; t < mesh.triangle_count(); ++t)
    for (int k = 0; k < npt; ++k)
      if (static_cast<std::size_t>(mesh.triangles[t * npt + k]) == node) {
        const std::string name = region_of_triangle(mesh, t);
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      }
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out.empty() ? "no region" : "region " + out;
}

std::string describe(const Mesh& mesh, std::size_t t, const EntityNumbers* numbers) {
  const int* v = &mesh.triangles[t * mesh.nodes_per_triangle()];
  return fmt::format("element {} (region '{}', vertices ({:.6g}, {:.6g}) ({:.6g}, {:.6g}) ({:.6g}, {:.6g}))",
                     triangle_number(numbers, t), region_of_triangle(mesh, t), mesh.x[v[0]], mesh.y[v[0]],
                     mesh.x[v[1]], mesh.y[v[1]], mesh.x[v[2]], mesh.y[v[2]]);
}

void check_finite_coordinates(const Mesh& mesh, const std::string& origin, const EntityNumbers* numbers) {
  for (std::size_t i = 0; i < mesh.node_count(); ++i)
    if (!std::isfinite(mesh.x[i]) || !std::isfinite(mesh.y[i]))
      throw MeshError(fmt::format("{}: node {} ({}) has a non-finite coordinate ({}, {})", origin,
                                  node_number(numbers, i), regions_of_node(mesh, i), mesh.x[i], mesh.y[i]));
}

struct CellHash {
  std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& c) const {
    // Unsigned arithmetic: cell indices reach ~1e12, and signed overflow is undefined.
    const auto a = static_cast<std::uint64_t>(c.first), b = static_cast<std::uint64_t>(c.second);
    return std::hash<std::uint64_t>()(a * 73856093u ^ b * 19349663u);
  }
};

}  // namespace

void check_coincident_nodes(const Mesh& mesh, const std::string& origin, const EntityNumbers* numbers,
                            double relative_tolerance) {
  const std::size_t n = mesh.node_count();
  if (n < 2) return;
  double x0 = mesh.x[0], x1 = x0, y0 = mesh.y[0], y1 = y0;
  for (std::size_t i = 1; i < n; ++i) {
    x0 = std::min(x0, mesh.x[i]);
    x1 = std::max(x1, mesh.x[i]);
    y0 = std::min(y0, mesh.y[i]);
    y1 = std::max(y1, mesh.y[i]);
  }
  const double diagonal = std::hypot(x1 - x0, y1 - y0);
  if (!(diagonal > 0) || !std::isfinite(diagonal)) return;  // one point, or non-finite (reported elsewhere)
  const double tolerance = relative_tolerance * diagonal;
  // Cells of the tolerance's size: two nodes within the tolerance lie in the
  // same or neighbouring cells. Cell indices stay below ~1e12 (no overflow).
  auto cell_of = [&](std::size_t i) {
    return std::make_pair(static_cast<std::int64_t>(std::floor((mesh.x[i] - x0) / tolerance)),
                          static_cast<std::int64_t>(std::floor((mesh.y[i] - y0) / tolerance)));
  };
  std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<std::size_t>, CellHash> grid;
  grid.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto [cx, cy] = cell_of(i);
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        auto it = grid.find({cx + dx, cy + dy});
        if (it == grid.end()) continue;
        for (std::size_t j : it->second) {
          if (std::hypot(mesh.x[i] - mesh.x[j], mesh.y[i] - mesh.y[j]) > tolerance) continue;
          throw MeshError(fmt::format(
              "{}: nodes {} ({}) and {} ({}) are both at ({:.9g}, {:.9g}): coincident nodes that are not merged "
              "leave a crack in the mesh (the elements on either side are not connected); merge them "
              "(Gmsh: Coherence Mesh)",
              origin, node_number(numbers, j), regions_of_node(mesh, j), node_number(numbers, i),
              regions_of_node(mesh, i), mesh.x[i], mesh.y[i]));
        }
      }
    grid[{cx, cy}].push_back(i);
  }
}

void check_quality(const Mesh& mesh, const std::string& origin, double relative_area_tolerance,
                   const EntityNumbers* numbers) {
  const std::size_t n = mesh.triangle_count();
  const int npt = mesh.nodes_per_triangle();
  if (mesh.order != 1 && mesh.order != 2) throw MeshError(fmt::format("{}: element order {} (expected 1 or 2)", origin, mesh.order));
  if (mesh.triangles.size() != n * npt || mesh.x.size() != mesh.y.size())
    throw MeshError(fmt::format("{}: inconsistent mesh arrays ({} triangle entries for {} triangles of {} nodes)", origin,
                                mesh.triangles.size(), n, npt));
  if (n == 0) throw MeshError(fmt::format("{}: the mesh has no triangles", origin));
  for (int node : mesh.triangles)
    if (node < 0 || static_cast<std::size_t>(node) >= mesh.node_count())
      throw MeshError(fmt::format("{}: triangle node index {} out of range (0..{})", origin, node, mesh.node_count()));
  check_finite_coordinates(mesh, origin, numbers);
  check_coincident_nodes(mesh, origin, numbers);

  double total = 0.0;
  for (std::size_t t = 0; t < n; ++t) total += std::abs(signed_vertex_area(mesh, t));
  const double threshold = relative_area_tolerance * total / static_cast<double>(n);

  std::size_t bad = 0;
  std::string first;
  for (std::size_t t = 0; t < n; ++t) {
    const double area = signed_vertex_area(mesh, t);
    std::string problem;
    if (area <= -threshold) problem = fmt::format("is inverted (clockwise, signed area {:.3g} m^2)", area);
    else if (!(area >= threshold)) problem = fmt::format("is degenerate (area {:.3g} m^2, mean {:.3g} m^2)", area, total / n);
    else if (mesh.order == 2) {
      // Curved elements can fold even with a positive straight area.
      const int* v = &mesh.triangles[t * npt];
      static const double points[6][2] = {{0, 0}, {1, 0}, {0, 1}, {0.5, 0}, {0.5, 0.5}, {0, 0.5}};
      for (const auto& p : points)
        if (p2_jacobian(mesh, v, p[0], p[1]) <= relative_area_tolerance * 2.0 * area) {
          problem = fmt::format("has a non-positive Jacobian at reference point ({}, {}) (curved element folded)", p[0], p[1]);
          break;
        }
    }
    if (problem.empty()) continue;
    if (bad++ == 0) first = describe(mesh, t, numbers) + " " + problem;
  }
  if (bad == 1) throw MeshError(fmt::format("{}: {}", origin, first));
  if (bad > 1) throw MeshError(fmt::format("{}: {} (and {} more bad elements)", origin, first, bad - 1));
}

}  // namespace rotormag::mesh

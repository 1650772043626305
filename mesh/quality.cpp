#include "mesh/quality.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

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

std::string describe(const Mesh& mesh, std::size_t t) {
  const int* v = &mesh.triangles[t * mesh.nodes_per_triangle()];
  const int region = mesh.triangle_region[t];
  const std::string region_name =
      region >= 0 && region < static_cast<int>(mesh.regions.size()) ? mesh.regions[region].name : "?";
  return fmt::format("element {} (region '{}', vertices ({:.6g}, {:.6g}) ({:.6g}, {:.6g}) ({:.6g}, {:.6g}))", t,
                     region_name, mesh.x[v[0]], mesh.y[v[0]], mesh.x[v[1]], mesh.y[v[1]], mesh.x[v[2]], mesh.y[v[2]]);
}

}  // namespace

void check_quality(const Mesh& mesh, const std::string& origin, double relative_area_tolerance) {
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

  double total = 0.0;
  for (std::size_t t = 0; t < n; ++t) total += std::abs(signed_vertex_area(mesh, t));
  const double threshold = relative_area_tolerance * total / static_cast<double>(n);

  std::size_t bad = 0;
  std::string first;
  for (std::size_t t = 0; t < n; ++t) {
    const double area = signed_vertex_area(mesh, t);
    std::string problem;
    if (area <= -threshold) problem = fmt::format("is inverted (clockwise, signed area {:.3g} m^2)", area);
    else if (area < threshold) problem = fmt::format("is degenerate (area {:.3g} m^2, mean {:.3g} m^2)", area, total / n);
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
    if (bad++ == 0) first = describe(mesh, t) + " " + problem;
  }
  if (bad == 1) throw MeshError(fmt::format("{}: {}", origin, first));
  if (bad > 1) throw MeshError(fmt::format("{}: {} (and {} more bad elements)", origin, first, bad - 1));
}

}  // namespace rotormag::mesh

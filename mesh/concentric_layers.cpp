// A disk and concentric annuli (analytic tests T1, T2, T7 and simple user
// geometries): OCC disks fragmented so that all interfaces conform.

#include <gmsh.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/gmsh_session.hpp"
#include "mesh/quality.hpp"
#include "mesh/templates.hpp"

namespace rotormag::mesh {

namespace {

const char* kOrigin = "concentric layers";

void validate(const ConcentricLayers& g, const MeshingOptions& options) {
  const std::size_t n = g.radii_m.size();
  if (n == 0) throw MeshError(fmt::format("{}: radii_m is empty", kOrigin));
  for (std::size_t i = 0; i < n; ++i)
    if (!(g.radii_m[i] > 0.0) || (i > 0 && !(g.radii_m[i] > g.radii_m[i - 1])))
      throw MeshError(fmt::format("{}: radii_m must be positive and strictly increasing (radii_m[{}] = {})", kOrigin, i, g.radii_m[i]));
  if (g.region_names.size() != n)
    throw MeshError(fmt::format("{}: region_names has {} entries for {} radii", kOrigin, g.region_names.size(), n));
  for (const auto& name : g.region_names)
    if (name.empty()) throw MeshError(fmt::format("{}: region_names contains an empty name", kOrigin));
  if (!g.element_size_m.empty() && g.element_size_m.size() != n)
    throw MeshError(fmt::format("{}: element_size_m has {} entries for {} radii", kOrigin, g.element_size_m.size(), n));
  for (double h : g.element_size_m)
    if (!(h > 0.0)) throw MeshError(fmt::format("{}: element_size_m entries must be positive (got {})", kOrigin, h));
  if (!g.magnetization.empty() && g.magnetization.size() != n)
    throw MeshError(fmt::format("{}: magnetization has {} entries for {} radii", kOrigin, g.magnetization.size(), n));
  if (!(options.element_size_m > 0.0))
    throw MeshError(fmt::format("{}: MeshingOptions.element_size_m must be positive (got {})", kOrigin, options.element_size_m));
  if (g.outer_boundary.empty()) throw MeshError(fmt::format("{}: outer_boundary name is empty", kOrigin));
  if (!g.circle_names.empty() && g.circle_names.size() != n)
    throw MeshError(fmt::format("{}: circle_names has {} entries for {} radii", kOrigin, g.circle_names.size(), n));
}

bool same_hint(const MagnetizationHint& a, const MagnetizationHint& b) {
  return a.kind == b.kind && a.angle_rad == b.angle_rad && a.sign == b.sign;
}

}  // namespace

Mesh build_concentric_layers(const ConcentricLayers& g, const MeshingOptions& options) {
  validate(g, options);
  const std::size_t n = g.radii_m.size();
  std::vector<double> sizes(n, options.element_size_m);
  if (!g.element_size_m.empty()) sizes = g.element_size_m;

  GmshSession session(kOrigin);
  session.run("building the geometry", [&] {
    gmsh::model::add("concentric_layers");
    gmsh::vectorpair disks;
    for (double r : g.radii_m) disks.emplace_back(2, gmsh::model::occ::addDisk(0, 0, 0, r, r));
    if (n > 1) {
      gmsh::vectorpair out;
      std::vector<gmsh::vectorpair> map;
      gmsh::model::occ::fragment({disks.front()}, gmsh::vectorpair(disks.begin() + 1, disks.end()), out, map);
    }
    gmsh::model::occ::synchronize();

    // Each fragment is the layer whose outer radius its bounding box reaches.
    std::map<std::string, std::vector<int>> surfaces_by_name;
    gmsh::vectorpair surfaces;
    gmsh::model::getEntities(surfaces, 2);
    for (const auto& [dim, tag] : surfaces) {
      double x0, y0, z0, x1, y1, z1;
      gmsh::model::getBoundingBox(dim, tag, x0, y0, z0, x1, y1, z1);
      std::size_t layer = 0;
      for (std::size_t i = 1; i < n; ++i)
        if (std::abs(g.radii_m[i] - x1) < std::abs(g.radii_m[layer] - x1)) layer = i;
      surfaces_by_name[g.region_names[layer]].push_back(tag);
    }
    // Physical tags follow the first appearance of each name in region_names.
    for (const auto& name : g.region_names) {
      auto it = surfaces_by_name.find(name);
      if (it == surfaces_by_name.end()) continue;
      add_named_group(2, it->second, name);
      surfaces_by_name.erase(it);
    }
    const auto outer = circle_curves(g.radii_m.back());
    if (outer.size() != 1)
      throw MeshError(fmt::format("{}: found {} curves on the outer circle r = {} (expected 1)", kOrigin, outer.size(), g.radii_m.back()));
    add_named_group(1, outer, g.outer_boundary);
    for (std::size_t i = 0; i + 1 < g.circle_names.size(); ++i) {
      if (g.circle_names[i].empty()) continue;
      const auto circle = circle_curves(g.radii_m[i]);
      if (circle.size() != 1)
        throw MeshError(fmt::format("{}: found {} curves on the circle r = {} (expected 1)", kOrigin, circle.size(), g.radii_m[i]));
      add_named_group(1, circle, g.circle_names[i]);
    }

    // The size of the layer holding (x, y); on an interface the finer one.
    const std::vector<double> radii = g.radii_m;
    gmsh::model::mesh::setSizeCallback([radii, sizes](int, int, double x, double y, double) {
      const double r = std::hypot(x, y);
      const double tol = 1e-9 * radii.back();
      double h = 0.0;
      for (std::size_t i = 0; i < radii.size(); ++i) {
        const double inner = i == 0 ? 0.0 : radii[i - 1];
        if (r >= inner - tol && r <= radii[i] + tol) h = h == 0.0 ? sizes[i] : std::min(h, sizes[i]);
      }
      return h == 0.0 ? sizes.back() : h;
    });
  });
  generate_mesh(session, options);
  Mesh mesh = session.run("reading the mesh", [&] { return extract_current_model(kOrigin, OrientationPolicy::flip_each); });

  // Magnetization hints by region name; layers sharing a name must agree.
  for (std::size_t i = 0; i < g.magnetization.size(); ++i) {
    const int region = mesh.find_region(g.region_names[i]);
    if (region < 0) continue;
    auto& hint = mesh.regions[region].magnetization;
    const auto& wanted = g.magnetization[i];
    if (wanted.kind == MagnetizationKind::none) continue;
    if (hint.kind != MagnetizationKind::none && !same_hint(hint, wanted))
      throw MeshError(fmt::format("{}: layers named '{}' have different magnetization hints", kOrigin, g.region_names[i]));
    hint = wanted;
  }
  check_quality(mesh, kOrigin);
  return mesh;
}

}  // namespace rotormag::mesh

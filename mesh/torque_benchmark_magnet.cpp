// The torque benchmark geometry (validation ladder T6, after D. Meeker's FEMM
// "TorqueBenchmark"): a rectangular magnet at the centre of an air disk that
// turns inside an air annulus, with an empty band between the two for the
// moving band. Geometry conventions: templates.hpp. Named for what it is: a
// validation geometry, not one of the motor rotors (its error messages keep
// their "bar magnet rotor" prefix).

#include <gmsh.h>
#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/gmsh_session.hpp"
#include "mesh/quality.hpp"
#include "mesh/templates.hpp"

namespace rotormag::mesh {

namespace {

const char* kOrigin = "bar magnet rotor";

void validate(const TorqueBenchmarkMagnet& g, const MeshingOptions& options) {
  auto reject = [](const char* parameter, const std::string& why) {
    throw MeshError(fmt::format("{}: {}: {}", kOrigin, parameter, why));
  };
  if (!(g.magnet_width_m > 0)) reject("magnet_width_m", "must be positive");
  if (!(g.magnet_height_m > 0)) reject("magnet_height_m", "must be positive");
  if (!(0.5 * std::hypot(g.magnet_width_m, g.magnet_height_m) < g.band_inner_radius_m))
    reject("band_inner_radius_m", fmt::format("must exceed the magnet's half diagonal ({} m)",
                                              0.5 * std::hypot(g.magnet_width_m, g.magnet_height_m)));
  if (!(g.band_outer_radius_m > g.band_inner_radius_m)) reject("band_outer_radius_m", "must exceed band_inner_radius_m");
  if (!(g.outer_radius_m > g.band_outer_radius_m)) reject("outer_radius_m", "must exceed band_outer_radius_m");
  if (!(options.element_size_m > 0)) reject("MeshingOptions.element_size_m", "must be positive");
}

}  // namespace

Mesh build_torque_benchmark_magnet(const TorqueBenchmarkMagnet& g, const MeshingOptions& options) {
  validate(g, options);
  GmshSession session(kOrigin);
  session.run("building the geometry", [&] {
    namespace occ = gmsh::model::occ;
    gmsh::model::add("torque_benchmark_magnet");
    const int magnet = occ::addRectangle(-0.5 * g.magnet_width_m, -0.5 * g.magnet_height_m, 0, g.magnet_width_m,
                                         g.magnet_height_m);
    const int disk = occ::addDisk(0, 0, 0, g.band_inner_radius_m, g.band_inner_radius_m);
    const int outer = occ::addDisk(0, 0, 0, g.outer_radius_m, g.outer_radius_m);
    const int hole = occ::addDisk(0, 0, 0, g.band_outer_radius_m, g.band_outer_radius_m);
    gmsh::vectorpair out;
    std::vector<gmsh::vectorpair> map;
    occ::cut({{2, outer}}, {{2, hole}}, out, map);
    const int annulus = out.front().second;
    occ::fragment({{2, disk}}, {{2, magnet}}, out, map);
    occ::synchronize();
    // After the fragment, map[1] holds the magnet and map[0] the disk pieces
    // (the magnet and the disk less the magnet).
    std::vector<int> rotor_air;
    for (const auto& [dim, tag] : map[0])
      if (tag != map[1].front().second) rotor_air.push_back(tag);
    add_named_group(2, {map[1].front().second}, "magnet");
    add_named_group(2, rotor_air, "airgap_rotor");
    add_named_group(2, {annulus}, "airgap_stator");
    for (const auto& [radius, name] : std::vector<std::pair<double, const char*>>{
             {g.band_inner_radius_m, "band_rotor"}, {g.band_outer_radius_m, "band_stator"}, {g.outer_radius_m, "outer"}}) {
      const auto circle = circle_curves(radius);
      if (circle.size() != 1)
        throw MeshError(fmt::format("{}: found {} curves on the circle r = {} (expected 1)", kOrigin, circle.size(), radius));
      add_named_group(1, circle, name);
    }
    // Finer near the band, where the torque is integrated.
    const double h = options.element_size_m, hb = g.band_element_size_m > 0 ? g.band_element_size_m : h;
    const double r1 = g.band_inner_radius_m, r2 = g.band_outer_radius_m;
    gmsh::model::mesh::setSizeCallback([h, hb, r1, r2](int, int, double x, double y, double) {
      const double r = std::hypot(x, y);
      const double distance = r < r1 ? r1 - r : (r > r2 ? r - r2 : 0.0);
      return std::min(h, hb + 0.5 * distance);
    });
  });
  generate_mesh(session, options);
  Mesh mesh = session.run("reading the mesh", [&] { return extract_current_model(kOrigin, OrientationPolicy::flip_each); });
  const int magnet = mesh.find_region("magnet");
  mesh.regions[magnet].magnetization = {MagnetizationKind::parallel, 0.0, 1.0};
  check_quality(mesh, kOrigin);
  return mesh;
}

}  // namespace rotormag::mesh

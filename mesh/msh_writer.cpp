// .msh 4.1 export through a discrete Gmsh model, so that physical names and
// entities are written the way Gmsh and GetDP expect. (Reading is ours:
// msh_reader.cpp, because a mesh file is untrusted input and Gmsh is not
// hardened against it.)

#include <gmsh.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <set>
#include <utility>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/gmsh_session.hpp"
#include "mesh/quality.hpp"
#include "mesh/templates.hpp"

namespace rotormag::mesh {

namespace {

// Boundary edges: triangle edges whose end nodes (and, for P2, mid-node) all
// lie in the boundary's node set. Returns the node tags (1-based) of the line
// elements and the boundary nodes that lie on no such edge.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> boundary_elements(const Mesh& mesh, const Boundary& boundary) {
  std::vector<char> on(mesh.node_count(), 0), used(mesh.node_count(), 0);
  for (int node : boundary.nodes) on[node] = 1;
  static const int edges[3][3] = {{0, 1, 3}, {1, 2, 4}, {2, 0, 5}};
  std::set<std::pair<int, int>> seen;
  std::vector<std::size_t> lines, points;
  const int npt = mesh.nodes_per_triangle();
  for (std::size_t t = 0; t < mesh.triangle_count(); ++t) {
    const int* v = &mesh.triangles[t * npt];
    for (const auto& e : edges) {
      const int a = v[e[0]], b = v[e[1]];
      if (!on[a] || !on[b] || (mesh.order == 2 && !on[v[e[2]]])) continue;
      if (!seen.emplace(std::min(a, b), std::max(a, b)).second) continue;
      lines.push_back(a + 1);
      lines.push_back(b + 1);
      used[a] = used[b] = 1;
      if (mesh.order == 2) {
        lines.push_back(v[e[2]] + 1);
        used[v[e[2]]] = 1;
      }
    }
  }
  for (int node : boundary.nodes)
    if (!used[node]) points.push_back(node + 1);
  return {lines, points};
}

}  // namespace

void write_msh(const Mesh& mesh, const std::string& path) {
  check_quality(mesh, "write_msh(" + path + ")");
  GmshSession session(path);
  session.run("building the discrete model", [&] {
    gmsh::model::add("rotormag");
    // One discrete surface per region; all nodes live on the first one
    // (MSH 4 allows elements to use nodes classified on other entities).
    std::vector<int> surface_of_region(mesh.regions.size());
    for (std::size_t r = 0; r < mesh.regions.size(); ++r) surface_of_region[r] = gmsh::model::addDiscreteEntity(2);
    std::vector<std::size_t> node_tags(mesh.node_count());
    std::vector<double> coord(3 * mesh.node_count(), 0.0);
    for (std::size_t i = 0; i < mesh.node_count(); ++i) {
      node_tags[i] = i + 1;
      coord[3 * i] = mesh.x[i];
      coord[3 * i + 1] = mesh.y[i];
    }
    gmsh::model::mesh::addNodes(2, surface_of_region.at(0), node_tags, coord);

    const int npt = mesh.nodes_per_triangle();
    std::vector<std::vector<std::size_t>> triangles_of_region(mesh.regions.size());
    for (std::size_t t = 0; t < mesh.triangle_count(); ++t)
      for (int k = 0; k < npt; ++k) triangles_of_region[mesh.triangle_region[t]].push_back(mesh.triangles[t * npt + k] + 1);

    // Physical tags: the region/boundary ids when they are unique and positive.
    auto tag_for = [](int id, std::set<int>& taken) {
      int tag = id > 0 && !taken.count(id) ? id : 1;
      while (taken.count(tag)) ++tag;
      taken.insert(tag);
      return tag;
    };
    std::set<int> surface_tags, line_tags, point_tags;
    for (std::size_t r = 0; r < mesh.regions.size(); ++r) {
      if (!triangles_of_region[r].empty())
        gmsh::model::mesh::addElementsByType(surface_of_region[r], mesh.order == 2 ? 9 : 2, {}, triangles_of_region[r]);
      const int tag = gmsh::model::addPhysicalGroup(2, {surface_of_region[r]}, tag_for(mesh.regions[r].id, surface_tags));
      // The name carries the magnetization / coil annotation, so it survives the file.
      gmsh::model::setPhysicalName(2, tag, annotated_region_name(mesh.regions[r]));
    }
    for (const auto& boundary : mesh.boundaries) {
      auto [lines, points] = boundary_elements(mesh, boundary);
      if (!lines.empty()) {
        const int curve = gmsh::model::addDiscreteEntity(1);
        gmsh::model::mesh::addElementsByType(curve, mesh.order == 2 ? 8 : 1, {}, lines);
        const int tag = gmsh::model::addPhysicalGroup(1, {curve}, tag_for(boundary.id, line_tags));
        gmsh::model::setPhysicalName(1, tag, boundary.name);
      }
      if (!points.empty()) {
        const int point = gmsh::model::addDiscreteEntity(0);
        gmsh::model::mesh::addElementsByType(point, 15, {}, points);
        const int tag = gmsh::model::addPhysicalGroup(0, {point}, tag_for(boundary.id, point_tags));
        gmsh::model::setPhysicalName(0, tag, boundary.name);
      }
    }
    gmsh::option::setNumber("Mesh.MshFileVersion", 4.1);
    gmsh::option::setNumber("Mesh.Binary", 0);
    gmsh::option::setNumber("Mesh.SaveAll", 0);
    gmsh::write(path);
  });
  const std::string errors = session.logged_errors();
  if (!errors.empty()) throw MeshError(fmt::format("{}: Gmsh could not write the file: {}", path, errors));
}

}  // namespace rotormag::mesh

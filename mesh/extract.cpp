#include "mesh/extract.hpp"

#include <gmsh.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mesh/node_numbering.hpp"
#include "mesh/quality.hpp"

namespace rotormag::mesh {

namespace {

constexpr int kTriangle3 = 2, kTriangle6 = 9, kLine2 = 1, kLine3 = 8, kPoint = 15;

std::string element_type_name(int type) {
  std::string name;
  int dim = 0, order = 0, nodes = 0, primary = 0;
  std::vector<double> local;
  try {
    gmsh::model::mesh::getElementProperties(type, name, dim, order, nodes, local, primary);
  } catch (...) {
    return fmt::format("type {}", type);
  }
  return fmt::format("'{}' (Gmsh type {})", name, type);
}

std::string group_name(int dim, int tag, const char* fallback_prefix) {
  std::string name;
  gmsh::model::getPhysicalName(dim, tag, name);
  return name.empty() ? fmt::format("{}_{}", fallback_prefix, tag) : name;
}


void read_regions(const std::string& origin, Mesh& mesh, NodeNumbering& numbering,
                  std::vector<std::size_t>& triangle_tags) {
  gmsh::vectorpair groups;
  gmsh::model::getPhysicalGroups(groups, 2);
  if (groups.empty())
    throw MeshError(fmt::format("{}: no 2D physical groups (regions); every material region must be a named physical surface", origin));

  std::map<int, std::string> surface_owner;  // surface entity -> group name, to catch double membership
  int element_type = 0;
  for (const auto& [dim, tag] : groups) {
    const std::string name = group_name(dim, tag, "region");
    int region = mesh.find_region(name);
    if (region < 0) {
      region = static_cast<int>(mesh.regions.size());
      mesh.regions.push_back(Region{tag, name, {}});
    }
    std::vector<int> surfaces;
    gmsh::model::getEntitiesForPhysicalGroup(2, tag, surfaces);
    for (int surface : surfaces) {
      auto [it, inserted] = surface_owner.emplace(surface, name);
      if (!inserted)
        throw MeshError(fmt::format("{}: surface {} belongs to physical groups '{}' and '{}'; a triangle needs exactly one region",
                                    origin, surface, it->second, name));
      std::vector<int> types;
      std::vector<std::vector<std::size_t>> element_tags, node_tags;
      gmsh::model::mesh::getElements(types, element_tags, node_tags, 2, surface);
      for (std::size_t k = 0; k < types.size(); ++k) {
        const int type = types[k];
        if (type != kTriangle3 && type != kTriangle6)
          throw MeshError(fmt::format("{}: unsupported element type {} in physical group '{}' (only 3- and 6-node triangles)",
                                      origin, element_type_name(type), name));
        if (element_type != 0 && element_type != type)
          throw MeshError(fmt::format("{}: physical group '{}' mixes 3-node and 6-node triangles with the rest of the mesh", origin, name));
        element_type = type;
        for (std::size_t tag_of_node : node_tags[k]) mesh.triangles.push_back(numbering.index_of(tag_of_node));
        mesh.triangle_region.insert(mesh.triangle_region.end(), element_tags[k].size(), region);
        triangle_tags.insert(triangle_tags.end(), element_tags[k].begin(), element_tags[k].end());
      }
    }
  }
  if (mesh.triangle_region.empty())
    throw MeshError(fmt::format("{}: the 2D physical groups contain no triangles (is the model meshed?)", origin));
  mesh.order = element_type == kTriangle6 ? 2 : 1;
}

void read_coordinates(const std::string& origin, Mesh& mesh, const NodeNumbering& numbering) {
  std::vector<std::size_t> tags;
  std::vector<double> coord, parametric;
  gmsh::model::mesh::getNodes(tags, coord, parametric, -1, -1, false, false);
  const std::size_t n = numbering.tags().size();
  mesh.x.assign(n, 0.0);
  mesh.y.assign(n, 0.0);
  std::vector<char> found(n, 0);
  for (std::size_t k = 0; k < tags.size(); ++k) {
    const int i = numbering.find(tags[k]);
    if (i < 0) continue;
    mesh.x[i] = coord[3 * k];
    mesh.y[i] = coord[3 * k + 1];
    found[i] = 1;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!found[i]) throw MeshError(fmt::format("{}: node {} is used by a triangle but has no coordinates", origin, numbering.tags()[i]));
}

// 1D physical groups (and 0D ones, which write_msh uses for boundary nodes
// that lie on no boundary edge) become boundaries, merged by name.
void read_boundaries(const std::string& origin, Mesh& mesh, const NodeNumbering& numbering) {
  for (int group_dim : {1, 0}) {
    gmsh::vectorpair groups;
    gmsh::model::getPhysicalGroups(groups, group_dim);
    for (const auto& [dim, tag] : groups) {
      const std::string name = group_name(dim, tag, "boundary");
      Boundary* boundary = nullptr;
      for (auto& b : mesh.boundaries)
        if (b.name == name) boundary = &b;
      if (!boundary) {
        mesh.boundaries.push_back(Boundary{tag, name, {}});
        boundary = &mesh.boundaries.back();
      }
      std::vector<int> entities;
      gmsh::model::getEntitiesForPhysicalGroup(dim, tag, entities);
      for (int entity : entities) {
        std::vector<int> types;
        std::vector<std::vector<std::size_t>> element_tags, node_tags;
        gmsh::model::mesh::getElements(types, element_tags, node_tags, dim, entity);
        for (std::size_t k = 0; k < types.size(); ++k) {
          if (types[k] != kLine2 && types[k] != kLine3 && types[k] != kPoint)
            throw MeshError(fmt::format("{}: unsupported element type {} in boundary group '{}'", origin, element_type_name(types[k]), name));
          for (std::size_t node_tag : node_tags[k]) {
            const int i = numbering.find(node_tag);
            if (i < 0)
              throw MeshError(fmt::format("{}: boundary '{}' uses node {} that belongs to no triangle of a region", origin, name, node_tag));
            boundary->nodes.push_back(i);
          }
        }
      }
    }
  }
  for (auto& b : mesh.boundaries) {
    std::sort(b.nodes.begin(), b.nodes.end());
    b.nodes.erase(std::unique(b.nodes.begin(), b.nodes.end()), b.nodes.end());
  }
}

}  // namespace

double signed_vertex_area(const Mesh& mesh, std::size_t t) {
  const int* v = &mesh.triangles[t * mesh.nodes_per_triangle()];
  return 0.5 * ((mesh.x[v[1]] - mesh.x[v[0]]) * (mesh.y[v[2]] - mesh.y[v[0]]) -
                (mesh.x[v[2]] - mesh.x[v[0]]) * (mesh.y[v[1]] - mesh.y[v[0]]));
}

void reverse_triangle(Mesh& mesh, std::size_t t) {
  int* v = &mesh.triangles[t * mesh.nodes_per_triangle()];
  std::swap(v[1], v[2]);
  // (v0,v2,v1): edge (0,2) has mid-node m20, edge (2,1) keeps m12, edge (1,0) has m01.
  if (mesh.order == 2) std::swap(v[3], v[5]);
}

void orient_triangles(Mesh& mesh, OrientationPolicy policy) {
  const std::size_t n = mesh.triangle_count();
  if (policy == OrientationPolicy::flip_each) {
    for (std::size_t t = 0; t < n; ++t)
      if (signed_vertex_area(mesh, t) < 0.0) reverse_triangle(mesh, t);
    return;
  }
  std::size_t clockwise = 0;
  for (std::size_t t = 0; t < n; ++t)
    if (signed_vertex_area(mesh, t) < 0.0) ++clockwise;
  if (2 * clockwise > n)
    for (std::size_t t = 0; t < n; ++t) reverse_triangle(mesh, t);
}

Mesh extract_current_model(const std::string& origin, OrientationPolicy policy, EntityNumbers& numbers) {
  Mesh mesh;
  NodeNumbering numbering;
  numbers.triangle.clear();
  read_regions(origin, mesh, numbering, numbers.triangle);
  read_coordinates(origin, mesh, numbering);
  read_boundaries(origin, mesh, numbering);
  orient_triangles(mesh, policy);
  numbers.node = numbering.tags();
  return mesh;
}

Mesh extract_current_model(const std::string& origin, OrientationPolicy policy) {
  EntityNumbers unused;
  return extract_current_model(origin, policy, unused);
}

}  // namespace rotormag::mesh

#pragma once
// The plain triangle mesh that every layer above `mesh/` works with.
// Nothing outside mesh/ calls Gmsh: geometry templates and the .msh reader
// both end in this struct.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rotormag::mesh {

// How a magnet region is magnetized, as far as the geometry knows it
// (templates know the direction of each magnet body; a .msh file does not).
enum class MagnetizationKind { none, parallel, radial };

struct MagnetizationHint {
  MagnetizationKind kind = MagnetizationKind::none;
  double angle_rad = 0.0;  // parallel: direction of Br, from the +x axis
  double sign = 1.0;       // radial: +1 points away from the origin, -1 towards it
};

// What a conductor region carries, when the mesh says so (a .msh name
// annotation, docs/motor-mesh.md): phase 0/1/2 = A/B/C, sign +1/-1, turns
// (0: the case's turns per coil).
struct CoilHint {
  int phase = -1;
  int sign = 0;
  int turns = 0;
  bool given() const { return phase >= 0; }
};

// A 2D physical group: a named set of triangles sharing one material.
struct Region {
  int id = 0;              // Gmsh physical tag (or template-assigned id)
  std::string name;
  MagnetizationHint magnetization;
  CoilHint coil;
};

// Physical names may carry an annotation after a ':' (docs/motor-mesh.md):
//   magnet_1_a:parallel=67.5   magnetized along 67.5 degrees (rotor as meshed)
//   magnet_2:radial=out        radially outwards (radial=in: inwards)
//   coil_3_1:-B                a coil side of phase B, negative; coil_3_1:+A*9 with 9 turns
// parse_region_name splits "base:annotation" into the region's name and hints;
// it returns an empty string on success, else what is wrong with the annotation.
std::string parse_region_name(const std::string& physical_name, Region& region);
// The physical name that carries a region's hints (the inverse of the above).
std::string annotated_region_name(const Region& region);

// A 1D physical group: a named set of boundary nodes (P2 edge nodes included).
struct Boundary {
  int id = 0;
  std::string name;
  std::vector<int> nodes;  // sorted, unique, 0-based node indices
};

struct Mesh {
  int order = 1;                    // 1: 3-node triangles, 2: 6-node triangles
  std::vector<double> x, y;         // node coordinates [m]
  // nodes_per_triangle() entries per triangle, 0-based, counter-clockwise.
  // Order 2 follows Gmsh/VTK: vertices 0,1,2 then mid-edge nodes of (0,1), (1,2), (2,0).
  std::vector<int> triangles;
  std::vector<int> triangle_region;  // index into `regions` (not the physical tag)
  std::vector<Region> regions;
  std::vector<Boundary> boundaries;

  int nodes_per_triangle() const { return order == 1 ? 3 : 6; }
  std::size_t node_count() const { return x.size(); }
  std::size_t triangle_count() const { return triangle_region.size(); }

  // Index into `regions`, or -1.
  int find_region(std::string_view name) const {
    for (std::size_t i = 0; i < regions.size(); ++i)
      if (regions[i].name == name) return static_cast<int>(i);
    return -1;
  }
  const Boundary* find_boundary(std::string_view name) const {
    for (const auto& b : boundaries)
      if (b.name == name) return &b;
    return nullptr;
  }
};

// Thrown for a mesh that cannot be built or used; the message names the
// file or template, the entity and the problem.
class MeshError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rotormag::mesh

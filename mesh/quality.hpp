#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/mesh.hpp"

namespace rotormag::mesh {

// The numbers a mesh's nodes and triangles carry in the file they were read
// from (Gmsh node and element tags), so that messages name what the user
// sees in the file. Empty vectors: messages use 0-based indices.
struct EntityNumbers {
  std::vector<std::size_t> node;       // per mesh node
  std::vector<std::size_t> triangle;   // per triangle
};

// Throws MeshError, naming `origin` (file or template), for:
//  - non-finite node coordinates (node number and region);
//  - coincident nodes: two distinct nodes closer than 1e-12 x the bounding-box
//    diagonal (a hash grid, O(n)); such a mesh has a crack, the two sides
//    are not connected. Names both node numbers, their regions and the point;
//  - inverted (clockwise) or degenerate (area below relative_area_tolerance x
//    mean area) triangles, naming the element number, its region and its
//    vertex coordinates. For order 2 also checks the Jacobian at the
//    vertices and mid-edge points.
void check_quality(const Mesh& mesh, const std::string& origin, double relative_area_tolerance = 1e-10,
                   const EntityNumbers* numbers = nullptr);

// Only the coincident-node part of check_quality.
void check_coincident_nodes(const Mesh& mesh, const std::string& origin, const EntityNumbers* numbers = nullptr,
                            double relative_tolerance = 1e-12);

// extract_current_model (extract.hpp) that also returns the Gmsh tags of the
// nodes and triangles, for messages about a file. Defined in extract.cpp.
Mesh extract_current_model(const std::string& origin, OrientationPolicy policy, EntityNumbers& numbers);

}  // namespace rotormag::mesh

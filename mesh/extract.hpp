#pragma once
// Turning the Gmsh model held in memory into a plain Mesh, and making its
// triangles counter-clockwise.

#include <string>

#include "mesh/mesh.hpp"

namespace rotormag::mesh {

// How clockwise triangles are treated after extraction.
enum class OrientationPolicy {
  // Templates: Gmsh may orient each surface either way; flip every clockwise
  // triangle (the geometry is ours, so a clockwise triangle is not an error).
  flip_each,
  // Files: flip all triangles if most are clockwise; otherwise leave them, so
  // that the minority is reported by check_quality as inverted.
  follow_majority,
};

// Reads the mesh of the current Gmsh model: regions from 2D physical groups
// (unnamed ones become "region_<tag>"; equal names merge), boundaries from 1D
// physical groups (P2 edge nodes included), nodes renumbered compactly from 0
// in order of first use by a triangle. Throws MeshError naming `origin` for
// unsupported element types, missing 2D physical groups or mixed orders.
Mesh extract_current_model(const std::string& origin, OrientationPolicy policy);

// Signed area of the straight triangle through the three vertices [m^2].
double signed_vertex_area(const Mesh& mesh, std::size_t triangle);

// Reverses triangle `t` keeping (v0,v1,v2,m01,m12,m20) valid for P2.
void reverse_triangle(Mesh& mesh, std::size_t triangle);

void orient_triangles(Mesh& mesh, OrientationPolicy policy);

}  // namespace rotormag::mesh

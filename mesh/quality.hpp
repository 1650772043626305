#pragma once
#include <string>
#include "mesh/mesh.hpp"

namespace rotormag::mesh {

// Throws MeshError for inverted (clockwise) or degenerate (area below
// relative_area_tolerance x mean area) triangles, naming `origin` (file or
// template), the element number, its region and its vertex coordinates.
// For order 2 also checks the Jacobian at the vertices and mid-edge points.
void check_quality(const Mesh& mesh, const std::string& origin, double relative_area_tolerance = 1e-10);

}  // namespace rotormag::mesh

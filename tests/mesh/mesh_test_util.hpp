#pragma once
// Geometry helpers shared by the mesh tests.
#include <string>
#include "mesh/mesh.hpp"

namespace rotormag::mesh::test {

double vertex_area(const Mesh& mesh, std::size_t triangle);
// Exact area of a (possibly curved) P2 triangle: det J is quadratic, so the
// edge-midpoint rule integrates it exactly. For P1 the straight area.
double curved_area(const Mesh& mesh, std::size_t triangle);
double region_area(const Mesh& mesh, const std::string& region);
double total_area(const Mesh& mesh);
std::string temp_path(const std::string& name);
void write_text(const std::string& path, const std::string& text);

}  // namespace rotormag::mesh::test

#pragma once
// A structured triangulation of a rectangle, built without Gmsh, so that the
// kernels and the Newton loop can be tested on exactly known meshes.
#include "mesh/mesh.hpp"

namespace rotormag::testing {

// nx x ny squares, each split into two counter-clockwise triangles; order 2
// adds straight mid-edge nodes. Region 0 "left" (x < x0 + w/2), region 1
// "right"; boundary "outer" holds every node on the rectangle's edge.
mesh::Mesh structured_rectangle(int order, int nx, int ny, double x0 = 0, double y0 = 0, double w = 1, double h = 1);

}  // namespace rotormag::testing

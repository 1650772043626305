#pragma once
// Hand-made meshes and fields shared by test_postproc and the sample writer
// that feeds read_results.py.

#include <string>

#include "mesh/mesh.hpp"
#include "postproc/results_file.hpp"

namespace rotormag::postproc::testing {

struct Sample {
  mesh::Mesh mesh;
  FieldData fields;
  RunInfo info;
};

// Fields with distinct, easily checked values: A = x + 2y per node; per cell c
// B = (c+1, -(c+1), 0), |B| = sqrt(2)(c+1), H = 1000 B, Hm = 10 c.
inline void fill_fields(Sample& s) {
  const auto& m = s.mesh;
  for (std::size_t i = 0; i < m.node_count(); ++i) s.fields.A_Wb_per_m.push_back(m.x[i] + 2 * m.y[i]);
  for (std::size_t c = 0; c < m.triangle_count(); ++c) {
    const double b = static_cast<double>(c + 1);
    s.fields.B_T.insert(s.fields.B_T.end(), {b, -b, 0.0});
    s.fields.Bmag_T.push_back(1.4142135623730951 * b);
    s.fields.H_A_per_m.insert(s.fields.H_A_per_m.end(), {1000 * b, -1000 * b, 0.0});
    s.fields.Hm_A_per_m.push_back(10.0 * static_cast<double>(c));
  }
}

inline RunInfo sample_info(int order, std::size_t elements) {
  RunInfo info;
  info.case_name = "square";
  info.case_path = "cases/examples/square.toml";
  info.resolved_case_toml = "schema_version = 1\n[case]\nname = \"square\"\n";
  info.backend = "cpu";
  info.order = order;
  info.elements = elements;
  info.dofs = 1;
  info.newton_iterations = 2;
  info.converged = true;
  info.energy_J_per_m = 1.25;
  info.wall_s = 0.5;
  info.temperature_C = 80;
  info.history = {{1.0, 0.1, 1.0, 7}, {1e-3, 1e-4, 0.5, 9}};
  return info;
}

// Unit square split into 2 linear triangles, two regions (ids 10 and 20).
inline Sample p1_square() {
  Sample s;
  s.mesh.order = 1;
  s.mesh.x = {0, 1, 1, 0};
  s.mesh.y = {0, 0, 1, 1};
  s.mesh.triangles = {0, 1, 2, 0, 2, 3};
  s.mesh.triangle_region = {0, 1};
  s.mesh.regions = {{10, "iron", {}}, {20, "magnet", {}}};
  fill_fields(s);
  s.info = sample_info(1, 2);
  return s;
}

// One 6-node triangle; Gmsh/VTK order: vertices, then mid-edges 01, 12, 20.
inline Sample p2_triangle() {
  Sample s;
  s.mesh.order = 2;
  s.mesh.x = {0, 1, 0, 0.5, 0.5, 0};
  s.mesh.y = {0, 0, 1, 0, 0.5, 0.5};
  s.mesh.triangles = {0, 1, 2, 3, 4, 5};
  s.mesh.triangle_region = {0};
  s.mesh.regions = {{7, "air", {}}};
  fill_fields(s);
  s.info = sample_info(2, 1);
  return s;
}

}  // namespace rotormag::postproc::testing

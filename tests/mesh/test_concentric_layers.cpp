#include <gtest/gtest.h>

#include <cmath>

#include "mesh/templates.hpp"
#include "mesh_test_util.hpp"

namespace rotormag::mesh {
namespace {

using test::curved_area;
using test::vertex_area;
const double kPi = std::acos(-1.0);

// T1-like: magnet disk R = 10 mm in air up to R_b = 20 mm.
ConcentricLayers magnet_in_air() {
  ConcentricLayers g;
  g.radii_m = {0.010, 0.020};
  g.region_names = {"magnet", "air"};
  g.magnetization = {{MagnetizationKind::parallel, 0.5, 1.0}, {}};
  g.outer_boundary = "outer";
  return g;
}

TEST(ConcentricLayers, LinearAreaIsInscribedPolygonArea) {
  const Mesh m = build_concentric_layers(magnet_in_air(), {1, 1e-3});
  EXPECT_EQ(m.order, 1);
  const double exact = kPi * 0.02 * 0.02;
  const double area = test::total_area(m);
  // Chords of length h cut off about (2 pi^2/3) / N^2 of the disk, N = 2 pi R / h ~ 126.
  EXPECT_LT(area, exact);
  EXPECT_NEAR(area / exact, 1.0, 1e-3);
  EXPECT_NEAR(test::region_area(m, "magnet") / (kPi * 1e-4), 1.0, 2e-3);
  for (std::size_t t = 0; t < m.triangle_count(); ++t) ASSERT_GT(vertex_area(m, t), 0.0) << "triangle " << t;
  EXPECT_GT(m.triangle_count(), 1000u);
  EXPECT_LT(m.triangle_count(), 4000u);
}

TEST(ConcentricLayers, QuadraticMidNodesLieOnCirclesAndAreaIsExactToHighOrder) {
  const ConcentricLayers g = magnet_in_air();
  const Mesh m = build_concentric_layers(g, {2, 1e-3});
  ASSERT_EQ(m.order, 2);
  const double exact = kPi * 0.02 * 0.02;
  EXPECT_NEAR(test::total_area(m) / exact, 1.0, 1e-6);
  EXPECT_NEAR(test::region_area(m, "magnet") / (kPi * 1e-4), 1.0, 1e-6);

  // Every edge whose vertices lie on a layer circle has its mid-node on it.
  int curved_edges = 0;
  static const int edges[3][3] = {{0, 1, 3}, {1, 2, 4}, {2, 0, 5}};
  for (std::size_t t = 0; t < m.triangle_count(); ++t) {
    const int* v = &m.triangles[6 * t];
    for (const auto& e : edges)
      for (double r : g.radii_m) {
        auto on = [&](int n) { return std::abs(std::hypot(m.x[n], m.y[n]) - r) < 1e-12 * r; };
        if (!on(v[e[0]]) || !on(v[e[1]])) continue;
        ++curved_edges;
        EXPECT_NEAR(std::hypot(m.x[v[e[2]]], m.y[v[e[2]]]) / r, 1.0, 1e-12) << "triangle " << t;
      }
  }
  EXPECT_GT(curved_edges, 2 * 120);  // both circles, inner one seen from both sides
  for (std::size_t t = 0; t < m.triangle_count(); ++t) ASSERT_GT(vertex_area(m, t), 0.0) << "triangle " << t;
}

TEST(ConcentricLayers, RepeatedNamesShareOneRegionAndHintsAreCopied) {
  // T2-like: magnet / air / iron shell / air.
  ConcentricLayers g;
  g.radii_m = {0.01, 0.015, 0.02, 0.03};
  g.region_names = {"magnet", "air", "iron", "air"};
  g.element_size_m = {1e-3, 1e-3, 0.5e-3, 2e-3};
  g.magnetization = {{MagnetizationKind::parallel, 0.25, 1.0}, {}, {}, {}};
  g.outer_boundary = "outer_boundary";
  const Mesh m = build_concentric_layers(g, {1, 1e-3});
  ASSERT_EQ(m.regions.size(), 3u);
  EXPECT_EQ(m.regions[0].name, "magnet");
  EXPECT_EQ(m.regions[1].name, "air");
  EXPECT_EQ(m.regions[2].name, "iron");
  EXPECT_EQ(m.regions[0].magnetization.kind, MagnetizationKind::parallel);
  EXPECT_DOUBLE_EQ(m.regions[0].magnetization.angle_rad, 0.25);
  EXPECT_EQ(m.regions[1].magnetization.kind, MagnetizationKind::none);

  // Each triangle's centroid lies in a layer of its region's name.
  for (std::size_t t = 0; t < m.triangle_count(); ++t) {
    const int* v = &m.triangles[3 * t];
    const double r = std::hypot((m.x[v[0]] + m.x[v[1]] + m.x[v[2]]) / 3, (m.y[v[0]] + m.y[v[1]] + m.y[v[2]]) / 3);
    std::size_t layer = 0;
    while (layer + 1 < g.radii_m.size() && r > g.radii_m[layer]) ++layer;
    ASSERT_EQ(m.regions[m.triangle_region[t]].name, g.region_names[layer]) << "triangle " << t << " at r = " << r;
  }
  // Finer iron: smaller mean triangle there than in the outer air.
  const double iron_area = kPi * (0.02 * 0.02 - 0.015 * 0.015);
  std::size_t iron = 0;
  for (int r : m.triangle_region) iron += m.regions[r].name == "iron";
  EXPECT_LT(iron_area / iron, 0.3e-6);  // ~ sqrt(3)/4 h^2 = 0.11 mm^2 at h = 0.5 mm

  const Boundary* outer = m.find_boundary("outer_boundary");
  ASSERT_NE(outer, nullptr);
  EXPECT_GT(outer->nodes.size(), 80u);
  for (int n : outer->nodes) EXPECT_NEAR(std::hypot(m.x[n], m.y[n]), 0.03, 1e-12 * 0.03);
}

TEST(ConcentricLayers, QuadraticBoundaryIncludesMidNodes) {
  const Mesh m1 = build_concentric_layers(magnet_in_air(), {1, 2e-3});
  const Mesh m2 = build_concentric_layers(magnet_in_air(), {2, 2e-3});
  const Boundary* b1 = m1.find_boundary("outer");
  const Boundary* b2 = m2.find_boundary("outer");
  ASSERT_TRUE(b1 && b2);
  EXPECT_EQ(b2->nodes.size(), 2 * b1->nodes.size());  // closed circle: as many mid-nodes as vertices
  for (int n : b2->nodes) EXPECT_NEAR(std::hypot(m2.x[n], m2.y[n]) / 0.02, 1.0, 1e-12);
}

TEST(ConcentricLayers, RejectsBadInput) {
  ConcentricLayers g = magnet_in_air();
  g.radii_m = {0.02, 0.01};
  try {
    build_concentric_layers(g, {1, 1e-3});
    FAIL() << "expected MeshError";
  } catch (const MeshError& e) {
    EXPECT_NE(std::string(e.what()).find("radii_m"), std::string::npos) << e.what();
  }
  g = magnet_in_air();
  g.region_names.pop_back();
  EXPECT_THROW(build_concentric_layers(g, {1, 1e-3}), MeshError);
  EXPECT_THROW(build_concentric_layers(magnet_in_air(), {3, 1e-3}), MeshError);
}

}  // namespace
}  // namespace rotormag::mesh

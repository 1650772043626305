#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "mesh/templates.hpp"
#include "mesh_test_util.hpp"

namespace rotormag::mesh {
namespace {

const double kPi = std::acos(-1.0);
const MeshingOptions kDemo1{1, 2.5e-3}, kDemo2{2, 2.5e-3};

std::string error_of(const SlotlessVRotor& g) {
  try {
    build_slotless_v_rotor(g, kDemo1);
  } catch (const MeshError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SlotlessVRotor, DefaultDemoRegionsSizesAndMagnetization) {
  const SlotlessVRotor g;
  const auto start = std::chrono::steady_clock::now();
  const Mesh m = build_slotless_v_rotor(g, kDemo1);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("IPM default order 1: %zu triangles, %zu nodes, %.2f s\n", m.triangle_count(), m.node_count(), seconds);
  std::vector<std::size_t> per_region(m.regions.size(), 0);
  for (int r : m.triangle_region) ++per_region[r];
  for (std::size_t r = 0; r < m.regions.size(); ++r)
    if (r < 4 || r + 4 > m.regions.size()) std::printf("  %-12s %zu\n", m.regions[r].name.c_str(), per_region[r]);
  EXPECT_GE(m.triangle_count(), 5000u);
  EXPECT_LE(m.triangle_count(), 18000u);  // target was 15000: the 0.35 mm gap sets ~3450 triangles plus graded bands
  EXPECT_EQ(m.regions.size(), 2u * g.poles + 5u);
  for (const char* name : {"shaft", "rotor_core", "pocket", "airgap", "stator_core"}) EXPECT_GE(m.find_region(name), 0) << name;

  const double alpha = 0.5 * g.v_angle_deg * kPi / 180;
  for (int pole = 1; pole <= g.poles; ++pole)
    for (char side : {'a', 'b'}) {
      const std::string name = "magnet_" + std::to_string(pole) + "_" + side;
      const int r = m.find_region(name);
      ASSERT_GE(r, 0) << name;
      const auto& hint = m.regions[r].magnetization;
      EXPECT_EQ(hint.kind, MagnetizationKind::parallel) << name;
      // Direction in pole coordinates: a (sin a, -cos a), b (sin a, cos a); S poles reversed.
      const double axis = (pole - 1) * 2 * kPi / g.poles;
      const double s = pole % 2 ? 1.0 : -1.0;
      const double u = s * std::sin(alpha), v = s * (side == 'a' ? -std::cos(alpha) : std::cos(alpha));
      const double ex = std::cos(axis) * u - std::sin(axis) * v, ey = std::sin(axis) * u + std::cos(axis) * v;
      EXPECT_NEAR(std::cos(hint.angle_rad), ex, 1e-12) << name;
      EXPECT_NEAR(std::sin(hint.angle_rad), ey, 1e-12) << name;
      // N poles push flux outwards: radial component of Br at the magnet is positive.
      EXPECT_EQ(std::cos(hint.angle_rad - axis) > 0, pole % 2 == 1) << name;
      EXPECT_NEAR(test::region_area(m, name), g.magnet_length_m * g.magnet_thickness_m, 1e-9 * 1e-4) << name;
    }
  // Areas of the annular parts (straight P1 edges: to ~1e-3).
  const double bore = g.rotor_outer_radius_m + g.airgap_m;
  EXPECT_NEAR(test::region_area(m, "airgap") / (kPi * (bore * bore - 0.04 * 0.04)), 1.0, 1e-3);
  EXPECT_NEAR(test::total_area(m) / (kPi * 0.06 * 0.06), 1.0, 1e-3);

  for (const char* b : {"stator_outer", "shaft_surface", "rotor_surface", "stator_bore"}) ASSERT_NE(m.find_boundary(b), nullptr) << b;
  for (int n : m.find_boundary("stator_outer")->nodes) EXPECT_NEAR(std::hypot(m.x[n], m.y[n]), 0.06, 1e-12 * 0.06);
  for (int n : m.find_boundary("shaft_surface")->nodes) EXPECT_NEAR(std::hypot(m.x[n], m.y[n]), g.shaft_radius_m, 1e-12 * 0.06);
  for (std::size_t t = 0; t < m.triangle_count(); ++t) ASSERT_GT(test::vertex_area(m, t), 0.0) << "triangle " << t;

  // At least two element layers across the gap: gap triangles are no taller than ~gap/2.
  std::size_t gap_triangles = 0;
  for (int r : m.triangle_region) gap_triangles += r == m.find_region("airgap");
  const double circumference = 2 * kPi * 0.04;
  EXPECT_GE(gap_triangles, static_cast<std::size_t>(2 * 2 * circumference / g.airgap_m * 0.9));
}

TEST(SlotlessVRotor, QuadraticDemoHasCurvedGap) {
  const SlotlessVRotor g;
  const auto start = std::chrono::steady_clock::now();
  const Mesh m = build_slotless_v_rotor(g, kDemo2);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("IPM default order 2: %zu triangles, %zu nodes, %.2f s\n", m.triangle_count(), m.node_count(), seconds);
  ASSERT_EQ(m.order, 2);
  EXPECT_GE(m.triangle_count(), 5000u);
  EXPECT_LE(m.triangle_count(), 18000u);  // target was 15000: the 0.35 mm gap sets ~3450 triangles plus graded bands
  const double bore = g.rotor_outer_radius_m + g.airgap_m;
  EXPECT_NEAR(test::region_area(m, "airgap") / (kPi * (bore * bore - 0.04 * 0.04)), 1.0, 1e-8);
  EXPECT_NEAR(test::total_area(m) / (kPi * 0.06 * 0.06), 1.0, 1e-7);
  for (int n : m.find_boundary("rotor_surface")->nodes) EXPECT_NEAR(std::hypot(m.x[n], m.y[n]) / 0.04, 1.0, 1e-12);
}

TEST(SlotlessVRotor, RejectsImpossibleParametersNamingThem) {
  SlotlessVRotor g;
  g.poles = 7;
  EXPECT_NE(error_of(g).find("poles"), std::string::npos) << error_of(g);
  g = {};
  g.airgap_m = 0;
  EXPECT_NE(error_of(g).find("airgap_m"), std::string::npos) << error_of(g);
  g = {};
  g.magnet_length_m = 0.03;  // reaches past the rotor surface / neighbouring pole
  EXPECT_NE(error_of(g).find("magnet_length_m"), std::string::npos) << error_of(g);
  g = {};
  g.magnet_depth_m = 0.027;  // V tip inside the shaft
  EXPECT_NE(error_of(g).find("magnet_depth_m"), std::string::npos) << error_of(g);
  g = {};
  g.v_angle_deg = 160;  // nearly flat V: magnets cross into the neighbouring pole
  EXPECT_NE(error_of(g).find("overlap"), std::string::npos) << error_of(g);
  g = {};
  g.bridge_m = 0.006;  // pocket would have to cross the rotor surface
  EXPECT_NE(error_of(g).find("bridge"), std::string::npos) << error_of(g);
}

}  // namespace
}  // namespace rotormag::mesh

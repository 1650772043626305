// The example cases build their meshes (through mesh/, with Gmsh) and every
// region binds: the template's names and the examples' bindings agree.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace rotormag::cases {
namespace {

TEST(BuildMesh, IronRingExampleBindsEveryRegion) {
  const Case c = load_case(testing::source_path("cases/examples/t7_iron_ring.toml"), testing::shipped_library());
  const mesh::Mesh m = build_mesh(c);
  EXPECT_EQ(m.order, 1);
  const auto resolved = bind_regions(c, m);
  ASSERT_EQ(resolved.size(), m.regions.size());
  for (std::size_t r = 0; r < resolved.size(); ++r) {
    ASSERT_NE(resolved[r].material, nullptr) << m.regions[r].name;
    if (m.regions[r].name == "conductor") EXPECT_GT(resolved[r].current_density_A_per_m2, 0.0);
    else EXPECT_EQ(resolved[r].current_density_A_per_m2, 0.0);
  }
}

TEST(BuildMesh, DemoIpmExampleBindsEveryRegionWithMagnetDirections) {
  const Case c = load_case(testing::source_path("cases/examples/demo_ipm.toml"), testing::shipped_library());
  const mesh::Mesh m = build_mesh(c);
  EXPECT_EQ(m.order, 2);
  const auto resolved = bind_regions(c, m);
  int magnets = 0;
  for (std::size_t r = 0; r < resolved.size(); ++r) {
    if (resolved[r].material->kind != Material::Kind::magnet) continue;
    ++magnets;
    EXPECT_NE(resolved[r].magnetization.kind, mesh::MagnetizationKind::none) << m.regions[r].name;
  }
  EXPECT_EQ(magnets, 16);  // 8 poles x 2 magnets
}

}  // namespace
}  // namespace rotormag::cases

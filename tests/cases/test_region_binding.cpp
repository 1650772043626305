// bind_regions on small hand-made meshes (no Gmsh needed): exact names over
// globs, every region bound once, every binding and boundary used.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace rotormag::cases {
namespace {

namespace fs = std::filesystem;

// A mesh with only the names bind_regions looks at.
mesh::Mesh named_mesh(std::vector<std::string> regions, std::vector<std::string> boundaries) {
  mesh::Mesh m;
  int id = 1;
  for (auto& name : regions) m.regions.push_back(mesh::Region{id++, name, {}});
  for (auto& name : boundaries) m.boundaries.push_back(mesh::Boundary{id++, name, {}});
  return m;
}

Case case_from(const std::string& bindings) {
  // One directory per test: ctest may run the tests in parallel.
  const fs::path dir = fs::temp_directory_path() / "rotormag_test_binding" /
                       ::testing::UnitTest::GetInstance()->current_test_info()->name();
  fs::create_directories(dir);
  const fs::path path = dir / "binding.toml";
  std::ofstream(path) << "schema_version = 1\n[mesh]\ntemplate = \"ipm_v_rotor\"\n" << bindings;
  return load_case(path.string(), testing::shipped_library());
}

std::string binding_error(const Case& c, const mesh::Mesh& m) {
  try {
    bind_regions(c, m);
  } catch (const CaseError& e) {
    return e.what();
  }
  return "";
}

const char* ipm_bindings = R"(
[[region]]
name = "magnet_*"
material = "N42SH"
[[region]]
name = "magnet_2_b"
material = "N35EH"
magnetization = { direction = "parallel", angle_deg = 45 }
[[region]]
name = "*_core"
material = "M270-35A"
[[region]]
name = "air*"
material = "air"
[[region]]
name = "coil"
material = "copper"
current_density_A_per_m2 = 5e6
[[boundary]]
name = "stator_outer"
type = "dirichlet"
)";

TEST(RegionBinding, ExactNamesWinOverGlobsAndHintsComeFromTheMesh) {
  const Case c = case_from(ipm_bindings);
  mesh::Mesh m = named_mesh({"magnet_1_a", "magnet_2_b", "rotor_core", "stator_core", "airgap", "coil"},
                            {"stator_outer"});
  m.regions[0].magnetization = {mesh::MagnetizationKind::parallel, 0.3, 1.0};
  const auto resolved = bind_regions(c, m);
  ASSERT_EQ(resolved.size(), 6u);
  EXPECT_EQ(resolved[0].material->name, "N42SH");
  EXPECT_EQ(resolved[0].magnetization.kind, mesh::MagnetizationKind::parallel);
  EXPECT_DOUBLE_EQ(resolved[0].magnetization.angle_rad, 0.3);
  EXPECT_EQ(resolved[1].material->name, "N35EH");  // exact name beats magnet_*
  EXPECT_NEAR(resolved[1].magnetization.angle_rad, std::acos(-1.0) / 4, 1e-15);
  EXPECT_EQ(resolved[2].material->name, "M270-35A");
  EXPECT_EQ(resolved[3].material->name, "M270-35A");
  EXPECT_EQ(resolved[4].material->name, "air");
  EXPECT_EQ(resolved[4].magnetization.kind, mesh::MagnetizationKind::none);
  EXPECT_EQ(resolved[5].material->name, "copper");
  EXPECT_DOUBLE_EQ(resolved[5].current_density_A_per_m2, 5e6);
}

TEST(RegionBinding, RegionWithoutBindingIsNamedWithTheBindings) {
  const Case c = case_from(ipm_bindings);
  mesh::Mesh m = named_mesh({"magnet_1_a", "magnet_2_b", "rotor_core", "airgap", "coil", "shaft"}, {"stator_outer"});
  m.regions[0].magnetization.kind = mesh::MagnetizationKind::radial;
  const std::string error = binding_error(c, m);
  EXPECT_NE(error.find("mesh region 'shaft' has no [[region]] binding (bindings: magnet_*, magnet_2_b, *_core, "
                       "air*, coil)"), std::string::npos) << error;
}

TEST(RegionBinding, BindingThatMatchesNothingIsReportedAtItsPosition) {
  const Case c = case_from(ipm_bindings);
  mesh::Mesh m = named_mesh({"magnet_2_b", "rotor_core", "airgap"}, {"stator_outer"});
  const std::string error = binding_error(c, m);
  // [[region]] 'magnet_*' is the table at line 5, 'coil' at line 18.
  EXPECT_NE(error.find("binding.toml:5:1: region[0].name: 'magnet_*' matches no mesh region (mesh regions: "
                       "magnet_2_b, rotor_core, airgap)"), std::string::npos) << error;
  EXPECT_NE(error.find(":18:1: region[4].name: 'coil' matches no mesh region"), std::string::npos) << error;
}

TEST(RegionBinding, TwoGlobsMatchingOneRegionNameBoth) {
  const Case c = case_from(R"(
[[region]]
name = "rotor_*"
material = "M270-35A"
[[region]]
name = "*_core"
material = "M400-50A"
)");
  const std::string error = binding_error(c, named_mesh({"rotor_core"}, {}));
  EXPECT_NE(error.find("mesh region 'rotor_core' matches both 'rotor_*' (line 5) and '*_core' (line 8)"),
            std::string::npos) << error;
}

TEST(RegionBinding, MagnetNeedsADirection) {
  const Case c = case_from(R"(
[[region]]
name = "magnet"
material = "N42SH"
)");
  const std::string error = binding_error(c, named_mesh({"magnet"}, {}));  // a .msh: no hints
  EXPECT_NE(error.find("magnet region 'magnet' has no magnetization direction in the mesh"), std::string::npos)
      << error;
}

TEST(RegionBinding, DirichletBoundaryMustExist) {
  const Case c = case_from(R"(
[[region]]
name = "*"
material = "air"
[[boundary]]
name = "stator_outter"
type = "dirichlet"
)");
  const std::string error = binding_error(c, named_mesh({"airgap"}, {"stator_outer", "shaft_surface"}));
  EXPECT_NE(error.find("boundary 'stator_outter' is not in the mesh (mesh boundaries: stator_outer, shaft_surface)"),
            std::string::npos) << error;
}

TEST(RegionBinding, RadialMagnetizationFromTheCase) {
  const Case c = case_from(R"(
[[region]]
name = "ring_magnet"
material = "N42"
magnetization = { direction = "radial", outward = false }
)");
  const auto resolved = bind_regions(c, named_mesh({"ring_magnet"}, {}));
  EXPECT_EQ(resolved[0].magnetization.kind, mesh::MagnetizationKind::radial);
  EXPECT_EQ(resolved[0].magnetization.sign, -1.0);
}

}  // namespace
}  // namespace rotormag::cases

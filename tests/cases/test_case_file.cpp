// Good case files parse into the expected SI values, with defaults filled.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace rotormag::cases {
namespace {

using testing::shipped_library;
using testing::source_path;
namespace fs = std::filesystem;

// One directory per test: ctest may run the tests in parallel.
fs::path test_directory() {
  return fs::temp_directory_path() / "rotormag_test_cases" /
         ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

// A case file written into a fresh temporary directory.
fs::path write_case(const std::string& name, const std::string& text) {
  const fs::path path = test_directory() / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

TEST(CaseFile, DemoIpmExample) {
  const Case c = load_case(source_path("cases/examples/demo_ipm.toml"), shipped_library());
  EXPECT_EQ(c.schema_version, 1);
  EXPECT_EQ(c.name, "demo_ipm");
  EXPECT_DOUBLE_EQ(c.temperature_C, 100.0);
  EXPECT_EQ(c.mesh.kind, MeshSpec::Kind::ipm_v_rotor);
  EXPECT_EQ(c.mesh.options.order, 2);
  EXPECT_NEAR(c.mesh.options.element_size_m, 2.5e-3, 1e-15);
  EXPECT_EQ(c.mesh.ipm_v_rotor.poles, 8);
  EXPECT_NEAR(c.mesh.ipm_v_rotor.airgap_m, 0.7e-3, 1e-15);
  EXPECT_NEAR(c.mesh.ipm_v_rotor.magnet_thickness_m, 2.5e-3, 1e-15);
  EXPECT_NEAR(c.mesh.ipm_v_rotor.center_web_m, 1.5e-3, 1e-15);
  EXPECT_DOUBLE_EQ(c.mesh.ipm_v_rotor.v_angle_deg, 120.0);
  ASSERT_EQ(c.regions.size(), 6u);
  EXPECT_EQ(c.regions[0].pattern, "magnet_*");
  EXPECT_EQ(c.regions[0].magnetization.kind, Magnetization::Kind::from_mesh);
  ASSERT_EQ(c.dirichlet.size(), 1u);
  EXPECT_EQ(c.dirichlet[0].boundary, "stator_outer");
  // Only the materials the bindings use are resolved into the case.
  EXPECT_EQ(c.materials.size(), 3u);
  ASSERT_TRUE(c.materials.count("N42SH"));
  EXPECT_NEAR(c.materials.at("N42SH").grade.alpha_Br_per_K, -0.0012, 1e-15);
  // Solver defaults.
  EXPECT_EQ(c.solver.newton_max_iterations, 50);
  EXPECT_DOUBLE_EQ(c.solver.cg_relative_tolerance, 1e-12);
  EXPECT_TRUE(c.solver.line_search);
}

TEST(CaseFile, IronRingExample) {
  const Case c = load_case(source_path("cases/examples/t7_iron_ring.toml"), shipped_library());
  EXPECT_EQ(c.mesh.kind, MeshSpec::Kind::concentric_layers);
  EXPECT_EQ(c.mesh.options.order, 1);
  ASSERT_EQ(c.mesh.layers.radii_m.size(), 4u);
  EXPECT_NEAR(c.mesh.layers.radii_m[0], 5e-3, 1e-15);
  EXPECT_NEAR(c.mesh.layers.radii_m[3], 30e-3, 1e-15);
  EXPECT_EQ(c.mesh.layers.outer_boundary, "outer");
  EXPECT_DOUBLE_EQ(c.temperature_C, 20.0);  // default
  // 1000 A through the r < 5 mm conductor.
  const double pi = std::acos(-1.0);
  EXPECT_NEAR(c.regions[0].current_density_A_per_m2 * pi * 25e-6, 1000.0, 1e-9);
  EXPECT_EQ(c.materials.at("getdp_exp_iron").kind, Material::Kind::exponential_reluctivity);
}

TEST(CaseFile, NameDefaultsToFileStemAndLocalMaterialsAreSI) {
  const fs::path path = write_case("my_motor.toml", R"(
schema_version = 1
[mesh]
template = "ipm_v_rotor"
[[region]]
name = "magnet_1_a"
material = "weak_ferrite"
magnetization = { direction = "parallel", angle_deg = 90 }
[[region]]
name = "magnet_1_b"
material = "weak_ferrite"
magnetization = { direction = "radial", outward = false }
[[region]]
name = "*"
material = "soft"
[materials.weak_ferrite]
kind = "magnet"
Br20_T = 0.4
HcJ20_kA_per_m = 300
alpha_Br_pct_per_C = -0.2
beta_HcJ_pct_per_C = 0.3
density_g_per_cm3 = 4.9
source = "test values"
[materials.soft]
kind = "linear"
mu_r = 1000
source = "test values"
)");
  const Case c = load_case(path.string(), shipped_library());
  EXPECT_EQ(c.name, "my_motor");
  EXPECT_EQ(c.mesh.options.order, 1);                      // default
  EXPECT_NEAR(c.mesh.options.element_size_m, 1e-3, 1e-15);  // default
  const MagnetGrade& g = c.materials.at("weak_ferrite").grade;
  EXPECT_NEAR(g.alpha_Br_per_K, -0.002, 1e-15);
  EXPECT_NEAR(g.beta_HcJ_per_K, 0.003, 1e-15);
  EXPECT_NEAR(g.HcJ20_A_per_m, 300e3, 1e-9);
  EXPECT_NEAR(g.density_kg_per_m3, 4900.0, 1e-9);
  EXPECT_EQ(c.regions[0].magnetization.kind, Magnetization::Kind::parallel);
  EXPECT_NEAR(c.regions[0].magnetization.angle_rad, std::acos(-1.0) / 2, 1e-15);
  EXPECT_EQ(c.regions[1].magnetization.kind, Magnetization::Kind::radial);
  EXPECT_EQ(c.regions[1].magnetization.sign, -1.0);
  EXPECT_DOUBLE_EQ(c.materials.at("soft").mu_r, 1000.0);
}

TEST(CaseFile, MeshFileIsResolvedRelativeToTheCase) {
  const fs::path dir = test_directory() / "sub";
  fs::create_directories(dir);
  std::ofstream(dir / "rotor.msh") << "$MeshFormat\n4.1 0 8\n$EndMeshFormat\n";
  const fs::path path = write_case("sub/with_file.toml", R"(
schema_version = 1
[mesh]
file = "rotor.msh"
order = 2
[[region]]
name = "*"
material = "air"
)");
  const Case c = load_case(path.string(), shipped_library());
  EXPECT_EQ(c.mesh.kind, MeshSpec::Kind::file);
  EXPECT_EQ(fs::path(c.mesh.file), (dir / "rotor.msh").lexically_normal());
}

TEST(CaseFile, ResolvedCaseLoadsAgainWithTheSameValues) {
  const Case c = load_case(source_path("cases/examples/demo_ipm.toml"), shipped_library());
  EXPECT_NE(c.resolved_toml.find("newton_max_iterations = 50"), std::string::npos) << c.resolved_toml;
  const fs::path path = write_case("resolved.toml", c.resolved_toml);
  const Case again = load_case(path.string(), shipped_library());
  EXPECT_EQ(again.name, c.name);
  EXPECT_DOUBLE_EQ(again.temperature_C, c.temperature_C);
  EXPECT_EQ(again.mesh.options.order, c.mesh.options.order);
  EXPECT_NEAR(again.mesh.ipm_v_rotor.magnet_depth_m, c.mesh.ipm_v_rotor.magnet_depth_m, 1e-15);
  EXPECT_NEAR(again.mesh.ipm_v_rotor.airgap_m, c.mesh.ipm_v_rotor.airgap_m, 1e-15);
  EXPECT_EQ(again.regions.size(), c.regions.size());
  EXPECT_EQ(again.materials.size(), c.materials.size());
  EXPECT_EQ(again.resolved_toml, c.resolved_toml);
}

TEST(CaseFile, MissingCaseFile) {
  try {
    load_case("/nonexistent/case.toml", shipped_library());
    FAIL() << "expected CaseError";
  } catch (const CaseError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/case.toml: case file not found"), std::string::npos);
  }
}

}  // namespace
}  // namespace rotormag::cases

// The shipped material library loads, every material says where its numbers
// come from, and units are converted to SI.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace rotormag::cases {
namespace {

using testing::shipped_library;
using testing::source_path;

TEST(MaterialLibrary, ShippedLibraryLoadsWithSources) {
  const MaterialLibrary& library = shipped_library();
  const auto names = library.names();
  EXPECT_GE(names.size(), 18u);  // 4 steels + 11 magnets + air, copper, getdp_exp_iron
  for (const auto& name : names) {
    const Material* m = library.find(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_FALSE(m->source.empty()) << name << " has no source";
    EXPECT_EQ(m->name, name);
  }
}

TEST(MaterialLibrary, ContainsTheNamedMaterials) {
  const MaterialLibrary& library = shipped_library();
  for (const char* name : {"M270-35A", "M235-35A", "M400-50A", "M-19", "N35", "N42", "N48", "N52", "N42M",
                           "N50M", "N42H", "N42SH", "N38UH", "N35EH", "N33AH", "air", "copper", "getdp_exp_iron"})
    EXPECT_NE(library.find(name), nullptr) << name;
  EXPECT_EQ(library.find("unobtainium"), nullptr);
}

TEST(MaterialLibrary, MagnetValuesAreConvertedToSI) {
  const Material* m = shipped_library().find("N42SH");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->kind, Material::Kind::magnet);
  const MagnetGrade& g = m->grade;
  EXPECT_DOUBLE_EQ(g.Br20_T, 1.30);
  EXPECT_NEAR(g.alpha_Br_per_K, -0.0012, 1e-15);   // -0.12 %/C
  EXPECT_NEAR(g.beta_HcJ_per_K, -0.0055, 1e-15);   // -0.55 %/C
  EXPECT_NEAR(g.HcJ20_A_per_m, 1592.0e3, 1e-6);    // 1592 kA/m
  EXPECT_NEAR(g.HcB_A_per_m, 907.2e3, 1e-6);
  EXPECT_DOUBLE_EQ(g.mu_rec, 1.05);
  EXPECT_DOUBLE_EQ(g.density_kg_per_m3, 7500.0);   // 7.5 g/cm3
  EXPECT_DOUBLE_EQ(g.coefficient_range_low_C, 20.0);
  EXPECT_DOUBLE_EQ(g.coefficient_range_high_C, 150.0);
  EXPECT_DOUBLE_EQ(g.max_working_temperature_C, 150.0);
}

TEST(MaterialLibrary, SteelCurvesStartAtOriginAndIncrease) {
  for (const char* name : {"M270-35A", "M235-35A", "M400-50A", "M-19"}) {
    const Material* m = shipped_library().find(name);
    ASSERT_NE(m, nullptr) << name;
    ASSERT_EQ(m->kind, Material::Kind::bh_curve) << name;
    const BHCurve& c = m->curve;
    ASSERT_EQ(c.B_T.size(), c.H_A_per_m.size());
    ASSERT_GE(c.B_T.size(), 3u);
    EXPECT_EQ(c.B_T[0], 0.0);
    EXPECT_EQ(c.H_A_per_m[0], 0.0);
    for (std::size_t i = 1; i < c.B_T.size(); ++i) {
      EXPECT_GT(c.B_T[i], c.B_T[i - 1]) << name << " point " << i;
      EXPECT_GT(c.H_A_per_m[i], c.H_A_per_m[i - 1]) << name << " point " << i;
    }
  }
  // Spot check against steel_summary.csv: M270-35A needs 1700 A/m at 1.5 T.
  const BHCurve& m270 = shipped_library().find("M270-35A")->curve;
  EXPECT_DOUBLE_EQ(m270.B_T[15], 1.5);
  EXPECT_DOUBLE_EQ(m270.H_A_per_m[15], 1700.0);
}

TEST(MaterialLibrary, LinearAndAnalyticMaterials) {
  const Material* air = shipped_library().find("air");
  ASSERT_NE(air, nullptr);
  EXPECT_EQ(air->kind, Material::Kind::linear);
  EXPECT_DOUBLE_EQ(air->mu_r, 1.0);
  const Material* iron = shipped_library().find("getdp_exp_iron");
  ASSERT_NE(iron, nullptr);
  EXPECT_EQ(iron->kind, Material::Kind::exponential_reluctivity);
  EXPECT_DOUBLE_EQ(iron->nu_a, 100.0);
  EXPECT_DOUBLE_EQ(iron->nu_b, 10.0);
  EXPECT_DOUBLE_EQ(iron->nu_c, 1.8);
}

TEST(MaterialLibrary, BadLibraryFileIsReportedWithPositions) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "rotormag_test_bad_library";
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "broken.toml");
    out << "[weird]\nkind = \"linear\"\nmu_r = -2.0\nsource = \"test\"\n"
        << "[nosource]\nkind = \"linear\"\nmu_r = 1.0\n";
  }
  try {
    MaterialLibrary::load(dir.string());
    FAIL() << "expected CaseError";
  } catch (const CaseError& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("broken.toml:3:8: weird.mu_r: relative permeability must be > 0"), std::string::npos) << text;
    EXPECT_NE(text.find("nosource.source: missing required key 'source'"), std::string::npos) << text;
    EXPECT_EQ(e.issues().size(), 2u);
  }
  fs::remove_all(dir);
}

TEST(MaterialLibrary, DefaultDirectoryHonoursEnvironment) {
  setenv("ROTORMAG_MATERIALS", "/some/where", 1);
  EXPECT_EQ(default_library_directory(), "/some/where");
  unsetenv("ROTORMAG_MATERIALS");
  EXPECT_TRUE(std::filesystem::is_directory(default_library_directory()));
}

}  // namespace
}  // namespace rotormag::cases

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

TEST(MaterialLibrary, ContainsTheLowHreFamilies) {
  const MaterialLibrary& library = shipped_library();
  // GBD Tb and Dy, reduced bulk Dy, Ce-substituted (measured-curve form), FEMM's N30EH.
  for (const char* name : {"N48-GBD-Tb", "N48-GBD-Dy", "N48-Dy4", "Ce-N35", "N30EH-FEMM"}) {
    const Material* m = library.find(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->kind, Material::Kind::magnet) << name;
    EXPECT_FALSE(m->note.empty()) << name << ": estimates must be explained in the note";
  }
}

TEST(MaterialLibrary, EveryMagnetStatesItsKneeAndComposition) {
  const MaterialLibrary& library = shipped_library();
  int magnets = 0;
  for (const auto& name : library.names()) {
    const Material* m = library.find(name);
    if (m->kind != Material::Kind::magnet) continue;
    ++magnets;
    const MagnetGrade& g = m->grade;
    EXPECT_GE(g.squareness, 0.5) << name;
    EXPECT_LE(g.squareness, 0.999) << name;
    EXPECT_STRNE(knee_confidence_name(g.knee_confidence), "?") << name;   // one of the spellings
    // No source gives a knee shape for these grades: each says so, in the
    // machine-readable field and in the note.
    EXPECT_EQ(g.knee_confidence, KneeConfidence::estimated) << name;
    EXPECT_NE(m->note.find("squareness"), std::string::npos) << name;
    EXPECT_TRUE(g.composition.stated) << name;
    EXPECT_EQ(g.composition.confidence, CompositionConfidence::estimated) << name;
  }
  EXPECT_EQ(magnets, 16);
}

TEST(MaterialLibrary, KneeCompositionAndGbdKeysAreConvertedToSI) {
  const MagnetGrade& sh = shipped_library().find("N42SH")->grade;
  EXPECT_DOUBLE_EQ(sh.squareness, 0.95);
  EXPECT_EQ(sh.knee_confidence, KneeConfidence::estimated);
  EXPECT_DOUBLE_EQ(sh.mu_rec_per_K, 0.0);
  EXPECT_DOUBLE_EQ(sh.composition.Dy_wt_pct, 3.03);   // (1592 - 954.9) / 210
  EXPECT_DOUBLE_EQ(sh.composition.RE_wt_pct, 31.0);
  EXPECT_FALSE(sh.gbd.present());
  EXPECT_TRUE(sh.jh_curves.empty());

  const MagnetGrade& tb = shipped_library().find("N48-GBD-Tb")->grade;
  EXPECT_EQ(tb.gbd.element, GbdElement::Tb);
  EXPECT_DOUBLE_EQ(tb.gbd.wt_pct, 0.5);
  EXPECT_NEAR(tb.gbd.surface_gain_A_per_m, 744.5e3, 1e-6);
  EXPECT_NEAR(tb.gbd.depth_m, 2e-3, 1e-15);
  EXPECT_NEAR(tb.gbd.beta_gain_per_K, -0.004059, 1e-15);
  EXPECT_EQ(tb.gbd.profile_confidence, CurveConfidence::estimated);
  EXPECT_NEAR(tb.HcJ20_A_per_m, 954.9e3, 1e-6);   // the undiffused core

  const MagnetGrade& femm = shipped_library().find("N30EH-FEMM")->grade;
  EXPECT_NEAR(femm.mu_rec_per_K, 0.00074, 1e-15);
  EXPECT_DOUBLE_EQ(femm.mu_rec, 1.0278);
}

TEST(MaterialLibrary, MeasuredCurvesAreRead) {
  const Material* ce = shipped_library().find("Ce-N35");
  ASSERT_NE(ce, nullptr);
  const MagnetGrade& g = ce->grade;
  ASSERT_EQ(g.jh_curves.size(), 4u);
  EXPECT_EQ(g.curves_confidence, CurveConfidence::estimated);
  EXPECT_DOUBLE_EQ(g.composition.Ce_fraction_of_RE, 0.2);
  const double temperatures[] = {20, 50, 80, 120};
  for (std::size_t i = 0; i < 4; ++i) {
    const JHCurve& c = g.jh_curves[i];
    EXPECT_DOUBLE_EQ(c.temperature_C, temperatures[i]);
    ASSERT_EQ(c.h_A_per_m.size(), c.J_T.size());
    EXPECT_EQ(c.h_A_per_m.front(), 0.0);
    EXPECT_LE(c.J_T.back(), 0.0);
  }
  EXPECT_NEAR(g.jh_curves[0].h_A_per_m[15], 867.4e3, 1e-6);   // kA/m -> A/m; J = 0 at HcJ20
  EXPECT_DOUBLE_EQ(g.jh_curves[0].J_T[15], 0.0);
  EXPECT_DOUBLE_EQ(g.jh_curves[0].J_T[0], g.Br20_T);
}

TEST(MaterialLibrary, PriceScenariosLoadWithTheLate2025Default) {
  const MaterialLibrary& library = shipped_library();
  EXPECT_EQ(library.default_price_scenario(), "late-2025");
  const PriceScenario* s = library.price_scenario();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name, "late-2025");
  EXPECT_EQ(s->currency, "CNY");
  ASSERT_NE(s->find("Tb"), nullptr);
  ASSERT_NE(s->find("Dy"), nullptr);
  EXPECT_EQ(s->find("Tb")->product, "Tb metal");
  EXPECT_DOUBLE_EQ(s->find("Tb")->price_per_t, 8.25e6);
  EXPECT_EQ(s->find("Tb")->date, "2025-11-14");
  EXPECT_EQ(s->find("Dy")->product, "Dy-Fe alloy");
  EXPECT_DOUBLE_EQ(s->find("Dy")->price_per_t, 1.51e6);
  EXPECT_DOUBLE_EQ(s->find("Dy")->element_mass_fraction, 0.80);
  EXPECT_DOUBLE_EQ(s->find("Dy")->per_kg_element(), 1510.0 / 0.8);   // CNY per kg of Dy
  ASSERT_NE(s->find("PrNd"), nullptr);
  ASSERT_NE(s->find("Ce"), nullptr);
  for (const char* name : {"april-2025", "may-2022-peak", "jan-2020"}) EXPECT_NE(library.price_scenario(name), nullptr);
  EXPECT_EQ(library.price_scenario("2030"), nullptr);
  // prices.toml holds no materials.
  EXPECT_EQ(library.find("late-2025"), nullptr);
}

// A library folder with one file, for the error tests.
std::string library_error(const std::string& file_name, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() /
                       ("rotormag_test_lib_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / file_name) << text;
  std::string message;
  try {
    MaterialLibrary::load(dir.string());
  } catch (const CaseError& e) {
    message = e.what();
  }
  fs::remove_all(dir);
  return message;
}

const char* magnet_head =
    "kind = \"magnet\"\nBr20_T = 1.2\nHcJ20_kA_per_m = 1000.0\nalpha_Br_pct_per_C = -0.12\n"
    "beta_HcJ_pct_per_C = -0.6\nsource = \"test\"\n";

TEST(MaterialLibrary, BadMagnetKeysAreReportedWithPositions) {
  const std::string text = std::string("[m1]\n") + magnet_head +            // lines 1-7
                           "squareness = 1.2\n"                              // 8
                           "knee_confidence = \"guessed\"\n"                 // 9
                           "gbd_wt_pct = 0.5\n"                              // 10
                           "Dy_wt_pct = 20.0\n"                              // 11
                           "mu_rec_per_C = 0.5\n"                            // 12
                           "[m2]\n" + magnet_head +                          // 13-19
                           "gbd_element = \"Tb\"\n"                          // 20
                           "gbd_wt_pct = 0.5\n";                             // 21
  const std::string text_ = library_error("bad.toml", text);
  EXPECT_NE(text_.find("bad.toml:8:14: m1.squareness: squareness Hk/HcJ (Hk at J = 0.9 Jr) must be in [0.5, 0.999], got 1.2"),
            std::string::npos) << text_;
  EXPECT_NE(text_.find("bad.toml:9:19: m1.knee_confidence: expected one of 'measured', 'datasheet', 'estimated', got 'guessed'"),
            std::string::npos) << text_;
  EXPECT_NE(text_.find("bad.toml:10:14: m1.gbd_wt_pct: gbd_wt_pct needs gbd_element = \"Tb\" or \"Dy\""), std::string::npos)
      << text_;
  EXPECT_NE(text_.find("bad.toml:11:13: m1.Dy_wt_pct: bulk Dy content"), std::string::npos) << text_;
  EXPECT_NE(text_.find("bad.toml:12:16: m1.mu_rec_per_C: drift of mu_rec"), std::string::npos) << text_;
  EXPECT_NE(text_.find("m2.gbd_HcJ_gain_kA_per_m: missing required key"), std::string::npos) << text_;
  EXPECT_NE(text_.find("m2.gbd_depth_mm: missing required key"), std::string::npos) << text_;
}

TEST(MaterialLibrary, BadMeasuredCurvesAreReportedWithPositions) {
  const std::string text = std::string("[ce]\n") + magnet_head +             // lines 1-7
                           "[[ce.jh_curve]]\n"                               // 8
                           "temperature_C = 20.0\n"                          // 9
                           "h_kA_per_m = [0.0, 500.0, 900.0, 1100.0]\n"      // 10
                           "J_T = [1.2, 1.1, 1.15, -0.3]\n"                  // 11
                           "[[ce.jh_curve]]\n"                               // 12
                           "temperature_C = 80.0\n"                          // 13
                           "h_kA_per_m = [0.0, 300.0, 500.0, 600.0]\n"       // 14
                           "J_T = [1.1, 1.0, 0.5, 0.1]\n"                    // 15
                           "colour = \"blue\"\n";                            // 16
  const std::string e = library_error("curves.toml", text);
  EXPECT_NE(e.find("ce.curves_confidence: missing required key 'curves_confidence'"), std::string::npos) << e;
  EXPECT_NE(e.find("curves.toml:11:7: ce.jh_curve[0].J_T: J_T must be strictly decreasing"), std::string::npos) << e;
  EXPECT_NE(e.find("curves.toml:15:7: ce.jh_curve[1].J_T: the curve must reach J <= 0 (cover HcJ)"), std::string::npos) << e;
  EXPECT_NE(e.find("curves.toml:16:1: ce.jh_curve[1].colour: unknown key 'colour'"), std::string::npos) << e;
  // A 20 C curve must agree with Br20/HcJ20.
  const std::string mismatch = library_error("mismatch.toml", std::string("[ce]\n") + magnet_head +
                                                                  "curves_confidence = \"measured\"\n"
                                                                  "[[ce.jh_curve]]\ntemperature_C = 20.0\n"
                                                                  "h_kA_per_m = [0.0, 500.0, 700.0, 800.0]\n"
                                                                  "J_T = [1.3, 1.2, 0.5, -0.2]\n"
                                                                  "[[ce.jh_curve]]\ntemperature_C = 60.0\n"
                                                                  "h_kA_per_m = [0.0, 400.0, 600.0, 700.0]\n"
                                                                  "J_T = [1.2, 1.1, 0.4, -0.2]\n");
  EXPECT_NE(mismatch.find("differs from Br20_T (1.2 T) by more than 2 %"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("differs from HcJ20_kA_per_m (1000) by more than 5 %"), std::string::npos) << mismatch;
}

TEST(MaterialLibrary, BadPriceFileIsReportedWithPositions) {
  const std::string e = library_error("prices.toml",
                                      "default_scenario = \"late-2052\"\n"                          // 1
                                      "[late-2025]\ncurrency = \"CNY\"\nsource = \"test\"\n"         // 2-4
                                      "[late-2025.Tb]\nproduct = \"Tb metal\"\nprice_per_t = -1.0\n"  // 5-7
                                      "date = \"2025-11-14\"\nsource = \"q\"\n"                      // 8-9
                                      "range_per_t = [1.0, 2.0]\n");                                // 10
  EXPECT_NE(e.find("prices.toml:1:20: default_scenario: no scenario named 'late-2052'; did you mean 'late-2025'?"),
            std::string::npos) << e;
  EXPECT_NE(e.find("late-2025.Dy: missing required key 'Dy'"), std::string::npos) << e;
  EXPECT_NE(e.find("prices.toml:7:15: late-2025.Tb.price_per_t: price must be > 0, got -1"), std::string::npos) << e;
}

// A case's own magnet with every new key survives the resolved case (what
// the fuzzer's oracle checks): loaded again it gives the same values and text.
TEST(MaterialLibrary, CaseOwnMagnetWithEveryNewKeyRoundTrips) {
  const std::string text = R"(
schema_version = 1
name = "round_trip"
[mesh]
template = "concentric_layers"
order = 1
[mesh.concentric_layers]
radii_mm = [5.0, 10.0, 20.0]
regions = ["gbd", "ce", "air"]
outer_boundary = "outer"
[materials.my_gbd]
kind = "magnet"
Br20_T = 1.3
HcJ20_kA_per_m = 1000.0
alpha_Br_pct_per_C = -0.11
beta_HcJ_pct_per_C = -0.58
mu_rec_per_C = 0.0005
squareness = 0.93
knee_confidence = "datasheet"
Dy_wt_pct = 1.5
Tb_wt_pct = 0.25
RE_wt_pct = 30.5
Ce_fraction_of_RE = 0.1
composition_confidence = "supplier"
gbd_element = "Tb"
gbd_wt_pct = 0.45
gbd_HcJ_gain_kA_per_m = 700.0
gbd_depth_mm = 1.5
gbd_beta_gain_pct_per_C = -0.41
gbd_profile_confidence = "measured"
source = "test"
[materials.my_ce]
kind = "magnet"
Br20_T = 1.2
HcJ20_kA_per_m = 800.0
alpha_Br_pct_per_C = -0.13
beta_HcJ_pct_per_C = -0.7
source = "test"
curves_confidence = "measured"
[[materials.my_ce.jh_curve]]
temperature_C = 20.0
h_kA_per_m = [0.0, 400.0, 700.0, 780.0, 800.0, 830.0]
J_T = [1.2, 1.18, 1.1, 0.6, 0.0, -0.6]
[[materials.my_ce.jh_curve]]
temperature_C = 100.0
h_kA_per_m = [0.0, 200.0, 350.0, 390.0, 400.0, 415.0]
J_T = [1.09, 1.08, 1.0, 0.55, 0.0, -0.55]
[[region]]
name = "gbd"
material = "my_gbd"
magnetization = { direction = "parallel", angle_deg = 0.0 }
[[region]]
name = "ce"
material = "my_ce"
magnetization = { direction = "radial", outward = true }
[[region]]
name = "air"
material = "air"
)";
  const Case c = load_case_text(text, "/nonexistent-dir/round_trip.toml", shipped_library());
  const MagnetGrade& g = c.materials.at("my_gbd").grade;
  EXPECT_DOUBLE_EQ(g.squareness, 0.93);
  EXPECT_EQ(g.knee_confidence, KneeConfidence::datasheet);
  EXPECT_NEAR(g.mu_rec_per_K, 0.0005, 1e-18);
  EXPECT_TRUE(g.composition.stated);
  EXPECT_DOUBLE_EQ(g.composition.Tb_wt_pct, 0.25);
  EXPECT_EQ(g.composition.confidence, CompositionConfidence::supplier);
  EXPECT_EQ(g.gbd.element, GbdElement::Tb);
  EXPECT_NEAR(g.gbd.depth_m, 1.5e-3, 1e-15);
  EXPECT_EQ(g.gbd.profile_confidence, CurveConfidence::measured);
  EXPECT_EQ(g.HcB_A_per_m, 0.0);   // not given: not written either
  EXPECT_EQ(c.materials.at("my_ce").grade.jh_curves.size(), 2u);

  const Case again = load_case_text(c.resolved_toml, "/nonexistent-dir/round_trip.toml", shipped_library());
  EXPECT_EQ(again.resolved_toml, c.resolved_toml);
  const MagnetGrade& h = again.materials.at("my_gbd").grade;
  EXPECT_DOUBLE_EQ(h.squareness, g.squareness);
  EXPECT_DOUBLE_EQ(h.gbd.surface_gain_A_per_m, g.gbd.surface_gain_A_per_m);
  EXPECT_DOUBLE_EQ(h.gbd.beta_gain_per_K, g.gbd.beta_gain_per_K);
  EXPECT_DOUBLE_EQ(h.composition.Ce_fraction_of_RE, 0.1);
  const MagnetGrade& ce = again.materials.at("my_ce").grade;
  ASSERT_EQ(ce.jh_curves.size(), 2u);
  EXPECT_EQ(ce.jh_curves[1].J_T, c.materials.at("my_ce").grade.jh_curves[1].J_T);
  EXPECT_EQ(ce.jh_curves[1].h_A_per_m, c.materials.at("my_ce").grade.jh_curves[1].h_A_per_m);
  EXPECT_EQ(ce.curves_confidence, CurveConfidence::measured);
  EXPECT_EQ(ce.knee_confidence, KneeConfidence::estimated);   // the default, written out
}

TEST(MaterialLibrary, DefaultDirectoryHonoursEnvironment) {
  setenv("ROTORMAG_MATERIALS", "/some/where", 1);
  EXPECT_EQ(default_library_directory(), "/some/where");
  unsetenv("ROTORMAG_MATERIALS");
  EXPECT_TRUE(std::filesystem::is_directory(default_library_directory()));
}

}  // namespace
}  // namespace rotormag::cases

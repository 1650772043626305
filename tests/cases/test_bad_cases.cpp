// The corpus of bad case files in tests/cases/bad: each file states in its
// header comments what must be reported (`# expect: line:col: key: message`,
// a fragment of `file:line:col: key.path: message`; `<*>` in a fragment
// matches any text, e.g. the folder of a mesh file) and optionally how many
// problems in all (`# count: N`) and the exit code of the command line
// (`# exit: N`, default 2; checked by tests/app/bad_cases_cli.py).
// Each case goes through what `rotormag check` does: load_case, build_mesh,
// bind_regions; it must fail with a CaseError and write nothing.
// The files msh_NAME.toml run the bad meshes of tests/mesh/bad/NAME.msh.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "test_support.hpp"

namespace rotormag::cases {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  std::vector<std::string> fragments;
  int count = -1;
};

Expectation read_expectation(const fs::path& file) {
  Expectation e;
  std::ifstream in(file, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# expect: ", 0) == 0) e.fragments.push_back(line.substr(10));
    else if (line.rfind("# count: ", 0) == 0) e.count = std::stoi(line.substr(9));
  }
  return e;
}

// `text` starts with the first `<*>`-separated part of `pattern` and
// contains the others in order.
bool matches(const std::string& text, const std::string& pattern) {
  std::size_t at = 0, from = 0;
  bool first = true;
  while (true) {
    const std::size_t star = pattern.find("<*>", from);
    const std::string part = pattern.substr(from, star == std::string::npos ? std::string::npos : star - from);
    const std::size_t found = first ? (text.compare(0, part.size(), part) == 0 ? 0 : std::string::npos) : text.find(part, at);
    if (found == std::string::npos) return false;
    at = found + part.size();
    first = false;
    if (star == std::string::npos) return true;
    from = star + 3;
  }
}

std::vector<fs::path> files_in(const std::string& folder, const std::string& extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(testing::source_path(folder)))
    if (entry.path().extension() == extension) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> bad_cases() { return files_in("tests/cases/bad", ".toml"); }

// Every file (name, size, time) under the folders a bad case could write to.
std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> snapshot() {
  std::map<std::string, std::pair<std::uintmax_t, fs::file_time_type>> files;
  for (const std::string& folder : {testing::source_path("tests/cases/bad"), testing::source_path("tests/mesh/bad"),
                                   fs::current_path().string()})
    for (const auto& entry : fs::directory_iterator(folder))
      if (entry.is_regular_file())
        files[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
  return files;
}

class BadCase : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadCase, IsRejectedWithPositionedMessagesAndWritesNothing) {
  const fs::path file = GetParam();
  const Expectation expected = read_expectation(file);
  ASSERT_FALSE(expected.fragments.empty()) << file << " has no '# expect:' line";
  const auto before = snapshot();
  try {
    // What `rotormag check` does.
    const Case c = load_case(file.string(), testing::shipped_library());
    const mesh::Mesh m = build_mesh(c);
    bind_regions(c, m);
    ADD_FAILURE() << file << " was accepted";
  } catch (const CaseError& e) {
    for (const auto& fragment : expected.fragments) {
      // Anchored after the file name: "file:" + "line:col: key: message".
      const std::string wanted = file.string() + ":" + fragment;
      bool found = false;
      for (const auto& issue : e.issues()) found = found || matches(issue.format(), wanted);
      EXPECT_TRUE(found) << "missing: " << wanted << "\nreported:\n" << e.what();
    }
    for (const auto& issue : e.issues()) EXPECT_FALSE(issue.where.file.empty()) << issue.format();
    if (expected.count >= 0) {
      EXPECT_EQ(static_cast<int>(e.issues().size()), expected.count) << e.what();
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << file << ": not a CaseError (no position): " << e.what();
  }
  EXPECT_EQ(snapshot(), before) << file << ": a file was written or changed";
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadCase, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<fs::path>& info) { return info.param.stem().string(); });

TEST(BadCaseCorpus, CoversTheRequiredProblems) {
  std::vector<std::string> stems;
  for (const auto& f : bad_cases()) stems.push_back(f.stem().string());
  for (const char* required :
       {"syntax_error", "unknown_key", "wrong_type", "missing_material", "unknown_material", "negative_element_size",
        "below_absolute_zero", "order_3", "remanence_too_high", "non_monotone_bh", "missing_schema_version",
        "missing_mesh_file", "several_errors", "array_element_wrong_type", "temperature_above_400", "zero_radius",
        "material_shadows_library", "glob_matches_nothing", "region_matched_by_two_globs",
        "dirichlet_boundary_not_in_mesh", "no_boundary", "magnetization_on_non_magnet", "magnet_without_direction",
        "mu_r_not_positive", "mu_rec_below_1", "element_size_absurdly_small", "magnet_depth_too_large",
        "magnet_depth_too_small", "airgap_zero", "overlapping_poles", "shaft_radius_above_rotor", "bridge_too_large",
        "mesh_file_is_directory", "empty_case", "binary_garbage", "unterminated_string", "key_given_twice"})
    EXPECT_NE(std::find(stems.begin(), stems.end(), required), stems.end()) << required;
  EXPECT_GE(stems.size(), 40u);
}

// Every bad mesh runs through a case file too (and so through the CLI test).
TEST(BadCaseCorpus, EveryBadMeshHasACaseFile) {
  const auto meshes = files_in("tests/mesh/bad", ".msh");
  EXPECT_GE(meshes.size(), 10u);
  for (const auto& msh : meshes)
    EXPECT_TRUE(fs::is_regular_file(testing::source_path("tests/cases/bad/msh_" + msh.stem().string() + ".toml")))
        << msh << " has no tests/cases/bad/msh_" << msh.stem().string() << ".toml";
}

}  // namespace
}  // namespace rotormag::cases

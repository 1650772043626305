// The corpus of bad case files in tests/cases/bad: each file states in its
// header comments what must be reported (`# expect: line:col: key: message`,
// a fragment of `file:line:col: key.path: message`) and optionally how many
// problems in all (`# count: N`).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

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
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# expect: ", 0) == 0) e.fragments.push_back(line.substr(10));
    else if (line.rfind("# count: ", 0) == 0) e.count = std::stoi(line.substr(9));
  }
  return e;
}

std::vector<fs::path> bad_cases() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(testing::source_path("tests/cases/bad")))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

class BadCase : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadCase, IsRejectedWithPositionedMessages) {
  const fs::path file = GetParam();
  const Expectation expected = read_expectation(file);
  ASSERT_FALSE(expected.fragments.empty()) << file << " has no '# expect:' line";
  try {
    load_case(file.string(), testing::shipped_library());
    FAIL() << file << " was accepted";
  } catch (const CaseError& e) {
    for (const auto& fragment : expected.fragments) {
      // Anchored after the file name: "file:" + "line:col: key: message".
      const std::string wanted = file.string() + ":" + fragment;
      bool found = false;
      for (const auto& issue : e.issues()) found = found || issue.format().find(wanted) == 0;
      EXPECT_TRUE(found) << "missing: " << wanted << "\nreported:\n" << e.what();
    }
    if (expected.count >= 0) {
      EXPECT_EQ(static_cast<int>(e.issues().size()), expected.count) << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadCase, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<fs::path>& info) { return info.param.stem().string(); });

TEST(BadCaseCorpus, CoversTheRequiredProblems) {
  std::vector<std::string> stems;
  for (const auto& f : bad_cases()) stems.push_back(f.stem().string());
  for (const char* required : {"syntax_error", "unknown_key", "wrong_type", "missing_material", "unknown_material",
                               "negative_element_size", "below_absolute_zero", "order_3", "remanence_too_high",
                               "non_monotone_bh", "missing_schema_version", "missing_mesh_file", "several_errors"})
    EXPECT_NE(std::find(stems.begin(), stems.end(), required), stems.end()) << required;
}

}  // namespace
}  // namespace rotormag::cases

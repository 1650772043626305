// The corpus of bad .msh files in tests/mesh/bad (hand-written Gmsh 4.1
// ASCII, each broken in one way; README.md there lists them): read_msh must
// throw MeshError naming the file and the problem (element, node, group),
// must not hand what is not a mesh file to Gmsh, and must write nothing.
// tests/cases/bad/msh_NAME.toml runs each through a case file and the CLI.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "mesh/templates.hpp"

namespace rotormag::mesh {
namespace {

namespace fs = std::filesystem;

const fs::path kFolder = fs::path(ROTORMAG_SOURCE_DIR) / "tests" / "mesh" / "bad";

// File stem -> fragments the message must contain (besides the file path).
const std::map<std::string, std::vector<std::string>> kExpected = {
    {"binary_flag_text_body", {":2: binary .msh files are not read"}},  // fuzz finding: Gmsh asked for ~3e18 bytes
    {"blank_line_before_header", {":1: not a Gmsh .msh file"}},  // Gmsh would parse it as a .geo script
    {"binary_garbage", {":1: not a Gmsh .msh file: it must start with $MeshFormat"}},
    {"duplicated_node", {"nodes 5 (region 'magnet') and 7 (region 'air') are both at (0.01, 0.01)", "crack"}},
    {"empty", {": the mesh file is empty"}},
    {"format_version_5", {":2: unsupported MSH format version '5.0'"}},
    {"geo_script", {":1: not a Gmsh .msh file", ".geo scripts"}},
    {"huge_node_count", {":15: $Nodes: claims 4000000000 entries in 2 blocks"}},  // Gmsh asked for 64 GB
    {"inverted_element", {"element 8 (region 'magnet'", "is inverted"}},
    {"mixed_p1_p2", {"physical group 'air' mixes 3-node and 6-node triangles"}},
    {"nan_coordinate", {"node 5 (region 'magnet', 'air') has a non-finite coordinate"}},
    {"no_2d_group", {"no 2D physical groups"}},
    {"no_elements_section", {"no $Elements section"}},
    {"not_a_mesh", {":1: not a Gmsh .msh file", "schema_version = 1"}},
    {"quadrangle", {"'Quadrilateral 4' (Gmsh type 3) in physical group 'magnet'"}},
    {"tetrahedron_in_2d_group", {"Gmsh could not read the file", "unsupported element"}},
    {"truncated", {":43: the file ends inside section $Elements (opened at line 32)", "truncated"}},
    {"unclosed_nodes_section", {":31: section $Nodes (line 16) is not closed by $EndNodes"}},
    {"undefined_node", {"Gmsh could not read the file", "Unknown node 99 in element 10"}},
    {"zero_area_element", {"element 11 (region 'magnet'", "is degenerate"}},
};

std::vector<fs::path> bad_meshes() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kFolder))
    if (entry.path().extension() == ".msh") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, fs::file_time_type> snapshot() {
  std::map<std::string, fs::file_time_type> files;
  for (const fs::path& folder : {kFolder, fs::current_path()})
    for (const auto& entry : fs::directory_iterator(folder)) files[entry.path().string()] = entry.last_write_time();
  return files;
}

class BadMesh : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadMesh, IsRejectedNamingFileAndProblem) {
  const fs::path file = GetParam();
  const auto expected = kExpected.find(file.stem().string());
  ASSERT_NE(expected, kExpected.end()) << file << " has no expectation in test_bad_msh.cpp";
  const auto before = snapshot();
  std::string error = "no error";
  try {
    read_msh(file.string());
  } catch (const MeshError& e) {
    error = e.what();
  }
  EXPECT_EQ(error.rfind(file.string(), 0), 0u) << "does not start with the file name: " << error;
  for (const auto& fragment : expected->second) EXPECT_NE(error.find(fragment), std::string::npos) << fragment << "\n" << error;
  EXPECT_EQ(snapshot(), before) << "a file was written";
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadMesh, ::testing::ValuesIn(bad_meshes()),
                         [](const ::testing::TestParamInfo<fs::path>& info) { return info.param.stem().string(); });

TEST(BadMeshCorpus, EveryExpectationHasItsFile) {
  for (const auto& [stem, fragments] : kExpected) EXPECT_TRUE(fs::is_regular_file(kFolder / (stem + ".msh"))) << stem;
}

TEST(BadMeshCorpus, DirectoryIsRejected) {
  try {
    read_msh(kFolder.string());
    FAIL() << "a directory was read as a mesh";
  } catch (const MeshError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rotormag::mesh

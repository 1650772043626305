// The corpus of bad .msh files in tests/mesh/bad (hand-written Gmsh 4.1
// ASCII, each broken in one way; README.md there lists them): read_msh must
// throw MeshError naming the file and the problem (element, node, group),
// and must write nothing.
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
    {"geo_script", {":1: not a Gmsh .msh file", ".geo script"}},
    {"huge_node_count", {":15: $Nodes: claims 4000000000 nodes in 2 blocks"}},  // Gmsh asked for 64 GB
    {"inverted_element", {"element 8 (region 'magnet'", "is inverted"}},
    {"mixed_p1_p2", {":51: physical group 'air' mixes 3-node and 6-node triangles"}},
    {"nan_coordinate", {"node 5 (region 'magnet', 'air') has a non-finite coordinate"}},
    {"no_2d_group", {"no 2D physical groups"}},
    {"no_elements_section", {"no $Elements section"}},
    {"not_a_mesh", {":1: not a Gmsh .msh file", "schema_version = 1"}},
    {"quadrangle", {":42: unsupported element type 'Quadrilateral 4' (Gmsh type 3) in physical group 'magnet'"}},
    {"tetrahedron_in_2d_group", {":44: 'Tetrahedron 4' (Gmsh type 4) elements in a block of surface 2"}},
    {"truncated", {":43: the file ends inside section $Elements (opened at line 32)", "truncated"}},
    {"unclosed_nodes_section", {":31: section $Nodes (line 16) is not closed by $EndNodes"}},
    {"undefined_node", {":46: element 10 uses node 99, which $Nodes does not define"}},
    {"zero_area_element", {"element 11 (region 'magnet'", "is degenerate"}},
    {"duplicate_node_tag", {":24: node 3 is defined twice (first at line 21)"}},
    {"duplicate_element_tag", {":46: element 9 is defined twice (first at line 45)"}},
    {"node_count_mismatch", {":17: $Nodes: claims 7 nodes in 1 blocks but the section has only 13 lines"}},
    {"element_on_undefined_entity", {":44: the element block is on surface 5, which $Entities does not define"}},
    {"surface_in_two_groups", {":41: surface 1 belongs to physical groups 'magnet' and 'air'"}},
    {"not_planar", {": node 1 is at z = 0 and node 6 at z = 0.005", "planar meshes"}},
    {"unknown_element_type", {":44: unknown element type 77"}},
    {"physical_name_twice", {":8: physical group (2, 1) is named twice (first at line 7)"}},
    {"coordinate_not_a_number", {":29: expected the y coordinate (a number), found '0,01'"}},
    {"element_with_extra_node", {":45: element 9 of type 'Triangle 3' (Gmsh type 2) has more than 3 node tags"}},
    {"boundary_node_outside_regions", {":42: boundary 'outer' uses node 7 that belongs to no triangle of a region"}},
    {"format_version_4_0", {":2: MSH 4.0 is not read", "-format msh41"}},
    {"unnamed_text_between_sections", {":10: 'hello' outside any $Section"}},
    {"partitioned", {":10: partitioned meshes are not read"}},
    {"second_nodes_section", {":32: a second $Nodes section (the first is at line 16)"}},
    {"element_count_mismatch", {":33: $Elements: claims 11 elements in 3 blocks"}},
    {"annotation_unknown", {":7: physical name 'magnet:sideways': unknown annotation 'sideways'"}},
    {"annotation_bad_angle", {":7: physical name 'magnet:parallel=north': 'parallel=' needs an angle in degrees"}},
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

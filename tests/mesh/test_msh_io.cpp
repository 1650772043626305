#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <tuple>
#include <vector>

#include "mesh/templates.hpp"
#include "mesh_test_util.hpp"

namespace rotormag::mesh {
namespace {

std::string error_of_reading(const std::string& path) {
  try {
    read_msh(path);
  } catch (const MeshError& e) {
    return e.what();
  }
  return "no error";
}

// Node correspondence by coordinates: Gmsh writes 16 significant digits, so
// coordinates come back equal to ~1e-16 relative, not bit for bit.
std::vector<int> match_nodes(const Mesh& from, const Mesh& to) {
  auto sorted = [](const Mesh& m) {
    std::vector<int> idx(m.node_count());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int>(i);
    std::sort(idx.begin(), idx.end(), [&](int a, int b) {
      if (std::abs(m.x[a] - m.x[b]) > 1e-12) return m.x[a] < m.x[b];
      return m.y[a] < m.y[b];
    });
    return idx;
  };
  const auto a = sorted(from), b = sorted(to);
  std::vector<int> map(from.node_count(), -1);
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) {
    if (std::abs(from.x[a[k]] - to.x[b[k]]) > 1e-12 || std::abs(from.y[a[k]] - to.y[b[k]]) > 1e-12) continue;
    map[a[k]] = b[k];
  }
  return map;
}

// Triangles as (region name, node indices in cyclic order starting at the
// smallest vertex), sorted: equal meshes up to node and triangle order.
std::vector<std::pair<std::string, std::vector<int>>> canonical(const Mesh& m, const std::vector<int>& map) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  const int npt = m.nodes_per_triangle();
  for (std::size_t t = 0; t < m.triangle_count(); ++t) {
    const int* v = &m.triangles[t * npt];
    int first = 0;
    for (int k = 1; k < 3; ++k)
      if (map[v[k]] < map[v[first]]) first = k;
    std::vector<int> nodes;
    for (int k = 0; k < 3; ++k) nodes.push_back(map[v[(first + k) % 3]]);
    for (int k = 0; k < npt - 3; ++k) nodes.push_back(map[v[3 + (first + k) % 3]]);
    out.emplace_back(m.regions[m.triangle_region[t]].name, nodes);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::vector<int>> boundary_nodes(const Mesh& m, const std::vector<int>& map) {
  std::map<std::string, std::vector<int>> out;
  for (const auto& b : m.boundaries) {
    auto& nodes = out[b.name];
    for (int n : b.nodes) nodes.push_back(map[n]);
    std::sort(nodes.begin(), nodes.end());
  }
  return out;
}

void expect_round_trip(const Mesh& m, const std::string& name) {
  const std::string path = test::temp_path(name);
  write_msh(m, path);
  const Mesh back = read_msh(path);
  EXPECT_EQ(back.order, m.order);
  ASSERT_EQ(back.node_count(), m.node_count());
  EXPECT_EQ(back.triangle_count(), m.triangle_count());
  ASSERT_EQ(back.regions.size(), m.regions.size());
  for (std::size_t r = 0; r < m.regions.size(); ++r) {
    EXPECT_EQ(back.regions[r].name, m.regions[r].name);
    EXPECT_EQ(back.regions[r].id, m.regions[r].id);
  }
  std::vector<int> identity(back.node_count());
  for (std::size_t i = 0; i < identity.size(); ++i) identity[i] = static_cast<int>(i);
  const std::vector<int> map = match_nodes(m, back);
  ASSERT_EQ(std::count(map.begin(), map.end(), -1), 0) << "nodes moved in the round trip";
  EXPECT_TRUE(canonical(back, identity) == canonical(m, map)) << "triangles differ after the round trip";
  EXPECT_TRUE(boundary_nodes(back, identity) == boundary_nodes(m, map)) << "boundaries differ after the round trip";
}

ConcentricLayers shell() {
  ConcentricLayers g;
  g.radii_m = {0.01, 0.015, 0.02};
  g.region_names = {"air", "iron", "air"};
  g.outer_boundary = "outer_boundary";
  return g;
}

TEST(MshIo, RoundTripLinearAndQuadratic) {
  expect_round_trip(build_concentric_layers(shell(), {1, 2e-3}), "p1.msh");
  expect_round_trip(build_concentric_layers(shell(), {2, 2e-3}), "p2.msh");
}

TEST(MshIo, RoundTripIpmRotor) { expect_round_trip(build_slotless_v_rotor(SlotlessVRotor{}, {2, 2.5e-3}), "ipm.msh"); }

TEST(MshIo, WrittenFileHasPhysicalNames) {
  const std::string path = test::temp_path("names.msh");
  write_msh(build_concentric_layers(shell(), {1, 4e-3}), path);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("$MeshFormat\n4.1"), std::string::npos);
  EXPECT_NE(text.find("\"iron\""), std::string::npos);
  EXPECT_NE(text.find("\"outer_boundary\""), std::string::npos);
}

TEST(MshIo, MissingFileNamesThePath) {
  const std::string path = test::temp_path("does_not_exist.msh");
  const std::string error = error_of_reading(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
}

const char* kHeader = "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n";
const char* kNodes = "$Nodes\n5\n1 0 0 0\n2 1 0 0\n3 1 1 0\n4 0 1 0\n5 2 0 0\n$EndNodes\n";

// Annotated physical names (docs/motor-mesh.md) set the region's hints and
// leave the plain name; writing puts them back.
TEST(MshIo, NameAnnotationsCarryMagnetizationAndCoilSides) {
  const std::string path = test::temp_path("annotated.msh");
  test::write_text(path, std::string(kHeader) +
                             "$PhysicalNames\n3\n2 1 \"magnet_1_a:parallel=67.5\"\n2 2 \"coil_3_1:-B*9\"\n"
                             "2 3 \"magnet_2:radial=in\"\n$EndPhysicalNames\n" +
                             "$Nodes\n6\n1 0 0 0\n2 1 0 0\n3 1 1 0\n4 0 1 0\n5 2 0 0\n6 2 1 0\n$EndNodes\n"
                             "$Elements\n3\n1 2 2 1 1 1 2 3\n2 2 2 2 1 1 3 4\n3 2 2 3 1 2 5 6\n$EndElements\n");
  const Mesh m = read_msh(path);
  const Region& magnet = m.regions.at(m.find_region("magnet_1_a"));
  EXPECT_EQ(magnet.magnetization.kind, MagnetizationKind::parallel);
  EXPECT_NEAR(magnet.magnetization.angle_rad, 67.5 * std::acos(-1.0) / 180, 1e-15);
  const Region& coil = m.regions.at(m.find_region("coil_3_1"));
  EXPECT_EQ(coil.coil.phase, 1);
  EXPECT_EQ(coil.coil.sign, -1);
  EXPECT_EQ(coil.coil.turns, 9);
  const Region& radial = m.regions.at(m.find_region("magnet_2"));
  EXPECT_EQ(radial.magnetization.kind, MagnetizationKind::radial);
  EXPECT_EQ(radial.magnetization.sign, -1.0);
  EXPECT_EQ(annotated_region_name(coil), "coil_3_1:-B*9");
  EXPECT_EQ(annotated_region_name(radial), "magnet_2:radial=in");
}

TEST(MshIo, QuadsAreRejectedNamingTypeAndGroup) {
  const std::string path = test::temp_path("quads.msh");
  test::write_text(path, std::string(kHeader) + "$PhysicalNames\n1\n2 7 \"iron\"\n$EndPhysicalNames\n" + kNodes +
                             "$Elements\n2\n1 3 2 7 1 1 2 3 4\n2 2 2 7 1 2 5 3\n$EndElements\n");
  const std::string error = error_of_reading(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("unsupported element type"), std::string::npos) << error;
  EXPECT_NE(error.find("iron"), std::string::npos) << error;
}

TEST(MshIo, InvertedElementIsRejected) {
  // Three counter-clockwise triangles and one clockwise one (element 4 of the
  // file: messages use the file's element numbers, not internal indices).
  const std::string path = test::temp_path("inverted.msh");
  test::write_text(path, std::string(kHeader) + "$PhysicalNames\n1\n2 1 \"air\"\n$EndPhysicalNames\n" +
                             "$Nodes\n6\n1 0 0 0\n2 1 0 0\n3 1 1 0\n4 0 1 0\n5 2 0 0\n6 2 1 0\n$EndNodes\n"
                             "$Elements\n4\n1 2 2 1 1 1 2 3\n2 2 2 1 1 1 3 4\n3 2 2 1 1 2 5 6\n4 2 2 1 1 2 3 6\n$EndElements\n");
  const std::string error = error_of_reading(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("inverted"), std::string::npos) << error;
  EXPECT_NE(error.find("element 4 "), std::string::npos) << error;
  EXPECT_NE(error.find("'air'"), std::string::npos) << error;
}

TEST(MshIo, AllClockwiseFileIsFlipped) {
  const std::string path = test::temp_path("clockwise.msh");
  test::write_text(path, std::string(kHeader) + kNodes + "$Elements\n2\n1 2 2 4 1 1 3 2\n2 2 2 4 1 1 4 3\n$EndElements\n");
  const Mesh m = read_msh(path);
  ASSERT_EQ(m.triangle_count(), 2u);
  EXPECT_EQ(m.regions.at(0).name, "region_4");
  for (std::size_t t = 0; t < 2; ++t) EXPECT_NEAR(test::vertex_area(m, t), 0.5, 1e-15);
  EXPECT_EQ(m.node_count(), 4u);  // node 5 is used by no triangle
}

TEST(MshIo, FileWithoutPhysicalSurfacesIsRejected) {
  const std::string path = test::temp_path("no_groups.msh");
  test::write_text(path, std::string(kHeader) + kNodes + "$Elements\n1\n1 2 2 0 1 1 2 3\n$EndElements\n");
  const std::string error = error_of_reading(path);
  EXPECT_NE(error.find("no 2D physical groups"), std::string::npos) << error;
}

TEST(MshIo, DegenerateElementIsRejected) {
  const std::string path = test::temp_path("degenerate.msh");
  test::write_text(path, std::string(kHeader) + "$PhysicalNames\n1\n2 1 \"air\"\n$EndPhysicalNames\n" + kNodes +
                             "$Elements\n2\n1 2 2 1 1 1 2 3\n2 2 2 1 1 1 2 5\n$EndElements\n");
  const std::string error = error_of_reading(path);
  EXPECT_NE(error.find("degenerate"), std::string::npos) << error;
  EXPECT_NE(error.find("element 2 "), std::string::npos) << error;  // the file's number
}

}  // namespace
}  // namespace rotormag::mesh

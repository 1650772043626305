// Assembling a sector of several base sectors, or the whole machine, from
// rotated copies of the meshed base sector (motor_parts.hpp). Done on the
// Mesh struct, so that every model of a machine shares the base sector's
// triangles exactly.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <tuple>

#include "mesh/motor_parts.hpp"

namespace rotormag::mesh::motor {

namespace {

bool is_sector_edge(const std::string& name) { return name.rfind("sector_", 0) == 0; }

// Nodes of the start (or end) edge, rotor and stator side, ordered by radius.
std::vector<int> edge_nodes(const Mesh& mesh, const char* which) {
  std::vector<int> nodes;
  for (const char* side : {"rotor", "stator"}) {
    const Boundary* b = mesh.find_boundary(fmt::format("sector_{}_{}", which, side));
    if (!b) throw MeshError(fmt::format("{}: internal: the base sector has no boundary 'sector_{}_{}'", kOrigin, which, side));
    nodes.insert(nodes.end(), b->nodes.begin(), b->nodes.end());
  }
  std::sort(nodes.begin(), nodes.end(),
            [&](int a, int b) { return std::hypot(mesh.x[a], mesh.y[a]) < std::hypot(mesh.x[b], mesh.y[b]); });
  return nodes;
}

// Region name in copy `copy`: numbered slots and poles (spokes) renumbered globally.
std::string global_name(const std::string& name, int copy, const BaseSector& sector, bool close_ring, int total_poles) {
  static const std::regex coil(R"(coil_(\d+)_(\d+))"), magnet(R"(magnet_(\d+)(_[ab])?)");
  std::smatch m;
  if (std::regex_match(name, m, coil)) return fmt::format("coil_{}_{}", copy * sector.slots + std::stoi(m[1]), m[2].str());
  if (std::regex_match(name, m, magnet)) {
    int k = copy * sector.poles + std::stoi(m[1]);
    if (close_ring && k == 0) k = total_poles;  // the spoke at angle 0 of the closed ring
    return fmt::format("magnet_{}{}", k, m[2].str());
  }
  return name;
}

MagnetizationHint copied_hint(MagnetizationHint hint, double rotation, bool reversed) {
  if (hint.kind == MagnetizationKind::parallel) {
    const double a = hint.angle_rad + rotation + (reversed ? kPi : 0.0);
    hint.angle_rad = std::atan2(std::sin(a), std::cos(a));
  } else if (hint.kind == MagnetizationKind::radial && reversed) {
    hint.sign = -hint.sign;
  }
  return hint;
}

bool same_hint(const MagnetizationHint& a, const MagnetizationHint& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == MagnetizationKind::parallel) return std::abs(std::remainder(a.angle_rad - b.angle_rad, 2 * kPi)) < 1e-9;
  if (a.kind == MagnetizationKind::radial) return a.sign == b.sign;
  return true;
}

// Sort key of a region: fixed order of the named parts, numbered ones by number.
std::tuple<int, int, std::string> region_key(const std::string& name) {
  static const char* fixed[] = {"stator_core", "slot_opening", "coil", "airgap_stator", "airgap_rotor", "rotor_core", "shaft", "pocket", "magnet"};
  static const std::regex numbered(R"((coil|magnet)_(\d+)(.*))");
  std::smatch m;
  std::string base = name, rest;
  int number = 0;
  if (std::regex_match(name, m, numbered)) {
    base = m[1].str();
    number = std::stoi(m[2]);
    rest = m[3].str();
  }
  const auto* it = std::find(std::begin(fixed), std::end(fixed), base);
  return {static_cast<int>(it - std::begin(fixed)), number, rest};
}

}  // namespace

void sort_regions(Mesh& mesh) {
  std::vector<int> order(mesh.regions.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return region_key(mesh.regions[a].name) < region_key(mesh.regions[b].name); });
  std::vector<int> new_index(order.size());
  std::vector<Region> regions;
  for (std::size_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = static_cast<int>(i);
    regions.push_back(mesh.regions[order[i]]);
    regions.back().id = static_cast<int>(i) + 1;
  }
  mesh.regions = std::move(regions);
  for (int& r : mesh.triangle_region) r = new_index[r];
}

Mesh replicate_sector(const Mesh& base, const BaseSector& sector, int copies, bool close_ring, int total_poles) {
  const std::vector<int> start = edge_nodes(base, "start"), end = edge_nodes(base, "end");
  if (start.size() != end.size())
    throw MeshError(fmt::format("{}: internal: the base sector's end edge has {} nodes, its start edge {}", kOrigin, end.size(), start.size()));
  double scale = 0;
  for (std::size_t i = 0; i < base.node_count(); ++i) scale = std::max(scale, std::hypot(base.x[i], base.y[i]));
  const double c = std::cos(sector.angle_rad), s = std::sin(sector.angle_rad);
  const std::size_t n_base = base.node_count();
  std::vector<int> start_index(n_base, -1), end_index(n_base, -1);
  for (std::size_t i = 0; i < start.size(); ++i) {
    const double dx = c * base.x[start[i]] - s * base.y[start[i]] - base.x[end[i]];
    const double dy = s * base.x[start[i]] + c * base.y[start[i]] - base.y[end[i]];
    if (std::hypot(dx, dy) > 1e-10 * scale)
      throw MeshError(fmt::format("{}: internal: end-edge node {} is not the rotated start-edge node {} (off by {:.3g} m)", kOrigin, end[i],
                                  start[i], std::hypot(dx, dy)));
    start_index[start[i]] = static_cast<int>(i);
    end_index[end[i]] = static_cast<int>(i);
  }

  Mesh out;
  out.order = base.order;
  std::vector<std::vector<int>> node_of(copies, std::vector<int>(n_base, -1));
  for (int j = 0; j < copies; ++j) {
    const double cj = std::cos(j * sector.angle_rad), sj = std::sin(j * sector.angle_rad);
    for (std::size_t v = 0; v < n_base; ++v) {
      if (j > 0 && start_index[v] >= 0) {
        node_of[j][v] = node_of[j - 1][end[start_index[v]]];
      } else if (close_ring && j == copies - 1 && end_index[v] >= 0) {
        node_of[j][v] = node_of[0][start[end_index[v]]];
      } else {
        node_of[j][v] = static_cast<int>(out.x.size());
        out.x.push_back(j == 0 ? base.x[v] : cj * base.x[v] - sj * base.y[v]);
        out.y.push_back(j == 0 ? base.y[v] : sj * base.x[v] + cj * base.y[v]);
      }
    }
  }

  const int npt = base.nodes_per_triangle();
  std::map<std::string, int> region_index;
  for (int j = 0; j < copies; ++j) {
    const bool reversed = (static_cast<long>(j) * sector.poles) % 2 == 1;
    std::vector<int> region_of(base.regions.size());
    for (std::size_t r = 0; r < base.regions.size(); ++r) {
      const std::string name = global_name(base.regions[r].name, j, sector, close_ring, total_poles);
      const MagnetizationHint hint = copied_hint(base.regions[r].magnetization, j * sector.angle_rad, reversed);
      auto [it, inserted] = region_index.emplace(name, static_cast<int>(out.regions.size()));
      if (inserted) out.regions.push_back(Region{static_cast<int>(out.regions.size()) + 1, name, hint});
      else if (!same_hint(out.regions[it->second].magnetization, hint))
        throw MeshError(fmt::format("{}: internal: the copies of region '{}' have different magnetization", kOrigin, name));
      region_of[r] = it->second;
    }
    for (std::size_t t = 0; t < base.triangle_count(); ++t) {
      for (int k = 0; k < npt; ++k) out.triangles.push_back(node_of[j][base.triangles[t * npt + k]]);
      out.triangle_region.push_back(region_of[base.triangle_region[t]]);
    }
  }

  for (const Boundary& b : base.boundaries) {
    Boundary copy{static_cast<int>(out.boundaries.size()) + 1, b.name, {}};
    if (is_sector_edge(b.name)) {
      if (close_ring) continue;  // interior of the ring now
      const int j = b.name.rfind("sector_start", 0) == 0 ? 0 : copies - 1;
      for (int v : b.nodes) copy.nodes.push_back(node_of[j][v]);
    } else {
      for (int j = 0; j < copies; ++j)
        for (int v : b.nodes) copy.nodes.push_back(node_of[j][v]);
    }
    std::sort(copy.nodes.begin(), copy.nodes.end());
    copy.nodes.erase(std::unique(copy.nodes.begin(), copy.nodes.end()), copy.nodes.end());
    out.boundaries.push_back(std::move(copy));
  }
  return out;
}

}  // namespace rotormag::mesh::motor

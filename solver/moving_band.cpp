#include "solver/moving_band.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace rotormag::solver {

namespace {

const double kPi = std::acos(-1.0);

[[noreturn]] void fail(const std::string& origin, const std::string& why) {
  throw mesh::MeshError(origin + ": " + why);
}

std::string number(double v) {
  std::ostringstream o;
  o.precision(6);
  o << v;
  return o.str();
}

// Removes the triangles of region `name` (and the nodes only they used).
mesh::Mesh without_region(mesh::Mesh m, const std::string& name) {
  const int drop = m.find_region(name);
  if (drop < 0) return m;
  const int npe = m.nodes_per_triangle();
  std::vector<int> keep_node(m.node_count(), 0);
  std::vector<int> triangles, regions;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] == drop) continue;
    for (int k = 0; k < npe; ++k) keep_node[m.triangles[t * npe + k]] = 1;
    triangles.insert(triangles.end(), m.triangles.begin() + t * npe, m.triangles.begin() + (t + 1) * npe);
    regions.push_back(m.triangle_region[t] > drop ? m.triangle_region[t] - 1 : m.triangle_region[t]);
  }
  std::vector<int> new_index(m.node_count(), -1);
  std::vector<double> x, y;
  for (size_t i = 0; i < m.node_count(); ++i)
    if (keep_node[i]) {
      new_index[i] = static_cast<int>(x.size());
      x.push_back(m.x[i]);
      y.push_back(m.y[i]);
    }
  for (int& v : triangles) v = new_index[v];
  for (auto& b : m.boundaries) {
    std::vector<int> nodes;
    for (int v : b.nodes)
      if (new_index[v] >= 0) nodes.push_back(new_index[v]);
    b.nodes = nodes;
  }
  m.regions.erase(m.regions.begin() + drop);
  m.x = x;
  m.y = y;
  m.triangles = triangles;
  m.triangle_region = regions;
  return m;
}

// Connected components of the node graph of the triangles.
std::vector<int> components(const mesh::Mesh& m) {
  std::vector<int> parent(m.node_count());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const int npe = m.nodes_per_triangle();
  for (size_t t = 0; t < m.triangle_count(); ++t)
    for (int k = 1; k < npe; ++k) {
      const int a = find(m.triangles[t * npe]), b = find(m.triangles[t * npe + k]);
      if (a != b) parent[a] = b;
    }
  std::vector<int> out(m.node_count());
  for (size_t i = 0; i < out.size(); ++i) out[i] = find(static_cast<int>(i));
  return out;
}

// Vertex (not P2 mid-edge) nodes of a boundary.
std::vector<int> boundary_vertices(const mesh::Mesh& m, const mesh::Boundary& b) {
  std::vector<char> vertex(m.node_count(), 0);
  const int npe = m.nodes_per_triangle();
  for (size_t t = 0; t < m.triangle_count(); ++t)
    for (int k = 0; k < 3; ++k) vertex[m.triangles[t * npe + k]] = 1;
  std::vector<int> out;
  for (int v : b.nodes)
    if (vertex[v]) out.push_back(v);
  return out;
}

// Mid-node of every triangle edge (P2), keyed by its ordered vertex pair.
std::map<std::pair<int, int>, int> edge_mid_nodes(const mesh::Mesh& m) {
  std::map<std::pair<int, int>, int> out;
  if (m.order != 2) return out;
  static const int edges[3][3] = {{0, 1, 3}, {1, 2, 4}, {2, 0, 5}};
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    const int* v = &m.triangles[t * 6];
    for (const auto& e : edges) out[{std::min(v[e[0]], v[e[1]]), std::max(v[e[0]], v[e[1]])}] = v[e[2]];
  }
  return out;
}

double angle_of(const mesh::Mesh& m, int node) { return std::atan2(m.y[node], m.x[node]); }

}  // namespace

mesh::MagnetizationHint turned(const mesh::MagnetizationHint& hint, double angle_rad) {
  mesh::MagnetizationHint out = hint;
  if (hint.kind == mesh::MagnetizationKind::parallel) out.angle_rad += angle_rad;
  return out;  // radial stays radial
}

MovingBand::MovingBand(mesh::Mesh machine, double sector_rad, double sign, std::string origin)
    : base_(without_region(std::move(machine), "band")), origin_(std::move(origin)), sector_(sector_rad), sign_(sign) {
  const mesh::Mesh& m = base_;
  if (!(sector_ > 0 && sector_ <= 2 * kPi + 1e-12))
    fail(origin_, "the sector angle must lie in (0, 360] degrees, got " + number(sector_ * 180 / kPi));
  whole_ = sector_ > 2 * kPi - 1e-9;
  if (whole_) {
    sector_ = 2 * kPi;
    sign_ = 1.0;
  } else if (sign_ != 1.0 && sign_ != -1.0) {
    fail(origin_, "the sector sign must be +1 (periodic) or -1 (anti-periodic)");
  }
  const mesh::Boundary* rotor_b = m.find_boundary("band_rotor");
  const mesh::Boundary* stator_b = m.find_boundary("band_stator");
  if (!rotor_b || !stator_b)
    fail(origin_, std::string("a moving band needs the boundaries 'band_rotor' and 'band_stator' (the circles on the ") +
                      "rotor and stator sides of the air-gap band); missing: " +
                      (!rotor_b ? "'band_rotor'" : "") + (!rotor_b && !stator_b ? ", " : "") +
                      (!stator_b ? "'band_stator'" : ""));

  // Rotor side: everything connected to the rotor ring, and nothing else.
  const std::vector<int> comp = components(m);
  const std::vector<int> rv = boundary_vertices(m, *rotor_b), sv = boundary_vertices(m, *stator_b);
  if (rv.size() < 3 || sv.size() < 3)
    fail(origin_, "the band rings 'band_rotor' and 'band_stator' need at least 3 vertices each");
  std::vector<char> rotor_comp(m.node_count(), 0), stator_comp(m.node_count(), 0);
  for (int v : rv) rotor_comp[comp[v]] = 1;
  for (int v : sv) stator_comp[comp[v]] = 1;
  rotor_node_.assign(m.node_count(), 0);
  for (size_t i = 0; i < m.node_count(); ++i) {
    const int c = comp[i];
    if (rotor_comp[c] && stator_comp[c])
      fail(origin_, "'band_rotor' and 'band_stator' are connected by triangles: the band annulus between them must be "
                    "empty (or a region named 'band', which is removed)");
    if (!rotor_comp[c] && !stator_comp[c])
      fail(origin_, "node " + std::to_string(i) + " (x = " + number(m.x[i]) + " m, y = " + number(m.y[i]) +
                        " m) belongs to a part connected to neither band ring");
    rotor_node_[i] = rotor_comp[c];
  }
  rotor_region_.assign(m.regions.size(), 0);
  for (size_t t = 0; t < m.triangle_count(); ++t)
    rotor_region_[m.triangle_region[t]] = rotor_node_[m.triangles[t * m.nodes_per_triangle()]];

  // Ring radii: circles about the origin, the rotor one inside.
  auto radius_of = [&](const std::vector<int>& ring, const char* name) {
    double r = 0;
    for (int v : ring) r += std::hypot(m.x[v], m.y[v]) / ring.size();
    for (int v : ring)
      if (std::abs(std::hypot(m.x[v], m.y[v]) - r) > 1e-6 * r)
        fail(origin_, std::string("the nodes of '") + name + "' do not lie on one circle about the origin (node " +
                          std::to_string(v) + " at r = " + number(std::hypot(m.x[v], m.y[v])) + " m, mean " +
                          number(r) + " m)");
    return r;
  };
  r1_ = radius_of(rv, "band_rotor");
  r2_ = radius_of(sv, "band_stator");
  if (!(r1_ < r2_))
    fail(origin_, "'band_rotor' (r = " + number(r1_) + " m) must lie inside 'band_stator' (r = " + number(r2_) + " m)");

  // Sector edges: every node of sector_end_* is the image of a node of
  // sector_start_* turned by S; it shares that node's unknown with `sign`.
  if (!whole_) {
    for (const char* part : {"rotor", "stator"}) {
      const std::string start_name = std::string("sector_start_") + part, end_name = std::string("sector_end_") + part;
      const mesh::Boundary* start = m.find_boundary(start_name);
      const mesh::Boundary* end = m.find_boundary(end_name);
      if (!start || !end)
        fail(origin_, "a sector model needs the boundaries '" + start_name + "' and '" + end_name + "'");
      const double scale = r2_;
      std::map<std::pair<long, long>, int> by_position;
      auto key = [&](double x, double y) {
        return std::make_pair(std::lround(x / scale * 1e8), std::lround(y / scale * 1e8));
      };
      for (int v : start->nodes) by_position[key(m.x[v], m.y[v])] = v;
      const double c = std::cos(-sector_), s = std::sin(-sector_);
      for (int v : end->nodes) {
        const double x = c * m.x[v] - s * m.y[v], y = s * m.x[v] + c * m.y[v];
        int match = -1;
        // Look in the neighbouring cells too: rounding may split a point.
        const auto k = key(x, y);
        for (long dx = -1; dx <= 1 && match < 0; ++dx)
          for (long dy = -1; dy <= 1 && match < 0; ++dy) {
            auto it = by_position.find({k.first + dx, k.second + dy});
            if (it != by_position.end() && std::hypot(m.x[it->second] - x, m.y[it->second] - y) < 1e-7 * scale)
              match = it->second;
          }
        if (match < 0)
          fail(origin_, "node " + std::to_string(v) + " of '" + end_name + "' (x = " + number(m.x[v]) + " m, y = " +
                            number(m.y[v]) + " m) has no partner on '" + start_name + "' turned by " +
                            number(sector_ * 180 / kPi) + " degrees: the sector edges are not meshed periodically");
        if (match != v) edge_links_.push_back({v, match, sign_});
      }
    }
  }

  // Rings as chains of edges in angular order.
  const auto mids = edge_mid_nodes(m);
  auto make_ring = [&](const std::vector<int>& vertices, const char* name) {
    Ring ring;
    std::vector<std::pair<double, int>> order;
    for (int v : vertices) {
      double a = angle_of(m, v);
      if (a < -1e-9) a += 2 * kPi;
      if (!whole_ && a > sector_ + 1e-9)
        fail(origin_, std::string("node ") + std::to_string(v) + " of '" + name + "' lies at " + number(a * 180 / kPi) +
                          " degrees, outside the sector [0, " + number(sector_ * 180 / kPi) + "] degrees");
      order.emplace_back(std::max(a, 0.0), v);
    }
    std::sort(order.begin(), order.end());
    for (const auto& [a, v] : order) {
      ring.vertex.push_back(v);
      ring.angle.push_back(a);
    }
    if (whole_) {
      ring.vertex.push_back(ring.vertex.front());
      ring.angle.push_back(ring.angle.front() + 2 * kPi);
    } else if (ring.angle.front() > 1e-9 || std::abs(ring.angle.back() - sector_) > 1e-9) {
      fail(origin_, std::string("'") + name + "' must run from angle 0 to the sector edge (" +
                        number(sector_ * 180 / kPi) + " degrees); it spans " + number(ring.angle.front() * 180 / kPi) +
                        " to " + number(ring.angle.back() * 180 / kPi) + " degrees");
    }
    for (size_t j = 0; j + 1 < ring.vertex.size(); ++j) {
      const int a = ring.vertex[j], b = ring.vertex[j + 1];
      if (m.order == 2) {
        auto it = mids.find({std::min(a, b), std::max(a, b)});
        if (it == mids.end())
          fail(origin_, std::string("'") + name + "': nodes " + std::to_string(a) + " and " + std::to_string(b) +
                            " are neighbours on the ring but no triangle edge joins them");
        ring.mid.push_back(it->second);
      }
    }
    return ring;
  };
  rotor_ring_ = make_ring(rv, "band_rotor");
  stator_ring_ = make_ring(sv, "band_stator");
}

PositionedMachine MovingBand::at(double angle_rad) const {
  PositionedMachine out;
  out.angle_rad = angle_rad;
  out.mesh = base_;
  out.links = edge_links_;
  out.rotor_region = rotor_region_;
  mesh::Mesh& m = out.mesh;
  const double c = std::cos(angle_rad), s = std::sin(angle_rad);
  for (size_t i = 0; i < m.node_count(); ++i)
    if (rotor_node_[i]) {
      const double x = m.x[i], y = m.y[i];
      m.x[i] = c * x - s * y;
      m.y[i] = s * x + c * y;
    }
  for (size_t r = 0; r < m.regions.size(); ++r)
    if (rotor_region_[r]) m.regions[r].magnetization = turned(m.regions[r].magnetization, angle_rad);

  // New nodes: band mid-nodes and turned copies of existing nodes.
  auto add_node = [&](double x, double y) {
    m.x.push_back(x);
    m.y.push_back(y);
    return static_cast<int>(m.x.size()) - 1;
  };
  // The image of `node` turned by k sectors: the node itself for the whole
  // machine or k = 0, else a copy sharing its unknown with sign^k.
  std::map<std::pair<int, long>, int> copies;
  auto image = [&](int node, long k) {
    if (k == 0 || whole_) return node;
    auto it = copies.find({node, k});
    if (it != copies.end()) return it->second;
    const double a = k * sector_, ca = std::cos(a), sa = std::sin(a);
    const int copy = add_node(ca * m.x[node] - sa * m.y[node], sa * m.x[node] + ca * m.y[node]);
    out.links.push_back({copy, node, (k % 2 == 0) ? 1.0 : sign_});
    copies[{node, k}] = copy;
    return copy;
  };

  // The rotor ring spans [angle, angle + S]: its own nodes, turned. The
  // stator ring repeated with period S is an infinite chain; take the
  // window of one period that starts at its node nearest to the rotor
  // ring's first node, so the band closes on the image of its first edge.
  const Ring& R = rotor_ring_;
  const Ring& T = stator_ring_;
  const long n = static_cast<long>(R.vertex.size()) - 1, nt = static_cast<long>(T.vertex.size()) - 1;
  auto rotor_angle = [&](long i) { return R.angle[i] + angle_rad; };
  auto floor_div = [](long a, long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  auto stator_angle = [&](long i) {
    const long k = floor_div(i, nt);
    return T.angle[i - k * nt] + k * sector_;
  };
  auto stator_vertex = [&](long i) {
    const long k = floor_div(i, nt);
    // The first node turned by one sector more is the real end node (its
    // image) turned by one sector less: reuse real nodes where they exist.
    if (i - k * nt == 0 && k >= 1) return image(T.vertex[nt], k - 1);
    return image(T.vertex[i - k * nt], k);
  };
  auto stator_mid = [&](long i) {  // mid-node of the edge (i, i + 1)
    const long k = floor_div(i, nt);
    return image(T.mid[i - k * nt], k);
  };
  const double start = rotor_angle(0);
  long a0 = static_cast<long>(std::floor((start - T.angle[0]) / sector_)) * nt;
  while (stator_angle(a0) > start) --a0;
  while (stator_angle(a0 + 1) <= start) ++a0;  // stator_angle(a0) <= start < stator_angle(a0 + 1)
  if (std::abs(stator_angle(a0 + 1) - start) < std::abs(stator_angle(a0) - start)) ++a0;

  const bool p2 = m.order == 2;
  const int npe = m.nodes_per_triangle();
  out.band_region = static_cast<int>(m.regions.size());
  m.regions.push_back(mesh::Region{0, "band", {}});
  out.rotor_region.push_back(0);
  // Cross edges (rotor vertex i, stator vertex j): their P2 mid-nodes.
  std::map<std::pair<long, long>, int> cross_mid;
  auto cross = [&](long i, long j) {
    auto it = cross_mid.find({i, j});
    if (it != cross_mid.end()) return it->second;
    int node;
    if (i == n && j == a0 + nt && cross_mid.count({0, a0})) {
      // The closing edge is the first one turned by one sector.
      node = image(cross_mid.at({0, a0}), 1);
    } else {
      const int rv = R.vertex[i], sv = stator_vertex(j);
      node = add_node(0.5 * (m.x[rv] + m.x[sv]), 0.5 * (m.y[rv] + m.y[sv]));
    }
    cross_mid[{i, j}] = node;
    return node;
  };
  auto add_triangle = [&](int v0, int v1, int v2, int m01, int m12, int m20) {
    const double area = (m.x[v1] - m.x[v0]) * (m.y[v2] - m.y[v0]) - (m.x[v2] - m.x[v0]) * (m.y[v1] - m.y[v0]);
    if (area < 0) {  // keep counter-clockwise: swap v1 and v2 (and the mid-nodes with them)
      std::swap(v1, v2);
      std::swap(m01, m20);
    }
    const int nodes[6] = {v0, v1, v2, m01, m12, m20};
    m.triangles.insert(m.triangles.end(), nodes, nodes + npe);
    m.triangle_region.push_back(out.band_region);
  };
  long i = 0, j = a0;
  while (i < n || j < a0 + nt) {
    const bool advance_rotor = j == a0 + nt || (i < n && rotor_angle(i + 1) <= stator_angle(j + 1));
    if (advance_rotor) {  // triangle (R_i, R_i+1, T_j)
      add_triangle(R.vertex[i], R.vertex[i + 1], stator_vertex(j), p2 ? R.mid[i] : -1, p2 ? cross(i + 1, j) : -1,
                   p2 ? cross(i, j) : -1);
      ++i;
    } else {  // triangle (R_i, T_j+1, T_j)
      add_triangle(R.vertex[i], stator_vertex(j + 1), stator_vertex(j), p2 ? cross(i, j + 1) : -1,
                   p2 ? stator_mid(j) : -1, p2 ? cross(i, j) : -1);
      ++j;
    }
  }
  return out;
}

}  // namespace rotormag::solver

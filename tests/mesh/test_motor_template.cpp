// The motor template (mesh/motor_geometry.hpp): areas against closed forms,
// the band circles, periodic sector edges, full machine = rotated sector
// copies, magnetization directions for every rotor kind, and the parameter
// errors. Most geometries use the Prius stator (48 slots) and a 45-degree
// base sector; the slotless stator (slots = 0) a 4-pole surface-PM machine
// with a one-pole base sector. All meshed coarsely so that the file runs in a
// few seconds.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "mesh/motor_geometry.hpp"
#include "mesh_test_util.hpp"

namespace rotormag::mesh {
namespace {

const double kPi = std::acos(-1.0);
const double kDeg = kPi / 180;

MotorGeometry prius(double sector_deg = 45) {
  MotorGeometry g;  // defaults: the Prius 2004 motor
  g.sector_deg = sector_deg;
  return g;
}

MotorGeometry with_rotor(RotorKind kind, double sector_deg = 45) {
  MotorGeometry g = prius(sector_deg);
  g.rotor.kind = kind;
  if (kind == RotorKind::surface_magnet) g.rotor.outer_radius_m = 0.0765;  // + 3.5 mm magnets: 0.95 mm gap
  if (kind == RotorKind::surface_magnet) g.rotor.surface.magnet_thickness_m = 0.0035;
  if (kind == RotorKind::spoke) g.rotor.shaft_radius_m = 0.040;
  return g;
}

Mesh build(const MotorGeometry& g, int order = 1, double h = 3e-3) { return build_motor(g, MeshingOptions{order, h}); }

std::string error_of(const MotorGeometry& g) {
  try {
    build(g, 1, 5e-3);
  } catch (const MeshError& e) {
    return e.what();
  }
  return "no error";
}

double angle_of(double x, double y) { return std::atan2(y, x); }

std::vector<int> nodes_of(const Mesh& m, const std::string& boundary) {
  const Boundary* b = m.find_boundary(boundary);
  EXPECT_NE(b, nullptr) << boundary;
  return b ? b->nodes : std::vector<int>{};
}

// Area of the semi-closed slot body (trapezoid, flat bottom strip, two quarter circles).
double semi_closed_body_area(const SemiClosedSlot& s) {
  const double r = s.bottom_fillet_radius_m;
  return 0.5 * (s.top_width_m + s.bottom_width_m) * (s.body_depth_m - r) + (s.bottom_width_m - 2 * r) * r + 0.5 * kPi * r * r;
}

// Centroid of a region (straight triangles).
std::pair<double, double> centroid(const Mesh& m, const std::string& region) {
  const int r = m.find_region(region);
  double a = 0, cx = 0, cy = 0;
  for (std::size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] != r) continue;
    const int* v = &m.triangles[t * m.nodes_per_triangle()];
    const double at = test::vertex_area(m, t);
    a += at;
    cx += at * (m.x[v[0]] + m.x[v[1]] + m.x[v[2]]) / 3;
    cy += at * (m.y[v[0]] + m.y[v[1]] + m.y[v[2]]) / 3;
  }
  return {cx / a, cy / a};
}

// Unit vector along the longer side of a rectangular region: the principal
// axis of its second moment of area (exact for straight triangles).
std::pair<double, double> long_axis(const Mesh& m, const std::string& region) {
  const auto [cx, cy] = centroid(m, region);
  const int r = m.find_region(region);
  double ixx = 0, iyy = 0, ixy = 0;
  for (std::size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] != r) continue;
    const int* v = &m.triangles[t * m.nodes_per_triangle()];
    const double a = test::vertex_area(m, t);
    double x[3], y[3];
    for (int k = 0; k < 3; ++k) x[k] = m.x[v[k]] - cx, y[k] = m.y[v[k]] - cy;
    // Exact second moments of a triangle: A/12 (sum x_i^2 + (sum x_i)^2) etc.
    const double sx = x[0] + x[1] + x[2], sy = y[0] + y[1] + y[2];
    ixx += a / 12 * (x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + sx * sx);
    iyy += a / 12 * (y[0] * y[0] + y[1] * y[1] + y[2] * y[2] + sy * sy);
    ixy += a / 12 * (x[0] * y[0] + x[1] * y[1] + x[2] * y[2] + sx * sy);
  }
  const double theta = 0.5 * std::atan2(2 * ixy, ixx - iyy);  // direction of the largest spread
  return {std::cos(theta), std::sin(theta)};
}

std::pair<double, double> direction(const Mesh& m, const std::string& region) {
  const MagnetizationHint& h = m.regions.at(m.find_region(region)).magnetization;
  if (h.kind == MagnetizationKind::parallel) return {std::cos(h.angle_rad), std::sin(h.angle_rad)};
  EXPECT_EQ(h.kind, MagnetizationKind::radial) << region;
  const auto [cx, cy] = centroid(m, region);
  const double r = std::hypot(cx, cy);
  return {h.sign * cx / r, h.sign * cy / r};
}

// m . e_r at the magnet's centroid.
double radial_component(const Mesh& m, const std::string& region) {
  const auto [cx, cy] = centroid(m, region);
  const auto [mx, my] = direction(m, region);
  return (mx * cx + my * cy) / std::hypot(cx, cy);
}

// Connected components of the triangles (sharing nodes): component id per node.
std::vector<int> components(const Mesh& m, int& count) {
  std::vector<int> parent(m.node_count());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };
  const int npt = m.nodes_per_triangle();
  for (std::size_t t = 0; t < m.triangle_count(); ++t)
    for (int k = 1; k < npt; ++k) parent[find(m.triangles[t * npt + k])] = find(m.triangles[t * npt]);
  std::map<int, int> ids;
  std::vector<int> id(m.node_count());
  for (std::size_t i = 0; i < m.node_count(); ++i) id[i] = ids.emplace(find(static_cast<int>(i)), static_cast<int>(ids.size())).first->second;
  count = static_cast<int>(ids.size());
  return id;
}

// Band circles: same node count, radii r1 and r2 (1e-12 relative), nodes
// equally spaced in angle (1e-9 rad) with the same step on both circles.
void expect_band(const Mesh& m, double r1, double r2, double sector_rad, bool full) {
  const std::vector<int> inner = nodes_of(m, "band_rotor"), outer = nodes_of(m, "band_stator");
  ASSERT_EQ(inner.size(), outer.size());
  ASSERT_GE(inner.size(), 3u);
  double step_of[2] = {0, 0};
  int which = 0;
  for (const auto& [nodes, radius] : {std::pair{inner, r1}, std::pair{outer, r2}}) {
    std::vector<double> angles;
    for (int n : nodes) {
      EXPECT_NEAR(std::hypot(m.x[n], m.y[n]) / radius, 1.0, 1e-12);
      double a = angle_of(m.x[n], m.y[n]);
      if (!full && a < -1e-12) a += 2 * kPi;  // sectors up to 180 degrees start at 0
      angles.push_back(full ? std::fmod(a + 2 * kPi, 2 * kPi) : a);
    }
    std::sort(angles.begin(), angles.end());
    const std::size_t steps = full ? angles.size() : angles.size() - 1;
    const double step = (full ? 2 * kPi : sector_rad) / steps;
    if (!full) {
      EXPECT_NEAR(angles.front(), 0.0, 1e-12);
      EXPECT_NEAR(angles.back(), sector_rad, 1e-12);
    }
    for (std::size_t i = 0; i < angles.size(); ++i) EXPECT_NEAR(angles[i], angles[0] + i * step, 1e-9) << "node " << i;
    step_of[which++] = step;
  }
  EXPECT_EQ(step_of[0], step_of[1]);
}

// Every node of sector_end_<side> is the rotation by the sector angle of
// exactly one node of sector_start_<side> (1e-10 relative), and vice versa.
void expect_periodic_edges(const Mesh& m, double sector_rad, double scale) {
  for (const char* side : {"rotor", "stator"}) {
    const std::vector<int> start = nodes_of(m, std::string("sector_start_") + side), end = nodes_of(m, std::string("sector_end_") + side);
    ASSERT_EQ(start.size(), end.size()) << side;
    ASSERT_GE(start.size(), 2u);
    const double c = std::cos(sector_rad), s = std::sin(sector_rad);
    std::set<int> used;
    for (int e : end) {
      int matches = 0;
      for (int b : start) {
        const double dx = c * m.x[b] - s * m.y[b] - m.x[e], dy = s * m.x[b] + c * m.y[b] - m.y[e];
        if (std::hypot(dx, dy) <= 1e-10 * scale) {
          ++matches;
          used.insert(b);
        }
      }
      EXPECT_EQ(matches, 1) << side << " end node " << e << " at (" << m.x[e] << ", " << m.y[e] << ")";
    }
    EXPECT_EQ(used.size(), start.size()) << side;
    for (int b : start) EXPECT_NEAR(angle_of(m.x[b], m.y[b]) * (std::hypot(m.x[b], m.y[b]) > 1e-12), 0.0, 1e-12);
  }
}

double band_inner(const MotorGeometry& g) {
  const double r = rotor_airgap_radius_m(g.rotor);
  return r + (g.stator.bore_radius_m - r) / 3;
}
double band_outer(const MotorGeometry& g) {
  const double r = rotor_airgap_radius_m(g.rotor);
  return r + 2 * (g.stator.bore_radius_m - r) / 3;
}

TEST(MotorTemplate, PriusSectorP1NamesBandComponentsAndPeriodicEdges) {
  const MotorGeometry g = prius(45);
  const auto start = std::chrono::steady_clock::now();
  const Mesh m = build(g, 1, 3e-3);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("Prius 45-degree sector, P1, h = 3 mm: %zu nodes, %zu triangles, %.2f s\n", m.node_count(), m.triangle_count(), seconds);
  EXPECT_EQ(motor_base_sector_deg(g), 45.0);
  EXPECT_GE(m.triangle_count(), 3000u);
  EXPECT_LE(m.triangle_count(), 15000u);

  std::vector<std::string> expected = {"stator_core", "slot_opening"};
  for (int s = 1; s <= 6; ++s) expected.push_back("coil_" + std::to_string(s) + "_1");
  for (const char* name : {"airgap_stator", "airgap_rotor", "rotor_core", "shaft", "pocket", "magnet_1_a", "magnet_1_b"})
    expected.emplace_back(name);
  ASSERT_EQ(m.regions.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(m.regions[i].name, expected[i]);
    EXPECT_EQ(m.regions[i].id, static_cast<int>(i) + 1);
  }
  for (const char* b : {"band_rotor", "band_stator", "stator_outer", "sector_start_rotor", "sector_end_rotor", "sector_start_stator",
                        "sector_end_stator"})
    EXPECT_NE(m.find_boundary(b), nullptr) << b;
  for (int n : nodes_of(m, "stator_outer")) EXPECT_NEAR(std::hypot(m.x[n], m.y[n]) / g.stator.outer_radius_m, 1.0, 1e-12);

  // Magnets: 18.9 x 6.5 mm (straight edges: exact); coils on P1 within 1 %
  // (chords cut the semicircular bottom), pockets present.
  for (const char* name : {"magnet_1_a", "magnet_1_b"})
    EXPECT_NEAR(test::region_area(m, name) / (18.9e-3 * 6.5e-3), 1.0, 1e-12) << name;
  const double body = semi_closed_body_area(g.stator.semi_closed);
  for (int s = 1; s <= 6; ++s) EXPECT_NEAR(test::region_area(m, "coil_" + std::to_string(s) + "_1") / body, 1.0, 1e-2);
  EXPECT_GT(test::region_area(m, "pocket"), 0.0);
  // Slot s centred at (s - 1/2) 7.5 degrees (fillet chords shift a P1 centroid by far less
  // than 0.05 degrees); the V pair symmetric about the pole axis at 22.5 degrees.
  for (int s = 1; s <= 6; ++s) {
    const auto [x, y] = centroid(m, "coil_" + std::to_string(s) + "_1");
    EXPECT_NEAR(angle_of(x, y) / kDeg, (s - 0.5) * 7.5, 0.05) << "slot " << s;
  }
  const auto [ax, ay] = centroid(m, "magnet_1_a");
  const auto [bx, by] = centroid(m, "magnet_1_b");
  EXPECT_NEAR(0.5 * (angle_of(ax, ay) + angle_of(bx, by)) / kDeg, 22.5, 1e-9);
  EXPECT_NEAR(std::hypot(ax, ay), std::hypot(bx, by), 1e-12);

  expect_band(m, band_inner(g), band_outer(g), 45 * kDeg, false);
  // N = ceil(arc at the mid-band radius / band width) intervals: 254 for the Prius.
  const std::size_t intervals = static_cast<std::size_t>(std::ceil(45 * kDeg * 0.5 * (band_inner(g) + band_outer(g)) / (band_outer(g) - band_inner(g))));
  EXPECT_EQ(intervals, 254u);
  EXPECT_EQ(nodes_of(m, "band_rotor").size(), intervals + 1);
  expect_periodic_edges(m, 45 * kDeg, g.stator.outer_radius_m);

  // Two parts: the rotor side (r < r1, holding band_rotor) and the stator side (r > r2).
  int count = 0;
  const std::vector<int> component = components(m, count);
  EXPECT_EQ(count, 2);
  const int rotor_side = component[nodes_of(m, "band_rotor").front()], stator_side = component[nodes_of(m, "band_stator").front()];
  EXPECT_NE(rotor_side, stator_side);
  for (std::size_t i = 0; i < m.node_count(); ++i) {
    const double r = std::hypot(m.x[i], m.y[i]);
    if (component[i] == rotor_side) ASSERT_LE(r, band_inner(g) * (1 + 1e-12)) << "node " << i;
    else ASSERT_GE(r, band_outer(g) * (1 - 1e-12)) << "node " << i;
  }
}

TEST(MotorTemplate, QuadraticAreasMatchClosedForms) {
  // Prius slot (semicircular bottom), single layer; and a two-layer slot with a
  // wedge and partial fillets split radially (equal areas).
  MotorGeometry g = prius(45);
  const Mesh m = build(g, 2, 3e-3);
  ASSERT_EQ(m.order, 2);
  const double body = semi_closed_body_area(g.stator.semi_closed);
  for (int s = 1; s <= 6; ++s) EXPECT_NEAR(test::region_area(m, "coil_" + std::to_string(s) + "_1") / body, 1.0, 1e-3);
  for (const char* name : {"magnet_1_a", "magnet_1_b"})
    EXPECT_NEAR(test::region_area(m, name) / (18.9e-3 * 6.5e-3), 1.0, 1e-12) << name;
  // Whole model: the sector of the stator's outer disk less the band annulus.
  const double r1 = band_inner(g), r2 = band_outer(g), R = g.stator.outer_radius_m;
  const double expected = 0.125 * kPi * (R * R - (r2 * r2 - r1 * r1));
  EXPECT_NEAR(test::total_area(m) / expected, 1.0, 1e-4);
  expect_band(m, r1, r2, 45 * kDeg, false);  // P2: mid-edge nodes on the circles, equally spaced too
  expect_periodic_edges(m, 45 * kDeg, R);

  auto& slot = g.stator.semi_closed;
  slot.wedge_depth_m = 1.5e-3;
  slot.top_width_m = 5.5e-3;
  slot.bottom_width_m = 7.5e-3;
  slot.bottom_fillet_radius_m = 2e-3;
  slot.body_depth_m = 25e-3;
  g.stator.winding_layers = 2;
  for (LayerSplit split : {LayerSplit::radial, LayerSplit::tangential}) {
    g.stator.layer_split = split;
    const Mesh two = build(g, 2, 3e-3);
    const double area = semi_closed_body_area(slot);
    for (int s = 1; s <= 6; ++s)
      for (int layer : {1, 2}) {
        const std::string name = "coil_" + std::to_string(s) + "_" + std::to_string(layer);
        EXPECT_NEAR(test::region_area(two, name) / (0.5 * area), 1.0, 1e-3) << name;
      }
    // Layer 1 lies nearer the gap (radial) or on the lower-angle side (tangential).
    const auto [x1, y1] = centroid(two, "coil_1_1");
    const auto [x2, y2] = centroid(two, "coil_1_2");
    if (split == LayerSplit::radial) EXPECT_LT(std::hypot(x1, y1), std::hypot(x2, y2) - 5e-3);
    else EXPECT_LT(angle_of(x1, y1), angle_of(x2, y2) - 1 * kDeg);
    EXPECT_NEAR(test::total_area(two) / expected, 1.0, 1e-4);
  }
}

TEST(MotorTemplate, OpenSlotsAndEveryRotorKindHaveTheirAreas) {
  // Open rectangular slots: conductor = width x depth less the bore segment.
  MotorGeometry g = with_rotor(RotorKind::surface_magnet, 45);
  g.stator.slot_shape = SlotShape::open_rectangular;
  g.stator.open = {5e-3, 22e-3};
  g.rotor.surface.pole_arc_ratio = 0.75;
  const Mesh spm = build(g, 2, 3e-3);
  const double rb = g.stator.bore_radius_m, w = 5e-3;
  const double open_area = w * 22e-3 - (rb * rb * std::asin(0.5 * w / rb) - 0.5 * w * std::sqrt(rb * rb - 0.25 * w * w));
  for (int s = 1; s <= 6; ++s) EXPECT_NEAR(test::region_area(spm, "coil_" + std::to_string(s) + "_1") / open_area, 1.0, 1e-6);
  EXPECT_EQ(spm.find_region("slot_opening"), -1);
  // Surface magnet: annular sector over 0.75 of the 45-degree pole pitch.
  const double rr = 0.0765, rm = 0.08;
  EXPECT_NEAR(test::region_area(spm, "magnet_1") / (0.5 * 0.75 * 45 * kDeg * (rm * rm - rr * rr)), 1.0, 1e-6);
  const double r1 = band_inner(g), r2 = band_outer(g), R = g.stator.outer_radius_m;
  EXPECT_NEAR(test::total_area(spm) / (0.125 * kPi * (R * R - (r2 * r2 - r1 * r1))), 1.0, 1e-4);
  EXPECT_EQ(spm.find_region("pocket"), -1);  // the air between surface magnets is airgap_rotor

  // Interior bar: thickness x width.
  const MotorGeometry bar = with_rotor(RotorKind::interior_bar, 45);
  const Mesh mb = build(bar, 1, 3e-3);
  EXPECT_NEAR(test::region_area(mb, "magnet_1") / (26e-3 * 3.5e-3), 1.0, 1e-12);
  EXPECT_GT(test::region_area(mb, "pocket"), 0.0);

  // Spoke with a bridge: two half magnets on the sector edges (w/2 x L each)
  // and whole ones inside a 90-degree sector.
  MotorGeometry spoke = with_rotor(RotorKind::spoke, 90);
  spoke.rotor.spoke.inner_pocket_depth_m = 2e-3;
  const Mesh ms = build(spoke, 1, 3e-3);
  const double wl = 6e-3 * 20e-3;
  EXPECT_NEAR(test::region_area(ms, "magnet_0") / (0.5 * wl), 1.0, 1e-12);
  EXPECT_NEAR(test::region_area(ms, "magnet_1") / wl, 1.0, 1e-12);
  EXPECT_NEAR(test::region_area(ms, "magnet_2") / (0.5 * wl), 1.0, 1e-12);
  EXPECT_NEAR(test::region_area(ms, "pocket") / (2 * 6e-3 * 2e-3), 1.0, 1e-12);
  expect_periodic_edges(ms, 90 * kDeg, spoke.stator.outer_radius_m);

  // Open spoke: the magnet ends on the rotor-surface arc.
  spoke.rotor.spoke.open_to_airgap = true;
  const Mesh mo = build(spoke, 2, 3e-3);
  const double Rr = spoke.rotor.outer_radius_m, h = 3e-3, u_in = Rr - 20e-3;
  const double open_spoke = 2 * (0.5 * h * std::sqrt(Rr * Rr - h * h) + 0.5 * Rr * Rr * std::asin(h / Rr)) - 2 * h * u_in;
  EXPECT_NEAR(test::region_area(mo, "magnet_1") / open_spoke, 1.0, 1e-6);
}

TEST(MotorTemplate, FullMachineIsTheSectorCopiedRound) {
  for (int order : {1, 2}) {
    const MotorGeometry g = prius(45);
    const Mesh sector = build(g, order, 3e-3);
    const Mesh full = build(prius(360), order, 3e-3);
    const std::size_t edge = nodes_of(sector, "sector_start_rotor").size() + nodes_of(sector, "sector_start_stator").size();
    // 8 copies share 8 edges; the centre node is shared by all of them.
    EXPECT_EQ(full.node_count(), 8 * sector.node_count() - 8 * edge + 1) << "order " << order;
    EXPECT_EQ(full.triangle_count(), 8 * sector.triangle_count());
    EXPECT_EQ(full.find_boundary("sector_start_rotor"), nullptr);
    EXPECT_EQ(nodes_of(full, "band_rotor").size(), 8 * (nodes_of(sector, "band_rotor").size() - 1));

    // Every node of the full mesh is a sector node rotated by j * 45 degrees.
    std::set<std::pair<long long, long long>> points;
    auto key = [](double x, double y) { return std::pair{std::llround(x * 1e9), std::llround(y * 1e9)}; };
    for (std::size_t i = 0; i < full.node_count(); ++i) points.insert(key(full.x[i], full.y[i]));
    EXPECT_EQ(points.size(), full.node_count());
    std::size_t found = 0;
    for (int j = 0; j < 8; ++j)
      for (std::size_t i = 0; i < sector.node_count(); ++i) {
        const double c = std::cos(j * 45 * kDeg), s = std::sin(j * 45 * kDeg);
        found += points.count(key(c * sector.x[i] - s * sector.y[i], s * sector.x[i] + c * sector.y[i]));
      }
    EXPECT_EQ(found, 8 * sector.node_count());
    expect_band(full, band_inner(g), band_outer(g), 2 * kPi, true);
    int count = 0;
    components(full, count);
    EXPECT_EQ(count, 2);
    if (order == 1) {
      EXPECT_NE(full.find_region("coil_48_1"), -1);
      EXPECT_NE(full.find_region("coil_17_1"), -1);
      EXPECT_NE(full.find_region("magnet_8_b"), -1);
      EXPECT_EQ(full.regions.size(), 48u + 16u + 7u);
      // Pole 2 (copy 1) is the S-pole image of pole 1 turned by 45 degrees.
      const auto& m1 = full.regions[full.find_region("magnet_1_a")].magnetization;
      const auto& m2 = full.regions[full.find_region("magnet_2_a")].magnetization;
      EXPECT_NEAR(std::remainder(m2.angle_rad - m1.angle_rad - 45 * kDeg - kPi, 2 * kPi), 0.0, 1e-12);
      EXPECT_NEAR(test::region_area(full, "coil_48_1") / semi_closed_body_area(g.stator.semi_closed), 1.0, 1e-2);
    }
  }
  // A spoke rotor closes its ring through the spoke at angle 0 (magnet_8, two merged halves).
  const Mesh spoke = build(with_rotor(RotorKind::spoke, 360), 1, 4e-3);
  EXPECT_EQ(spoke.find_region("magnet_0"), -1);
  for (int k = 1; k <= 8; ++k) EXPECT_NEAR(test::region_area(spoke, "magnet_" + std::to_string(k)) / (6e-3 * 20e-3), 1.0, 1e-12) << k;
  const auto [mx, my] = direction(spoke, "magnet_8");
  EXPECT_NEAR(mx, 0.0, 1e-12);  // tangential at angle 0, pointing into pole 1
  EXPECT_NEAR(my, 1.0, 1e-12);
}

TEST(MotorTemplate, MachineWithoutSymmetryIsMeshedWhole) {
  // 9 slots, 8 poles: gcd 1, the base sector is the whole machine (closed band circles).
  MotorGeometry g = prius(360);
  g.stator.slots = 9;
  EXPECT_EQ(motor_base_sector_deg(g), 360.0);
  const Mesh m = build(g, 2, 4e-3);
  expect_band(m, band_inner(g), band_outer(g), 2 * kPi, true);
  const double rm = 0.5 * (band_inner(g) + band_outer(g)), width = band_outer(g) - band_inner(g);
  EXPECT_EQ(nodes_of(m, "band_stator").size(), 2 * static_cast<std::size_t>(std::ceil(2 * kPi * rm / width)));  // P2: twice the intervals
  EXPECT_EQ(m.find_boundary("sector_start_rotor"), nullptr);
  EXPECT_EQ(m.regions.size(), 9u + 16u + 7u);
  int count = 0;
  components(m, count);
  EXPECT_EQ(count, 2);
  const double r1 = band_inner(g), r2 = band_outer(g), R = g.stator.outer_radius_m;
  EXPECT_NEAR(test::total_area(m) / (kPi * (R * R - (r2 * r2 - r1 * r1))), 1.0, 1e-4);
  g.sector_deg = 180;
  EXPECT_NE(error_of(g).find("sector_deg: 180 deg does not hold a whole number of slots"), std::string::npos) << error_of(g);
}

// A slotless surface-PM machine (the T4 validation machine): 4 poles, rotor
// iron Rr = 20 mm, 4 mm magnets over 0.8 of the pole pitch, smooth bore 25 mm.
MotorGeometry slotless_spm(double sector_deg) {
  MotorGeometry g;
  g.stator.slots = 0;
  g.stator.bore_radius_m = 25e-3;
  g.stator.outer_radius_m = 32e-3;
  g.rotor.kind = RotorKind::surface_magnet;
  g.rotor.poles = 4;
  g.rotor.shaft_radius_m = 10e-3;
  g.rotor.outer_radius_m = 20e-3;
  g.rotor.surface.magnet_thickness_m = 4e-3;
  g.rotor.surface.pole_arc_ratio = 0.8;
  g.sector_deg = sector_deg;
  return g;
}

// Every triangle of airgap_rotor lies between two magnets (r <= Rm) or outside
// the magnet radius (r >= Rm): the arc r = Rm is meshed between the magnets too.
void expect_airgap_rotor_split_at(const Mesh& m, double rm) {
  const int region = m.find_region("airgap_rotor");
  ASSERT_GE(region, 0);
  std::size_t inside = 0, outside = 0;
  for (std::size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] != region) continue;
    bool below = false, above = false;
    for (int k = 0; k < m.nodes_per_triangle(); ++k) {
      const int v = m.triangles[t * m.nodes_per_triangle() + k];
      const double r = std::hypot(m.x[v], m.y[v]);
      below = below || r < rm * (1 - 1e-9);
      above = above || r > rm * (1 + 1e-9);
    }
    EXPECT_FALSE(below && above) << "triangle " << t << " straddles r = Rm";
    (above ? outside : inside) += 1;
  }
  EXPECT_GT(inside, 0u);
  EXPECT_GT(outside, 0u);
}

TEST(MotorTemplate, SlotlessStatorOnePoleSectorIsAPlainRing) {
  const MotorGeometry g = slotless_spm(90);
  EXPECT_EQ(motor_base_sector_deg(g), 90.0);  // one pole: 360 / (2p)
  const double rr = 20e-3, rm = 24e-3, rs = 25e-3, ro = 32e-3, shaft = 10e-3, quarter = 0.25 * kPi;
  const double r1 = band_inner(g), r2 = band_outer(g);
  EXPECT_NEAR(r1, rm + 1e-3 / 3, 1e-15);
  for (int order : {1, 2}) {
    const Mesh m = build(g, order, 2e-3);
    const std::vector<std::string> expected = {"stator_core", "airgap_stator", "airgap_rotor", "rotor_core", "shaft", "magnet_1"};
    ASSERT_EQ(m.regions.size(), expected.size()) << "order " << order;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(m.regions[i].name, expected[i]);
      EXPECT_EQ(m.regions[i].id, static_cast<int>(i) + 1);
    }
    for (const char* b : {"band_rotor", "band_stator", "stator_outer", "sector_start_rotor", "sector_end_rotor", "sector_start_stator",
                          "sector_end_stator"})
      EXPECT_NE(m.find_boundary(b), nullptr) << b;
    for (int n : nodes_of(m, "stator_outer")) EXPECT_NEAR(std::hypot(m.x[n], m.y[n]) / ro, 1.0, 1e-12);
    // The magnet of pole 1, N, radial, centred on the pole axis at 45 degrees.
    const MagnetizationHint& hint = m.regions[m.find_region("magnet_1")].magnetization;
    EXPECT_EQ(hint.kind, MagnetizationKind::radial);
    EXPECT_EQ(hint.sign, 1.0);
    const auto [mx, my] = centroid(m, "magnet_1");
    EXPECT_NEAR(angle_of(mx, my) / kDeg, 45.0, 1e-9);
    expect_band(m, r1, r2, 90 * kDeg, false);
    expect_periodic_edges(m, 90 * kDeg, ro);
    expect_airgap_rotor_split_at(m, rm);
    int count = 0;
    components(m, count);
    EXPECT_EQ(count, 2);
    if (order == 1) continue;
    // P2 (curved edges on every circle): the regions' areas.
    EXPECT_NEAR(test::region_area(m, "stator_core") / (quarter * (ro * ro - rs * rs)), 1.0, 1e-4);
    EXPECT_NEAR(test::region_area(m, "airgap_stator") / (quarter * (rs * rs - r2 * r2)), 1.0, 1e-4);
    EXPECT_NEAR(test::region_area(m, "magnet_1") / (0.8 * quarter * (rm * rm - rr * rr)), 1.0, 1e-4);
    EXPECT_NEAR(test::region_area(m, "airgap_rotor") / (quarter * (r1 * r1 - rm * rm) + 0.2 * quarter * (rm * rm - rr * rr)),
                1.0, 1e-4);
    EXPECT_NEAR(test::region_area(m, "rotor_core") / (quarter * (rr * rr - shaft * shaft)), 1.0, 1e-4);
    EXPECT_NEAR(test::region_area(m, "shaft") / (quarter * shaft * shaft), 1.0, 1e-4);
    EXPECT_NEAR(test::total_area(m) / (quarter * (ro * ro - (r2 * r2 - r1 * r1))), 1.0, 1e-4);
  }

  // The slot fields are not used: an impossible slot does not matter.
  MotorGeometry odd = g;
  odd.stator.semi_closed.top_width_m = 1.0;
  odd.stator.winding_layers = 2;
  EXPECT_EQ(error_of(odd), "no error");
  // Sectors must hold whole poles; slot counts other than 0 must still be >= 2.
  odd = g;
  odd.sector_deg = 45;
  EXPECT_NE(error_of(odd).find("sector_deg: 45 deg does not hold a whole number of poles"), std::string::npos) << error_of(odd);
  for (int slots : {1, -4}) {
    odd = g;
    odd.stator.slots = slots;
    EXPECT_NE(error_of(odd).find("stator.slots: must be at least 2, or 0 for a slotless stator"), std::string::npos) << error_of(odd);
  }
}

TEST(MotorTemplate, SlotlessFullMachineIsThePoleCopiedRound) {
  for (SurfaceMagnetization magnetization : {SurfaceMagnetization::radial, SurfaceMagnetization::parallel}) {
    MotorGeometry g = slotless_spm(90);
    g.rotor.surface.magnetization = magnetization;
    const Mesh sector = build(g, 2, 2e-3);
    g.sector_deg = 180;
    const Mesh half = build(g, 2, 2e-3);
    g.sector_deg = 360;
    const Mesh full = build(g, 2, 2e-3);
    const std::size_t edge = nodes_of(sector, "sector_start_rotor").size() + nodes_of(sector, "sector_start_stator").size();
    EXPECT_EQ(full.node_count(), 4 * sector.node_count() - 4 * edge + 1);
    EXPECT_EQ(full.triangle_count(), 4 * sector.triangle_count());
    EXPECT_EQ(half.node_count(), 2 * sector.node_count() - edge);
    EXPECT_EQ(half.triangle_count(), 2 * sector.triangle_count());
    EXPECT_EQ(full.find_boundary("sector_start_rotor"), nullptr);
    expect_periodic_edges(half, kPi, g.stator.outer_radius_m);
    expect_band(full, band_inner(g), band_outer(g), 2 * kPi, true);
    expect_airgap_rotor_split_at(full, 24e-3);
    int count = 0;
    components(full, count);
    EXPECT_EQ(count, 2);

    const std::vector<std::string> expected = {"stator_core", "airgap_stator", "airgap_rotor", "rotor_core", "shaft",
                                               "magnet_1",    "magnet_2",      "magnet_3",     "magnet_4"};
    ASSERT_EQ(full.regions.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(full.regions[i].name, expected[i]);
    EXPECT_EQ(full.find_region("slot_opening"), -1);
    EXPECT_EQ(full.find_region("coil_1_1"), -1);
    const double ro = g.stator.outer_radius_m, rs = g.stator.bore_radius_m, rr = 20e-3, rm = 24e-3;
    EXPECT_NEAR(test::region_area(full, "stator_core") / (kPi * (ro * ro - rs * rs)), 1.0, 1e-4);
    for (int k = 1; k <= 4; ++k) {
      const std::string name = "magnet_" + std::to_string(k);
      EXPECT_NEAR(test::region_area(full, name) / (0.8 * 0.25 * kPi * (rm * rm - rr * rr)), 1.0, 1e-4) << name;
      // Pole k on its axis at (k - 1/2) 90 degrees; odd poles N, even S.
      const auto [cx, cy] = centroid(full, name);
      EXPECT_NEAR(std::remainder(angle_of(cx, cy) - (k - 0.5) * 90 * kDeg, 2 * kPi), 0.0, 1e-9) << name;
      EXPECT_NEAR(radial_component(full, name), k % 2 == 1 ? 1.0 : -1.0, 1e-9) << name;
    }
  }
}

TEST(MotorTemplate, PoleOneIsNorthPoleTwoSouthForEveryRotorKind) {
  // Two poles (a 90-degree sector): N at pole 1 (m . e_r > 0), S at pole 2.
  for (RotorKind kind : {RotorKind::surface_magnet, RotorKind::interior_v, RotorKind::interior_bar}) {
    for (SurfaceMagnetization sm : {SurfaceMagnetization::radial, SurfaceMagnetization::parallel}) {
      if (kind != RotorKind::surface_magnet && sm == SurfaceMagnetization::parallel) continue;
      MotorGeometry g = with_rotor(kind, 90);
      g.rotor.surface.magnetization = sm;
      const Mesh m = build(g, 1, 4e-3);
      const std::vector<std::string> suffixes = kind == RotorKind::interior_v ? std::vector<std::string>{"_a", "_b"} : std::vector<std::string>{""};
      for (const std::string& suffix : suffixes) {
        const std::string n = "magnet_1" + suffix, s = "magnet_2" + suffix;
        EXPECT_GT(radial_component(m, n), 0.25) << n << " kind " << static_cast<int>(kind);
        EXPECT_LT(radial_component(m, s), -0.25) << s << " kind " << static_cast<int>(kind);
      }
      if (kind == RotorKind::surface_magnet && sm == SurfaceMagnetization::radial) {
        EXPECT_EQ(m.regions[m.find_region("magnet_1")].magnetization.sign, 1.0);
        EXPECT_EQ(m.regions[m.find_region("magnet_2")].magnetization.sign, -1.0);
      }
      if (kind == RotorKind::interior_v) {
        // Perpendicular to each magnet's long side; "a" lies on the counter-clockwise side of the pole axis.
        for (const char* name : {"magnet_1_a", "magnet_1_b", "magnet_2_a", "magnet_2_b"}) {
          const auto [lx, ly] = long_axis(m, name);
          const auto [mx, my] = direction(m, name);
          EXPECT_NEAR(lx * mx + ly * my, 0.0, 1e-9) << name;
        }
        EXPECT_GT(angle_of(centroid(m, "magnet_1_a").first, centroid(m, "magnet_1_a").second), 22.5 * kDeg);
        EXPECT_LT(angle_of(centroid(m, "magnet_1_b").first, centroid(m, "magnet_1_b").second), 22.5 * kDeg);
      }
      if (kind == RotorKind::interior_bar) {
        // Along the pole axis (22.5 degrees), across the long side.
        const auto [mx, my] = direction(m, "magnet_1");
        EXPECT_NEAR(mx, std::cos(22.5 * kDeg), 1e-12);
        EXPECT_NEAR(my, std::sin(22.5 * kDeg), 1e-12);
        const auto [lx, ly] = long_axis(m, "magnet_1");
        EXPECT_NEAR(lx * mx + ly * my, 0.0, 1e-9);
      }
    }
  }
  // Spoke: spokes 0 (half, angle 0), 1 (45 deg), 2 (half, 90 deg). Both
  // spokes beside pole 1 point into it (N), both beside pole 2 away from it (S).
  const Mesh m = build(with_rotor(RotorKind::spoke, 90), 1, 4e-3);
  auto tangential = [&](const std::string& name, double at) {
    const auto [mx, my] = direction(m, name);
    return -mx * std::sin(at) + my * std::cos(at);  // m . e_theta
  };
  EXPECT_NEAR(tangential("magnet_0", 0), 1.0, 1e-12);             // counter-clockwise, into pole 1
  EXPECT_NEAR(tangential("magnet_1", 45 * kDeg), -1.0, 1e-12);    // clockwise, into pole 1
  EXPECT_NEAR(tangential("magnet_2", 90 * kDeg), 1.0, 1e-12);     // counter-clockwise, out of pole 2
  const double into_pole_1 = tangential("magnet_0", 0) - tangential("magnet_1", 45 * kDeg);
  const double into_pole_2 = tangential("magnet_1", 45 * kDeg) - tangential("magnet_2", 90 * kDeg);
  EXPECT_NEAR(into_pole_1, 2.0, 1e-12);
  EXPECT_NEAR(into_pole_2, -2.0, 1e-12);
}

TEST(MotorTemplate, RejectsImpossibleParametersNamingThem) {
  struct Case {
    const char* what;
    MotorGeometry g;
    const char* parameter;
  };
  std::vector<Case> cases;
  auto add = [&](const char* what, auto&& change, const char* parameter) {
    MotorGeometry g = prius(45);
    change(g);
    cases.push_back({what, g, parameter});
  };
  add("sector not whole slots", [](MotorGeometry& g) { g.sector_deg = 50; }, "sector_deg: 50 deg does not hold a whole number of slots");
  add("sector not whole poles", [](MotorGeometry& g) { g.sector_deg = 15; }, "sector_deg: 15 deg does not hold a whole number of poles");
  add("odd poles", [](MotorGeometry& g) { g.rotor.poles = 7; }, "rotor.poles");
  add("slots overlap", [](MotorGeometry& g) { g.stator.semi_closed.top_width_m = 11e-3; }, "stator.semi_closed.top_width_m: the slots are too wide");
  add("thin teeth at the bottom", [](MotorGeometry& g) { g.stator.semi_closed.bottom_width_m = 15e-3, g.stator.semi_closed.bottom_fillet_radius_m = 0; },
      "stator.semi_closed.bottom_width_m: the slots are too wide");
  add("no yoke", [](MotorGeometry& g) { g.stator.semi_closed.body_depth_m = 53e-3; }, "stator.semi_closed.body_depth_m: the slot bottom reaches");
  add("fillet too large", [](MotorGeometry& g) { g.stator.semi_closed.bottom_fillet_radius_m = 4.5e-3; }, "stator.semi_closed.bottom_fillet_radius_m");
  add("zero opening", [](MotorGeometry& g) { g.stator.semi_closed.opening_width_m = 0; }, "stator.semi_closed.opening_width_m: must be positive");
  add("zero open slot width", [](MotorGeometry& g) { g.stator.slot_shape = SlotShape::open_rectangular, g.stator.open.width_m = -1e-3; },
      "stator.open.width_m: must be positive");
  add("three layers", [](MotorGeometry& g) { g.stator.winding_layers = 3; }, "stator.winding_layers");
  add("no air gap", [](MotorGeometry& g) { g.stator.bore_radius_m = 80e-3; }, "stator.bore_radius_m");
  add("band outside the gap", [](MotorGeometry& g) { g.band_inner_radius_m = 80.1e-3; }, "band_inner_radius_m");
  add("V bridge zero", [](MotorGeometry& g) { g.rotor.interior_v.bridge_m = 0; }, "rotor.interior_v.bridge_m: must be positive");
  add("V magnet too long", [](MotorGeometry& g) { g.rotor.interior_v.magnet_length_m = 23e-3; }, "rotor.interior_v.magnet_length_m");
  add("V hole into the shaft", [](MotorGeometry& g) { g.rotor.shaft_radius_m = 63e-3; }, "rotor.interior_v.v_bottom_depth_m");
  add("V rib too wide", [](MotorGeometry& g) { g.rotor.interior_v.rib_width_m = 20e-3; }, "rotor.interior_v.rib_width_m");
  add("pole arc ratio", [](MotorGeometry& g) { g = with_rotor(RotorKind::surface_magnet), g.rotor.surface.pole_arc_ratio = 1.2; },
      "rotor.surface.pole_arc_ratio");
  add("surface magnets into the stator", [](MotorGeometry& g) { g = with_rotor(RotorKind::surface_magnet), g.rotor.surface.magnet_thickness_m = 5e-3; },
      "stator.bore_radius_m");
  add("bar magnet outside the rotor", [](MotorGeometry& g) { g = with_rotor(RotorKind::interior_bar), g.rotor.interior_bar.magnet_width_m = 40e-3; },
      "rotor.interior_bar.magnet_width_m");
  add("bar pockets overlap", [](MotorGeometry& g) { g = with_rotor(RotorKind::interior_bar), g.rotor.interior_bar.magnet_depth_m = 6e-3; },
      "rotor.interior_bar.magnet_depth_m: the holes of neighbouring poles overlap");
  add("spokes overlap", [](MotorGeometry& g) { g = with_rotor(RotorKind::spoke), g.rotor.spoke.magnet_width_m = 40e-3, g.rotor.spoke.magnet_length_m = 30e-3; }, "rotor.spoke.magnet_width_m");
  add("spoke bridge zero", [](MotorGeometry& g) { g = with_rotor(RotorKind::spoke), g.rotor.spoke.bridge_m = 0; }, "rotor.spoke.bridge_m");
  add("spoke into the hub", [](MotorGeometry& g) { g = with_rotor(RotorKind::spoke), g.rotor.spoke.magnet_length_m = 40e-3; }, "rotor.spoke.magnet_length_m");
  std::set<std::string> distinct;
  for (const Case& c : cases) {
    const std::string message = error_of(c.g);
    EXPECT_EQ(message.rfind("motor template: ", 0), 0u) << c.what << ": " << message;
    EXPECT_NE(message.find(c.parameter), std::string::npos) << c.what << ": " << message;
    distinct.insert(message);
  }
  EXPECT_EQ(distinct.size(), cases.size());
}

}  // namespace
}  // namespace rotormag::mesh

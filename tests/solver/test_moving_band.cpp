// The moving band (solver/moving_band.hpp): the band triangulated for any
// rotor angle fills the annulus, and a rotated problem is solved as exactly
// as an unrotated one. T1 (magnetized cylinder in air, exact solution) with
// the magnet on the rotor side of a band: its field must turn with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mesh/motor_geometry.hpp"
#include "mesh/templates.hpp"
#include "solver/air_gap_torque.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/moving_band.hpp"
#include "support/backends.hpp"
#include "validation/error_norms.hpp"
#include "validation/problems.hpp"

namespace rm = rotormag;
namespace rv = rotormag::validation;
using rm::solver::MaterialSpec;

namespace {

constexpr double mm = 1e-3;
const double kPi = std::acos(-1.0);

// T1 with a band: magnet r < 10 mm, air to 12 mm (rotor side), band 12..13 mm,
// air to 30 mm (stator side, exact Dirichlet data on r = 30 mm).
rm::mesh::Mesh t1_machine(int order, double size) {
  rm::mesh::ConcentricLayers g;
  g.radii_m = {10 * mm, 12 * mm, 13 * mm, 30 * mm};
  g.region_names = {"magnet", "airgap_rotor", "band", "airgap_stator"};
  g.magnetization = {{rm::mesh::MagnetizationKind::parallel, 0.0, 1.0}, {}, {}, {}};
  g.circle_names = {"", "band_rotor", "band_stator", ""};
  g.outer_boundary = "outer";
  rm::mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = size;
  return rm::mesh::build_concentric_layers(g, options);
}

struct RotatedT1 {
  rm::solver::PositionedMachine machine;
  rm::solver::Solution solution;
};

RotatedT1 solve_rotated_t1(const rm::solver::MovingBand& band, double angle) {
  const auto reference = rv::t1_reference();
  RotatedT1 out{band.at(angle), {}};
  const rm::mesh::Mesh& m = out.machine.mesh;
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  const int magnet = m.find_region("magnet");
  p.regions[magnet].material.kind = MaterialSpec::Kind::magnet;
  p.regions[magnet].material.mu_r = 1.05;
  p.regions[magnet].material.remanence_T = 1.2;
  p.regions[magnet].magnetization = m.regions[magnet].magnetization;  // turned with the rotor
  p.links = out.machine.links;
  const double c = std::cos(angle), s = std::sin(angle);
  rm::solver::add_dirichlet(p, *m.find_boundary("outer"), [&](double x, double y) {
    return reference.potential(c * x + s * y, -s * x + c * y);  // the field turned by `angle`
  });
  auto backend = rm::testing::test_backend();
  out.solution = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
  return out;
}

}  // namespace

// The band triangles fill the annulus r1 < r < r2 exactly (P2: curved ring
// edges) for angles that do and do not line up the two rings, all
// counter-clockwise.
TEST(MovingBand, BandFillsTheAnnulusAtAnyAngle) {
  for (int order : {1, 2}) {
    const rm::solver::MovingBand band(t1_machine(order, 1.5 * mm), 2 * kPi, 1.0, "T1 machine");
    const double r1 = band.rotor_ring_radius(), r2 = band.stator_ring_radius();
    EXPECT_NEAR(r1, 12 * mm, 1e-12);
    EXPECT_NEAR(r2, 13 * mm, 1e-12);
    for (double deg : {0.0, 3.7, 45.0, 200.0, -17.0}) {
      const auto pm = band.at(deg * kPi / 180);
      const auto ring = rm::solver::region_annulus(pm.mesh, pm.band_region, 2 * kPi);
      const double exact = kPi * (r2 * r2 - r1 * r1);
      // P1: polygons, so compare with the area between the two polygons.
      const double n1 = band.rotor_ring().vertex.size() - 1, n2 = band.stator_ring().vertex.size() - 1;
      const double polygons = 0.5 * (n2 * r2 * r2 * std::sin(2 * kPi / n2) - n1 * r1 * r1 * std::sin(2 * kPi / n1));
      EXPECT_NEAR(ring.area_m2, order == 2 ? exact : polygons, (order == 2 ? 1e-6 : 1e-12) * exact)
          << "order " << order << ", angle " << deg;
      EXPECT_EQ(pm.mesh.triangle_count() - band.machine().triangle_count(),
                band.rotor_ring().vertex.size() + band.stator_ring().vertex.size() - 2);
      const int npe = pm.mesh.nodes_per_triangle();
      for (size_t t = band.machine().triangle_count(); t < pm.mesh.triangle_count(); ++t) {
        const int* v = &pm.mesh.triangles[t * npe];
        const double a = (pm.mesh.x[v[1]] - pm.mesh.x[v[0]]) * (pm.mesh.y[v[2]] - pm.mesh.y[v[0]]) -
                         (pm.mesh.x[v[2]] - pm.mesh.x[v[0]]) * (pm.mesh.y[v[1]] - pm.mesh.y[v[0]]);
        ASSERT_GT(a, 0) << "band triangle " << t << " is not counter-clockwise";
      }
    }
  }
}

// T1 solved with the rotor (the magnet and its air) turned by 0 and by an
// angle that matches no ring node: the L2 error against the exact turned
// field stays as small (within a factor 1.5), the magnet's B is the exact
// B_in along the turned direction (2e-3 relative), and Arkkio's torque in the
// band is zero (the field of a magnet alone exerts no torque on it) to 1e-4
// of the torque scale B_in^2 R^2 / mu0.
BACKEND_TEST(MovingBand, TurnedT1IsAsAccurateAsUnturned) {
  const auto reference = rv::t1_reference();
  const rm::solver::MovingBand band(t1_machine(2, 1.0 * mm), 2 * kPi, 1.0, "T1 machine");
  const double b_in = 1.2 / (1 + 1.05);
  std::vector<double> errors;
  for (double deg : {0.0, 23.3}) {
    const double angle = deg * kPi / 180;
    const RotatedT1 r = solve_rotated_t1(band, angle);
    const auto& m = r.machine.mesh;
    const double c = std::cos(angle), s = std::sin(angle);
    const double error = rv::l2_error(m, r.solution.A, [&](double x, double y) {
      return reference.potential(c * x + s * y, -s * x + c * y);
    });
    errors.push_back(error);
    const int magnet = m.find_region("magnet");
    double bx = 0, by = 0, area = 0;
    for (size_t e = 0; e < m.triangle_count(); ++e)
      if (m.triangle_region[e] == magnet) {
        bx += r.solution.Bx[e] * r.solution.element_area[e];
        by += r.solution.By[e] * r.solution.element_area[e];
        area += r.solution.element_area[e];
      }
    EXPECT_NEAR(bx / area, b_in * c, 2e-3 * b_in) << deg;
    EXPECT_NEAR(by / area, b_in * s, 2e-3 * b_in) << deg;
    const double torque = rm::solver::arkkio_torque_per_m(m, r.solution.A, r.machine.band_region,
                                                          band.rotor_ring_radius(), band.stator_ring_radius());
    const double scale = b_in * b_in * 1e-4 / rm::kernels::mu0;
    EXPECT_LT(std::abs(torque), 1e-4 * scale) << deg;
    std::printf("T1 turned by %.1f deg: L2 error of A %.3e Wb m, B in magnet (%.6f, %.6f) T, Arkkio %.3e N m/m\n", deg,
                error, bx / area, by / area, torque);
  }
  EXPECT_LT(errors[1], 1.5 * errors[0]);
}

// T6 (validation ladder, after FEMM's TorqueBenchmark): a 10 mm x 5 mm magnet
// with mu_r = 1 and Hc = 1 MA/m (Br = mu0 Hc) turned by theta in a uniform
// field B0 = 1 T along x (A = B0 y on the outer circle). Exact torque per
// metre of depth: T = m' B0 sin(0 - theta), m' = Hc x area = 50 A m. Arkkio
// in the band through the moving band over 0..180 degrees in 10 degree steps,
// and as a second method Arkkio over the stator-side air annulus (another
// radius), each within 1e-5 of |m' B0|.
BACKEND_TEST(MovingBand, T6TorqueOnABarMagnetFollowsSinTheta) {
  std::vector<int> degrees;
  for (int deg = 0; deg <= 180; deg += 10) degrees.push_back(deg);
  auto backend = rm::testing::test_backend();
  const rv::T6Result r = rv::t6_torques(2, 0.5 * mm, 0.15 * mm, degrees, *backend);
  for (const auto& t : r.torques)
    std::printf("T6 theta %3.0f deg: exact %9.5f, band %9.5f, stator air %9.5f N m/m\n", t.theta_deg, t.exact, t.band,
                t.stator_air);
  std::printf("T6 worst error / |m B0|: band %.2e, stator air %.2e\n", r.worst_band, r.worst_stator_air);
  // The issue asks for 0.2 %; with mu_r = 1 everywhere the problem is linear
  // and both integrals land within ~1e-7, so hold them to 1e-5.
  EXPECT_LT(r.worst_band, 1e-5);
  EXPECT_LT(r.worst_stator_air, 1e-5);
}

// A machine mesh that breaks the contract of docs/motor-mesh.md is refused
// with a message naming the boundary or node at fault.
TEST(MovingBand, BrokenMachineMeshesAreRefusedNamingTheEntity) {
  auto error_of = [](const rm::mesh::Mesh& m, double sector, double sign) {
    try {
      rm::solver::MovingBand band(m, sector, sign, "machine.msh");
    } catch (const rm::mesh::MeshError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const rm::mesh::Mesh good = t1_machine(1, 2 * mm);
  EXPECT_EQ(error_of(good, 2 * kPi, 1.0), "no error");

  rm::mesh::Mesh no_ring = good;
  no_ring.boundaries.erase(std::remove_if(no_ring.boundaries.begin(), no_ring.boundaries.end(),
                                          [](const auto& b) { return b.name == "band_stator"; }),
                           no_ring.boundaries.end());
  EXPECT_NE(error_of(no_ring, 2 * kPi, 1.0).find("missing: 'band_stator'"), std::string::npos);

  // The band meshed under another name: the two sides are connected.
  rm::mesh::Mesh closed = good;
  closed.regions[closed.find_region("band")].name = "gap_air";
  EXPECT_NE(error_of(closed, 2 * kPi, 1.0).find("connected by triangles"), std::string::npos);

  // A ring that is not a circle about the origin.
  rm::mesh::Mesh off = good;
  off.x[off.find_boundary("band_rotor")->nodes.front()] *= 1.01;
  EXPECT_NE(error_of(off, 2 * kPi, 1.0).find("do not lie on one circle"), std::string::npos);

  // A sector model without its sector edges.
  EXPECT_NE(error_of(good, kPi / 2, -1.0).find("needs the boundaries 'sector_start_rotor' and 'sector_end_rotor'"),
            std::string::npos);

  // Sector edges that are not meshed periodically: one end node moved.
  rm::mesh::MotorGeometry g;
  g.sector_deg = 45;
  rm::mesh::Mesh sector = rm::mesh::build_motor(g, {1, 6 * mm});
  EXPECT_EQ(error_of(sector, kPi / 4, -1.0), "no error");
  int moved = -1;  // the outermost node of the edge: on no band ring
  for (int v : sector.find_boundary("sector_end_stator")->nodes)
    if (moved < 0 || std::hypot(sector.x[v], sector.y[v]) > std::hypot(sector.x[moved], sector.y[moved])) moved = v;
  sector.x[moved] += 1e-5;
  const std::string e = error_of(sector, kPi / 4, -1.0);
  EXPECT_NE(e.find("node " + std::to_string(moved) + " of 'sector_end_stator'"), std::string::npos) << e;
  EXPECT_NE(e.find("no partner on 'sector_start_stator'"), std::string::npos) << e;
}

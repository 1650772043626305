// Motor-level validation against closed forms (validation ladder T3, T4):
// the air-gap field of magnets between (nearly) infinitely permeable irons,
// solved through the moving band with the rotor turned, compared with the
// exact field, with the convergence of the error shown over three meshes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>

#include "kernels/reference_element.hpp"
#include "mesh/templates.hpp"
#include "solver/air_gap_torque.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/motor_references.hpp"
#include "solver/moving_band.hpp"
#include "support/backends.hpp"

namespace rm = rotormag;
using rm::solver::MaterialSpec;

namespace {

constexpr double mm = 1e-3;
const double kPi = std::acos(-1.0);

// Relative L2 error of B over the regions `names`, against an exact field
// given in polar components (B_r, B_theta) at (r, phi).
double gap_field_error(const rm::mesh::Mesh& m, const std::vector<double>& A, const std::vector<std::string>& names,
                       const std::function<std::pair<double, double>(double, double)>& exact) {
  std::vector<char> in(m.regions.size(), 0);
  for (const auto& n : names) in[m.find_region(n)] = 1;
  const int npe = m.nodes_per_triangle();
  double err = 0, norm = 0;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (!in[m.triangle_region[t]]) continue;
    double x[6], y[6], a[6];
    for (int i = 0; i < npe; ++i) {
      const int v = m.triangles[t * npe + i];
      x[i] = m.x[v]; y[i] = m.y[v]; a[i] = A[v];
    }
    for (int q = 0; q < 6; ++q) {
      const auto qp = rm::kernels::quadrature_point(2, q);
      double N[6], dx[6], dy[6];
      rm::kernels::shape_values(m.order, qp.xi, qp.eta, N);
      const double w = qp.weight * rm::kernels::physical_gradients(m.order, x, y, qp.xi, qp.eta, dx, dy);
      double px = 0, py = 0, bx = 0, by = 0;
      for (int i = 0; i < npe; ++i) {
        px += N[i] * x[i]; py += N[i] * y[i];
        bx += a[i] * dy[i]; by -= a[i] * dx[i];
      }
      const double r = std::hypot(px, py), phi = std::atan2(py, px);
      const auto [br, bt] = exact(r, phi);
      const double ex = br * std::cos(phi) - bt * std::sin(phi), ey = br * std::sin(phi) + bt * std::cos(phi);
      err += w * ((bx - ex) * (bx - ex) + (by - ey) * (by - ey));
      norm += w * (ex * ex + ey * ey);
    }
  }
  return std::sqrt(err / norm);
}

MaterialSpec linear(double mu_r) {
  MaterialSpec s;
  s.mu_r = mu_r;
  return s;
}

// T3: a diametrically magnetized ring Rr < r < Rm (Br = 1.2 T, mu_r = 1.05)
// between a rotor core r < Rr and a stator ring Rs < r < 40 mm of mu_r = 1e6
// (the closed form has infinitely permeable iron: the difference is O(1e-6)),
// A = 0 on r = 40 mm; the band lies in the middle of the 2 mm air gap. The
// rotor is turned by 31 degrees, so the exact field is turned with it.
// B in the air gap (relative L2) on the finest mesh (h = 0.3 mm): P2 within
// 0.5 % (it is ~3e-5), P1 within 1 % (it is ~0.7 %: P1 needs h ~ 0.2 mm for
// 0.5 %); both converging at O(h^order) or better (within 0.25).
TEST(T3DiametricRing, GapFieldMatchesTheClosedFormThroughTheMovingBand) {
  const rm::test::DiametricRing ring{20 * mm, 26 * mm, 28 * mm, 1.05, 1.2};
  const auto reference = rm::test::diametric_ring_general(ring);
  const double turn = 31.0 * kPi / 180;
  auto backend = rm::testing::test_backend();
  for (int order : {1, 2}) {
    std::vector<double> h, errors;
    for (double size : {1.2 * mm, 0.6 * mm, 0.3 * mm}) {
      rm::mesh::ConcentricLayers g;
      // The band is one layer of triangles: its width shrinks with h, as
      // every other element does, or its error would stop the convergence.
      g.radii_m = {20 * mm, 26 * mm, 27 * mm - size / 2, 27 * mm + size / 2, 28 * mm, 40 * mm};
      g.region_names = {"rotor_core", "magnet", "airgap_rotor", "band", "airgap_stator", "stator_core"};
      g.element_size_m = {3 * mm, size, size, size, size, 3 * mm};
      g.magnetization = {{}, {rm::mesh::MagnetizationKind::parallel, 0.0, 1.0}, {}, {}, {}, {}};
      g.circle_names = {"", "", "band_rotor", "band_stator", "", ""};
      g.outer_boundary = "stator_outer";
      rm::mesh::MeshingOptions options;
      options.order = order;
      options.element_size_m = size;
      const rm::solver::MovingBand band(rm::mesh::build_concentric_layers(g, options), 2 * kPi, 1.0, "T3");
      const auto pm = band.at(turn);
      const auto& m = pm.mesh;
      rm::solver::Problem p;
      p.mesh = &m;
      p.regions.resize(m.regions.size());
      p.regions[m.find_region("rotor_core")].material = linear(1e6);
      p.regions[m.find_region("stator_core")].material = linear(1e6);
      const int magnet = m.find_region("magnet");
      p.regions[magnet].material.kind = MaterialSpec::Kind::magnet;
      p.regions[magnet].material.mu_r = ring.mu_r;
      p.regions[magnet].material.remanence_T = ring.Br;
      p.regions[magnet].magnetization = m.regions[magnet].magnetization;
      p.links = pm.links;
      rm::solver::add_dirichlet(p, *m.find_boundary("stator_outer"), [](double, double) { return 0.0; });
      const auto s = rm::solver::solve(p, *backend, rm::solver::NewtonSettings{});
      errors.push_back(gap_field_error(m, s.A, {"airgap_rotor", "band", "airgap_stator"}, [&](double r, double phi) {
        return std::make_pair(reference.B_r(r, phi - turn), reference.B_theta(r, phi - turn));
      }));
      h.push_back(size);
    }
    const double rate = std::log(errors[1] / errors[2]) / std::log(h[1] / h[2]);
    std::printf("T3 P%d: relative L2 error of B in the gap %.3e %.3e %.3e (h = 1.2, 0.6, 0.3 mm), last rate %.2f\n",
                order, errors[0], errors[1], errors[2], rate);
    EXPECT_LT(errors.back(), order == 2 ? 5e-3 : 1e-2) << "order " << order;
    EXPECT_GT(rate, order - 0.25) << "order " << order;    // B converges at O(h^order)
  }
}

}  // namespace

// Motor-level validation against closed forms (validation ladder T3, T4):
// the air-gap field of magnets between (nearly) infinitely permeable irons,
// solved through the moving band with the rotor turned, compared with the
// exact field, with the convergence of the error shown over three meshes.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <functional>

#include "kernels/reference_element.hpp"
#include "mesh/motor_geometry.hpp"
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

// B of the FE solution at the 6 quadrature points of triangle t: calls
// f(x, y, weight, Bx, By) for each.
template <class F>
void for_each_quadrature_B(const rm::mesh::Mesh& m, const std::vector<double>& A, size_t t, F&& f) {
  const int npe = m.nodes_per_triangle();
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
    f(px, py, w, bx, by);
  }
}

// Relative L2 error of B over the regions `names`, against an exact field
// given in polar components (B_r, B_theta) at (r, phi).
double gap_field_error(const rm::mesh::Mesh& m, const std::vector<double>& A, const std::vector<std::string>& names,
                       const std::function<std::pair<double, double>(double, double)>& exact) {
  std::vector<char> in(m.regions.size(), 0);
  for (const auto& n : names) in[m.find_region(n)] = 1;
  double err = 0, norm = 0;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (!in[m.triangle_region[t]]) continue;
    for_each_quadrature_B(m, A, t, [&](double px, double py, double w, double bx, double by) {
      const double r = std::hypot(px, py), phi = std::atan2(py, px);
      const auto [br, bt] = exact(r, phi);
      const double ex = br * std::cos(phi) - bt * std::sin(phi), ey = br * std::sin(phi) + bt * std::cos(phi);
      err += w * ((bx - ex) * (bx - ex) + (by - ey) * (by - ey));
      norm += w * (ex * ex + ey * ey);
    });
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


// ---------------------------------------------------------------------------
// T4: the open-circuit air-gap field of a slotless surface-PM machine (the
// motor template with slots = 0) against the Zhu-Howe-Chan series.
// ---------------------------------------------------------------------------

// The Zhu-Howe-Chan series of SlotlessSpmField (its coefficients K_n), summed
// at each point until the tail is below 1e-10 T: near r = Rm the terms decay
// only like (Rm/r)^k, so a fixed truncation would be either wrong there or
// slow everywhere. The powers and the angle are advanced by recurrence
// (k -> k + 2p). Needs p >= 2 (k = 1 has another radial shape).
class ConvergedGapSeries {
 public:
  ConvergedGapSeries(rm::test::SlotlessSpm machine, int max_harmonics) : m_(machine) {
    if (m_.p < 2) throw std::invalid_argument("ConvergedGapSeries: needs p >= 2");
    m_.harmonics = max_harmonics;
    const rm::test::SlotlessSpmField field(m_);
    for (int i = 0; i < max_harmonics; ++i) {
      K_.push_back(field.K(i));
      K_max_ = std::max(K_max_, std::abs(K_.back()));
    }
  }

  // (B_r, B_theta) at (r, phi), Rm <= r <= Rs.
  std::pair<double, double> at(double r, double phi) const {
    const int p = m_.p;
    const double Rm = m_.Rm, Rs = m_.Rs, t = phi - m_.rotor_angle;
    const std::complex<double> step = std::polar(1.0, 2.0 * p * t);
    std::complex<double> e = std::polar(1.0, p * t);                     // exp(i k t), k = p
    double inner = std::pow(Rm / r, p + 1);                                // (Rm/r)^(k+1)
    double outer = std::pow(r / Rs, p - 1) * std::pow(Rm / Rs, p + 1);     // (r/Rs)^(k-1) (Rm/Rs)^(k+1)
    const double inner_step = std::pow(Rm / r, 2 * p), outer_step = std::pow(r * Rm / (Rs * Rs), 2 * p);
    double br = 0, bt = 0;
    for (std::size_t i = 0; i < K_.size(); ++i) {
      br += K_[i] * (outer + inner) * e.real();
      bt += K_[i] * (inner - outer) * e.imag();
      // outer <= inner, so the tail is at most 2 K_max inner q / (1 - q), q = inner_step.
      if (2 * K_max_ * inner * inner_step < 1e-10 * (1 - inner_step)) return {br, bt};
      e *= step;
      inner *= inner_step;
      outer *= outer_step;
    }
    ++truncated_;
    return {br, bt};
  }
  // Points where max_harmonics were not enough for 1e-10 T.
  long truncated() const { return truncated_; }

 private:
  rm::test::SlotlessSpm m_;
  std::vector<double> K_;
  double K_max_ = 0;
  mutable long truncated_ = 0;
};

// The T4 machine: 2p = 4, rotor iron Rr = 20 mm on a 10 mm shaft, magnets
// 4 mm thick (Rm = 24 mm) over alpha_p = 0.8 of the pole pitch, smooth bore
// Rs = 25 mm, stator ring to 32 mm. Gap, band and magnets meshed at h; the
// band (one layer of triangles) h wide in the middle of the gap, so that it
// shrinks with h as every other element does.
constexpr double kRr = 20 * mm, kRm = 24 * mm, kRs = 25 * mm, kPoleArc = 0.8;

rm::mesh::MotorGeometry t4_machine(double h, double sector_deg, rm::test::Magnetization magnetization) {
  rm::mesh::MotorGeometry g;
  g.stator.slots = 0;
  g.stator.bore_radius_m = kRs;
  g.stator.outer_radius_m = 32 * mm;
  g.rotor.kind = rm::mesh::RotorKind::surface_magnet;
  g.rotor.poles = 4;
  g.rotor.shaft_radius_m = 10 * mm;
  g.rotor.outer_radius_m = kRr;
  g.rotor.surface.magnet_thickness_m = kRm - kRr;
  g.rotor.surface.pole_arc_ratio = kPoleArc;
  g.rotor.surface.magnetization = magnetization == rm::test::Magnetization::radial ? rm::mesh::SurfaceMagnetization::radial
                                                                                   : rm::mesh::SurfaceMagnetization::parallel;
  g.sector_deg = sector_deg;
  const double mid = 0.5 * (kRm + kRs);
  g.band_inner_radius_m = mid - h / 2;
  g.band_outer_radius_m = mid + h / 2;
  g.sizes.band_element_size_m = h;
  g.sizes.airgap_element_size_m = h;
  g.sizes.magnet_element_size_m = h;
  return g;
}

// The series' machine, the rotor turned by `turn`. Pole 1 (N) of the template
// has its axis at (1 - 1/2) 360/(2p) = 45 degrees; the series measures theta
// from a N-pole d-axis: rotor_angle = 45 degrees + turn.
rm::test::SlotlessSpm t4_series_machine(rm::test::Magnetization magnetization, double mu_r, double turn) {
  rm::test::SlotlessSpm spm{kRr, kRm, kRs, 2, kPoleArc, 1.2, mu_r, magnetization, 1};
  spm.rotor_angle = 45.0 * kPi / 180 + turn;
  return spm;
}

// The air between the magnets (airgap_rotor at r < Rm; the template meshes
// the arc r = Rm there, so no triangle straddles it) as a region of its own,
// "interpolar", so that it can be given the magnets' recoil permeability as
// the series assumes.
void split_interpolar_air(rm::mesh::Mesh& m) {
  const int air = m.find_region("airgap_rotor");
  const int interpolar = static_cast<int>(m.regions.size());
  m.regions.push_back(rm::mesh::Region{interpolar + 1, "interpolar", {}});
  const int npe = m.nodes_per_triangle();
  std::size_t moved = 0;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (m.triangle_region[t] != air) continue;
    bool inside = true;
    for (int k = 0; k < npe; ++k) {
      const int v = m.triangles[t * npe + k];
      inside = inside && std::hypot(m.x[v], m.y[v]) < kRm * (1 + 1e-9);
    }
    if (inside) m.triangle_region[t] = interpolar, ++moved;
  }
  EXPECT_GT(moved, 0u);
}

struct T4Solution {
  rm::solver::PositionedMachine machine;
  std::vector<double> A;
  std::size_t model_triangles = 0;  // triangles of the template mesh (the band's come after them)
};

// Builds the model (sector_deg = 90: one pole, anti-periodic; 360: the whole
// machine), turns the rotor by `turn` and solves with iron (rotor core,
// shaft, stator) of mu_r = 1e6 and A = 0 on stator_outer. With
// `interpolar_mu_r` the air between the magnets gets the magnets' mu_r.
T4Solution solve_t4(int order, double h, double sector_deg, const rm::test::SlotlessSpm& spm, bool interpolar_mu_r,
                    double turn, rm::kernels::Backend& backend) {
  rm::mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = 2 * mm;  // the cores, away from the gap
  rm::mesh::Mesh mesh = rm::mesh::build_motor(t4_machine(h, sector_deg, spm.magnetization), options);
  if (interpolar_mu_r) split_interpolar_air(mesh);
  const bool whole = sector_deg == 360;
  const rm::solver::MovingBand band(std::move(mesh), sector_deg * kPi / 180, whole ? 1.0 : -1.0, "T4");
  T4Solution out;
  out.model_triangles = band.machine().triangle_count();
  out.machine = band.at(turn);
  const auto& m = out.machine.mesh;
  rm::solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  for (const char* iron : {"rotor_core", "stator_core", "shaft"}) p.regions[m.find_region(iron)].material = linear(1e6);
  if (interpolar_mu_r) p.regions[m.find_region("interpolar")].material = linear(spm.mu_r);
  int magnets = 0;
  for (size_t r = 0; r < m.regions.size(); ++r) {
    if (m.regions[r].name.rfind("magnet_", 0) != 0) continue;
    p.regions[r].material.kind = MaterialSpec::Kind::magnet;
    p.regions[r].material.mu_r = spm.mu_r;
    p.regions[r].material.remanence_T = spm.Br;
    p.regions[r].magnetization = m.regions[r].magnetization;
    ++magnets;
  }
  EXPECT_EQ(magnets, whole ? 4 : 1);
  p.links = out.machine.links;
  rm::solver::add_dirichlet(p, *m.find_boundary("stator_outer"), [](double, double) { return 0.0; });
  out.A = rm::solver::solve(p, backend, rm::solver::NewtonSettings{}).A;
  return out;
}

// The triangles where the gap field is compared: airgap_stator, the band,
// and airgap_rotor outside the magnet radius (not the air between magnets).
std::vector<char> gap_triangles(const rm::mesh::Mesh& m) {
  std::vector<char> in(m.triangle_count(), 0);
  const int stator = m.find_region("airgap_stator"), band = m.find_region("band"), rotor = m.find_region("airgap_rotor");
  const int npe = m.nodes_per_triangle();
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    const int r = m.triangle_region[t];
    if (r == stator || r == band) in[t] = 1;
    if (r != rotor) continue;
    bool outside = false;
    for (int k = 0; k < npe; ++k) {
      const int v = m.triangles[t * npe + k];
      outside = outside || std::hypot(m.x[v], m.y[v]) > kRm * (1 + 1e-9);
    }
    in[t] = outside;
  }
  return in;
}


// Relative L2 errors of B in the gap against the series: over all of it, and
// leaving out the discs of radius `corner_radius` about the magnet corners on
// r = Rm (magnet k spans its pole axis +- alpha_p 45 degrees), where the exact
// B has a logarithmic singularity (the edge of the magnet's surface charge).
struct GapErrors {
  double all = 0, away_from_corners = 0;
};

GapErrors t4_gap_errors(const T4Solution& s, const ConvergedGapSeries& series, double turn, double corner_radius) {
  const auto& m = s.machine.mesh;
  const std::vector<char> in = gap_triangles(m);
  std::vector<std::pair<double, double>> corners;
  for (int j = -4; j <= 4; ++j)
    for (double side : {-1.0, 1.0}) {
      const double a = turn + (45 + 90 * j + side * kPoleArc * 45) * kPi / 180;
      corners.emplace_back(kRm * std::cos(a), kRm * std::sin(a));
    }
  double err[2] = {0, 0}, norm[2] = {0, 0};
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    if (!in[t]) continue;
    for_each_quadrature_B(m, s.A, t, [&](double px, double py, double w, double bx, double by) {
      const double r = std::hypot(px, py), phi = std::atan2(py, px);
      const auto [br, bt] = series.at(r, phi);
      const double ex = br * std::cos(phi) - bt * std::sin(phi), ey = br * std::sin(phi) + bt * std::cos(phi);
      const double e2 = w * ((bx - ex) * (bx - ex) + (by - ey) * (by - ey)), n2 = w * (ex * ex + ey * ey);
      bool near_corner = false;
      for (const auto& [cx, cy] : corners) near_corner = near_corner || std::hypot(px - cx, py - cy) < corner_radius;
      for (int k = 0; k < (near_corner ? 1 : 2); ++k) err[k] += e2, norm[k] += n2;
    });
  }
  return {std::sqrt(err[0] / norm[0]), std::sqrt(err[1] / norm[1])};
}

TEST(T4SlotlessSpm, SeriesSummedToConvergenceIsTheReferenceSeries) {
  // The recurrence summation against SlotlessSpmField, both with 400 harmonics.
  for (auto magnetization : {rm::test::Magnetization::radial, rm::test::Magnetization::parallel}) {
    rm::test::SlotlessSpm spm = t4_series_machine(magnetization, 1.05, 0.3);
    const ConvergedGapSeries fast(spm, 400);
    spm.harmonics = 400;
    const rm::test::SlotlessSpmField field(spm);
    for (double r : {24.25 * mm, 24.5 * mm, 25 * mm})
      for (double phi : {0.0, 0.4, 1.1, 2.0, -2.9}) {
        const auto [br, bt] = fast.at(r, phi);
        EXPECT_NEAR(br, field.B_r(r, phi), 1e-12) << r << " " << phi;
        EXPECT_NEAR(bt, field.B_theta(r, phi), 1e-12) << r << " " << phi;
      }
  }
}

// One pole pitch (90 degrees, anti-periodic) of the slotless SPM through the
// moving band, the rotor turned by 31 degrees (not a multiple of the band
// node spacing 90/N degrees: N = 97, 193, 385), against the series turned by
// the same angle. Three meshes, h = 0.4, 0.2, 0.1 mm in the gap, band and
// magnets. The series has mu_r in the whole magnet annulus: exact for
// mu_r = 1 at any alpha_p; for mu_r = 1.05 the air between the magnets is
// given mu_r too (region "interpolar"). Radial and parallel magnets.
//
// B in the gap (airgap_stator, band, airgap_rotor outside Rm), relative L2:
// on the finest mesh P2 ~1.7e-3 (< 0.5 %), P1 ~9.5e-3 (< 1 %). Both converge
// at only ~h^0.84 there: the exact B has a logarithmic singularity at the
// magnet corners on r = Rm (the edge of the charged magnet surface), which
// caps every uniform-mesh method at O(h) (times a log) in L2. Leaving out the
// discs of 0.5 mm about the corners (2 % of the gap) the rates are the
// element orders: P2 ~2.0 (>= 1.75), P1 ~1.0 (>= 0.75).
// Then the whole machine (four copies of the pole, periodic through the
// band) on the middle mesh gives the sector's gap field to 1e-6.
TEST(T4SlotlessSpm, GapFieldMatchesTheZhuHoweSeriesThroughTheMovingBand) {
  const double turn = 31.0 * kPi / 180;
  const std::vector<double> sizes = {0.4 * mm, 0.2 * mm, 0.1 * mm};
  const double corner_radius = 0.5 * mm;
  for (double h : sizes) {
    const int n = static_cast<int>(std::ceil(0.5 * kPi * 0.5 * (kRm + kRs) / h - 1e-9));  // band intervals per 90 degrees
    const double nodes = turn / (0.5 * kPi / n);
    EXPECT_GT(std::abs(nodes - std::round(nodes)), 0.1) << "the turn is (nearly) a multiple of the band node spacing at h = " << h;
  }
  auto backend = rm::testing::test_backend();
  struct Variant {
    rm::test::Magnetization magnetization;
    double mu_r;
  };
  for (const Variant v : {Variant{rm::test::Magnetization::radial, 1.0}, Variant{rm::test::Magnetization::parallel, 1.0},
                          Variant{rm::test::Magnetization::radial, 1.05}, Variant{rm::test::Magnetization::parallel, 1.05}}) {
    const rm::test::SlotlessSpm spm = t4_series_machine(v.magnetization, v.mu_r, turn);
    const ConvergedGapSeries series(spm, 40000);
    const char* name = v.magnetization == rm::test::Magnetization::radial ? "radial" : "parallel";
    for (int order : {1, 2}) {
      std::vector<double> all, away;
      const auto start = std::chrono::steady_clock::now();
      for (double h : sizes) {
        const GapErrors e = t4_gap_errors(solve_t4(order, h, 90, spm, v.mu_r != 1.0, turn, *backend), series, turn, corner_radius);
        all.push_back(e.all);
        away.push_back(e.away_from_corners);
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      auto rate_of = [&](const std::vector<double>& e) { return std::log(e[1] / e[2]) / std::log(sizes[1] / sizes[2]); };
      std::printf("T4 %-8s mu_r %.2f P%d: relative L2 error of B in the gap %.3e %.3e %.3e (h = 0.4, 0.2, 0.1 mm), last rate %.2f;\n"
                  "                        away from the magnet corners %.3e %.3e %.3e, last rate %.2f (%.1f s)\n",
                  name, v.mu_r, order, all[0], all[1], all[2], rate_of(all), away[0], away[1], away[2], rate_of(away), seconds);
      const std::string what = std::string(name) + " mu_r " + std::to_string(v.mu_r) + " P" + std::to_string(order);
      EXPECT_LT(all.back(), order == 2 ? 5e-3 : 1e-2) << what;
      EXPECT_GT(rate_of(all), 0.75) << what;                           // O(h) at best: the corner singularity
      EXPECT_GT(rate_of(away), order == 2 ? 1.75 : 0.75) << what;     // O(h^order) away from it
    }
    EXPECT_EQ(series.truncated(), 0);
  }

  // The whole machine on the same mesh (P2, h = 0.2 mm): the four copies of
  // the pole, the band closed round, natural conditions instead of the
  // anti-periodic links. Its first quarter is the sector's mesh, triangle
  // for triangle; B there in the gap equals the sector's.
  for (auto magnetization : {rm::test::Magnetization::radial, rm::test::Magnetization::parallel}) {
    const rm::test::SlotlessSpm spm = t4_series_machine(magnetization, 1.05, turn);
    const T4Solution sector = solve_t4(2, 0.2 * mm, 90, spm, true, turn, *backend);
    const T4Solution whole = solve_t4(2, 0.2 * mm, 360, spm, true, turn, *backend);
    ASSERT_EQ(whole.model_triangles, 4 * sector.model_triangles);
    const auto& ms = sector.machine.mesh;
    const auto& mw = whole.machine.mesh;
    const std::vector<char> in = gap_triangles(ms);
    const int npe = ms.nodes_per_triangle();
    double diff = 0, norm = 0;
    std::size_t compared = 0;
    for (size_t t = 0; t < sector.model_triangles; ++t) {
      for (int k = 0; k < npe; ++k) {
        const int a = ms.triangles[t * npe + k], b = mw.triangles[t * npe + k];
        ASSERT_NEAR(ms.x[a], mw.x[b], 1e-15) << "triangle " << t;
        ASSERT_NEAR(ms.y[a], mw.y[b], 1e-15) << "triangle " << t;
      }
      if (!in[t]) continue;
      ++compared;
      std::vector<std::array<double, 2>> bs;
      for_each_quadrature_B(ms, sector.A, t, [&](double, double, double, double bx, double by) { bs.push_back({bx, by}); });
      int q = 0;
      for_each_quadrature_B(mw, whole.A, t, [&](double, double, double w, double bx, double by) {
        diff += w * ((bx - bs[q][0]) * (bx - bs[q][0]) + (by - bs[q][1]) * (by - bs[q][1]));
        norm += w * (bs[q][0] * bs[q][0] + bs[q][1] * bs[q][1]);
        ++q;
      });
    }
    const double relative = std::sqrt(diff / norm);
    std::printf("T4 %s: whole machine vs one-pole sector, P2 h = 0.2 mm: relative L2 difference of B in the gap %.2e (%zu triangles)\n",
                magnetization == rm::test::Magnetization::radial ? "radial" : "parallel", relative, compared);
    EXPECT_GT(compared, 1000u);
    EXPECT_LT(relative, 1e-6);
  }
}

}  // namespace

// T3, T4, T6 of the validation ladder through the moving band (problems.hpp).
#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>

#include "solver/air_gap_torque.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "validation/error_norms.hpp"
#include "validation/problems.hpp"

namespace rotormag::validation {

using solver::MaterialSpec;

namespace {
const double kPi = std::acos(-1.0);
}  // namespace

// ---------------------------------------------------------------------------
// T3: the ring Rr < r < Rm between a rotor core r < Rr and a stator ring
// Rs < r < 40 mm of mu_r = 1e6 (the closed form has infinitely permeable
// iron: the difference is O(1e-6)), A = 0 on r = 40 mm; the band lies in the
// middle of the 2 mm air gap.
// ---------------------------------------------------------------------------
DiametricRing t3_ring() { return {20 * mm, 26 * mm, 28 * mm, 1.05, 1.2}; }

double t3_gap_error(int order, double size, double turn, kernels::Backend& backend) {
  const DiametricRing ring = t3_ring();
  const DiametricRingField reference = diametric_ring_general(ring);
  mesh::ConcentricLayers g;
  // The band is one layer of triangles: its width shrinks with h, as every
  // other element does, or its error would stop the convergence.
  g.radii_m = {20 * mm, 26 * mm, 27 * mm - size / 2, 27 * mm + size / 2, 28 * mm, 40 * mm};
  g.region_names = {"rotor_core", "magnet", "airgap_rotor", "band", "airgap_stator", "stator_core"};
  g.element_size_m = {3 * mm, size, size, size, size, 3 * mm};
  g.magnetization = {{}, {mesh::MagnetizationKind::parallel, 0.0, 1.0}, {}, {}, {}, {}};
  g.circle_names = {"", "", "band_rotor", "band_stator", "", ""};
  g.outer_boundary = "stator_outer";
  mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = size;
  const solver::MovingBand band(mesh::build_concentric_layers(g, options), 2 * kPi, 1.0, "T3");
  const auto pm = band.at(turn);
  const auto& m = pm.mesh;
  solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  p.regions[m.find_region("rotor_core")].material = linear(1e6);
  p.regions[m.find_region("stator_core")].material = linear(1e6);
  const int mag = m.find_region("magnet");
  p.regions[mag].material = magnet(ring.Br, ring.mu_r);
  p.regions[mag].magnetization = m.regions[mag].magnetization;
  p.links = pm.links;
  solver::add_dirichlet(p, *m.find_boundary("stator_outer"), [](double, double) { return 0.0; });
  const auto s = solver::solve(p, backend, solver::NewtonSettings{});
  return gap_field_error(m, s.A, {"airgap_rotor", "band", "airgap_stator"}, [&](double r, double phi) {
    return std::make_pair(reference.B_r(r, phi - turn), reference.B_theta(r, phi - turn));
  });
}

// ---------------------------------------------------------------------------
// T4
// ---------------------------------------------------------------------------
ConvergedGapSeries::ConvergedGapSeries(SlotlessSpm machine, int max_harmonics) : m_(machine) {
  if (m_.p < 2) throw std::invalid_argument("ConvergedGapSeries: needs p >= 2");
  m_.harmonics = max_harmonics;
  const SlotlessSpmField field(m_);
  for (int i = 0; i < max_harmonics; ++i) {
    K_.push_back(field.K(i));
    K_max_ = std::max(K_max_, std::abs(K_.back()));
  }
}

std::pair<double, double> ConvergedGapSeries::at(double r, double phi) const {
  const int p = m_.p;
  const double Rm = m_.Rm, Rs = m_.Rs, t = phi - m_.rotor_angle;
  const std::complex<double> step = std::polar(1.0, 2.0 * p * t);
  std::complex<double> e = std::polar(1.0, p * t);                    // exp(i k t), k = p
  double inner = std::pow(Rm / r, p + 1);                               // (Rm/r)^(k+1)
  double outer = std::pow(r / Rs, p - 1) * std::pow(Rm / Rs, p + 1);    // (r/Rs)^(k-1) (Rm/Rs)^(k+1)
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

// 2p = 4, rotor iron Rr = 20 mm on a 10 mm shaft, magnets 4 mm thick
// (Rm = 24 mm) over alpha_p = 0.8 of the pole pitch, smooth bore Rs = 25 mm,
// stator ring to 32 mm.
mesh::MotorGeometry t4_machine(double h, double sector_deg, Magnetization magnetization) {
  mesh::MotorGeometry g;
  g.stator.slots = 0;
  g.stator.bore_radius_m = t4_Rs;
  g.stator.outer_radius_m = 32 * mm;
  g.rotor.kind = mesh::RotorKind::surface_magnet;
  g.rotor.poles = 4;
  g.rotor.shaft_radius_m = 10 * mm;
  g.rotor.outer_radius_m = t4_Rr;
  g.rotor.surface.magnet_thickness_m = t4_Rm - t4_Rr;
  g.rotor.surface.pole_arc_ratio = t4_pole_arc;
  g.rotor.surface.magnetization = magnetization == Magnetization::radial ? mesh::SurfaceMagnetization::radial
                                                                         : mesh::SurfaceMagnetization::parallel;
  g.sector_deg = sector_deg;
  const double mid = 0.5 * (t4_Rm + t4_Rs);
  g.band_inner_radius_m = mid - h / 2;
  g.band_outer_radius_m = mid + h / 2;
  g.sizes.band_element_size_m = h;
  g.sizes.airgap_element_size_m = h;
  g.sizes.magnet_element_size_m = h;
  return g;
}

SlotlessSpm t4_series_machine(Magnetization magnetization, double mu_r, double turn) {
  SlotlessSpm spm{t4_Rr, t4_Rm, t4_Rs, 2, t4_pole_arc, 1.2, mu_r, magnetization, 1};
  spm.rotor_angle = 45.0 * kPi / 180 + turn;
  return spm;
}

namespace {

bool inside_magnet_radius(const mesh::Mesh& m, size_t t) {
  const int npe = m.nodes_per_triangle();
  for (int k = 0; k < npe; ++k) {
    const int v = m.triangles[t * npe + k];
    if (std::hypot(m.x[v], m.y[v]) >= t4_Rm * (1 + 1e-9)) return false;
  }
  return true;
}

// The air between the magnets (airgap_rotor at r < Rm; the template meshes
// the arc r = Rm there, so no triangle straddles it) as a region of its own,
// "interpolar", so that it can be given the magnets' recoil permeability.
void split_interpolar_air(mesh::Mesh& m) {
  const int air = m.find_region("airgap_rotor");
  const int interpolar = static_cast<int>(m.regions.size());
  m.regions.push_back(mesh::Region{interpolar + 1, "interpolar", {}});
  std::size_t moved = 0;
  for (size_t t = 0; t < m.triangle_count(); ++t)
    if (m.triangle_region[t] == air && inside_magnet_radius(m, t)) m.triangle_region[t] = interpolar, ++moved;
  if (moved == 0) throw std::runtime_error("T4: no air between the magnets to give the magnets' mu_r");
}

}  // namespace

T4Solution solve_t4(int order, double h, double sector_deg, const SlotlessSpm& spm, bool interpolar_mu_r, double turn,
                    kernels::Backend& backend) {
  mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = 2 * mm;  // the cores, away from the gap
  mesh::Mesh model = mesh::build_motor(t4_machine(h, sector_deg, spm.magnetization), options);
  if (interpolar_mu_r) split_interpolar_air(model);
  const bool whole = sector_deg == 360;
  const solver::MovingBand band(std::move(model), sector_deg * kPi / 180, whole ? 1.0 : -1.0, "T4");
  T4Solution out;
  out.model_triangles = band.machine().triangle_count();
  out.machine = band.at(turn);
  const auto& m = out.machine.mesh;
  solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  for (const char* iron : {"rotor_core", "stator_core", "shaft"}) p.regions[m.find_region(iron)].material = linear(1e6);
  if (interpolar_mu_r) p.regions[m.find_region("interpolar")].material = linear(spm.mu_r);
  for (size_t r = 0; r < m.regions.size(); ++r) {
    if (m.regions[r].name.rfind("magnet_", 0) != 0) continue;
    p.regions[r].material = magnet(spm.Br, spm.mu_r);
    p.regions[r].magnetization = m.regions[r].magnetization;
    ++out.magnets;
  }
  p.links = out.machine.links;
  solver::add_dirichlet(p, *m.find_boundary("stator_outer"), [](double, double) { return 0.0; });
  out.A = solver::solve(p, backend, solver::NewtonSettings{}).A;
  return out;
}

std::vector<char> t4_gap_triangles(const mesh::Mesh& m) {
  std::vector<char> in(m.triangle_count(), 0);
  const int stator = m.find_region("airgap_stator"), band = m.find_region("band"), rotor = m.find_region("airgap_rotor");
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    const int r = m.triangle_region[t];
    in[t] = r == stator || r == band || (r == rotor && !inside_magnet_radius(m, t));
  }
  return in;
}

FieldError t4_gap_errors(const T4Solution& s, const ConvergedGapSeries& series, double turn, double corner_radius) {
  std::vector<std::pair<double, double>> corners;  // magnet k spans its pole axis +- alpha_p 45 degrees
  for (int j = -4; j <= 4; ++j)
    for (double side : {-1.0, 1.0}) {
      const double a = turn + (45 + 90 * j + side * t4_pole_arc * 45) * kPi / 180;
      corners.emplace_back(t4_Rm * std::cos(a), t4_Rm * std::sin(a));
    }
  const auto& m = s.machine.mesh;
  return relative_field_error(
      m, s.A, t4_gap_triangles(m), [&](double r, double phi) { return series.at(r, phi); },
      [&](double px, double py) {
        for (const auto& [cx, cy] : corners)
          if (std::hypot(px - cx, py - cy) < corner_radius) return false;
        return true;
      });
}

// ---------------------------------------------------------------------------
// T6
// ---------------------------------------------------------------------------
T6Result t6_torques(int order, double element_size_m, double band_element_size_m, const std::vector<int>& degrees,
                    kernels::Backend& backend) {
  mesh::TorqueBenchmarkMagnet g;
  mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = element_size_m;
  g.band_element_size_m = band_element_size_m;
  const solver::MovingBand band(mesh::build_torque_benchmark_magnet(g, options), 2 * kPi, 1.0, "T6");
  const double Hc = 1e6, m_per_length = Hc * g.magnet_width_m * g.magnet_height_m, B0 = 1.0;
  T6Result out;
  out.scale = m_per_length * B0;
  for (int deg : degrees) {
    const double theta = deg * kPi / 180;
    const auto pm = band.at(theta);
    const auto& m = pm.mesh;
    solver::Problem p;
    p.mesh = &m;
    p.regions.resize(m.regions.size());
    const int mag = m.find_region("magnet");
    p.regions[mag].material = magnet(kernels::mu0 * Hc, 1.0);
    p.regions[mag].magnetization = m.regions[mag].magnetization;
    p.links = pm.links;
    solver::add_dirichlet(p, *m.find_boundary("outer"), [&](double, double y) { return B0 * y; });
    const auto s = solver::solve(p, backend, solver::NewtonSettings{});
    T6Torque t;
    t.theta_deg = deg;
    t.exact = -m_per_length * B0 * std::sin(theta);
    t.band = solver::arkkio_torque_per_m(m, s.A, pm.band_region, band.rotor_ring_radius(), band.stator_ring_radius());
    const int stator_air = m.find_region("airgap_stator");
    const auto ring = solver::region_annulus(m, stator_air, 2 * kPi);
    if (!ring.is_annulus) throw std::runtime_error("T6: the stator-side air is not an annulus");
    t.stator_air = solver::arkkio_torque_per_m(m, s.A, stator_air, ring.inner_m, ring.outer_m);
    out.worst_band = std::max(out.worst_band, std::abs(t.band - t.exact) / out.scale);
    out.worst_stator_air = std::max(out.worst_stator_air, std::abs(t.stator_air - t.exact) / out.scale);
    out.torques.push_back(t);
  }
  return out;
}

}  // namespace rotormag::validation

#include "solver/motor_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <sstream>

#include "kernels/reference_element.hpp"
#include "solver/air_gap_torque.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/winding.hpp"

namespace rotormag::solver {

namespace {

const double kPi = std::acos(-1.0);

double degrees(double rad) { return rad * 180 / kPi; }

// The first region named in `candidates` that is a clean air annulus
// outside the band: the second radius for Arkkio's torque.
int torque_check_region(const mesh::Mesh& m, double span) {
  for (const char* name : {"airgap_stator", "airgap_rotor"}) {
    const int r = m.find_region(name);
    if (r >= 0 && region_annulus(m, r, span).is_annulus) return r;
  }
  return -1;
}

// Newton's starting point at a new position from the field at the last one:
// the machine's own nodes keep their values (rotor nodes have turned with
// the rotor, and so, nearly, has its field); band mid-nodes take the mean of
// their edge's ends; copies follow their masters.
std::vector<double> warm_start_guess(const PositionedMachine& now, const PositionedMachine& before,
                                     const std::vector<double>& A_before, size_t base_nodes) {
  const mesh::Mesh& m = now.mesh;
  std::vector<double> guess(m.node_count(), std::numeric_limits<double>::quiet_NaN());
  for (size_t i = 0; i < base_nodes && i < before.mesh.node_count(); ++i) guess[i] = A_before[i];
  auto follow_links = [&] {
    for (const NodeLink& l : now.links)
      if (std::isnan(guess[l.node]) && std::isfinite(guess[l.master])) guess[l.node] = l.sign * guess[l.master];
  };
  follow_links();
  if (m.order == 2) {
    static const int edges[3][3] = {{0, 1, 3}, {1, 2, 4}, {2, 0, 5}};
    for (size_t t = 0; t < m.triangle_count(); ++t) {
      if (m.triangle_region[t] != now.band_region) continue;
      const int* v = &m.triangles[t * 6];
      for (const auto& e : edges)
        if (std::isnan(guess[v[e[2]]])) guess[v[e[2]]] = 0.5 * (guess[v[e[0]]] + guess[v[e[1]]]);
    }
    follow_links();
  }
  return guess;
}

}  // namespace

std::array<double, 3> StatorLoad::currents(double theta_e) const {
  switch (kind) {
    case Kind::none: return {0, 0, 0};
    case Kind::phase: return phase_A;
    case Kind::dq: {
      std::array<double, 3> i{};
      for (int k = 0; k < 3; ++k) {
        const double a = theta_e - 2 * kPi * k / 3;
        i[k] = id_A * std::cos(a) - iq_A * std::sin(a);
      }
      return i;
    }
  }
  return {0, 0, 0};
}

ModelWinding model_winding(const WindingLayout& layout, const mesh::Mesh& m, int model_slots) {
  ModelWinding w;
  w.parallel_paths = layout.spec.parallel_paths;
  w.pole_pairs = layout.spec.poles / 2;
  w.axis_A_elec_rad = layout.axis_elec_rad[0];
  for (int s = 1; s <= model_slots; ++s)
    for (int layer = 1; layer <= layout.spec.layers; ++layer) {
      const std::string name = "coil_" + std::to_string(s) + "_" + std::to_string(layer);
      const int region = m.find_region(name);
      if (region < 0)
        throw ProblemError("the mesh has no region '" + name + "': the winding (" + std::to_string(layout.spec.slots) +
                           " slots, " + std::to_string(layout.spec.layers) +
                           " layer(s)) puts a coil side in every slot and layer of the model (docs/motor-mesh.md)");
      const CoilSide& side = layout.slot[s - 1][layer - 1];
      if (!side.empty()) w.coils.push_back({region, side.phase, double(side.sign * side.turns)});
    }
  return w;
}

std::vector<double> region_areas(const mesh::Mesh& m) {
  std::vector<double> area(m.regions.size(), 0.0);
  const int npe = m.nodes_per_triangle();
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    double x[6], y[6], dx[6], dy[6];
    for (int i = 0; i < npe; ++i) {
      x[i] = m.x[m.triangles[t * npe + i]];
      y[i] = m.y[m.triangles[t * npe + i]];
    }
    for (int q = 0; q < kernels::quadrature_size(m.order); ++q) {
      const auto qp = kernels::quadrature_point(m.order, q);
      area[m.triangle_region[t]] += qp.weight * kernels::physical_gradients(m.order, x, y, qp.xi, qp.eta, dx, dy);
    }
  }
  return area;
}

double electrical_angle(const ModelWinding& w, double theta) {
  return w.pole_pairs * theta + kPi / 2 - w.axis_A_elec_rad;
}

namespace {

void check_positions(const MovingBand& band, const std::vector<MachineVariant>& variants, const ModelWinding& winding,
                 const RotorPositions& rotor) {
  const mesh::Mesh& base = band.machine();
  for (const MachineVariant& v : variants) {
    if (v.regions.size() != base.regions.size())
      throw ProblemError("one region set-up per machine region expected (" + std::to_string(base.regions.size()) +
                         "), got " + std::to_string(v.regions.size()));
    if (!v.initial_base_potential.empty() && v.initial_base_potential.size() != base.node_count())
      throw ProblemError("the initial field needs one value per machine node");
    if (!v.remanence_factor.empty() && v.remanence_factor.size() != base.triangle_count())
      throw ProblemError("the remanence factors need one value per machine element");
  }
  for (const CoilRegion& c : winding.coils)
    if (c.region < 0 || c.region >= static_cast<int>(base.regions.size()) || c.phase < 0 || c.phase > 2)
      throw ProblemError("a coil region or phase is out of range");
  if (!(rotor.stack_length_m > 0)) throw ProblemError("the stack length must be positive");
  if (winding.parallel_paths < 1) throw ProblemError("parallel paths must be >= 1");
}

// The field problem of one variant on the positioned machine, with the
// phase currents of `r`: turned magnets, coil current densities, the band as
// air, Dirichlet data, links, damage.
Problem position_problem(const PositionedMachine& machine, const PositionResult& r, const MachineVariant& v,
                         const ModelWinding& winding, const std::vector<double>& coil_area, const RotorPositions& rotor) {
  const mesh::Mesh& m = machine.mesh;
  Problem p;
  p.mesh = &m;
  p.regions = v.regions;
  for (size_t reg = 0; reg < v.regions.size(); ++reg)
    if (machine.rotor_region[reg]) p.regions[reg].magnetization = turned(v.regions[reg].magnetization, r.angle_rad);
  p.regions.emplace_back();  // the band: air
  for (const CoilRegion& c : winding.coils) {
    const double current = c.turns * r.current_A[c.phase] / winding.parallel_paths;
    p.regions[c.region].current_density_A_per_m2 += current / coil_area[c.region];
  }
  for (const RotorPositions::Dirichlet& d : rotor.dirichlet) {
    const mesh::Boundary* b = m.find_boundary(d.boundary);
    if (!b) throw ProblemError("Dirichlet boundary '" + d.boundary + "' is not in the machine mesh");
    const double value = d.value_Wb_per_m;
    if (d.field) add_dirichlet(p, *b, d.field);
    else add_dirichlet(p, *b, [value](double, double) { return value; });
  }
  p.links = machine.links;
  if (!v.remanence_factor.empty()) {
    p.element_remanence_factor = v.remanence_factor;
    p.element_remanence_factor.resize(m.triangle_count(), 1.0);  // band triangles: air
  }
  return p;
}

// Torque, flux linkages (phase and dq) and co-energy of a solved position.
void take_machine_quantities(PositionResult& r, const Problem& p, const MovingBand& band, const ModelWinding& winding,
                             const RotorPositions& rotor) {
  const mesh::Mesh& m = r.machine.mesh;
  const double scale = rotor.copies * rotor.stack_length_m;
  r.newton_iterations = r.solution.report.iterations;

  // Torque: Arkkio in the band, and in a second air annulus when there is one.
  const double span = band.sector_rad();
  r.torque_Nm = scale * arkkio_torque_per_m(m, r.solution.A, r.machine.band_region, band.rotor_ring_radius(),
                                            band.stator_ring_radius());
  const int check = torque_check_region(m, span);
  r.torque_check_Nm = std::numeric_limits<double>::quiet_NaN();
  if (check >= 0) {
    const Annulus a = region_annulus(m, check, span);
    r.torque_check_Nm = scale * arkkio_torque_per_m(m, r.solution.A, check, a.inner_m, a.outer_m);
    r.torque_check_region = m.regions[check].name;
  }

  // Flux linkage: psi_k = L x copies / paths x sum over the coils of
  // turns x (mean A over the coil area).
  std::vector<double> integral_A(m.regions.size(), 0.0), area(m.regions.size(), 0.0);
  for (size_t e = 0; e < m.triangle_count(); ++e) {
    integral_A[m.triangle_region[e]] += r.solution.element_potential[e];
    area[m.triangle_region[e]] += r.solution.element_area[e];
  }
  r.flux_linkage_Wb = {0, 0, 0};
  for (const CoilRegion& c : winding.coils)
    r.flux_linkage_Wb[c.phase] += scale / winding.parallel_paths * c.turns * integral_A[c.region] / area[c.region];
  double psi_d = 0, psi_q = 0;
  for (int ph = 0; ph < 3; ++ph) {
    const double a = r.theta_e_rad - 2 * kPi * ph / 3;
    psi_d += 2.0 / 3.0 * r.flux_linkage_Wb[ph] * std::cos(a);
    psi_q -= 2.0 / 3.0 * r.flux_linkage_Wb[ph] * std::sin(a);
  }
  r.psi_d_Wb = psi_d;
  r.psi_q_Wb = psi_q;

  // Co-energy W' = integral of (J A - w(B)): the negative of the potential
  // whose stationary point the field is (magnets included through w).
  double coenergy = 0;
  for (size_t e = 0; e < m.triangle_count(); ++e)
    coenergy += p.regions[m.triangle_region[e]].current_density_A_per_m2 * r.solution.element_potential[e] -
                r.solution.element_energy[e];
  r.coenergy_J = scale * coenergy;
}

// solve()'s message for a case of the batch that did not converge, with the
// rotor position (and the variant when there are several) in front.
SolveError position_failure(const PositionResult& r, const NewtonReport& report, const std::string& variant) {
  std::ostringstream o;
  o << "rotor position " << degrees(r.angle_rad) << " deg";
  if (!variant.empty()) o << ", " << variant;
  o << ": " << newton_failure_message(report);
  return SolveError(o.str(), report);
}

}  // namespace

std::vector<PositionResult> solve_positions(const MovingBand& band, const std::vector<RegionSetup>& regions,
                                            const ModelWinding& winding, const StatorLoad& load,
                                            const RotorPositions& rotor, kernels::Backend& backend,
                                            const PositionProgress& progress) {
  MachineVariant only;
  only.regions = regions;
  only.load = load;
  return std::move(solve_variants(band, {only}, winding, rotor, backend, progress).front());
}

std::vector<std::vector<PositionResult>> solve_variants(const MovingBand& band,
                                                        const std::vector<MachineVariant>& variants,
                                                        const ModelWinding& winding, const RotorPositions& rotor,
                                                        kernels::Backend& backend, const PositionProgress& progress) {
  if (variants.empty()) return {};
  check_positions(band, variants, winding, rotor);
  const mesh::Mesh& base = band.machine();
  // Coil areas are those of the meshed regions (the same at every position).
  const std::vector<double> coil_area = region_areas(base);
  const size_t nv = variants.size(), np = rotor.positions_rad.size();

  std::vector<std::vector<PositionResult>> out(nv);
  for (auto& o : out) o.reserve(np);
  for (size_t k = 0; k < np; ++k) {
    // One positioned mesh for the whole batch (solve_batch: one mesh); each
    // result gets its own copy afterwards.
    const double angle = rotor.positions_rad[k];
    const PositionedMachine machine = band.at(angle);
    std::vector<PositionResult> now(nv);
    std::vector<Problem> batch;
    batch.reserve(nv);
    for (size_t v = 0; v < nv; ++v) {
      PositionResult& r = now[v];
      r.angle_rad = angle;
      r.theta_e_rad = electrical_angle(winding, angle);
      r.current_A = variants[v].load.currents(r.theta_e_rad);
      Problem p = position_problem(machine, r, variants[v], winding, coil_area, rotor);
      if (rotor.warm_start && k > 0)
        p.initial_potential = warm_start_guess(machine, out[v].back().machine, out[v].back().solution.A,
                                               base.node_count());
      else if (k == 0 && !variants[v].initial_base_potential.empty())
        p.initial_potential = warm_start_guess(machine, machine, variants[v].initial_base_potential, base.node_count());
      batch.push_back(std::move(p));
    }
    std::vector<Solution> solved = solve_batch(batch, backend, rotor.newton);
    for (size_t v = 0; v < nv; ++v) {
      if (!solved[v].report.converged) {
        const std::string name =
            nv == 1 ? "" : !variants[v].name.empty() ? variants[v].name : "variant " + std::to_string(v + 1);
        throw position_failure(now[v], solved[v].report, name);
      }
      now[v].machine = machine;
      now[v].solution = std::move(solved[v]);
      take_machine_quantities(now[v], batch[v], band, winding, rotor);
    }
    for (size_t v = 0; v < nv; ++v) {
      out[v].push_back(std::move(now[v]));
      if (progress) progress(static_cast<int>(k + 1), static_cast<int>(np), out[v].back());
    }
  }
  return out;
}

PositionSummary summarize(const std::vector<PositionResult>& positions, const ModelWinding& winding,
                       std::optional<double> speed_rpm) {
  PositionSummary s;
  const size_t n = positions.size();
  if (n == 0) return s;
  double lo = positions.front().torque_Nm, hi = lo, sum = 0;
  for (const auto& r : positions) {
    lo = std::min(lo, r.torque_Nm);
    hi = std::max(hi, r.torque_Nm);
    sum += r.torque_Nm;
  }
  s.torque_avg_Nm = sum / n;
  s.torque_peak_to_peak_Nm = hi - lo;
  for (const auto& r : positions)
    for (double i : r.current_A) s.loaded = s.loaded || i != 0.0;
  // Ripple relative to a mean torque only means something under load; the
  // cogging torque of an open circuit averages to zero.
  s.torque_ripple_pct = s.loaded && std::abs(s.torque_avg_Nm) > 0 ? 100.0 * (hi - lo) / std::abs(s.torque_avg_Nm)
                                                                   : std::numeric_limits<double>::quiet_NaN();
  if (!speed_rpm || n < 2) return s;

  // Back-EMF e = -d psi / dt = -omega d psi / d theta (omega mechanical).
  BackEmf& b = s.back_emf;
  b.speed_rpm = *speed_rpm;
  const double omega = *speed_rpm * 2 * kPi / 60;
  std::vector<double> theta(n);
  for (size_t k = 0; k < n; ++k) theta[k] = positions[k].angle_rad;
  const double step = theta[1] - theta[0];
  bool uniform = step > 0;
  for (size_t k = 1; k < n && uniform; ++k) uniform = std::abs(theta[k] - theta[k - 1] - step) < 1e-9 * std::abs(step);
  // Spectral when the positions sample whole electrical periods uniformly
  // (the last position one step short of the period's end).
  const double period = 2 * kPi / winding.pole_pairs;
  const double periods = n * step / period;
  const bool whole_periods = uniform && std::abs(periods - std::round(periods)) < 1e-6 && std::round(periods) >= 1;
  for (int ph = 0; ph < 3; ++ph) b.phase_V[ph].assign(n, 0.0);
  if (whole_periods) {
    b.method = "spectral";
    const int P = static_cast<int>(std::round(periods));
    const int harmonics = static_cast<int>((n / 2) / P);  // electrical harmonics resolved
    for (int ph = 0; ph < 3; ++ph) {
      // psi(theta) = sum_h c_h exp(j h p theta) over electrical harmonics h.
      for (int h = 1; h <= harmonics; ++h) {
        std::complex<double> c = 0;
        const int mech = h * P;  // DFT bin of electrical harmonic h
        for (size_t k = 0; k < n; ++k)
          c += positions[k].flux_linkage_Wb[ph] * std::exp(std::complex<double>(0, -2 * kPi * mech * double(k) / n));
        c *= (2.0 * mech == double(n) ? 1.0 : 2.0) / n;  // one-sided amplitude (Nyquist bin counted once)
        const double w = h * winding.pole_pairs;          // d/dtheta of exp(j h p theta)
        for (size_t k = 0; k < n; ++k) {
          const std::complex<double> term = c * std::complex<double>(0, w) *
                                            std::exp(std::complex<double>(0, 2 * kPi * mech * double(k) / n));
          b.phase_V[ph][k] -= omega * term.real();
        }
        if (ph == 0) {
          b.harmonic_order.push_back(h);
          b.phase_a_harmonics_V.push_back(omega * w * std::abs(c));
        }
      }
    }
    for (int h = 1; h <= harmonics; ++h) {
      std::complex<double> c = 0;
      const int mech = h * P;
      for (size_t k = 0; k < n; ++k) {
        const double line_psi = positions[k].flux_linkage_Wb[0] - positions[k].flux_linkage_Wb[1];
        c += line_psi * std::exp(std::complex<double>(0, -2 * kPi * mech * double(k) / n));
      }
      c *= (2.0 * mech == double(n) ? 1.0 : 2.0) / n;
      b.line_harmonics_V.push_back(omega * h * winding.pole_pairs * std::abs(c));
    }
  } else {
    b.method = "finite differences";
    for (int ph = 0; ph < 3; ++ph)
      for (size_t k = 0; k < n; ++k) {
        const size_t a = k == 0 ? 0 : k - 1, c = k + 1 == n ? n - 1 : k + 1;
        b.phase_V[ph][k] = -omega * (positions[c].flux_linkage_Wb[ph] - positions[a].flux_linkage_Wb[ph]) /
                           (theta[c] - theta[a]);
      }
  }
  b.line_ab_V.resize(n);
  double sa = 0, sl = 0;
  for (size_t k = 0; k < n; ++k) {
    b.line_ab_V[k] = b.phase_V[0][k] - b.phase_V[1][k];
    sa += b.phase_V[0][k] * b.phase_V[0][k];
    sl += b.line_ab_V[k] * b.line_ab_V[k];
  }
  b.phase_a_rms_V = std::sqrt(sa / n);
  b.line_rms_V = std::sqrt(sl / n);
  b.available = true;
  return s;
}

}  // namespace rotormag::solver

// The GetDP comparison cases and their checks (getdp_cases.hpp).
#include "validation/getdp/getdp_cases.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "mesh/templates.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/motor_analysis.hpp"
#include "validation/problems.hpp"

namespace rotormag::validation {

namespace {

using solver::MaterialSpec;

std::string format(const char* spec, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

// max |B| over the elements whose region has the exponential iron law.
double iron_max_B(const solver::Problem& p, const solver::Solution& s) {
  const mesh::Mesh& m = *p.mesh;
  double bmax = 0;
  for (size_t e = 0; e < m.triangle_count(); ++e)
    if (p.regions[m.triangle_region[e]].material.kind == MaterialSpec::Kind::exponential_reluctivity)
      bmax = std::max(bmax, std::hypot(s.Bx[e], s.By[e]));
  return bmax;
}

GetDPCase compare(std::string problem, const solver::Problem& p, const solver::NewtonSettings& newton,
                  const GetDPQuantities& q, kernels::Backend& backend, GetDPOptions options, std::string label) {
  options.label = std::move(label);
  GetDPCase c;
  c.problem = std::move(problem);
  c.comparison = compare_with_getdp(p, newton, q, backend, options);
  c.iron_max_B_T = iron_max_B(p, c.comparison.ours);
  return c;
}

}  // namespace

GetDPCase magnet_and_iron_comparison(kernels::Backend& backend, const GetDPOptions& options) {
  mesh::ConcentricLayers g;
  g.radii_m = {10 * mm, 11 * mm, 14 * mm, 20 * mm, 25 * mm};
  g.region_names = {"magnet", "gap", "coil", "iron", "air"};
  mesh::Mesh m = mesh::build_concentric_layers(g, {1, 1 * mm});
  // Split the coil layer into a go (y > 0) and a return (y < 0) coil side.
  const int coil = m.find_region("coil");
  m.regions[coil].name = "coil_go";
  mesh::Region ret;
  ret.id = 1000;
  ret.name = "coil_return";
  m.regions.push_back(ret);
  const int coil_return = static_cast<int>(m.regions.size()) - 1;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    const int* v = &m.triangles[3 * t];
    if (m.triangle_region[t] == coil && m.y[v[0]] + m.y[v[1]] + m.y[v[2]] < 0) m.triangle_region[t] = coil_return;
  }
  const std::vector<double> area = solver::region_areas(m);
  solver::Problem p;
  p.mesh = &m;
  p.regions.resize(m.regions.size());
  auto& mag = p.regions[m.find_region("magnet")];
  mag.material = magnet(1.2, 1.05);
  mag.magnetization = {mesh::MagnetizationKind::parallel, std::acos(-1.0) / 6, 1.0};
  p.regions[m.find_region("iron")].material = getdp_iron();
  const double turns = 20, current = 150, length = 0.1;  // 3 kA-turns
  p.regions[coil].current_density_A_per_m2 = turns * current / area[coil];
  p.regions[coil_return].current_density_A_per_m2 = -turns * current / area[coil_return];
  solver::add_dirichlet(p, *m.find_boundary("outer"), [](double, double) { return 0.0; });

  solver::NewtonSettings newton;
  newton.residual_tolerance = 1e-10;
  newton.update_tolerance = 1e-10;
  GetDPQuantities q;
  q.flux_linkages.push_back({"coil flux linkage [Wb]",
                             {{coil, length * turns / area[coil]}, {coil_return, -length * turns / area[coil_return]}}});
  q.torque = GetDPQuantities::Torque{m.find_region("gap"), 10 * mm, 11 * mm, length};
  return compare("GetDP (a) magnet + iron", p, newton, q, backend, options, "magnet_iron");
}

PriusGetDPSetUp prius_getdp_set_up(const std::vector<double>& degrees, double element_size_m) {
  PriusGetDPSetUp s{prius(45.0, element_size_m), degrees, {}, {}};
  s.positions = prius_positions(s.model, degrees);
  s.positions.warm_start = false;
  s.load.kind = solver::StatorLoad::Kind::dq;
  s.load.id_A = -100;
  s.load.iq_A = 200;
  return s;
}

std::vector<GetDPCase> prius_sector_comparisons(const PriusGetDPSetUp& s, kernels::Backend& backend,
                                                const GetDPOptions& options) {
  std::vector<GetDPCase> out;
  for (size_t k = 0; k < s.positions.positions_rad.size(); ++k) {
    MotorPositionProblem mp;
    set_up_motor_position(*s.model.band, s.model.regions, s.model.winding, s.load, s.positions, s.positions.positions_rad[k],
                          mp);
    const double degrees = s.positions.positions_rad[k] * 180 / std::acos(-1.0);
    const std::string problem = "GetDP (b) Prius " + format("%g", degrees) + " deg";
    out.push_back(
        compare(problem, mp.problem, s.positions.newton, mp.quantities, backend, options, "prius_" + std::to_string(k)));
  }
  return out;
}

std::vector<Check> getdp_checks(const GetDPCase& k) {
  const GetDPComparison& c = k.comparison;
  std::vector<Check> out;
  out.push_back(make_check(k.problem, "P1", "A at nodes, max |dA| / max |A|", 0.0, c.potential_relative_error,
                           kGetDPPotentialTolerance, Criterion::at_most));
  out.push_back(make_check(k.problem, "P1", c.energy.name, c.energy.getdp, c.energy.ours, kGetDPEnergyTolerance,
                           Criterion::relative));
  for (const auto& q : c.flux_linkages)
    out.push_back(
        make_check(k.problem, "P1", q.name, q.getdp, q.ours, kGetDPFluxLinkageTolerance, Criterion::relative));
  if (c.torque)
    out.push_back(make_check(k.problem, "P1", c.torque->name, c.torque->getdp, c.torque->ours, kGetDPTorqueTolerance,
                             Criterion::relative));
  return out;
}

void add_getdp_comparisons(Report& report, kernels::Backend& backend, const Progress& progress,
                           const GetDPOptions& options) {
  const std::string getdp = options.getdp.empty() ? find_getdp() : options.getdp;
  if (getdp.empty()) {
    report.not_run.push_back({"GetDP comparisons", "getdp not found on PATH (Debian package getdp)"});
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  GetDPOptions o = options;
  o.getdp = getdp;
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  auto add = [&](const GetDPCase& c) {
    for (auto& check : getdp_checks(c)) report.checks.push_back(std::move(check));
    const GetDPComparison& r = c.comparison;
    report.timings.push_back({c.problem, "GetDP", r.nodes, r.triangles, r.unknowns, r.ours_solve_s, r.getdp_solve_s,
                              r.getdp_process_s, r.ours_newton_iterations, r.getdp_newton_iterations});
    say(c.problem + ": A " + format("%.2e", r.potential_relative_error) + ", energy " +
        format("%.2e", r.energy.relative_error) + " (relative); solve RotorMag " + format("%.2f", r.ours_solve_s) +
        " s, GetDP " + format("%.2f", r.getdp_solve_s) + " s");
  };
  // GetDP failing (or timing out) on a problem it solved before is a failure, not a skip.
  auto failed = [&](const std::string& problem, const std::exception& e) {
    say(problem + ": " + e.what());
    report.checks.push_back(make_check(problem, "P1", std::string("GetDP run: ") + e.what(), 0.0,
                                       std::numeric_limits<double>::quiet_NaN(), 0.0, Criterion::at_most));
  };
  say("GetDP (a) magnet + iron: RotorMag and " + getdp + " on the same P1 mesh");
  try {
    add(magnet_and_iron_comparison(backend, o));
  } catch (const GetDPError& e) {
    failed("GetDP (a) magnet + iron", e);
  }
  const std::vector<double> degrees =
      report.mode == Mode::quick ? std::vector<double>{0.0} : std::vector<double>{0.0, 3.7};
  say("GetDP (b) Prius sector: RotorMag and getdp on the same P1 mesh");
  try {
    for (const auto& c : prius_sector_comparisons(prius_getdp_set_up(degrees), backend, o)) add(c);
  } catch (const GetDPError& e) {
    failed("GetDP (b) Prius", e);
  }
  report.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace rotormag::validation

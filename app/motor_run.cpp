#include "app/motor_run.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "app/demag_run.hpp"
#include "app/problem_from_case.hpp"
#include "cases/motor_winding.hpp"
#include "postproc/motor_results.hpp"
#include "solver/moving_band.hpp"

namespace rotormag::app {

namespace {

const double kPi = std::acos(-1.0);

}  // namespace

MotorModel motor_model(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions) {
  MotorModel model;
  model.layout = solver::design_winding(cases::winding_spec(c.motor));
  model.sector_deg = c.motor.sector_deg;
  model.copies = static_cast<int>(std::lround(360.0 / model.sector_deg));
  model.antiperiodic = c.motor.antiperiodic;

  const int Q = model.layout.spec.slots;
  const int model_slots = static_cast<int>(std::lround(Q * model.sector_deg / 360.0));
  model.winding = solver::model_winding(model.layout, m, model_slots);
  // A mesh that names its coils' phases (coil_3_1:-B, docs/motor-mesh.md)
  // must agree with the winding the case describes.
  std::vector<const solver::CoilRegion*> coil_of(m.regions.size(), nullptr);
  for (const solver::CoilRegion& coil : model.winding.coils) coil_of[coil.region] = &coil;
  for (size_t r = 0; r < m.regions.size(); ++r) {
    const mesh::CoilHint& hint = m.regions[r].coil;
    if (!hint.given()) continue;
    const solver::CoilRegion* coil = coil_of[r];
    const int turns = hint.turns > 0 ? hint.turns : c.motor.turns_per_coil;
    const std::string said = fmt::format("{}{}*{}", hint.sign > 0 ? '+' : '-', char('A' + hint.phase), turns);
    const std::string computed =
        coil ? fmt::format("{}{}*{}", coil->turns > 0 ? '+' : '-', char('A' + coil->phase), std::abs(coil->turns))
             : std::string("no coil side");
    if (said != computed)
      throw solver::ProblemError(fmt::format("region '{}': the mesh says {}, but the winding of [motor.winding] ({} "
                                             "slots, {} poles, {} layer(s)) puts {} there",
                                             m.regions[r].name, said, Q, model.layout.spec.poles,
                                             model.layout.spec.layers, computed));
  }
  for (const solver::CoilRegion& coil : model.winding.coils)
    if (regions[coil.region].current_density_A_per_m2 != 0.0)
      throw solver::ProblemError(fmt::format("region '{}' is bound with a current density, but coil regions carry "
                                             "the winding currents of [motor.load]; remove current_density_A_per_m2",
                                             m.regions[coil.region].name));
  return model;
}

namespace {

std::string mesh_origin(const cases::Case& c) {
  return c.mesh.kind == cases::MeshSpec::Kind::file ? c.mesh.file : c.name + " (motor template)";
}

}  // namespace

std::string check_motor(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions) {
  const MotorModel model = motor_model(c, m, regions);
  const solver::MovingBand band(m, model.sector_deg * kPi / 180, model.antiperiodic ? -1.0 : 1.0, mesh_origin(c));
  return fmt::format("motor: {} slots, {} poles, kw1 {:.5f}, model {} deg ({} copies, {}), band r = {:.4g}..{:.4g} mm "
                     "({} + {} ring nodes), {} positions",
                     model.layout.spec.slots, model.layout.spec.poles, model.layout.winding_factor, model.sector_deg,
                     model.copies,
                     model.copies == 1 ? "whole machine" : (model.antiperiodic ? "anti-periodic" : "periodic"),
                     band.rotor_ring_radius() * 1e3, band.stator_ring_radius() * 1e3,
                     band.rotor_ring().vertex.size() - 1, band.stator_ring().vertex.size() - 1,
                     c.motor.positions_deg.size());
}

void annotate_coils(const MotorModel& model, mesh::Mesh& m) {
  for (const solver::CoilRegion& coil : model.winding.coils) {
    mesh::CoilHint& hint = m.regions[coil.region].coil;
    hint.phase = coil.phase;
    hint.sign = coil.turns > 0 ? 1 : -1;
    hint.turns = static_cast<int>(std::lround(std::abs(coil.turns)));
  }
}

solver::StatorLoad stator_load(const cases::Case& c) {
  solver::StatorLoad load;
  if (c.motor.load == cases::MotorSpec::Load::dq) {
    load.kind = solver::StatorLoad::Kind::dq;
    load.id_A = c.motor.id_A;
    load.iq_A = c.motor.iq_A;
  } else if (c.motor.load == cases::MotorSpec::Load::phase) {
    load.kind = solver::StatorLoad::Kind::phase;
    for (int k = 0; k < 3; ++k) load.phase_A[k] = c.motor.phase_currents_A.at(k);
  }
  return load;
}

bool same_load(const solver::StatorLoad& a, const solver::StatorLoad& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == solver::StatorLoad::Kind::dq) return a.id_A == b.id_A && a.iq_A == b.iq_A;
  if (a.kind == solver::StatorLoad::Kind::phase) return a.phase_A == b.phase_A;
  return true;
}

// The one-line result of a motor run on stdout.
static void print_motor_summary(const cases::Case& c, const std::vector<solver::PositionResult>& positions,
                         const solver::SweepSummary& summary, double wall, const std::string& out_dir) {
  double peak_psi = 0;
  for (const auto& r : positions) peak_psi = std::max(peak_psi, std::abs(r.flux_linkage_Wb[0]));
  fmt::print("{}: {} positions in {:.1f} s ({:.2f} s per position); ", c.name, positions.size(), wall,
             wall / positions.size());
  if (summary.loaded)
    fmt::print("torque avg {:.4g} N m, ripple {:.3g} % ({:.4g} N m peak-to-peak)", summary.torque_avg_Nm,
               summary.torque_ripple_pct, summary.torque_peak_to_peak_Nm);
  else
    fmt::print("no load: cogging torque {:.4g} N m peak-to-peak", summary.torque_peak_to_peak_Nm);
  fmt::print("; peak psi_a {:.5g} Wb", peak_psi);
  if (summary.back_emf.available)
    fmt::print("; back-EMF at {} rpm: phase {:.4g} V rms, line {:.4g} V rms ({})", summary.back_emf.speed_rpm,
               summary.back_emf.phase_a_rms_V, summary.back_emf.line_rms_V, summary.back_emf.method);
  fmt::print("; wrote {}/{}.hdf (+ .hdf.series)\n", out_dir, c.name);
}

namespace {

// What a case's motor run is made of before any solve.
struct MotorSetUp {
  MotorModel model;
  solver::MotorSweep sweep;
  solver::StatorLoad load;
};

MotorSetUp motor_set_up(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions) {
  MotorSetUp s;
  s.model = motor_model(c, m, regions);
  s.load = stator_load(c);
  for (double deg : c.motor.positions_deg) s.sweep.positions_rad.push_back(deg * kPi / 180);
  s.sweep.stack_length_m = c.motor.stack_length_m;
  s.sweep.copies = s.model.copies;
  for (const cases::DirichletBoundary& d : c.dirichlet) s.sweep.dirichlet.push_back({d.boundary, d.value_Wb_per_m, {}});
  if (s.sweep.dirichlet.empty()) s.sweep.dirichlet.push_back({"stator_outer", 0.0, {}});
  s.sweep.newton = newton_settings(c.solver);
  return s;
}

bool same_winding(const MotorModel& a, const MotorModel& b) {
  const solver::ModelWinding &x = a.winding, &y = b.winding;
  if (a.sector_deg != b.sector_deg || a.antiperiodic != b.antiperiodic || a.copies != b.copies ||
      x.parallel_paths != y.parallel_paths || x.pole_pairs != y.pole_pairs || x.axis_A_elec_rad != y.axis_A_elec_rad ||
      x.coils.size() != y.coils.size())
    return false;
  for (size_t k = 0; k < x.coils.size(); ++k)
    if (x.coils[k].region != y.coils[k].region || x.coils[k].phase != y.coils[k].phase ||
        x.coils[k].turns != y.coils[k].turns)
      return false;
  return true;
}

// Case files give constant Dirichlet values (no `field`).
bool same_sweep(const solver::MotorSweep& a, const solver::MotorSweep& b) {
  const solver::NewtonSettings &x = a.newton, &y = b.newton;
  if (a.positions_rad != b.positions_rad || a.stack_length_m != b.stack_length_m || a.copies != b.copies ||
      a.warm_start != b.warm_start || a.dirichlet.size() != b.dirichlet.size())
    return false;
  for (size_t k = 0; k < a.dirichlet.size(); ++k)
    if (a.dirichlet[k].boundary != b.dirichlet[k].boundary ||
        a.dirichlet[k].value_Wb_per_m != b.dirichlet[k].value_Wb_per_m)
      return false;
  return x.max_iterations == y.max_iterations && x.residual_tolerance == y.residual_tolerance &&
         x.update_tolerance == y.update_tolerance && x.line_search == y.line_search &&
         x.cg_relative_tolerance == y.cg_relative_tolerance && x.cg_max_iterations == y.cg_max_iterations &&
         x.preconditioner == y.preconditioner;
}

// What keeps two cases' runs from sharing their solves ("" when nothing
// does): one band, one winding and one set of positions and settings per
// sweep_variants call, one set of events per analyse_demagnetization call.
std::string why_apart(const cases::Case& a, const MotorSetUp& sa, const cases::Case& b, const MotorSetUp& sb) {
  if (!same_winding(sa.model, sb.model)) return "the symmetry or the winding";
  if (!same_sweep(sa.sweep, sb.sweep)) return "the rotor positions, boundary conditions or solver settings";
  if (!same_load(sa.load, sb.load)) return "the stator load";
  if (a.demag.present != b.demag.present || (a.demag.present && !demag_shared_by(a, b)))
    return "the [demag] events, rated load or settings";
  return "";
}

std::string label_of(const MotorCase& mc) { return mc.label.empty() ? mc.c->name : mc.label; }

// The per-position table of the results file.
postproc::MotorTable motor_table(const std::vector<solver::PositionResult>& positions,
                                 const solver::SweepSummary& summary, const MotorModel& model,
                                 const cases::Case& c) {
  postproc::MotorTable table;
  for (const solver::PositionResult& r : positions) {
    table.position_deg.push_back(r.angle_rad * 180 / kPi);
    table.electrical_angle_deg.push_back(r.theta_e_rad * 180 / kPi);
    for (int k = 0; k < 3; ++k) {
      table.current_A[k].push_back(r.current_A[k]);
      table.flux_linkage_Wb[k].push_back(r.flux_linkage_Wb[k]);
    }
    table.torque_Nm.push_back(r.torque_Nm);
    table.torque_check_Nm.push_back(r.torque_check_Nm);
    table.torque_check_region = r.torque_check_region;
    table.psi_d_Wb.push_back(r.psi_d_Wb);
    table.psi_q_Wb.push_back(r.psi_q_Wb);
    table.coenergy_J.push_back(r.coenergy_J);
    table.newton_iterations.push_back(r.newton_iterations);
  }
  table.torque_avg_Nm = summary.torque_avg_Nm;
  table.torque_ripple_pct = summary.torque_ripple_pct;
  table.torque_peak_to_peak_Nm = summary.torque_peak_to_peak_Nm;
  if (summary.back_emf.available) {
    const solver::BackEmf& b = summary.back_emf;
    postproc::BackEmfTable e;
    e.speed_rpm = b.speed_rpm;
    e.method = b.method;
    e.phase_V = b.phase_V;
    e.line_ab_V = b.line_ab_V;
    e.harmonic_order = b.harmonic_order;
    e.phase_a_harmonics_V = b.phase_a_harmonics_V;
    e.line_harmonics_V = b.line_harmonics_V;
    e.phase_a_rms_V = b.phase_a_rms_V;
    e.line_rms_V = b.line_rms_V;
    table.back_emf = e;
  }
  table.winding_table = model.layout.table();
  table.stack_length_m = c.motor.stack_length_m;
  table.model_copies = model.copies;
  return table;
}

// One case's results: NAME.hdf with its time steps, summary.json.
void write_case_results(const MotorCase& mc, const mesh::Mesh& m, const kernels::Backend& backend,
                        const std::vector<solver::PositionResult>& positions, const postproc::MotorTable& table,
                        double wall) {
  const cases::Case& c = *mc.c;
  std::vector<postproc::MotorStep> steps;
  for (const solver::PositionResult& r : positions)
    steps.push_back({r.angle_rad * 180 / kPi, &r.machine.mesh, fields_for_output(r.solution)});
  const solver::PositionResult& last = positions.back();
  postproc::RunInfo info;
  info.case_name = c.name;
  info.case_path = std::filesystem::absolute(c.path).string();
  info.resolved_case_toml = c.resolved_toml;
  info.backend = backend.name();
  info.order = m.order;
  info.elements = last.machine.mesh.triangle_count();
  info.nodes = last.machine.mesh.node_count();
  info.dofs = last.solution.unknowns;  // of the last position (the band changes the count slightly)
  info.newton_iterations = last.newton_iterations;
  info.converged = true;
  info.energy_J_per_m = last.solution.energy_J_per_m;
  info.wall_s = wall;
  info.temperature_C = c.temperature_C;
  for (const auto& h : last.solution.report.history)
    info.history.push_back({h.residual_norm, h.update_max, h.step_length, h.cg_iterations});

  try {
    std::filesystem::create_directories(mc.out_dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create output directory '{}': {}", mc.out_dir, e.what()));
  }
  postproc::write_motor_results(mc.out_dir, c.name, steps, info, table);
}

// Cases that can share their solves (why_apart found nothing), run as one.
void run_together(const std::vector<MotorCase>& cases, const std::vector<MotorSetUp>& setups,
                  const cases::MaterialLibrary& library, const mesh::Mesh& m, kernels::Backend& backend,
                  const MotorMessages& messages) {
  const auto t0 = std::chrono::steady_clock::now();
  const cases::Case& first = *cases.front().c;
  const MotorModel& model = setups.front().model;
  const solver::MotorSweep& sweep = setups.front().sweep;
  const solver::MovingBand band(m, model.sector_deg * kPi / 180, model.antiperiodic ? -1.0 : 1.0, mesh_origin(first));
  std::vector<solver::SweepVariant> variants;
  for (size_t k = 0; k < cases.size(); ++k) {
    solver::SweepVariant v;
    v.regions = problem_from_case(*cases[k].c, m, *cases[k].regions).regions;
    v.load = setups[k].load;
    v.name = label_of(cases[k]);
    variants.push_back(std::move(v));
  }

  if (!messages.quiet) {
    fmt::print(stderr, "rotormag: {}: {} slots, {} poles, model {} deg ({} copies, {}), {} positions, backend {}\n",
               first.name, model.layout.spec.slots, model.layout.spec.poles, model.sector_deg, model.copies,
               model.copies == 1 ? "whole machine" : (model.antiperiodic ? "anti-periodic" : "periodic"),
               sweep.positions_rad.size(), backend.description());
    fmt::print(stderr, "{}", model.layout.table());
    if (cases.size() > 1) fmt::print(stderr, "rotormag: {} cases solved together\n", cases.size());
  }
  // sweep_variants reports each position once per variant, in variant order.
  size_t reports = 0;
  auto progress = [&](int done, int total, const solver::PositionResult& r) {
    const MotorCase& mc = cases[reports++ % cases.size()];
    if (messages.quiet) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print(stderr,
               "rotormag: {}position {}/{} ({:.3f} deg): torque {:.4g} N m, psi_a {:.5g} Wb, {} Newton iterations; "
               "{:.1f} s elapsed, about {:.0f} s left\n",
               cases.size() > 1 ? label_of(mc) + ": " : "", done, total, r.angle_rad * 180 / kPi, r.torque_Nm,
               r.flux_linkage_Wb[0], r.newton_iterations, elapsed, elapsed / done * (total - done));
  };
  const std::vector<std::vector<solver::PositionResult>> positions =
      solver::sweep_variants(band, variants, model.winding, sweep, backend, progress);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::vector<postproc::MotorTable> tables;
  std::vector<solver::SweepSummary> summaries;
  for (size_t k = 0; k < cases.size(); ++k) {
    summaries.push_back(solver::summarize(positions[k], model.winding, cases[k].c->motor.speed_rpm));
    tables.push_back(motor_table(positions[k], summaries.back(), setups[k].model, *cases[k].c));
  }
  if (first.demag.present) {  // then every case's (why_apart)
    std::vector<DemagCase> demag_cases;
    for (const MotorCase& mc : cases) demag_cases.push_back({mc.c, mc.regions, mc.out_dir});
    std::vector<postproc::DemagTable> demag =
        run_demag(demag_cases, library, m, model, band, sweep, backend, messages.quiet);
    for (size_t k = 0; k < cases.size(); ++k) tables[k].demag = std::move(demag[k]);
  }
  for (size_t k = 0; k < cases.size(); ++k) {
    write_case_results(cases[k], m, backend, positions[k], tables[k], wall);
    if (messages.print_summary) print_motor_summary(*cases[k].c, positions[k], summaries[k], wall, cases[k].out_dir);
  }
}

}  // namespace

void run_motors(const std::vector<MotorCase>& cases, const cases::MaterialLibrary& library, const mesh::Mesh& m,
                kernels::Backend& backend, const MotorMessages& messages) {
  if (cases.empty()) return;
  std::vector<MotorSetUp> setups;
  for (const MotorCase& mc : cases) setups.push_back(motor_set_up(*mc.c, m, *mc.regions));
  std::vector<MotorCase> together{cases.front()}, apart;
  std::vector<MotorSetUp> together_setups{setups.front()}, apart_setups;
  for (size_t k = 1; k < cases.size(); ++k) {
    const std::string why = why_apart(*cases.front().c, setups.front(), *cases[k].c, setups[k]);
    if (why.empty()) {
      together.push_back(cases[k]);
      together_setups.push_back(std::move(setups[k]));
    } else {
      fmt::print(stderr, "rotormag: {} runs alone: its {} differ from those of {}\n", label_of(cases[k]), why,
                 label_of(cases.front()));
      apart.push_back(cases[k]);
      apart_setups.push_back(std::move(setups[k]));
    }
  }
  run_together(together, together_setups, library, m, backend, messages);
  for (size_t k = 0; k < apart.size(); ++k) run_together({apart[k]}, {apart_setups[k]}, library, m, backend, messages);
}

int run_motor(const cases::Case& c, const cases::MaterialLibrary& library, const mesh::Mesh& m,
              const std::vector<cases::ResolvedRegion>& regions, kernels::Backend& backend,
              const MotorRunOptions& options) {
  run_motors({{&c, &regions, options.out_dir, ""}}, library, m, backend, options.messages);
  return 0;
}

}  // namespace rotormag::app

#include "app/motor_run.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "app/demag_run.hpp"
#include "app/problem_from_case.hpp"
#include "postproc/motor_results.hpp"
#include "solver/moving_band.hpp"

namespace rotormag::app {

namespace {

const double kPi = std::acos(-1.0);

solver::WindingSpec winding_spec(const cases::Case& c) {
  solver::WindingSpec w;
  if (c.mesh.kind == cases::MeshSpec::Kind::motor) {
    w.slots = c.mesh.motor.stator.slots;
    w.poles = c.mesh.motor.rotor.poles;
    w.layers = c.mesh.motor.stator.winding_layers;
  } else {
    w.slots = c.motor.slots;
    w.poles = c.motor.poles;
    w.layers = c.motor.layers;
  }
  w.turns_per_coil = c.motor.turns_per_coil;
  w.parallel_paths = c.motor.parallel_paths;
  w.coil_pitch_slots = c.motor.coil_pitch_slots;
  return w;
}

}  // namespace

MotorModel motor_model(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions) {
  MotorModel model;
  model.layout = solver::design_winding(winding_spec(c));
  const solver::MachineSymmetry smallest = solver::smallest_sector(model.layout);
  if (c.mesh.kind == cases::MeshSpec::Kind::motor) {
    model.sector_deg = c.mesh.motor.sector_deg;
  } else {
    model.sector_deg = c.motor.sector_deg;
  }
  model.copies = static_cast<int>(std::lround(360.0 / model.sector_deg));
  // k smallest sectors: anti-periodic when the smallest is and k is odd.
  const int k = static_cast<int>(std::lround(model.sector_deg / smallest.sector_deg));
  model.antiperiodic = model.copies > 1 && smallest.antiperiodic && k % 2 == 1;

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

int run_motor(const cases::Case& c, const cases::MaterialLibrary& library, const mesh::Mesh& m,
              const std::vector<cases::ResolvedRegion>& regions, kernels::Backend& backend,
              const MotorRunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const MotorModel model = motor_model(c, m, regions);
  const solver::MovingBand band(m, model.sector_deg * kPi / 180, model.antiperiodic ? -1.0 : 1.0, mesh_origin(c));
  const solver::Problem base = problem_from_case(c, m, regions);

  const solver::StatorLoad load = stator_load(c);
  solver::MotorSweep sweep;
  for (double deg : c.motor.positions_deg) sweep.positions_rad.push_back(deg * kPi / 180);
  sweep.stack_length_m = c.motor.stack_length_m;
  sweep.copies = model.copies;
  for (const cases::DirichletBoundary& d : c.dirichlet) sweep.dirichlet.push_back({d.boundary, d.value_Wb_per_m, {}});
  if (sweep.dirichlet.empty()) sweep.dirichlet.push_back({"stator_outer", 0.0, {}});
  sweep.newton = newton_settings(c.solver);

  if (!options.quiet) {
    fmt::print(stderr, "rotormag: {}: {} slots, {} poles, model {} deg ({} copies, {}), {} positions, backend {}\n",
               c.name, model.layout.spec.slots, model.layout.spec.poles, model.sector_deg, model.copies,
               model.copies == 1 ? "whole machine" : (model.antiperiodic ? "anti-periodic" : "periodic"),
               sweep.positions_rad.size(), backend.description());
    fmt::print(stderr, "{}", model.layout.table());
  }
  auto progress = [&](int done, int total, const solver::PositionResult& r) {
    if (options.quiet) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print(stderr,
               "rotormag: position {}/{} ({:.3f} deg): torque {:.4g} N m, psi_a {:.5g} Wb, {} Newton iterations; "
               "{:.1f} s elapsed, about {:.0f} s left\n",
               done, total, r.angle_rad * 180 / kPi, r.torque_Nm, r.flux_linkage_Wb[0], r.newton_iterations, elapsed,
               elapsed / done * (total - done));
  };
  const std::vector<solver::PositionResult> positions =
      solver::sweep_positions(band, base.regions, model.winding, load, sweep, backend, progress);
  const solver::SweepSummary summary = solver::summarize(positions, model.winding, c.motor.speed_rpm);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  postproc::MotorTable table;
  std::vector<postproc::MotorStep> steps;
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
    steps.push_back({r.angle_rad * 180 / kPi, &r.machine.mesh, fields_for_output(r.solution)});
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
  if (c.demag.present)
    table.demag = run_demag(c, library, m, regions, model, band, sweep, backend, options.out_dir, options.quiet);
  table.stack_length_m = c.motor.stack_length_m;
  table.model_copies = model.copies;

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
    std::filesystem::create_directories(options.out_dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create output directory '{}': {}", options.out_dir, e.what()));
  }
  postproc::write_motor_results(options.out_dir, c.name, steps, info, table);
  if (options.print_summary) print_motor_summary(c, positions, summary, wall, options.out_dir);
  return 0;
}

}  // namespace rotormag::app

#include "app/motor_run.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "app/demag_run.hpp"
#include "postproc/motor_results.hpp"
#include "setup/field_problem.hpp"
#include "setup/motor_setup.hpp"
#include "setup/motor_table.hpp"
#include "setup/run_info.hpp"

namespace rotormag::app {

namespace {

const double kPi = std::acos(-1.0);

std::string label_of(const MotorCase& mc) { return mc.label.empty() ? mc.c->name : mc.label; }

// The one-line result of a motor run on stdout.
void print_motor_summary(const cases::Case& c, const std::vector<solver::PositionResult>& positions,
                         const solver::PositionSummary& summary, double wall, const std::string& out_dir) {
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

// One case's results: NAME.hdf with its time steps, summary.json. The run
// info is that of the last position (the band changes the unknowns slightly).
void write_case_results(const MotorCase& mc, const kernels::Backend& backend,
                        const std::vector<solver::PositionResult>& positions, const postproc::MotorTable& table,
                        double wall) {
  const cases::Case& c = *mc.c;
  const solver::PositionResult& last = positions.back();
  postproc::RunInfo info = setup::run_info(c, last.machine.mesh, last.solution, backend.name(), c.temperature_C);
  info.wall_s = wall;
  try {
    std::filesystem::create_directories(mc.out_dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create output directory '{}': {}", mc.out_dir, e.what()));
  }
  postproc::write_motor_results(mc.out_dir, c.name, setup::motor_steps(positions), info, table);
}

// Cases that can share their solves (why_apart found nothing), run as one.
void run_together(const std::vector<MotorCase>& cases, const std::vector<setup::MotorSetUp>& setups,
                  const cases::MaterialLibrary& library, const mesh::Mesh& m, kernels::Backend& backend,
                  const MotorMessages& messages) {
  const auto t0 = std::chrono::steady_clock::now();
  const cases::Case& first = *cases.front().c;
  const setup::MotorModel& model = setups.front().model;
  const solver::RotorPositions& rotor = setups.front().positions;
  const solver::MovingBand band = setup::moving_band(first, m, model);
  std::vector<solver::MachineVariant> variants;
  for (size_t k = 0; k < cases.size(); ++k) {
    solver::MachineVariant v;
    v.regions = setup::problem_from_case(*cases[k].c, m, *cases[k].regions).regions;
    v.load = setups[k].load;
    v.name = label_of(cases[k]);
    variants.push_back(std::move(v));
  }

  if (!messages.quiet) {
    fmt::print(stderr, "rotormag: {}: {} slots, {} poles, model {} deg ({} copies, {}), {} positions, backend {}\n",
               first.name, model.layout.spec.slots, model.layout.spec.poles, model.sector_deg, model.copies,
               model.symmetry_text(), rotor.positions_rad.size(), backend.description());
    fmt::print(stderr, "{}", model.layout.table());
    if (cases.size() > 1) fmt::print(stderr, "rotormag: {} cases solved together\n", cases.size());
  }
  // solve_variants reports each position once per variant, in variant order.
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
      solver::solve_variants(band, variants, model.winding, rotor, backend, progress);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::vector<postproc::MotorTable> tables;
  std::vector<solver::PositionSummary> summaries;
  for (size_t k = 0; k < cases.size(); ++k) {
    summaries.push_back(solver::summarize(positions[k], model.winding, cases[k].c->motor.speed_rpm));
    tables.push_back(setup::motor_table(positions[k], summaries.back(), setups[k].model, *cases[k].c));
  }
  if (first.demag.present) {  // then every case's (why_apart)
    std::vector<DemagCase> demag_cases;
    for (const MotorCase& mc : cases) demag_cases.push_back({mc.c, mc.regions, mc.out_dir});
    std::vector<postproc::DemagTable> demag =
        run_demag(demag_cases, library, m, model, band, rotor, backend, messages.quiet);
    for (size_t k = 0; k < cases.size(); ++k) tables[k].demag = std::move(demag[k]);
  }
  for (size_t k = 0; k < cases.size(); ++k) {
    write_case_results(cases[k], backend, positions[k], tables[k], wall);
    if (messages.print_summary) print_motor_summary(*cases[k].c, positions[k], summaries[k], wall, cases[k].out_dir);
  }
}

}  // namespace

void run_motors(const std::vector<MotorCase>& cases, const cases::MaterialLibrary& library, const mesh::Mesh& m,
                kernels::Backend& backend, const MotorMessages& messages) {
  if (cases.empty()) return;
  std::vector<setup::MotorSetUp> setups;
  for (const MotorCase& mc : cases) setups.push_back(setup::motor_set_up(*mc.c, m, *mc.regions));
  std::vector<MotorCase> together{cases.front()}, apart;
  std::vector<setup::MotorSetUp> together_setups{setups.front()}, apart_setups;
  for (size_t k = 1; k < cases.size(); ++k) {
    const std::string why = setup::why_apart(*cases.front().c, setups.front(), *cases[k].c, setups[k]);
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

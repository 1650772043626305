// rotormag: command-line entry point.
//   rotormag check CASE            validate a case file (and build its mesh) without solving
//   rotormag run CASE -o DIR       solve and write DIR/NAME.hdf and DIR/summary.json
//                                  (a motor case: every rotor position, NAME.hdf.series)
//   rotormag mesh CASE -o FILE.msh export the case's mesh (Gmsh .msh 4.1, physical names)
// Exit codes: 0 ok, 1 usage, 2 invalid case, 3 mesh error, 4 solver failure,
// 5 backend unavailable, 6 output error, 7 not a complete results file.
//   rotormag inspect FILE.hdf      summarise a results file; refuses incomplete or foreign files
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "app/command.hpp"
#include "app/exit_codes.hpp"
#include "app/motor_run.hpp"
#include "app/problem_from_case.hpp"
#include "cases/case.hpp"
#include "kernels/backend.hpp"
#include "mesh/templates.hpp"
#include "postproc/results_file.hpp"
#include "postproc/results_reader.hpp"
#include "solver/magnetostatic_solver.hpp"

namespace rm = rotormag;

namespace {

using rm::app::Exit;
using rm::app::guarded;

struct Prepared {
  rm::cases::Case c;
  rm::mesh::Mesh mesh;
  std::vector<rm::cases::ResolvedRegion> regions;
};

// Parses, validates, meshes and binds: everything `check` does.
Prepared prepare(const std::string& case_path, const std::string& library_dir, rm::cases::MaterialLibrary& library) {
  library = rm::cases::MaterialLibrary::load(library_dir);
  Prepared p;
  p.c = rm::cases::load_case(case_path, library);
  p.mesh = rm::cases::build_mesh(p.c);
  p.regions = rm::cases::bind_regions(p.c, p.mesh);
  return p;
}

int run_case(const std::string& case_path, const std::string& out_dir, const std::string& backend_name,
             const std::string& library_dir, bool quiet) {
  const auto t0 = std::chrono::steady_clock::now();
  rm::cases::MaterialLibrary library;
  Prepared p = prepare(case_path, library_dir, library);

  const rm::kernels::BackendChoice choice = rm::kernels::backend_choice(backend_name);
  std::string notice;
  auto backend = rm::kernels::make_backend(choice, &notice);
  if (!notice.empty()) fmt::print(stderr, "rotormag: {}\n", notice);
  if (p.c.motor.present) {
    try {
      return rm::app::run_motor(p.c, library, p.mesh, p.regions, *backend, {out_dir, {quiet}});
    } catch (const rm::kernels::BackendError& e) {
      if (choice != rm::kernels::BackendChoice::automatic || backend->name() == "cpu") throw;
      fmt::print(stderr, "rotormag: the CUDA backend failed ({}); running again on the CPU backend\n", e.what());
      backend = rm::kernels::make_cpu_backend();
      return rm::app::run_motor(p.c, library, p.mesh, p.regions, *backend, {out_dir, {quiet}});
    }
  }
  const rm::solver::Problem problem = rm::app::problem_from_case(p.c, p.mesh, p.regions);
  const size_t dofs = p.mesh.node_count() - problem.dirichlet_nodes.size();
  if (!quiet)
    fmt::print(stderr, "rotormag: {}: {} triangles (P{}), {} unknowns, backend {}\n", p.c.name,
               p.mesh.triangle_count(), p.mesh.order, dofs, backend->description());

  auto progress = [&](int it, const std::vector<double>& rel) {
    if (!quiet) fmt::print(stderr, "rotormag: Newton iteration {}: |R|/|R0| = {:.3e}\n", it, rel.front());
  };
  const rm::solver::NewtonSettings settings = rm::app::newton_settings(p.c.solver);
  rm::solver::Solution s;
  try {
    s = rm::solver::solve(problem, *backend, settings, progress);
  } catch (const rm::kernels::BackendError& e) {
    // With --backend auto a GPU that fails mid-run (out of memory, a kernel
    // error) is not the end: say so and solve again on the CPU.
    if (choice != rm::kernels::BackendChoice::automatic || backend->name() == "cpu") throw;
    fmt::print(stderr, "rotormag: the CUDA backend failed ({}); solving again on the CPU backend\n", e.what());
    backend = rm::kernels::make_cpu_backend();
    s = rm::solver::solve(problem, *backend, settings, progress);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet) fmt::print(stderr, "rotormag: Newton history\n{}", s.report.format_history());

  rm::postproc::RunInfo info;
  info.case_name = p.c.name;
  info.case_path = std::filesystem::absolute(case_path).string();
  info.resolved_case_toml = p.c.resolved_toml;
  info.backend = backend->name();
  info.order = p.mesh.order;
  info.elements = p.mesh.triangle_count();
  info.nodes = p.mesh.node_count();
  info.dofs = dofs;
  info.newton_iterations = s.report.iterations;
  info.converged = s.report.converged;
  info.energy_J_per_m = s.energy_J_per_m;
  info.wall_s = wall;
  info.temperature_C = p.c.temperature_C;
  for (const auto& h : s.report.history)
    info.history.push_back({h.residual_norm, h.update_max, h.step_length, h.cg_iterations});

  try {
    std::filesystem::create_directories(out_dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create output directory '{}': {}", out_dir, e.what()));
  }
  const std::string hdf = (std::filesystem::path(out_dir) / (p.c.name + ".hdf")).string();
  const std::string summary = (std::filesystem::path(out_dir) / "summary.json").string();
  rm::postproc::write_results_hdf(hdf, p.mesh, rm::app::fields_for_output(s), info);
  rm::postproc::write_summary_json(summary, info);
  fmt::print("{}: converged in {} Newton iterations, energy {:.6e} J/m, {:.2f} s; wrote {}\n", p.c.name,
             s.report.iterations, s.energy_J_per_m, wall, hdf);
  return Exit::ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"RotorMag: 2D nonlinear magnetostatics of permanent-magnet rotors (CPU and CUDA)"};
  app.require_subcommand(1);
  std::string library_dir = rm::cases::default_library_directory();
  app.add_option("--materials", library_dir, "material library directory")->capture_default_str();

  std::string case_path, out_dir, backend = "auto";
  bool quiet = false;
  CLI::App* check = app.add_subcommand("check", "validate a case file and build its mesh, without solving");
  check->add_option("CASE", case_path, "case file (TOML)")->required();
  std::string msh_path, results_path;
  CLI::App* inspect = app.add_subcommand("inspect", "summarise a results file (refuses incomplete or foreign files)");
  inspect->add_option("FILE", results_path, "results file (.hdf)")->required();
  CLI::App* export_mesh =
      app.add_subcommand("mesh", "build a case's mesh and write it as Gmsh .msh 4.1 with physical names");
  export_mesh->add_option("CASE", case_path, "case file (TOML)")->required();
  export_mesh->add_option("-o,--output", msh_path, "mesh file to write (.msh)")->required();
  CLI::App* run = app.add_subcommand("run", "solve a case and write DIR/NAME.hdf and DIR/summary.json");
  run->add_option("CASE", case_path, "case file (TOML)")->required();
  run->add_option("-o,--output", out_dir, "output directory")->required();
  run->add_option("--backend", backend, "auto (CUDA when a device works, else CPU), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  run->add_flag("-q,--quiet", quiet, "no progress output");

  // The other commands live in their own files (app/command.hpp).
  rm::app::GlobalOptions global;
  std::vector<rm::app::Command> commands;
  for (auto add : {rm::app::add_validate_commands, rm::app::add_sweep_commands, rm::app::add_bench_commands})
    for (auto& c : add(app, global)) commands.push_back(std::move(c));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? Exit::ok : Exit::usage;
  }
  global.library_dir = library_dir;
  for (auto& c : commands)
    if (*c.subcommand) return guarded(c.action);
  if (*inspect)
    return guarded([&] {
      const rm::postproc::ResultsSummary r = rm::postproc::read_results_summary(results_path);
      fmt::print("{}: {} ({}), case '{}', P{}, {} triangles, {} unknowns, backend {}, {} after {} Newton iterations, "
                 "energy {:.9e} J/m at {} C\n",
                 results_path, r.format, "complete", r.case_name, r.order, r.elements, r.dofs, r.backend,
                 r.converged ? "converged" : "NOT converged", r.newton_iterations, r.energy_J_per_m, r.temperature_C);
      return int(Exit::ok);
    });
  if (*export_mesh)
    return guarded([&] {
      rm::cases::MaterialLibrary library;
      Prepared p = prepare(case_path, library_dir, library);
      // A motor's coil regions say their phase in the file (coil_3_1:-B*9).
      if (p.c.motor.present) rm::app::annotate_coils(rm::app::motor_model(p.c, p.mesh, p.regions), p.mesh);
      rm::mesh::write_msh(p.mesh, msh_path);
      fmt::print("{}: wrote {} ({} triangles, P{}, {} regions, {} boundaries)\n", case_path, msh_path,
                 p.mesh.triangle_count(), p.mesh.order, p.mesh.regions.size(), p.mesh.boundaries.size());
      return int(Exit::ok);
    });
  if (*check)
    return guarded([&] {
      rm::cases::MaterialLibrary library;
      Prepared p = prepare(case_path, library_dir, library);
      const std::string motor = p.c.motor.present ? "; " + rm::app::check_motor(p.c, p.mesh, p.regions) : "";
      fmt::print("{}: ok ({} regions, {} triangles, P{}){}\n", case_path, p.mesh.regions.size(),
                 p.mesh.triangle_count(), p.mesh.order, motor);
      return int(Exit::ok);
    });
  return guarded([&] { return run_case(case_path, out_dir, backend, library_dir, quiet); });
}

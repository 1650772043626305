// The commands on one case file:
//   rotormag check CASE            validate a case file (and build its mesh) without solving
//   rotormag run CASE -o DIR       solve and write DIR/NAME.hdf and DIR/summary.json
//                                  (a motor case: every rotor position, NAME.hdf.series)
//   rotormag mesh CASE -o FILE.msh export the case's mesh (Gmsh .msh 4.1, physical names)
//   rotormag inspect FILE.hdf      summarise a results file; refuses incomplete or foreign files
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "app/backend_fallback.hpp"
#include "app/command.hpp"
#include "app/exit_codes.hpp"
#include "app/motor_run.hpp"
#include "cases/case.hpp"
#include "mesh/templates.hpp"
#include "postproc/results_file.hpp"
#include "postproc/results_reader.hpp"
#include "setup/field_problem.hpp"
#include "setup/motor_model.hpp"
#include "setup/result_fields.hpp"
#include "setup/run_info.hpp"
#include "solver/magnetostatic_solver.hpp"

namespace rotormag::app {

namespace {

// What `check` does: parsed, validated, meshed, bound.
struct Prepared {
  cases::MaterialLibrary library;
  cases::Case c;
  mesh::Mesh mesh;
  std::vector<cases::ResolvedRegion> regions;
};

std::unique_ptr<Prepared> prepare(const std::string& case_path, const std::string& library_dir) {
  auto p = std::make_unique<Prepared>();
  p->library = cases::MaterialLibrary::load(library_dir);
  p->c = cases::load_case(case_path, p->library);
  p->mesh = cases::build_mesh(p->c);
  p->regions = cases::bind_regions(p->c, p->mesh);
  return p;
}

struct RunArgs {
  std::string case_path, out_dir, backend = "auto";
  bool quiet = false;
};

// A case without [motor]: one nonlinear solve.
int run_field(const Prepared& p, const RunArgs& a, BackendInUse& backend,
              std::chrono::steady_clock::time_point t0) {
  const solver::Problem problem = setup::problem_from_case(p.c, p.mesh, p.regions);
  const size_t dofs = p.mesh.node_count() - problem.dirichlet_nodes.size();
  if (!a.quiet)
    fmt::print(stderr, "rotormag: {}: {} triangles (P{}), {} unknowns, backend {}\n", p.c.name,
               p.mesh.triangle_count(), p.mesh.order, dofs, backend.get().description());
  auto progress = [&](int it, const std::vector<double>& rel) {
    if (!a.quiet) fmt::print(stderr, "rotormag: Newton iteration {}: |R|/|R0| = {:.3e}\n", it, rel.front());
  };
  const solver::NewtonSettings settings = setup::newton_settings(p.c.solver);
  const solver::Solution s =
      backend.run([&](kernels::Backend& b) { return solver::solve(problem, b, settings, progress); });
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!a.quiet) fmt::print(stderr, "rotormag: Newton history\n{}", s.report.format_history());

  postproc::RunInfo info = setup::run_info(p.c, p.mesh, s, backend.get().name(), p.c.temperature_C);
  info.wall_s = wall;
  try {
    std::filesystem::create_directories(a.out_dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create output directory '{}': {}", a.out_dir, e.what()));
  }
  const std::string hdf = (std::filesystem::path(a.out_dir) / (p.c.name + ".hdf")).string();
  const std::string summary = (std::filesystem::path(a.out_dir) / "summary.json").string();
  postproc::write_results_hdf(hdf, p.mesh, setup::fields_for_output(s), info);
  postproc::write_summary_json(summary, info);
  fmt::print("{}: converged in {} Newton iterations, energy {:.6e} J/m, {:.2f} s; wrote {}\n", p.c.name,
             s.report.iterations, s.energy_J_per_m, wall, hdf);
  return Exit::ok;
}

int run_case(const RunArgs& a, const std::string& library_dir) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::unique_ptr<Prepared> p = prepare(a.case_path, library_dir);
  // The automatic choice's notice is printed even when quiet: it says which backend ran.
  BackendInUse backend(a.backend, "rotormag", false);
  if (p->c.motor.present)
    return backend.run([&](kernels::Backend& b) {
      return run_motor(p->c, p->library, p->mesh, p->regions, b, {a.out_dir, {a.quiet}});
    });
  return run_field(*p, a, backend, t0);
}

}  // namespace

std::vector<Command> add_case_commands(CLI::App& app, const GlobalOptions& global) {
  auto run_args = std::make_shared<RunArgs>();
  auto case_path = std::make_shared<std::string>();
  auto msh_path = std::make_shared<std::string>();
  auto results_path = std::make_shared<std::string>();

  CLI::App* check = app.add_subcommand("check", "validate a case file and build its mesh, without solving");
  check->add_option("CASE", *case_path, "case file (TOML)")->required();
  CLI::App* inspect = app.add_subcommand("inspect", "summarise a results file (refuses incomplete or foreign files)");
  inspect->add_option("FILE", *results_path, "results file (.hdf)")->required();
  CLI::App* export_mesh =
      app.add_subcommand("mesh", "build a case's mesh and write it as Gmsh .msh 4.1 with physical names");
  export_mesh->add_option("CASE", *case_path, "case file (TOML)")->required();
  export_mesh->add_option("-o,--output", *msh_path, "mesh file to write (.msh)")->required();
  CLI::App* run = app.add_subcommand("run", "solve a case and write DIR/NAME.hdf and DIR/summary.json");
  run->add_option("CASE", run_args->case_path, "case file (TOML)")->required();
  run->add_option("-o,--output", run_args->out_dir, "output directory")->required();
  run->add_option("--backend", run_args->backend, "auto (CUDA when a device works, else CPU), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  run->add_flag("-q,--quiet", run_args->quiet, "no progress output");

  std::vector<Command> commands;
  commands.push_back({check, [case_path, &global] {
                        const std::unique_ptr<Prepared> p = prepare(*case_path, global.library_dir);
                        const std::string motor =
                            p->c.motor.present ? "; " + setup::describe_motor(p->c, p->mesh, p->regions) : "";
                        fmt::print("{}: ok ({} regions, {} triangles, P{}){}\n", *case_path, p->mesh.regions.size(),
                                   p->mesh.triangle_count(), p->mesh.order, motor);
                        return int(Exit::ok);
                      }});
  commands.push_back({inspect, [results_path] {
                        const postproc::ResultsSummary r = postproc::read_results_summary(*results_path);
                        fmt::print("{}: {} ({}), case '{}', P{}, {} triangles, {} unknowns, backend {}, {} after {} "
                                   "Newton iterations, energy {:.9e} J/m at {} C\n",
                                   *results_path, r.format, "complete", r.case_name, r.order, r.elements, r.dofs,
                                   r.backend, r.converged ? "converged" : "NOT converged", r.newton_iterations,
                                   r.energy_J_per_m, r.temperature_C);
                        return int(Exit::ok);
                      }});
  commands.push_back({export_mesh, [case_path, msh_path, &global] {
                        const std::unique_ptr<Prepared> p = prepare(*case_path, global.library_dir);
                        // A motor's coil regions say their phase in the file (coil_3_1:-B*9).
                        if (p->c.motor.present)
                          setup::annotate_coils(setup::motor_model(p->c, p->mesh, p->regions), p->mesh);
                        mesh::write_msh(p->mesh, *msh_path);
                        fmt::print("{}: wrote {} ({} triangles, P{}, {} regions, {} boundaries)\n", *case_path,
                                   *msh_path, p->mesh.triangle_count(), p->mesh.order, p->mesh.regions.size(),
                                   p->mesh.boundaries.size());
                        return int(Exit::ok);
                      }});
  commands.push_back({run, [run_args, &global] { return run_case(*run_args, global.library_dir); }});
  return commands;
}

}  // namespace rotormag::app

// rotormag: command-line entry point. Every command lives in its own file and
// registers itself through app/command.hpp; main parses the command line,
// runs the chosen command inside `guarded` (app/exit_codes.hpp: every failure
// to its message and exit code) and returns its code.
// Exit codes: 0 ok, 1 usage, 2 invalid case, 3 mesh error, 4 solver failure,
// 5 backend unavailable, 6 output error, 7 not a complete results file,
// 8 a validation check failed.
#include <CLI/CLI.hpp>

#include "app/command.hpp"
#include "app/exit_codes.hpp"
#include "cases/materials.hpp"

namespace rm = rotormag;

int main(int argc, char** argv) {
  CLI::App app{"RotorMag: 2D nonlinear magnetostatics of permanent-magnet rotors (CPU and CUDA)"};
  app.require_subcommand(1);
  rm::app::GlobalOptions global;
  global.library_dir = rm::cases::default_library_directory();
  app.add_option("--materials", global.library_dir, "material library directory")->capture_default_str();

  std::vector<rm::app::Command> commands;
  for (auto add : {rm::app::add_case_commands, rm::app::add_validate_commands, rm::app::add_sweep_commands})
    for (auto& c : add(app, global)) commands.push_back(std::move(c));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? rm::app::Exit::ok : rm::app::Exit::usage;
  }
  for (auto& c : commands)
    if (*c.subcommand) return rm::app::guarded(c.action);
  return rm::app::Exit::usage;
}

#pragma once
// How the rotormag commands plug into main: each command file adds its
// subcommand(s) to the CLI and returns what to run when one was chosen.
// main runs the chosen action inside `guarded` (app/exit_codes.hpp), so a
// command only throws; it never prints its own error banner.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace rotormag::app {

struct GlobalOptions {
  std::string library_dir;  // --materials (read after parsing: hold a reference, not a copy)
};

struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> action;  // returns the exit code
};

// `rotormag check | run | mesh | inspect` (app/case_commands.cpp)
std::vector<Command> add_case_commands(CLI::App& app, const GlobalOptions& global);
// `rotormag validate` (app/validate_command.cpp)
std::vector<Command> add_validate_commands(CLI::App& app, const GlobalOptions& global);
// `rotormag plan | sweep | merge | report` (app/sweep_commands.cpp)
std::vector<Command> add_sweep_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace rotormag::app

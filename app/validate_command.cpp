// `rotormag validate [--quick|--full] [--no-getdp] [-o DIR] [--backend auto|cpu|cuda]`:
// runs the verification ladder (validation/ladder.hpp) and, when getdp is on
// PATH and not --no-getdp, the same-mesh comparisons with GetDP 3.2
// (validation/getdp/getdp_cases.hpp; else a NOT RUN line), prints the table of
// checks (progress on stderr) and writes DIR/validation.csv,
// DIR/convergence.csv, DIR/validation.md and, through
// postproc/plot_validation.py with Debian's matplotlib, DIR/convergence_*.png.
// Exit 0 when every check passes, Exit::checks_failed (8) when one fails.
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <set>

#include "app/command.hpp"
#include "app/exit_codes.hpp"
#include "kernels/backend.hpp"
#include "postproc/atomic_file.hpp"
#include "validation/getdp/getdp_cases.hpp"
#include "validation/ladder.hpp"

#ifndef ROTORMAG_PLOT_VALIDATION
#define ROTORMAG_PLOT_VALIDATION "postproc/plot_validation.py"
#endif

namespace rotormag::app {

namespace {

namespace fs = std::filesystem;
namespace rv = rotormag::validation;

struct ValidateOptions {
  bool quick = false, full = false;
  std::string out_dir = "validation_out";  // not "validation": the source folder of that name
  std::string backend = "auto";
  bool no_getdp = false;
};

// Runs `python script args...` and returns its exit status (-1: could not run).
int run_python(const std::string& python, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(python.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(STDERR_FILENO, STDOUT_FILENO);  // the script's messages are progress: stderr
    execv(python.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The convergence plots, one per problem with a convergence study; returns
// the file names written (relative to dir). Missing Python or matplotlib is
// said and leaves no plots.
std::vector<std::string> plot(const rv::Report& report, const std::string& dir) {
  const std::string python = "/usr/bin/python3", script = ROTORMAG_PLOT_VALIDATION;
  if (!fs::exists(python)) {
    fmt::print(stderr, "rotormag: validate: no {}: convergence plots not drawn (CSV and Markdown written)\n", python);
    return {};
  }
  if (!fs::exists(script)) {
    fmt::print(stderr, "rotormag: validate: no plot script {}: convergence plots not drawn\n", script);
    return {};
  }
  const int rc = run_python(python, {script, (fs::path(dir) / "convergence.csv").string(), dir});
  if (rc == 3) {
    fmt::print(stderr, "rotormag: validate: {} has no matplotlib (Debian: python3-matplotlib): convergence plots not "
                       "drawn (CSV and Markdown written)\n", python);
    return {};
  }
  if (rc != 0) {
    fmt::print(stderr, "rotormag: validate: {} failed (exit {}): convergence plots not drawn\n", script, rc);
    return {};
  }
  std::set<std::string> problems;
  for (const auto& s : report.studies) problems.insert(s.problem);
  std::vector<std::string> images;
  for (const auto& p : problems) {
    const std::string name = "convergence_" + p + ".png";
    if (fs::exists(fs::path(dir) / name)) images.push_back(name);
  }
  return images;
}

int validate(const ValidateOptions& o) {
  const rv::Mode mode = o.full ? rv::Mode::full : rv::Mode::quick;
  const kernels::BackendChoice choice = kernels::backend_choice(o.backend);
  std::string notice;
  auto backend = kernels::make_backend(choice, &notice);
  if (!notice.empty()) fmt::print(stderr, "rotormag: {}\n", notice);
  fmt::print(stderr, "rotormag: validate --{}: T1 T2 T3 T4 T6 T7 on backend {}\n", rv::mode_name(mode),
             backend->description());
  const rv::Progress progress = [](const std::string& line) { fmt::print(stderr, "rotormag: {}\n", line); };
  rv::Report report = rv::run_ladder(mode, *backend, progress);
  if (o.no_getdp) {
    report.not_run.push_back({"GetDP comparisons", "skipped by --no-getdp"});
  } else {
    rv::GetDPOptions getdp;
    getdp.timeout_s = 120;  // per getdp run; each takes a few seconds
    rv::add_getdp_comparisons(report, *backend, progress, getdp);
  }

  fs::create_directories(o.out_dir);
  postproc::write_text_atomically((fs::path(o.out_dir) / "validation.csv").string(), rv::checks_csv(report));
  postproc::write_text_atomically((fs::path(o.out_dir) / "convergence.csv").string(), rv::convergence_csv(report));
  const std::vector<std::string> images = plot(report, o.out_dir);
  postproc::write_text_atomically((fs::path(o.out_dir) / "validation.md").string(), rv::markdown(report, images));

  fmt::print("{}", rv::format_table(report));
  fmt::print(stderr, "rotormag: wrote {}/validation.csv, convergence.csv, validation.md and {} plot(s)\n", o.out_dir,
             images.size());
  if (report.all_pass()) return Exit::ok;
  for (const auto& c : report.failures())
    fmt::print(stderr, "rotormag: FAILED {} {} {}: ours {:.6g}, reference {:.6g}, error {:.3g} > tolerance {:.3g} ({})\n",
               c.problem, c.element, c.quantity, c.ours, c.reference, c.error, c.tolerance,
               rv::criterion_name(c.criterion));
  return Exit::checks_failed;
}

}  // namespace

std::vector<Command> add_validate_commands(CLI::App& app, const GlobalOptions&) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "run the verification ladder (T1-T4, T6, T7) against exact solutions and the same-mesh comparisons "
                  "with GetDP 3.2; writes DIR/validation.csv, validation.md, convergence_*.png");
  auto* quick = cmd->add_flag("--quick", options->quick, "coarse meshes, about half a minute (the default)");
  auto* full = cmd->add_flag("--full", options->full, "finer meshes and every variant, several minutes");
  quick->excludes(full);
  cmd->add_flag("--no-getdp", options->no_getdp,
                "skip the same-mesh comparisons with GetDP 3.2 (run when getdp is on PATH, a few seconds)");
  cmd->add_option("-o,--output", options->out_dir, "output directory")->capture_default_str();
  cmd->add_option("--backend", options->backend, "auto (CUDA when a device works, else CPU), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  return {Command{cmd, [options] { return validate(*options); }}};
}

}  // namespace rotormag::app

#pragma once
// The verification ladder as data (`rotormag validate`, docs/validation.md):
// checks {problem, quantity, reference, ours, error, tolerance, pass} and
// convergence studies (mesh sizes, errors, observed orders) for T1, T2, T3,
// T4, T6, T7 of shared/reference/validation_ladder.md, with the tolerances
// the gtests in tests/solver use. The same-mesh comparisons with GetDP add
// their checks, solve timings or NOT RUN line (validation/getdp/getdp_cases.hpp).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "kernels/backend.hpp"

namespace rotormag::validation {

enum class Mode { quick, full };
const char* mode_name(Mode mode);

// How a check compares `ours` with `reference` (error and pass follow from it):
//   absolute: error = |ours - reference|,               pass: error <= tolerance
//   relative: error = |ours - reference| / |reference|, pass: error <= tolerance
//   at_least: error = reference - ours (a shortfall),   pass: error <= tolerance
//             (an observed order that must reach the expected one less the tolerance)
//   at_most:  an error norm whose exact value is 0: reference = 0, error = ours, pass: ours <= tolerance
// A NaN anywhere fails.
enum class Criterion { absolute, relative, at_least, at_most };
const char* criterion_name(Criterion c);

struct Check {
  std::string problem;   // "T1" ... "T7"
  std::string element;   // "P1", "P2", or "" when the check is not about one element order
  std::string quantity;  // what is compared, with its unit
  double reference = 0, ours = 0, error = 0, tolerance = 0;
  Criterion criterion = Criterion::absolute;
  bool pass = false;
};

Check make_check(std::string problem, std::string element, std::string quantity, double reference, double ours,
                 double tolerance, Criterion criterion);

// Errors of one problem and element order over a sequence of meshes.
struct ConvergenceStudy {
  std::string problem, element;  // "T1", "P1"
  std::string quantity;          // "L2 error of A [Wb/m]", "relative L2 error of B in the gap"
  std::vector<double> h_m, error;
  double expected_order = 0;  // the order the error should show
  double tolerance = 0.25;    // on the observed orders
  // true: the observed orders must reach expected - tolerance (T3, T4, as their
  // tests); false: fitted and last-pair orders within +-tolerance (T1, T2, T7).
  bool one_sided = false;
  // Bound on the error on the finest mesh (0: none).
  double finest_error_bound = 0;

  double fitted_order() const;     // least-squares slope of log(error) against log(h)
  double last_pair_order() const;  // slope of the last two meshes
  // The checks this study makes: the observed orders, and the finest error when bounded.
  std::vector<Check> checks() const;
};

// Wall time of one nonlinear solve of the same problem by RotorMag and by
// another solver (information, not a check).
struct SolveTiming {
  std::string problem;  // as in the checks: "GetDP (a) magnet + iron"
  std::string other;    // "GetDP"
  std::size_t nodes = 0, triangles = 0, unknowns = 0;
  double ours_s = 0, other_s = 0;  // the solve: set-up + Newton
  double other_process_s = 0;      // the other solver's whole process (start-up, reading, post-processing)
  int ours_iterations = 0, other_iterations = 0;  // Newton steps
};

// A part of the validation that did not run, and why: reported as NOT RUN,
// never counted as passed.
struct NotRun {
  std::string what;  // "GetDP comparisons"
  std::string why;   // "getdp not found on PATH (Debian package getdp)"
  std::string line() const { return what + " not run: " + why; }
};

struct Report {
  Mode mode = Mode::quick;
  std::string backend;
  double seconds = 0;
  std::vector<Check> checks;
  std::vector<ConvergenceStudy> studies;
  std::vector<SolveTiming> timings;
  std::vector<NotRun> not_run;

  bool all_pass() const;
  std::vector<Check> failures() const;
};

// Progress lines ("T1 P1 h = 2 mm ...") for stderr.
using Progress = std::function<void(const std::string&)>;

// Runs the ladder: quick (coarse meshes, for scripts/test) or full (finer
// meshes, every variant). Solver errors propagate as exceptions.
Report run_ladder(Mode mode, kernels::Backend& backend, const Progress& progress = {});

// --- Output (ladder_report.cpp) ---
// The check table as fixed-width text (stdout), then a line per solve timing
// ("info: ...") and per part not run.
std::string format_table(const Report& report);
// validation.csv: problem,element,quantity,reference,ours,error,tolerance,criterion,pass
std::string checks_csv(const Report& report);
// convergence.csv: problem,element,quantity,expected_order,fitted_order,last_pair_order,h_m,error (a row per mesh)
std::string convergence_csv(const Report& report);
// validation.md: the run (mode, backend, time), the checks, the parts NOT RUN,
// the solve timings, the convergence studies, and the plots `images` (file
// names relative to the Markdown file).
std::string markdown(const Report& report, const std::vector<std::string>& images);

}  // namespace rotormag::validation

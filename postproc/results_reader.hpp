#pragma once
// Reading a results file back, refusing anything that is not a complete
// RotorMag results file (a run killed mid-write, a foreign HDF5 file).
#include <stdexcept>
#include <string>

namespace rotormag::postproc {

class IncompleteResultsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ResultsSummary {
  std::string format;          // "RotorMag results 1"
  std::string case_name;
  std::string backend;
  int order = 0;
  long long elements = 0;
  long long dofs = 0;
  int newton_iterations = 0;
  bool converged = false;
  double energy_J_per_m = 0;
  double temperature_C = 0;
};

// Throws IncompleteResultsError naming the file and what is missing.
ResultsSummary read_results_summary(const std::string& path);

}  // namespace rotormag::postproc

#pragma once
// Reading a results file back, refusing anything that is not a complete
// RotorMag results file (a run killed mid-write, a foreign HDF5 file).
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

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

// Throws IncompleteResultsError naming the file and what is missing. A motor
// run's NAME.hdf is accepted too: its /VTKHDF is position 0, and /RotorMag
// describes the run as for a single solve.
ResultsSummary read_results_summary(const std::string& path);

// The rotor positions of a motor run's NAME.hdf (docs/results.md, "Motor runs").
struct MotorPositions {
  std::size_t positions = 0;
  std::vector<double> position_deg;   // mechanical rotor angle of each step, in step order
};

// Refuses (IncompleteResultsError) what read_results_summary refuses, a
// single-position results file (no /RotorMag/motor), and a file whose
// /steps/<k> groups do not match its position table.
MotorPositions read_motor_positions(const std::string& path);

}  // namespace rotormag::postproc

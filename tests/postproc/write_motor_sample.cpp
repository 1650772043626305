// Writes motor-run samples for the Python checks (ctest fixture):
//   DIR/motor/m.*   3 positions, grids of 4, 5 and 6 points (P1, P1, P2),
//                   for check_motor_series.py (VTK 9.1's reader);
//   DIR/sweep/s.*   37 positions over one electrical period with back-EMF,
//                   for plot_motor.py.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "postproc/motor_results.hpp"
#include "tests/postproc/motor_sample.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  namespace pp = rotormag::postproc;
  const std::filesystem::path dir = argv[1];
  try {
    std::filesystem::create_directories(dir / "motor");
    std::filesystem::create_directories(dir / "sweep");
    const auto motor = pp::testing::motor_sample(3, true);
    pp::write_motor_results((dir / "motor").string(), "m", motor.steps(), motor.info, motor.table);
    const auto sweep = pp::testing::motor_sample(37, true);
    pp::write_motor_results((dir / "sweep").string(), "s", sweep.steps(), sweep.info, sweep.table);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}

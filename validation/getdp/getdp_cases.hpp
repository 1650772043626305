#pragma once
// The same-mesh comparisons with GetDP 3.2 (docs/validation.md, "Same-mesh
// comparison with GetDP 3.2"), set up once for the gtests (tests/getdp) and
// for `rotormag validate`: the two problems, their tolerances and the checks
// they make in the validation report.
//   (a) a magnet disk in a go/return coil inside a ring of GetDP's analytic
//       iron (nonlinear, saturated, Arkkio torque on the magnet);
//   (b) the Prius-like IPM sector (validation/prius_model.hpp), loaded,
//       one comparison per rotor position.
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "solver/motor_analysis.hpp"
#include "validation/getdp/getdp_comparison.hpp"
#include "validation/ladder.hpp"
#include "validation/prius_model.hpp"

namespace rotormag::validation {

// Tolerances of issue 6: both solvers solve the same discrete equations, so
// they must agree to the Newton tolerance (1e-10), not to a discretisation error.
constexpr double kGetDPEnergyTolerance = 1e-6;       // relative
constexpr double kGetDPFluxLinkageTolerance = 1e-6;  // relative
constexpr double kGetDPTorqueTolerance = 5e-3;       // relative (Arkkio, 0.5 %)
// A at the nodes, max |A_ours - A_getdp| / max |A_ours|: the issue names no
// tolerance; that of the energy and the flux linkage.
constexpr double kGetDPPotentialTolerance = 1e-6;

// One comparison, named as `rotormag validate` lists it.
struct GetDPCase {
  std::string problem;  // "GetDP (a) magnet + iron", "GetDP (b) Prius 0 deg"
  GetDPComparison comparison;
  // max |B| over the elements of the exponential-law iron in RotorMag's
  // solution: the law is used far from its initial slope.
  double iron_max_B_T = 0;
};

// (a) A magnet disk r < 10 mm (Br = 1.2 T along 30 deg, mu_r 1.05), air to
// 11 mm (the torque annulus), a go (y > 0) / return coil 11-14 mm (20 turns x
// 150 A), a ring of GetDP's iron 14-20 mm, air to 25 mm with A = 0 there; P1
// at 1 mm; stack length 0.1 m for the flux linkage and the torque.
GetDPCase magnet_and_iron_comparison(kernels::Backend& backend, const GetDPOptions& options = {});

// (b) The Prius-like IPM, 45-degree anti-periodic sector (coarse P1 mesh,
// 4 mm), GetDP's law in both cores, magnets Br = 1.24 T, i_d = -100 A,
// i_q = 200 A, cold start at each rotor position (the band and the links
// differ between 0 and 3.7 deg).
struct PriusGetDPSetUp {
  PriusModel model;
  std::vector<double> degrees;
  solver::RotorPositions positions;  // positions.positions_rad: the degrees
  solver::StatorLoad load;
};
// element_size_m: the mesh (4 mm as in the tests; the benchmark refines it).
PriusGetDPSetUp prius_getdp_set_up(const std::vector<double>& degrees = {0.0, 3.7}, double element_size_m = 4e-3);
// A comparison per position of `set_up.positions`.
std::vector<GetDPCase> prius_sector_comparisons(const PriusGetDPSetUp& set_up, kernels::Backend& backend,
                                                const GetDPOptions& options = {});

// The checks of one comparison (element P1; reference = GetDP's value, ours =
// RotorMag's): A at the nodes (at_most), the energy, each flux linkage and the
// torque (relative), with the tolerances above.
std::vector<Check> getdp_checks(const GetDPCase& c);

// For `rotormag validate`: when getdp is found (find_getdp()), runs (a) and
// (b) (--quick: 0 deg; --full: 0 and 3.7 deg) and adds their checks and
// their solve times to `report` (a getdp failure is a failed check); else
// records them as not run, with why. The time spent is added to report.seconds.
void add_getdp_comparisons(Report& report, kernels::Backend& backend, const Progress& progress = {},
                           const GetDPOptions& options = {});

}  // namespace rotormag::validation

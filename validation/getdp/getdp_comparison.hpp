#pragma once
// Same-mesh cross-check with GetDP 3.2 (issue 6; docs/validation.md, "Same-mesh
// comparison with GetDP 3.2"; the cases: getdp_cases.hpp).
//
// A RotorMag problem (a P1 mesh with its regions, materials, magnetizations,
// current densities, Dirichlet nodes and node links) is solved twice:
//  - by RotorMag (solver::solve on a backend), timed;
//  - by GetDP: the exact mesh is written to a Gmsh .msh (2.2 ASCII: every node
//    and triangle as ours, one physical group per region, point groups for
//    the Dirichlet nodes and for the linked nodes), a .pro with the same weak
//    form is generated (a-formulation, magnets as -nu Br . curl a', J as
//    source, GetDP's exponential iron law with its exact Jacobian, the node
//    links as GetDP Link constraints), `getdp` is run with a timeout and A at
//    the nodes, the energy, the requested flux linkages and Arkkio's torque
//    are read back.
// Then both are compared quantity by quantity. The working directory (mesh,
// .pro, GetDP's log and tables) can be kept for inspection.
//
// Limits (refused with GetDPUnsupported): P1 only (GetDP's second-order
// nodal basis is hierarchical, so nodal values would not compare), no
// tabulated B-H laws (use the exponential law on both sides), no per-element
// remanence factors.

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "kernels/backend.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/moving_band.hpp"
#include "solver/problem.hpp"

namespace rotormag::validation {

// GetDP missing, failed, timed out, or its output unreadable.
class GetDPError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// A problem this comparison cannot express in GetDP (see above).
class GetDPUnsupported : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Path of the getdp executable ($ROTORMAG_GETDP, else `getdp` on PATH), or
// empty when there is none.
std::string find_getdp();

// What to compare beyond A at the nodes and the energy.
struct GetDPQuantities {
  // psi = sum over terms of coefficient x (integral of A over the region) [Wb]
  // (regions are indices into the problem mesh's regions).
  struct Linkage {
    std::string name;
    std::vector<std::pair<int, double>> terms;
  };
  std::vector<Linkage> flux_linkages;
  // Arkkio's torque in an air annulus: scale / (mu0 (outer - inner)) x
  // integral over `region` of r B_r B_theta dS [N m] (scale: length x copies).
  struct Torque {
    int region = -1;
    double inner_m = 0, outer_m = 0;
    double scale = 1;
  };
  std::optional<Torque> torque;
  double energy_scale = 1;  // energy compared = scale x W [J/m] (1: per metre)
};

struct GetDPOptions {
  std::string getdp;            // executable; empty: find_getdp()
  double timeout_s = 300;       // per getdp run
  std::string work_dir;         // empty: a fresh directory under the system temp dir
  bool keep_work_dir = false;   // keep mesh, .pro, log and tables
  std::string label = "model";  // file stem in the working directory
  // Newton damping in GetDP for nonlinear problems (SolveJac_AdaptRelax, every
  // factor tried, the smallest residual kept), as RotorMag backtracks; without it
  // GetDP's first full step overflows exp(c B^2) on the Prius (B ~ 20 T in the
  // bridges after the linear first step). Empty: plain Newton (SolveJac).
  std::vector<double> relaxation_factors = {1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125};
};

struct QuantityComparison {
  std::string name;
  double ours = 0, getdp = 0;
  double relative_error = 0;  // |ours - getdp| / |ours| (absolute when ours is 0)
};

struct GetDPComparison {
  // A at the nodes used by the triangles: max |A_ours - A_getdp| / max |A_ours|.
  double potential_max_abs_diff = 0, potential_max_abs = 0, potential_relative_error = 0;
  std::size_t nodes_compared = 0;
  QuantityComparison energy;
  std::vector<QuantityComparison> flux_linkages;
  std::optional<QuantityComparison> torque;
  // Wall times of one nonlinear solve: ours (solver::solve: set-up + Newton),
  // GetDP's (pre-processing + Newton, from its own -cpu timestamps, mesh file
  // reading excluded) and the whole getdp process (start-up, reading, solve,
  // post-processing).
  double ours_solve_s = 0, getdp_solve_s = 0, getdp_process_s = 0;
  int ours_newton_iterations = 0, getdp_newton_iterations = 0;
  std::size_t nodes = 0, triangles = 0, unknowns = 0;
  std::string work_dir;  // where the files are (only when kept)
  solver::Solution ours;  // our full solution
  std::string summary() const;  // a few lines for logs
};

// Solves `problem` with RotorMag (on `backend`, with `newton`) and with GetDP
// (Newton to the same relative tolerance on the update, max|dA| <=
// newton.update_tolerance max|A|, and the linear systems solved by LU) and
// compares. Throws GetDPUnsupported, GetDPError, or solver errors.
GetDPComparison compare_with_getdp(const solver::Problem& problem, const solver::NewtonSettings& newton,
                                   const GetDPQuantities& quantities, kernels::Backend& backend,
                                   const GetDPOptions& options = {});

// One rotor position of a motor, set up exactly as solver::solve_positions
// does for `rotor.positions_rad[0]` (turned magnets, phase currents from
// `load` at the electrical angle, the band triangles and links of that
// position, `rotor.dirichlet`, cold start), compared with the flux linkages
// of the three phases (same winding definition) and Arkkio's torque in the
// band (whole machine: stack length x copies), energy per metre of the model.
struct MotorPositionProblem {
  solver::PositionedMachine machine;
  solver::Problem problem;  // points into machine.mesh: keep this object alive and unmoved
  GetDPQuantities quantities;
};
void set_up_motor_position(const solver::MovingBand& band, const std::vector<solver::RegionSetup>& regions,
                           const solver::ModelWinding& winding, const solver::StatorLoad& load,
                           const solver::RotorPositions& rotor, double angle_rad, MotorPositionProblem& out);

GetDPComparison compare_motor_position_with_getdp(const solver::MovingBand& band,
                                                  const std::vector<solver::RegionSetup>& regions,
                                                  const solver::ModelWinding& winding, const solver::StatorLoad& load,
                                                  const solver::RotorPositions& rotor, double angle_rad,
                                                  kernels::Backend& backend, const GetDPOptions& options = {});

}  // namespace rotormag::validation

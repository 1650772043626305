#pragma once
// What the solver solves, in its own terms (no file formats): a mesh, one
// material/magnetization/source per mesh region, prescribed potentials.
// The case layer builds this from a case file; tests build it directly.
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "kernels/reluctivity.hpp"
#include "mesh/mesh.hpp"

namespace rotormag::solver {

// A material at its operating temperature.
struct MaterialSpec {
  // The kernels' law kinds (kernels/reluctivity.hpp): the solver and the
  // device share one list; the case file's kinds map to it once (setup/).
  using Kind = kernels::LawKind;
  Kind kind = Kind::linear;
  double mu_r = 1.0;                    // linear: relative permeability; magnet: recoil permeability
  double remanence_T = 0.0;             // magnet: Br at the operating temperature
  std::vector<double> B_T, H_A_per_m;   // bh_curve: monotone table starting at (0, 0)
  double nu_a = 0, nu_b = 0, nu_c = 0;  // exponential_reluctivity: nu = a + b exp(c B^2) [m/H]
  bool is_nonlinear() const { return kind == Kind::bh_curve || kind == Kind::exponential_reluctivity; }
};

struct RegionSetup {
  MaterialSpec material;
  mesh::MagnetizationHint magnetization;   // direction of Br (magnets)
  double current_density_A_per_m2 = 0.0;   // source J_z
};

// A node whose potential follows another's: A[node] = sign * A[master].
// Periodic boundaries (sign +1), anti-periodic ones (-1), and the copies of
// rotor or stator nodes that the moving band places across a sector edge.
struct NodeLink {
  int node = 0;
  int master = 0;
  double sign = 1.0;
};

struct Problem {
  const mesh::Mesh* mesh = nullptr;
  std::vector<RegionSetup> regions;        // one per mesh region, same index
  std::vector<int> dirichlet_nodes;        // prescribed A_z ...
  std::vector<double> dirichlet_values;    // ... [Wb/m]
  std::vector<NodeLink> links;             // shared potentials (chains are followed)
  // Optional: where Newton starts, per node [Wb/m] (NaN: no guess, 0 is
  // used). A motor over its rotor positions starts each position from the last.
  // Dirichlet nodes keep their prescribed values.
  std::vector<double> initial_potential;
  // Optional, per element: the magnet's remanence is this fraction of its
  // material's (irreversibly demagnetized magnets, solver/demagnetization.hpp;
  // in [-1, 1], negative past HcJ).
  std::vector<double> element_remanence_factor;
};

// Adds every node of the named boundaries with A = value(x, y).
void add_dirichlet(Problem& p, const mesh::Boundary& boundary,
                   const std::function<double(double x, double y)>& value);

struct NewtonSettings {
  int max_iterations = 50;
  double residual_tolerance = 1e-8;   // ||R|| <= tol ||R0||
  double update_tolerance = 1e-8;     // max|dA| <= tol max|A| (nonlinear problems)
  bool line_search = true;
  double cg_relative_tolerance = 1e-12;
  int cg_max_iterations = 20000;
  kernels::Preconditioner preconditioner = kernels::Preconditioner::multigrid;
};

struct NewtonStepRecord {
  double residual_norm = 0;         // ||R|| after the step
  double update_max = 0;            // max |s dA|
  double step_length = 1;           // line-search factor s
  int cg_iterations = 0;
  double cg_relative_residual = 0;
};

struct NewtonReport {
  bool converged = false;
  int iterations = 0;
  double initial_residual = 0;              // ||R0||
  std::vector<NewtonStepRecord> history;
  std::string failure;                      // why it stopped, when not converged
  std::string failure_location;             // where the residual peaked (or went non-finite) at the end
  std::string format_history() const;       // one line per step, for error messages
};

// Per-element fields are area averages over the element.
struct Solution {
  std::vector<double> A;                    // per node [Wb/m] (links applied)
  std::vector<double> Bx, By, Hx, Hy;       // per element [T], [A/m]
  std::vector<double> Hm;                   // per element: H . m in magnets, else 0 [A/m]
  std::vector<double> element_energy;       // per element: integral of w(B) [J/m] (for magnets w = nu |B - Br|^2 / 2)
  std::vector<double> element_potential;    // per element: integral of A [Wb m]
  std::vector<double> element_area;         // per element [m^2]
  std::size_t unknowns = 0;                 // free unknowns: nodes less links and Dirichlet nodes
  double energy_J_per_m = 0;                // total stored magnetic energy per metre of depth
  NewtonReport report;
};

class SolveError : public std::runtime_error {
 public:
  SolveError(const std::string& what, NewtonReport report)
      : std::runtime_error(what), report_(std::move(report)) {}
  const NewtonReport& report() const { return report_; }

 private:
  NewtonReport report_;
};

class ProblemError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace rotormag::solver

#pragma once
// The problems of the validation ladder (shared/reference/validation_ladder.md)
// set up on RotorMag's meshes and solved: T1, T2, T7 on concentric layers,
// T3 and T4 through the moving band, T6 (torque on a bar magnet). Each
// returns the numbers the checks compare (errors against the exact solution,
// torques); the gtests (tests/solver) and `rotormag validate`
// (validation/ladder.hpp) judge them. References: analytic_references.hpp,
// motor_references.hpp.
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/backend.hpp"
#include "mesh/motor_geometry.hpp"
#include "mesh/templates.hpp"
#include "solver/moving_band.hpp"
#include "solver/problem.hpp"
#include "validation/analytic_references.hpp"
#include "validation/error_norms.hpp"
#include "validation/motor_references.hpp"

namespace rotormag::validation {

constexpr double mm = 1e-3;

solver::MaterialSpec linear(double mu_r);
solver::MaterialSpec magnet(double Br, double mu_r);

// Errors over a sequence of meshes: h (sqrt of the mean element area, or the
// element size asked for) and the error measured on each.
struct Convergence {
  std::vector<double> h, error;
  double fitted() const;     // least-squares slope of log(error) against log(h)
  double last_pair() const;  // slope of the last two meshes
  // "NAME P1: h = ... mm, L2 error of A = ... Wb m" lines and the orders.
  std::string format(const std::string& name, int order) const;
};

// ---------------------------------------------------------------------------
// T1, T2, T7: concentric layers, the L2 error of A over the whole mesh.
// ---------------------------------------------------------------------------
struct LayeredProblem {
  mesh::ConcentricLayers geometry;
  std::function<void(solver::Problem&)> set_up;  // materials and sources; regions already sized
  std::function<double(double, double)> exact;   // A(x, y) [Wb/m]
  bool exact_dirichlet = true;                   // else A = 0 on the outer circle
};

struct LayeredSolution {
  mesh::Mesh mesh;
  solver::Solution solution;
};

LayeredSolution solve_layered(const LayeredProblem& problem, int order, double element_size_m, kernels::Backend& backend,
                              const solver::NewtonSettings& settings = {});
// h = mean_element_size, error = l2_error of A, one solve per size.
Convergence layered_convergence(const LayeredProblem& problem, int order, const std::vector<double>& sizes,
                                kernels::Backend& backend);

// T1: magnetized cylinder (R = 10 mm, Br = 1.2 T along x, mu_r = 1.05) in
// air, exact Dirichlet data on R_b = 30 mm. B_in = Br / (1 + mu_r).
constexpr double t1_Br = 1.2, t1_mu_r = 1.05;
LayeredCylinder t1_reference();
mesh::ConcentricLayers t1_geometry();
void t1_set_up(solver::Problem& p);
LayeredProblem t1_problem();

// T2: magnet (10 mm) / air gap (to 12 mm) / linear iron shell mu_r = 1000
// (to 20 mm) / air (to 30 mm), exact Dirichlet data.
LayeredCylinder t2_reference();
LayeredProblem t2_problem();
// The ladder's closed form for an infinitely permeable shell: B_in = Br (1 + k) / [(1 + k) + mu_r (k - 1)], k = (12/10)^2.
double t2_infinite_shell_B_in();

// T7: 1 kA in a 5 mm conductor, nonlinear iron ring 10-20 mm, air to 30 mm, A = 0 there.
constexpr double t7_current = 1000.0;
mesh::ConcentricLayers t7_geometry();
std::function<void(solver::Problem&)> t7_set_up(solver::MaterialSpec iron);
solver::MaterialSpec getdp_iron();  // GetDP/ONELAB BH.pro: nu(B) = 100 + 10 exp(1.8 B^2) m/H
solver::MaterialSpec m19_iron();    // points of FEMM's M-19 curve (shared/data/steel_M-19_FEMM.csv)
// The exact solution for the GetDP law; for a table, the solver's own
// interpolation of it (the exact solution of the discrete material law).
std::shared_ptr<const IronRingReference> t7_reference(const solver::MaterialSpec& iron);
LayeredProblem t7_problem(const solver::MaterialSpec& iron);

// ---------------------------------------------------------------------------
// T3: diametric ring (Br = 1.2 T, mu_r = 1.05) between mu_r = 1e6 irons,
// through the moving band with the rotor turned by `turn_rad`; the relative
// L2 error of B in the air gap (gap, band) against the 4x4 interface solution.
// ---------------------------------------------------------------------------
DiametricRing t3_ring();  // Rr 20 mm, Rm 26 mm, Rs 28 mm
double t3_gap_error(int order, double element_size_m, double turn_rad, kernels::Backend& backend);

// ---------------------------------------------------------------------------
// T4: slotless SPM (2p = 4, alpha_p = 0.8; Rr 20, Rm 24, Rs 25 mm), one
// anti-periodic pole pitch or the whole machine, through the moving band,
// against the Zhu-Howe-Chan series.
// ---------------------------------------------------------------------------
constexpr double t4_Rr = 20 * mm, t4_Rm = 24 * mm, t4_Rs = 25 * mm, t4_pole_arc = 0.8;

// The Zhu-Howe-Chan series of SlotlessSpmField (its coefficients K_n), summed
// at each point until the tail is below 1e-10 T: near r = Rm the terms decay
// only like (Rm/r)^k, so a fixed truncation would be either wrong there or
// slow everywhere. The powers and the angle are advanced by recurrence
// (k -> k + 2p). Needs p >= 2 (k = 1 has another radial shape).
class ConvergedGapSeries {
 public:
  ConvergedGapSeries(SlotlessSpm machine, int max_harmonics);
  // (B_r, B_theta) at (r, phi), Rm <= r <= Rs.
  std::pair<double, double> at(double r, double phi) const;
  // Points where max_harmonics were not enough for 1e-10 T.
  long truncated() const { return truncated_; }

 private:
  SlotlessSpm m_;
  std::vector<double> K_;
  double K_max_ = 0;
  mutable long truncated_ = 0;
};

// The template machine of T4 (motor template with slots = 0): gap, band and
// magnets meshed at h, the band (one layer of triangles) h wide in the middle
// of the gap, so that it shrinks with h as every other element does.
mesh::MotorGeometry t4_machine(double h, double sector_deg, Magnetization magnetization);
// The series' machine, the rotor turned by `turn`. Pole 1 (N) of the template
// has its axis at 45 degrees; rotor_angle = 45 degrees + turn.
SlotlessSpm t4_series_machine(Magnetization magnetization, double mu_r, double turn);

struct T4Solution {
  solver::PositionedMachine machine;
  std::vector<double> A;
  std::size_t model_triangles = 0;  // triangles of the template mesh (the band's come after them)
  int magnets = 0;                  // magnet regions given the magnet material
};
// sector_deg = 90: one pole, anti-periodic; 360: the whole machine. Iron
// (rotor core, shaft, stator) mu_r = 1e6, A = 0 on stator_outer. With
// interpolar_mu_r the air between the magnets gets the magnets' mu_r (as the series assumes).
T4Solution solve_t4(int order, double h, double sector_deg, const SlotlessSpm& spm, bool interpolar_mu_r, double turn,
                    kernels::Backend& backend);
// The triangles where the gap field is compared: airgap_stator, the band,
// and airgap_rotor outside the magnet radius (not the air between magnets).
std::vector<char> t4_gap_triangles(const mesh::Mesh& m);
// Relative L2 errors of B in the gap against the series: `all` over the gap,
// `kept` leaving out discs of corner_radius about the magnet corners on r = Rm
// (where the exact B has a logarithmic singularity).
FieldError t4_gap_errors(const T4Solution& s, const ConvergedGapSeries& series, double turn, double corner_radius);

// ---------------------------------------------------------------------------
// T6: a 10 mm x 5 mm magnet, mu_r = 1, Hc = 1 MA/m, turned by theta in a
// uniform B0 = 1 T along x (A = B0 y on the outer circle). Exact torque per
// metre: -m' B0 sin(theta), m' = Hc x area = 50 A m. Arkkio in the band and,
// as a second method, over the stator-side air annulus.
// ---------------------------------------------------------------------------
struct T6Torque {
  double theta_deg = 0, exact = 0, band = 0, stator_air = 0;  // [N m/m]
};
struct T6Result {
  std::vector<T6Torque> torques;
  double scale = 0;  // |m' B0| [N m/m]
  double worst_band = 0, worst_stator_air = 0;  // max |torque - exact| / scale
};
T6Result t6_torques(int order, double element_size_m, double band_element_size_m, const std::vector<int>& degrees,
                    kernels::Backend& backend);

}  // namespace rotormag::validation

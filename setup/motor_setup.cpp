#include "setup/motor_setup.hpp"

#include <cmath>

#include "setup/demag_setup.hpp"
#include "setup/field_problem.hpp"
#include "setup/stator_load.hpp"

namespace rotormag::setup {

namespace {

const double kPi = std::acos(-1.0);

bool same_winding(const MotorModel& a, const MotorModel& b) {
  const solver::ModelWinding &x = a.winding, &y = b.winding;
  if (a.sector_deg != b.sector_deg || a.antiperiodic != b.antiperiodic || a.copies != b.copies ||
      x.parallel_paths != y.parallel_paths || x.pole_pairs != y.pole_pairs || x.axis_A_elec_rad != y.axis_A_elec_rad ||
      x.coils.size() != y.coils.size())
    return false;
  for (size_t k = 0; k < x.coils.size(); ++k)
    if (x.coils[k].region != y.coils[k].region || x.coils[k].phase != y.coils[k].phase ||
        x.coils[k].turns != y.coils[k].turns)
      return false;
  return true;
}

// Case files give constant Dirichlet values (no `field`).
bool same_positions(const solver::RotorPositions& a, const solver::RotorPositions& b) {
  const solver::NewtonSettings &x = a.newton, &y = b.newton;
  if (a.positions_rad != b.positions_rad || a.stack_length_m != b.stack_length_m || a.copies != b.copies ||
      a.warm_start != b.warm_start || a.dirichlet.size() != b.dirichlet.size())
    return false;
  for (size_t k = 0; k < a.dirichlet.size(); ++k)
    if (a.dirichlet[k].boundary != b.dirichlet[k].boundary ||
        a.dirichlet[k].value_Wb_per_m != b.dirichlet[k].value_Wb_per_m)
      return false;
  return x.max_iterations == y.max_iterations && x.residual_tolerance == y.residual_tolerance &&
         x.update_tolerance == y.update_tolerance && x.line_search == y.line_search &&
         x.cg_relative_tolerance == y.cg_relative_tolerance && x.cg_max_iterations == y.cg_max_iterations &&
         x.preconditioner == y.preconditioner;
}

}  // namespace

std::string why_apart(const cases::Case& a, const MotorSetUp& sa, const cases::Case& b, const MotorSetUp& sb) {
  if (!same_winding(sa.model, sb.model)) return "the symmetry or the winding";
  if (!same_positions(sa.positions, sb.positions)) return "the rotor positions, boundary conditions or solver settings";
  if (!same_load(sa.load, sb.load)) return "the stator load";
  if (a.demag.present != b.demag.present || (a.demag.present && !demag_shared_by(a, b)))
    return "the [demag] events, rated load or settings";
  return "";
}

MotorSetUp motor_set_up(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions) {
  MotorSetUp s;
  s.model = motor_model(c, m, regions);
  s.load = stator_load(c.motor);
  for (double deg : c.motor.positions_deg) s.positions.positions_rad.push_back(deg * kPi / 180);
  s.positions.stack_length_m = c.motor.stack_length_m;
  s.positions.copies = s.model.copies;
  for (const cases::DirichletBoundary& d : c.dirichlet)
    s.positions.dirichlet.push_back({d.boundary, d.value_Wb_per_m, {}});
  if (s.positions.dirichlet.empty()) s.positions.dirichlet.push_back({"stator_outer", 0.0, {}});
  s.positions.newton = newton_settings(c.solver);
  return s;
}

}  // namespace rotormag::setup

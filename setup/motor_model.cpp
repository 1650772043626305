#include "setup/motor_model.hpp"

#include <fmt/core.h>

#include <cmath>

#include "cases/motor_winding.hpp"

namespace rotormag::setup {

namespace {

const double kPi = std::acos(-1.0);

std::string mesh_origin(const cases::Case& c) {
  return c.mesh.kind == cases::MeshSpec::Kind::file ? c.mesh.file : c.name + " (motor template)";
}

}  // namespace

std::string MotorModel::symmetry_text() const {
  return copies == 1 ? "whole machine" : (antiperiodic ? "anti-periodic" : "periodic");
}

MotorModel motor_model(const cases::Case& c, const mesh::Mesh& m, const std::vector<cases::ResolvedRegion>& regions) {
  MotorModel model;
  model.layout = solver::design_winding(cases::winding_spec(c.motor));
  model.sector_deg = c.motor.sector_deg;
  model.copies = static_cast<int>(std::lround(360.0 / model.sector_deg));
  model.antiperiodic = c.motor.antiperiodic;

  const int Q = model.layout.spec.slots;
  const int model_slots = static_cast<int>(std::lround(Q * model.sector_deg / 360.0));
  model.winding = solver::model_winding(model.layout, m, model_slots);
  // A mesh that names its coils' phases (coil_3_1:-B, docs/motor-mesh.md)
  // must agree with the winding the case describes.
  std::vector<const solver::CoilRegion*> coil_of(m.regions.size(), nullptr);
  for (const solver::CoilRegion& coil : model.winding.coils) coil_of[coil.region] = &coil;
  for (size_t r = 0; r < m.regions.size(); ++r) {
    const mesh::CoilHint& hint = m.regions[r].coil;
    if (!hint.given()) continue;
    const solver::CoilRegion* coil = coil_of[r];
    const int turns = hint.turns > 0 ? hint.turns : c.motor.turns_per_coil;
    const std::string said = fmt::format("{}{}*{}", hint.sign > 0 ? '+' : '-', char('A' + hint.phase), turns);
    const std::string computed =
        coil ? fmt::format("{}{}*{}", coil->turns > 0 ? '+' : '-', char('A' + coil->phase), std::abs(coil->turns))
             : std::string("no coil side");
    if (said != computed)
      throw solver::ProblemError(fmt::format("region '{}': the mesh says {}, but the winding of [motor.winding] ({} "
                                             "slots, {} poles, {} layer(s)) puts {} there",
                                             m.regions[r].name, said, Q, model.layout.spec.poles,
                                             model.layout.spec.layers, computed));
  }
  for (const solver::CoilRegion& coil : model.winding.coils)
    if (regions[coil.region].current_density_A_per_m2 != 0.0)
      throw solver::ProblemError(fmt::format("region '{}' is bound with a current density, but coil regions carry "
                                             "the winding currents of [motor.load]; remove current_density_A_per_m2",
                                             m.regions[coil.region].name));
  return model;
}

solver::MovingBand moving_band(const cases::Case& c, const mesh::Mesh& m, const MotorModel& model) {
  return solver::MovingBand(m, model.sector_deg * kPi / 180, model.antiperiodic ? -1.0 : 1.0, mesh_origin(c));
}

void annotate_coils(const MotorModel& model, mesh::Mesh& m) {
  for (const solver::CoilRegion& coil : model.winding.coils) {
    mesh::CoilHint& hint = m.regions[coil.region].coil;
    hint.phase = coil.phase;
    hint.sign = coil.turns > 0 ? 1 : -1;
    hint.turns = static_cast<int>(std::lround(std::abs(coil.turns)));
  }
}

std::string describe_motor(const cases::Case& c, const mesh::Mesh& m,
                           const std::vector<cases::ResolvedRegion>& regions) {
  const MotorModel model = motor_model(c, m, regions);
  const solver::MovingBand band = moving_band(c, m, model);
  return fmt::format("motor: {} slots, {} poles, kw1 {:.5f}, model {} deg ({} copies, {}), band r = {:.4g}..{:.4g} mm "
                     "({} + {} ring nodes), {} positions",
                     model.layout.spec.slots, model.layout.spec.poles, model.layout.winding_factor, model.sector_deg,
                     model.copies, model.symmetry_text(), band.rotor_ring_radius() * 1e3,
                     band.stator_ring_radius() * 1e3, band.rotor_ring().vertex.size() - 1,
                     band.stator_ring().vertex.size() - 1, c.motor.positions_deg.size());
}

}  // namespace rotormag::setup

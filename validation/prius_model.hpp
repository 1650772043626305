#pragma once
// The Prius-like IPM (mesh template defaults: 48 slots, 8 poles, V magnets)
// as the motor tests (tests/solver) and the GetDP comparisons
// (validation/getdp/getdp_cases.hpp) use it: the winding, the moving band of a `sector_deg`
// model, GetDP's exponential iron law in both cores (smooth, saturating) and
// magnets Br = 1.24 T, mu_r = 1.05 (shared/data/prius2004_geometry.md).
#include <cmath>
#include <memory>
#include <vector>

#include "mesh/motor_geometry.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/moving_band.hpp"
#include "solver/winding.hpp"

namespace rotormag::validation {

struct PriusModel {
  solver::WindingLayout layout;
  std::unique_ptr<solver::MovingBand> band;
  solver::ModelWinding winding;
  std::vector<solver::RegionSetup> regions;
  int copies = 1;
};

inline PriusModel prius(double sector_deg, double element_size_m = 4e-3, int order = 1) {
  const double pi = std::acos(-1.0);
  PriusModel p;
  solver::WindingSpec spec;
  spec.slots = 48;
  spec.poles = 8;
  spec.layers = 1;
  spec.turns_per_coil = 9;
  p.layout = solver::design_winding(spec);
  const auto symmetry = solver::smallest_sector(p.layout);
  mesh::MotorGeometry g;  // defaults: the Prius 2004 motor
  g.sector_deg = sector_deg;
  mesh::MeshingOptions options;
  options.order = order;
  options.element_size_m = element_size_m;
  const mesh::Mesh machine = mesh::build_motor(g, options);
  p.copies = static_cast<int>(std::lround(360 / sector_deg));
  const int k = static_cast<int>(std::lround(sector_deg / symmetry.sector_deg));
  const double sign = symmetry.antiperiodic && k % 2 == 1 ? -1.0 : 1.0;
  p.band = std::make_unique<solver::MovingBand>(machine, sector_deg * pi / 180, sign, "Prius-like IPM");
  p.winding = solver::model_winding(p.layout, p.band->machine(), 48 / p.copies);
  const auto& m = p.band->machine();
  p.regions.resize(m.regions.size());
  for (size_t r = 0; r < m.regions.size(); ++r) {
    const std::string& name = m.regions[r].name;
    solver::MaterialSpec& s = p.regions[r].material;
    if (name == "stator_core" || name == "rotor_core") {
      s.kind = solver::MaterialSpec::Kind::exponential_reluctivity;
      s.nu_a = 100; s.nu_b = 10; s.nu_c = 1.8;
    } else if (name.rfind("magnet_", 0) == 0) {
      s.kind = solver::MaterialSpec::Kind::magnet;
      s.mu_r = 1.05;
      s.remanence_T = 1.24;
      p.regions[r].magnetization = m.regions[r].magnetization;
    }
  }
  return p;
}

inline solver::RotorPositions prius_positions(const PriusModel& p, const std::vector<double>& degrees) {
  solver::RotorPositions s;
  for (double d : degrees) s.positions_rad.push_back(d * std::acos(-1.0) / 180);
  s.stack_length_m = 83.82e-3;
  s.copies = p.copies;
  s.dirichlet = {{"stator_outer", 0.0, {}}};
  s.newton.residual_tolerance = 1e-10;
  s.newton.update_tolerance = 1e-10;
  return s;
}

}  // namespace rotormag::validation

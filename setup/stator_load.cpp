#include "setup/stator_load.hpp"

#include <algorithm>
#include <cmath>

namespace rotormag::setup {

namespace {

solver::StatorLoad dq(double id_A, double iq_A) {
  solver::StatorLoad load;
  load.kind = solver::StatorLoad::Kind::dq;
  load.id_A = id_A;
  load.iq_A = iq_A;
  return load;
}

solver::StatorLoad phases(const std::vector<double>& a_b_c) {
  solver::StatorLoad load;
  load.kind = solver::StatorLoad::Kind::phase;
  for (int k = 0; k < 3; ++k) load.phase_A[k] = a_b_c.at(k);
  return load;
}

}  // namespace

solver::StatorLoad stator_load(const cases::MotorSpec& motor) {
  switch (motor.load) {
    case cases::MotorSpec::Load::dq:
      return dq(motor.id_A, motor.iq_A);
    case cases::MotorSpec::Load::phase:
      return phases(motor.phase_currents_A);
    case cases::MotorSpec::Load::none:
      break;
  }
  return {};
}

solver::StatorLoad stator_load(const cases::DemagEventSpec& event) {
  switch (event.kind) {
    case cases::DemagEventSpec::Kind::negative_d:
    case cases::DemagEventSpec::Kind::short_circuit:
      return dq(-event.current_A, 0.0);
    case cases::DemagEventSpec::Kind::dq:
      return dq(event.id_A, event.iq_A);
    case cases::DemagEventSpec::Kind::phase:
      return phases(event.phase_currents_A);
  }
  return {};
}

std::optional<solver::StatorLoad> rated_load(const cases::DemagSpec& demag) {
  if (!demag.rated_load_given) return std::nullopt;
  return dq(demag.rated_id_A, demag.rated_iq_A);
}

bool same_load(const solver::StatorLoad& a, const solver::StatorLoad& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == solver::StatorLoad::Kind::dq) return a.id_A == b.id_A && a.iq_A == b.iq_A;
  if (a.kind == solver::StatorLoad::Kind::phase) return a.phase_A == b.phase_A;
  return true;
}

double current_magnitude(const solver::StatorLoad& load) {
  if (load.kind == solver::StatorLoad::Kind::dq) return std::hypot(load.id_A, load.iq_A);
  return std::max({std::abs(load.phase_A[0]), std::abs(load.phase_A[1]), std::abs(load.phase_A[2])});
}

}  // namespace rotormag::setup

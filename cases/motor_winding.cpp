// The winding of a motor case: the one place its resolved description
// (MotorSpec) becomes a solver::WindingSpec, and the design of that winding
// while the case is read, to check it (a WindingError at the key it is about)
// and to find the model's sector (template) or check the given one (.msh).
#include "cases/motor_winding.hpp"

#include <fmt/format.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "cases/motor_reading.hpp"

namespace rotormag::cases {

solver::WindingSpec winding_spec(const MotorSpec& m) {
  solver::WindingSpec w;
  w.slots = m.slots;
  w.poles = m.poles;
  w.layers = m.layers;
  w.turns_per_coil = m.turns_per_coil;
  w.parallel_paths = m.parallel_paths;
  w.coil_pitch_slots = m.coil_pitch_slots;
  return w;
}

namespace detail {

namespace {

// A .msh sector matches k smallest sectors within this many degrees.
constexpr double kSectorTolerance_deg = 1e-6;

// The key a WindingError is about: the message names the parameter first
// ("winding: coil_pitch_slots = 5 with ...", "winding: slots = 50, poles = 8: ...").
std::string winding_error_key(const std::string& what, const std::string& slots, const std::string& poles,
                              const std::string& layers) {
  std::string m = what;
  if (m.rfind("winding: ", 0) == 0) m = m.substr(9);
  auto starts = [&](const char* p) { return m.rfind(p, 0) == 0; };
  if (starts("turns_per_coil")) return "motor.winding.turns_per_coil";
  if (starts("parallel_paths")) return "motor.winding.parallel_paths";
  if (starts("coil_pitch_slots")) return "motor.winding.coil_pitch_slots";
  if (starts("poles")) return poles;
  if (starts("layers")) return layers;
  const std::string head = m.substr(0, m.find(": "));
  if (head.find("coil_pitch_slots") != std::string::npos) return "motor.winding.coil_pitch_slots";
  if (head.find("layers = 1") != std::string::npos) return layers;
  return slots;
}

std::string list_degrees(const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " or " : ", ";
    out += fmt::format("{:.10g}", values[i]);
  }
  return out;
}

}  // namespace

void design_winding(IssueLog& log, const toml::table& root, bool is_template, bool check_sector, TableReader& motor,
                    Case& c) {
  MotorSpec& m = c.motor;
  std::string slots_key = "motor.winding.slots", poles_key = "motor.winding.poles", layers_key = "motor.winding.layers";
  if (is_template) {
    // The template's slots, poles and layers are the winding's, as a .msh's [motor.winding] are.
    m.slots = c.mesh.motor.stator.slots;
    m.poles = c.mesh.motor.rotor.poles;
    m.layers = c.mesh.motor.stator.winding_layers;
    slots_key = "mesh.motor.stator.slots";
    poles_key = "mesh.motor.rotor.poles";
    layers_key = "mesh.motor.stator.winding_layers";
  }
  const solver::WindingSpec spec = winding_spec(m);
  solver::WindingLayout layout;
  solver::MachineSymmetry smallest;
  try {
    layout = solver::design_winding(spec);
    smallest = solver::smallest_sector(layout);
  } catch (const solver::WindingError& e) {
    const std::string key = winding_error_key(e.what(), slots_key, poles_key, layers_key);
    std::string message = e.what();
    if (is_template) message = std::regex_replace(message, std::regex("\\blayers = "), "winding_layers = ");
    log.add(position_at(log, root, key), key, message);
    return;
  }
  m.coil_pitch_slots = layout.spec.coil_pitch_slots;  // resolved (0 asked for the automatic pitch)
  if (is_template) {
    const bool sector = m.symmetry == MotorSpec::Symmetry::sector;
    m.sector_deg = sector ? smallest.sector_deg : 360.0;
    m.antiperiodic = sector && smallest.antiperiodic;
    c.mesh.motor.sector_deg = m.sector_deg;
    return;
  }
  if (!check_sector) return;
  // A .msh: its sector must be k smallest sectors, k dividing their number.
  const std::string machine = fmt::format("{} slots, {} poles, {} layer(s): the winding repeats every {:.10g} deg ({})",
                                          spec.slots, spec.poles, spec.layers, smallest.sector_deg,
                                          smallest.antiperiodic ? "anti-periodic" : "periodic");
  std::vector<double> allowed;
  int k = 0;
  for (int j = 1; j <= smallest.sectors; ++j) {
    if (smallest.sectors % j != 0) continue;
    const double deg = 360.0 * j / smallest.sectors;
    allowed.push_back(deg);
    if (std::abs(deg - m.sector_deg) <= kSectorTolerance_deg) k = j;
  }
  if (!k) {
    motor.invalid("sector_deg", fmt::format("{:.10g} deg is not a symmetry sector of this machine ({}); sector_deg must be {}",
                                            m.sector_deg, machine, list_degrees(allowed)));
    return;
  }
  m.sector_deg = 360.0 * k / smallest.sectors;  // exactly
  const bool antiperiodic = smallest.antiperiodic && k % 2 == 1;
  if (m.antiperiodic != antiperiodic)
    motor.invalid("antiperiodic", fmt::format("a {:.10g} deg sector of this machine is {} ({}): set antiperiodic = {}",
                                              m.sector_deg, antiperiodic ? "anti-periodic" : "periodic", machine,
                                              antiperiodic ? "true" : "false"));
}

}  // namespace detail
}  // namespace rotormag::cases

// Annotations in physical names: the magnetization of a magnet and the phase
// of a coil side travel with a .msh file, so a user's motor mesh (or one
// exported by `rotormag mesh`) needs no per-magnet bindings in the case.

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "mesh/mesh.hpp"

namespace rotormag::mesh {

namespace {

const double kPi = std::acos(-1.0);

bool parse_number(std::string_view text, double& value) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

}  // namespace

std::string parse_region_name(const std::string& physical_name, Region& region) {
  const auto colon = physical_name.find(':');
  region.name = physical_name.substr(0, colon);
  if (colon == std::string::npos) return "";
  const std::string_view note = std::string_view(physical_name).substr(colon + 1);
  if (region.name.empty()) return "the name before ':' is empty";
  if (note.rfind("parallel=", 0) == 0) {
    double degrees = 0;
    if (!parse_number(note.substr(9), degrees))
      return fmt::format("'parallel=' needs an angle in degrees, got '{}'", note.substr(9));
    region.magnetization = {MagnetizationKind::parallel, degrees * kPi / 180, 1.0};
    return "";
  }
  if (note == "radial=out" || note == "radial=in") {
    region.magnetization = {MagnetizationKind::radial, 0.0, note == "radial=out" ? 1.0 : -1.0};
    return "";
  }
  // Coil side: [+-][ABC], optionally *turns.
  if (note.size() >= 2 && (note[0] == '+' || note[0] == '-') && note[1] >= 'A' && note[1] <= 'C') {
    region.coil.sign = note[0] == '+' ? 1 : -1;
    region.coil.phase = note[1] - 'A';
    if (note.size() == 2) return "";
    double turns = 0;
    if (note[2] == '*' && parse_number(note.substr(3), turns) && turns >= 1 && turns == std::floor(turns) &&
        turns <= 1e6) {
      region.coil.turns = static_cast<int>(turns);
      return "";
    }
    region.coil = CoilHint{};
    return fmt::format("a coil annotation is +A, -B, ... optionally followed by *turns (a positive integer), got '{}'",
                       note);
  }
  return fmt::format("unknown annotation '{}' (expected parallel=DEGREES, radial=out, radial=in, or a coil side "
                     "such as +A, -C*9)", note);
}

std::string annotated_region_name(const Region& r) {
  std::string name = r.name;
  switch (r.magnetization.kind) {
    case MagnetizationKind::parallel:
      // Shortest text that reads back as the same double.
      name += fmt::format(":parallel={}", r.magnetization.angle_rad * 180 / kPi);
      break;
    case MagnetizationKind::radial:
      name += r.magnetization.sign > 0 ? ":radial=out" : ":radial=in";
      break;
    case MagnetizationKind::none:
      break;
  }
  if (r.coil.given() && r.magnetization.kind == MagnetizationKind::none) {
    name += fmt::format(":{}{}", r.coil.sign > 0 ? '+' : '-', char('A' + r.coil.phase));
    if (r.coil.turns > 0) name += fmt::format("*{}", r.coil.turns);
  }
  return name;
}

}  // namespace rotormag::mesh

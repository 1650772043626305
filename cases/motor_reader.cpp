// [motor...]: stack length, symmetry (template) or sector (.msh), the winding's
// keys, rotor positions and the stator load, checked against the mesh kind;
// the winding itself is designed and checked in motor_winding.cpp.
// docs/case-file.md describes the schema; keep the two in step.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "cases/motor_reading.hpp"
#include "cases/motor_schema.hpp"

namespace rotormag::cases::detail {

namespace {

constexpr double pi = 3.14159265358979323846;
// Rotor positions: `stop_deg` is included when it lies within this many steps
// of a step.
constexpr double kStepTolerance = 1e-9;

// cos and sin of an angle in degrees, exact at multiples of 90 degrees (so
// that current_angle_deg = 90 gives id = 0, not 6e-17 I).
std::pair<double, double> cos_sin_deg(double deg) {
  const double quarter = deg / 90.0;
  if (quarter == std::floor(quarter) && std::abs(quarter) < 1e15) {
    switch (((static_cast<long long>(quarter) % 4) + 4) % 4) {
      case 0: return {1.0, 0.0};
      case 1: return {0.0, 1.0};
      case 2: return {-1.0, 0.0};
      default: return {0.0, -1.0};
    }
  }
  const double rad = deg * pi / 180.0;
  return {std::cos(rad), std::sin(rad)};
}

void read_positions(TableReader& r, MotorSpec& m) {
  auto start = read_finite(r, "start_deg");
  auto stop = read_finite(r, "stop_deg");
  auto step = read_finite(r, "step_deg");
  auto angles = r.numbers("angles_deg");
  const bool range = r.has("start_deg") || r.has("stop_deg") || r.has("step_deg");
  const bool list = r.has("angles_deg");
  if (range && list) {
    r.invalid("angles_deg", "give either angles_deg or start_deg, stop_deg and step_deg, not both");
  } else if (list) {
    if (angles) {
      bool ok = true;
      if (angles->empty()) {
        r.invalid("angles_deg", "at least one rotor position is needed");
        ok = false;
      } else if (angles->size() > static_cast<std::size_t>(kMaxMotorPositions)) {
        r.invalid("angles_deg", "at most " + std::to_string(kMaxMotorPositions) + " rotor positions, got " +
                                    std::to_string(angles->size()));
        ok = false;
      }
      for (std::size_t i = 0; ok && i < angles->size(); ++i)
        if (!std::isfinite((*angles)[i])) {
          r.invalid("angles_deg", "angles must be finite numbers, got " + fmt_number((*angles)[i]) + " (entry " +
                                      std::to_string(i) + ")");
          ok = false;
        }
      if (ok) m.positions_deg = *angles;
    }
  } else if (range) {
    for (const char* key : {"start_deg", "stop_deg", "step_deg"})
      if (!r.has(key)) r.missing(key);
    if (start && stop && step) {
      bool ok = true;
      if (!(*step > 0)) {
        r.invalid("step_deg", "step must be > 0 deg, got " + fmt_number(*step));
        ok = false;
      }
      if (!(*stop >= *start)) {
        r.invalid("stop_deg", "stop_deg (" + fmt_number(*stop) + ") must not be below start_deg (" + fmt_number(*start) + ")");
        ok = false;
      }
      if (ok) {
        // Positions start + k step, k = 0 .. K, K = floor((stop - start) / step + 1e-9);
        // the last one is stop itself when it lies within 1e-9 steps of a step.
        const double steps = (*stop - *start) / *step;
        if (!(steps + kStepTolerance < kMaxMotorPositions)) {
          r.invalid("step_deg", "start_deg " + fmt_number(*start) + " to stop_deg " + fmt_number(*stop) +
                                    " in steps of " + fmt_number(*step) + " deg gives " +
                                    fmt_number(std::floor(steps + kStepTolerance) + 1) + " rotor positions; at most " +
                                    std::to_string(kMaxMotorPositions));
        } else {
          const int last = static_cast<int>(std::floor(steps + kStepTolerance));
          m.positions_deg.clear();
          for (int k = 0; k <= last; ++k) m.positions_deg.push_back(*start + k * *step);
          if (std::abs(steps - last) <= kStepTolerance) m.positions_deg.back() = *stop;
        }
      }
    }
  }
  r.finish();
}

void read_load(TableReader& r, MotorSpec& m) {
  auto id = read_finite(r, "id_A");
  auto iq = read_finite(r, "iq_A");
  auto peak = read_finite(r, "current_peak_A");
  auto angle = read_finite(r, "current_angle_deg");
  auto phases = r.numbers("phase_currents_A");
  struct Form {
    const char* name;
    std::vector<const char*> keys;
    bool given = false;
  };
  std::vector<Form> forms = {{"{id_A, iq_A}", {"id_A", "iq_A"}},
                             {"{current_peak_A, current_angle_deg}", {"current_peak_A", "current_angle_deg"}},
                             {"phase_currents_A", {"phase_currents_A"}}};
  std::vector<const Form*> given;
  for (auto& f : forms) {
    for (const char* k : f.keys) f.given = f.given || r.has(k);
    if (f.given) given.push_back(&f);
  }
  if (given.size() > 1) {
    for (std::size_t i = 1; i < given.size(); ++i) {
      const char* key = nullptr;
      for (const char* k : given[i]->keys)
        if (!key && r.has(k)) key = k;
      r.invalid(key, std::string("give the load in one form only: {id_A, iq_A}, {current_peak_A, current_angle_deg} "
                                 "or phase_currents_A; this table mixes ") +
                         given[0]->name + " and " + given[i]->name);
    }
    return r.finish();
  }
  if (given.empty()) {
    m.load = MotorSpec::Load::none;
  } else if (given[0] == &forms[0]) {
    if ((!r.has("id_A") || id) && (!r.has("iq_A") || iq)) {
      m.load = MotorSpec::Load::dq;
      m.id_A = id.value_or(0.0);
      m.iq_A = iq.value_or(0.0);
    }
  } else if (given[0] == &forms[1]) {
    if (!r.has("current_peak_A"))
      r.invalid("current_angle_deg", "current_angle_deg needs current_peak_A (the peak phase current it applies to)");
    if (!r.has("current_angle_deg"))
      r.invalid("current_peak_A", "current_peak_A needs current_angle_deg (from the d-axis towards the q-axis: "
                                  "90 = q-axis current, > 90 = field weakening)");
    if (peak && *peak < 0) {
      r.invalid("current_peak_A", "the peak current must be >= 0 A (turn current_angle_deg by 180 to reverse it), got " +
                                      fmt_number(*peak));
      peak.reset();
    }
    if (angle && !(std::abs(*angle) <= 360)) {
      r.invalid("current_angle_deg", "angle must lie in [-360, 360] degrees, got " + fmt_number(*angle));
      angle.reset();
    }
    if (peak && angle) {
      const auto [c, s] = cos_sin_deg(*angle);
      m.load = MotorSpec::Load::dq;
      m.id_A = *peak * c;
      m.iq_A = *peak * s;
    }
  } else if (phases) {
    bool ok = true;
    if (phases->size() != 3) {
      r.invalid("phase_currents_A", "three phase currents [ia, ib, ic] are needed, got " + std::to_string(phases->size()));
      ok = false;
    }
    for (std::size_t i = 0; ok && i < phases->size(); ++i)
      if (!std::isfinite((*phases)[i])) {
        r.invalid("phase_currents_A", "currents must be finite numbers, got " + fmt_number((*phases)[i]));
        ok = false;
      }
    if (ok) {
      m.load = MotorSpec::Load::phase;
      m.phase_currents_A = *phases;
    }
  }
  r.finish();
}

// [motor.winding]. With a template, slots, poles and layers come from
// [mesh.motor]; a .msh gives them here.
void read_winding(TableReader& w, bool is_file, MotorSpec& m) {
  if (auto v = read_count(w, "turns_per_coil", 1, 100000, "turns per coil must be in [1, 100000]")) m.turns_per_coil = *v;
  if (auto v = read_count(w, "parallel_paths", 1, kMaxMotorSlots,
                          "parallel paths must be in [1, " + std::to_string(kMaxMotorSlots) + "]"))
    m.parallel_paths = *v;
  if (auto v = read_count(w, "coil_pitch_slots", 0, kMaxMotorSlots,
                          "coil pitch must be in [0, " + std::to_string(kMaxMotorSlots) + "] slots (0: automatic)"))
    m.coil_pitch_slots = *v;
  static const std::pair<const char*, const char*> from_template[] = {
      {"slots", "mesh.motor.stator.slots"}, {"poles", "mesh.motor.rotor.poles"}, {"layers", "mesh.motor.stator.winding_layers"}};
  if (!is_file) {
    for (const auto& [key, source] : from_template)
      if (w.has(key)) {
        w.raw(key);
        w.invalid(key, std::string("with mesh.template = \"motor\" the ") + key + " come from " + source +
                           "; remove motor.winding." + key);
      }
  } else {
    if (auto v = read_count(w, "slots", 3, kMaxMotorSlots,
                            "number of slots must be in [3, " + std::to_string(kMaxMotorSlots) +
                                "] (a 3-phase winding needs at least 3)",
                            true))
      m.slots = *v;
    if (auto v = read_poles(w, "poles", true)) m.poles = *v;
    if (auto v = read_count(w, "layers", 1, 2, "winding layers must be 1 or 2", true)) m.layers = *v;
  }
  w.finish();
}

}  // namespace

void read_motor(TableReader& root_reader, const toml::table& root, bool mesh_known, Case& c) {
  IssueLog& log = root_reader.log();
  const toml::node* node = root_reader.raw("motor");
  const bool is_template = mesh_known && c.mesh.kind == MeshSpec::Kind::motor;
  const bool is_file = mesh_known && c.mesh.kind == MeshSpec::Kind::file;
  if (!node) {
    if (is_template)
      log.add(position_at(log, root, "mesh.template"), "motor",
              "mesh template 'motor' needs a [motor] table (stack_length_mm, and optionally symmetry, "
              "[motor.winding], [motor.positions], [motor.load])");
    return;
  }
  const toml::table* t = node->as_table();
  if (!t) {
    log.add(*node, "motor", "expected a table, got " + describe_type(*node));
    return;
  }
  if (!mesh_known) return;  // [mesh] is wrong already; what [motor] means depends on it
  if (!is_template && !is_file) {
    log.add(position_at(log, root, "motor"), "motor",
            std::string("[motor] is for motor meshes (mesh.template = \"motor\", or a .msh file made as in "
                        "docs/motor-mesh.md); the '") +
                (c.mesh.kind == MeshSpec::Kind::ipm_v_rotor ? "ipm_v_rotor" : "concentric_layers") +
                "' template is not a motor");
    return;
  }

  MotorSpec& m = c.motor;
  TableReader r(log, *t, "motor");
  m.present = true;
  m.where = position_at(log, root, "motor");
  if (auto v = read_length_mm(r, "stack_length_mm", false, "", true)) m.stack_length_m = *v * mm;
  if (is_template) {
    read_choice(r, "symmetry", "symmetry", motor_symmetries, m.symmetry);
    for (const char* key : {"sector_deg", "antiperiodic"})
      if (r.has(key)) {
        r.raw(key);
        r.invalid(key, std::string(key) + " is for a .msh mesh; with mesh.template = \"motor\" the sector follows "
                                          "from motor.symmetry (\"sector\" or \"full\")");
      }
  } else {
    if (r.has("symmetry")) {
      r.raw("symmetry");
      r.invalid("symmetry", "symmetry is for mesh.template = \"motor\"; a .msh mesh gives its span as "
                            "motor.sector_deg and motor.antiperiodic");
    }
    if (auto v = r.number("sector_deg", true)) {
      if (!(*v > 0 && *v <= 360)) r.invalid("sector_deg", "the sector must lie in (0, 360] degrees (360: the whole machine), got " + fmt_number(*v));
      else m.sector_deg = *v;
    }
    if (auto v = r.boolean("antiperiodic")) m.antiperiodic = *v;
  }
  if (auto v = r.number("speed_rpm")) {
    if (!(*v > 0 && std::isfinite(*v))) r.invalid("speed_rpm", "speed must be a finite number > 0 rpm, got " + fmt_number(*v));
    else m.speed_rpm = *v;
  }
  if (auto w = r.subtable("winding")) {
    TableReader wr(log, *w, "motor.winding");
    read_winding(wr, is_file, m);
  } else if (is_file && !r.has("winding")) {
    log.add(m.where, "motor.winding", "a .msh motor needs [motor.winding] with slots, poles and layers");
  }
  m.positions_deg = {0.0};
  if (auto p = r.subtable("positions")) {
    TableReader pr(log, *p, "motor.positions");
    read_positions(pr, m);
  }
  if (auto l = r.subtable("load")) {
    TableReader lr(log, *l, "motor.load");
    read_load(lr, m);
  }

  // The winding, once what it depends on is valid.
  const bool blocked =
      is_template ? issue_at(log,
                             {"mesh", "mesh.template", "mesh.motor", "mesh.motor.stator", "mesh.motor.rotor",
                              "mesh.motor.stator.slots", "mesh.motor.stator.winding_layers", "mesh.motor.rotor.poles",
                              "motor.symmetry"},
                             {"motor.winding"})
                  : issue_at(log, {"motor"}, {"motor.winding"});
  const bool sector_ok = !issue_at(log, {"motor.sector_deg", "motor.antiperiodic"}, {});
  if (!blocked) design_winding(log, root, is_template, sector_ok, r, c);
  r.finish();
}

}  // namespace rotormag::cases::detail

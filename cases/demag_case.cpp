// The [demag] part of the case-file schema: temperatures, candidate magnets
// (a grade, or a base grade with a composition checked by cases::compose()),
// load events, and the analysis settings; and its resolved TOML.
// docs/case-file.md ("[demag]") describes the schema; keep the two in step.
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cases/composition.hpp"
#include "cases/demag_schema.hpp"
#include "cases/spellings.hpp"

namespace rotormag::cases::detail {
namespace {

constexpr double mm = 1e-3;

// Composition keys of a candidate: only with base_grade.
const std::vector<std::string> kCompositionKeys = {"Dy_added_wt_pct", "Tb_added_wt_pct", "gbd_element",
                                                   "gbd_wt_pct",      "gbd_depth_mm",    "Ce_fraction_of_RE"};
// Ranges (those of the material schema's Dy_wt_pct, gbd_wt_pct, gbd_depth_mm, Ce_fraction_of_RE).
constexpr double kMaxBulkAdded_wt_pct = 15.0;
constexpr double kMaxGbd_wt_pct = 3.0;
constexpr double kMaxGbdDepth_mm = 100.0;
constexpr double kMaxCeFraction = 0.99;

// Position of a node; a table the file never writes (implicit) has none: 1:1.
SourcePosition position_of(const IssueLog& log, const toml::node& node) {
  if (node.source().begin.line > 0) return log.position(node);
  return SourcePosition{log.file(), 1, 1};
}

struct Lookup {
  const MaterialLibrary& library;
  const MaterialLibrary& local;
  const std::set<std::string>& declared_local;

  const Material* find(const std::string& name) const {
    const Material* m = local.find(name);
    return m ? m : library.find(name);
  }
  std::vector<std::string> magnet_names() const {
    std::vector<std::string> names;
    for (const MaterialLibrary* lib : {&library, &local})
      for (const auto& n : lib->names())
        if (const Material* m = lib->find(n); m && m->kind == Material::Kind::magnet) names.push_back(n);
    return names;
  }
};

const char* kind_phrase(Material::Kind k) {
  switch (k) {
    case Material::Kind::linear: return "a linear material";
    case Material::Kind::magnet: return "a magnet";
    case Material::Kind::bh_curve: return "a B-H curve (soft iron)";
    case Material::Kind::exponential_reluctivity: return "an exponential-reluctivity iron";
  }
  return "not a magnet";
}

// The magnet named by `key`; nullptr (and an issue) when unknown or not a magnet.
const Material* read_magnet(TableReader& r, const char* key, const std::string& name, const Lookup& lookup) {
  const Material* m = lookup.find(name);
  if (!m) {
    // A case-local material that failed its own checks is reported there.
    if (!lookup.declared_local.count(name))
      r.invalid(key, "unknown magnet '" + name + "' (a magnet of the library or of the case's [materials])" +
                         did_you_mean(name, lookup.magnet_names()));
    return nullptr;
  }
  if (m->kind != Material::Kind::magnet) {
    r.invalid(key, "'" + name + "' is not a magnet (it is " + kind_phrase(m->kind) + "); a candidate needs a magnet grade" +
                       did_you_mean(name, lookup.magnet_names()));
    return nullptr;
  }
  return m;
}

// A finite number within [lo, hi] (`what` says the range for the message).
std::optional<double> read_in_range(TableReader& r, const char* key, double lo, double hi, const std::string& rule,
                                    bool required = false) {
  auto v = r.number(key, required);
  if (!v) return std::nullopt;
  if (!(std::isfinite(*v) && *v >= lo && *v <= hi)) {
    r.invalid(key, rule + ", got " + fmt_number(*v));
    return std::nullopt;
  }
  return v;
}

// A current in A: finite, |I| <= 1e6 A; `magnitude`: also >= 0.
std::optional<double> read_current(TableReader& r, const char* key, bool magnitude) {
  auto v = r.number(key);
  if (!v) return std::nullopt;
  if (!std::isfinite(*v)) {
    r.invalid(key, "current must be a finite number, got " + fmt_number(*v));
    return std::nullopt;
  }
  if (magnitude && *v < 0) {
    r.invalid(key, std::string(key) + " is the peak magnitude, >= 0 A (the current flows against the magnets' "
                                      "d-axis), got " + fmt_number(*v));
    return std::nullopt;
  }
  if (std::abs(*v) > kMaxDemagCurrent_A) {
    r.invalid(key, "current magnitude must be <= " + fmt_number(kMaxDemagCurrent_A) + " A, got " + fmt_number(*v));
    return std::nullopt;
  }
  return v;
}

// Three phase currents (a, b, c), each as read_current.
std::optional<std::vector<double>> read_phase_currents(TableReader& r, const char* key) {
  auto v = r.numbers(key);
  if (!v) return std::nullopt;
  if (v->size() != 3) {
    r.invalid(key, "three phase currents [ia, ib, ic] are needed, got " + std::to_string(v->size()));
    return std::nullopt;
  }
  for (std::size_t i = 0; i < v->size(); ++i)
    if (!std::isfinite((*v)[i]) || std::abs((*v)[i]) > kMaxDemagCurrent_A) {
      r.invalid(key, "currents must be finite numbers of magnitude <= " + fmt_number(kMaxDemagCurrent_A) + " A, got " +
                         fmt_number((*v)[i]) + " (entry " + std::to_string(i) + ")");
      return std::nullopt;
    }
  return v;
}

// A label: required, not empty, unique among its siblings.
std::optional<std::string> read_label(TableReader& r, const char* what,
                                      std::map<std::string, SourcePosition>& seen) {
  auto name = r.string("name", true);
  if (!name) return std::nullopt;
  if (name->empty()) {
    r.invalid("name", std::string(what) + " name must not be empty (it labels the results)");
    return std::nullopt;
  }
  auto [it, fresh] = seen.emplace(*name, r.log().position(*r.table().get("name")));
  if (!fresh) {
    r.invalid("name", std::string(what) + " '" + *name + "' is given twice (first at line " +
                          std::to_string(it->second.line) + "); names label the results and must be unique");
    return std::nullopt;
  }
  return name;
}

void read_temperatures(TableReader& r, DemagSpec& d) {
  auto t = r.numbers("temperatures_C", true);
  if (!t) return;
  if (t->empty()) {
    r.invalid("temperatures_C", "at least one magnet temperature is needed");
    return;
  }
  for (std::size_t i = 0; i < t->size(); ++i) {
    const double v = (*t)[i];
    if (!(std::isfinite(v) && v >= kMinDemagTemperature_C && v <= kMaxDemagTemperature_C)) {
      r.invalid("temperatures_C", "magnet temperatures must lie in [" + fmt_number(kMinDemagTemperature_C) + ", " +
                                      fmt_number(kMaxDemagTemperature_C) + "] C, got " + fmt_number(v) + " (entry " +
                                      std::to_string(i) + ")");
      return;
    }
    for (std::size_t j = 0; j < i; ++j)
      if ((*t)[j] == v) {
        r.invalid("temperatures_C", "temperature " + fmt_number(v) + " C is given twice (entries " + std::to_string(j) +
                                        " and " + std::to_string(i) + ")");
        return;
      }
  }
  d.temperatures_C = *t;
}

// The message of compose()'s exception, at the key that caused it.
const char* compose_error_key(const std::string& what, const DemagCandidateSpec& s, const TableReader& r) {
  if (what.find("removes more bulk HRE") != std::string::npos || what.find("leave HcJ20 or Br20") != std::string::npos) {
    if (r.has("Dy_added_wt_pct") && (s.Dy_added_wt_pct < 0 || !r.has("Tb_added_wt_pct"))) return "Dy_added_wt_pct";
    if (r.has("Tb_added_wt_pct")) return "Tb_added_wt_pct";
  }
  if (what.find("gbd_wt_pct") != std::string::npos && r.has("gbd_wt_pct")) return "gbd_wt_pct";
  if (what.find("GBD") != std::string::npos && r.has("gbd_element")) return "gbd_element";
  return "base_grade";
}

// The composition keys of a candidate by composition; then compose() on the base.
void read_composition(TableReader& r, const Material* base, DemagCandidateSpec& s) {
  const std::size_t before = r.log().issues().size();
  const std::string bulk_rule = "bulk HRE added must lie in [-" + fmt_number(kMaxBulkAdded_wt_pct) + ", " +
                                fmt_number(kMaxBulkAdded_wt_pct) + "] wt% of the magnet mass (negative: removed from the base)";
  if (auto v = read_in_range(r, "Dy_added_wt_pct", -kMaxBulkAdded_wt_pct, kMaxBulkAdded_wt_pct, bulk_rule))
    s.Dy_added_wt_pct = *v;
  if (auto v = read_in_range(r, "Tb_added_wt_pct", -kMaxBulkAdded_wt_pct, kMaxBulkAdded_wt_pct, bulk_rule))
    s.Tb_added_wt_pct = *v;
  bool element_ok = true;
  if (auto v = r.string("gbd_element")) {
    if (auto e = parse_choice(*v, gbd_elements)) {
      s.gbd_element = *e;
    } else {
      r.invalid("gbd_element",
                "unknown GBD element '" + *v + "' (none, Tb, Dy)" + did_you_mean(*v, choice_names(gbd_elements)));
      element_ok = false;
    }
  } else if (r.has("gbd_element")) {
    element_ok = false;
  }
  const bool gbd = s.gbd_element != GbdElement::none;
  auto wt = r.number("gbd_wt_pct");
  auto depth = r.number("gbd_depth_mm");
  if (element_ok && !gbd) {
    for (const char* key : {"gbd_wt_pct", "gbd_depth_mm"})
      if (r.has(key))
        r.invalid(key, std::string(key) + " needs gbd_element = \"Tb\" or \"Dy\" (a grain-boundary diffusion)");
  } else if (element_ok) {
    if (!r.has("gbd_wt_pct")) {
      r.invalid("gbd_element", "gbd_element = \"" + std::string(gbd_element_name(s.gbd_element)) +
                                   "\" needs gbd_wt_pct: the HRE taken up by the diffusion, wt% of the magnet mass");
    } else if (wt) {
      if (!(std::isfinite(*wt) && *wt > 0 && *wt <= kMaxGbd_wt_pct))
        r.invalid("gbd_wt_pct", "GBD uptake must lie in (0, " + fmt_number(kMaxGbd_wt_pct) +
                                    "] wt% of the magnet mass (the gains were measured below 1 wt%), got " + fmt_number(*wt));
      else s.gbd_wt_pct = *wt;
    }
    if (depth) {
      if (!(std::isfinite(*depth) && *depth > 0 && *depth <= kMaxGbdDepth_mm))
        r.invalid("gbd_depth_mm", "GBD decay length must lie in (0, " + fmt_number(kMaxGbdDepth_mm) + "] mm, got " +
                                      fmt_number(*depth));
      else s.gbd_depth_m = *depth * mm;
    }
  }
  if (auto v = read_in_range(r, "Ce_fraction_of_RE", 0.0, kMaxCeFraction,
                             "Ce share of the rare-earth mass must lie in [0, " + fmt_number(kMaxCeFraction) + "]"))
    s.Ce_fraction_of_RE = *v;
  if (!base || r.log().issues().size() != before) return;

  // The composition model decides what it can compose; its warnings (values
  // outside its data, estimates) come with the run's results.
  Candidate candidate;
  candidate.name = s.name;
  candidate.base = *base;
  candidate.Dy_added_wt_pct = s.Dy_added_wt_pct;
  candidate.Tb_added_wt_pct = s.Tb_added_wt_pct;
  candidate.gbd_element = s.gbd_element;
  candidate.gbd_wt_pct = s.gbd_wt_pct;
  candidate.gbd_depth_m = s.gbd_depth_m;
  candidate.Ce_fraction_of_RE = s.Ce_fraction_of_RE;
  try {
    (void)compose(candidate);
  } catch (const std::exception& e) {
    std::string what = e.what();
    const std::string prefix = "composition: ";
    if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
    r.invalid(compose_error_key(what, s, r), "cannot compose candidate '" + s.name + "' from '" + s.base_grade + "': " + what);
  }
}

void read_candidate(TableReader& r, const Lookup& lookup, std::map<std::string, SourcePosition>& seen, Case& c) {
  DemagCandidateSpec s;
  s.where = r.where();
  if (auto name = read_label(r, "candidate", seen)) s.name = *name;
  auto grade = r.string("grade");
  auto base = r.string("base_grade");
  const bool has_grade = r.has("grade"), has_base = r.has("base_grade");
  if (has_grade && has_base) {
    r.invalid("base_grade", "give either grade (a magnet as it is) or base_grade (a magnet by composition), not both");
    for (const auto& key : kCompositionKeys) r.raw(key);
  } else if (!has_grade && !has_base) {
    r.log().add(r.where(), r.path(), "missing 'grade' (a magnet of the library or [materials]) or 'base_grade' "
                                     "(a candidate by composition)");
    for (const auto& key : kCompositionKeys) r.raw(key);
  } else if (has_grade) {
    for (const auto& key : kCompositionKeys)
      if (r.has(key)) {
        r.raw(key);
        r.invalid(key, key + " is a composition key: it needs base_grade (a candidate by composition) instead of grade "
                             "(a grade is used as it is)");
      } else {
        r.raw(key);  // known, for the suggestions
      }
    if (grade) {
      s.grade = *grade;
      if (const Material* m = read_magnet(r, "grade", *grade, lookup)) c.materials[m->name] = *m;
    }
  } else {
    s.by_composition = true;
    const Material* m = nullptr;
    if (base) {
      s.base_grade = *base;
      m = read_magnet(r, "base_grade", *base, lookup);
      if (m) c.materials[m->name] = *m;
    }
    read_composition(r, m, s);
  }
  r.finish();
  c.demag.candidates.push_back(std::move(s));
}

void read_positions(TableReader& r, DemagEventSpec& e) {
  auto p = r.numbers("positions_deg");
  if (!p) return;
  if (p->empty()) {
    r.invalid("positions_deg", "at least one rotor position is needed (leave positions_deg out for those of "
                               "[motor.positions])");
    return;
  }
  if (p->size() > static_cast<std::size_t>(kMaxDemagPositions)) {
    r.invalid("positions_deg", "at most " + std::to_string(kMaxDemagPositions) + " rotor positions, got " +
                                   std::to_string(p->size()));
    return;
  }
  for (std::size_t i = 0; i < p->size(); ++i)
    if (!std::isfinite((*p)[i])) {
      r.invalid("positions_deg", "angles must be finite numbers, got " + fmt_number((*p)[i]) + " (entry " +
                                     std::to_string(i) + ")");
      return;
    }
  e.positions_deg = *p;
}

void read_event(TableReader& r, std::map<std::string, SourcePosition>& seen, DemagSpec& d) {
  DemagEventSpec e;
  e.where = r.where();
  if (auto name = read_label(r, "event", seen)) e.name = *name;
  auto negative_d = read_current(r, "negative_d_current_A", true);
  auto short_circuit = read_current(r, "short_circuit_peak_A", true);
  auto id = read_current(r, "id_A", false);
  auto iq = read_current(r, "iq_A", false);
  auto phases = read_phase_currents(r, "phase_currents_A");
  read_positions(r, e);

  struct Form {
    const char* name;
    std::vector<const char*> keys;
    DemagEventSpec::Kind kind;
  };
  const std::vector<Form> forms = {{"negative_d_current_A", {"negative_d_current_A"}, DemagEventSpec::Kind::negative_d},
                                   {"short_circuit_peak_A", {"short_circuit_peak_A"}, DemagEventSpec::Kind::short_circuit},
                                   {"{id_A, iq_A}", {"id_A", "iq_A"}, DemagEventSpec::Kind::dq},
                                   {"phase_currents_A", {"phase_currents_A"}, DemagEventSpec::Kind::phase}};
  std::vector<const Form*> given;
  for (const Form& f : forms) {
    bool any = false;
    for (const char* k : f.keys) any = any || r.has(k);
    if (any) given.push_back(&f);
  }
  if (given.empty()) {
    r.log().add(r.where(), r.path(), "missing the event's current: give negative_d_current_A, short_circuit_peak_A, "
                                     "{id_A, iq_A} or phase_currents_A");
  } else if (given.size() > 1) {
    for (std::size_t i = 1; i < given.size(); ++i) {
      const char* key = nullptr;
      for (const char* k : given[i]->keys)
        if (!key && r.has(k)) key = k;
      r.invalid(key, std::string("give the event's current in one form only: negative_d_current_A, "
                                 "short_circuit_peak_A, {id_A, iq_A} or phase_currents_A; this event mixes ") +
                         given[0]->name + " and " + given[i]->name);
    }
  } else {
    e.kind = given[0]->kind;
    switch (e.kind) {
      case DemagEventSpec::Kind::negative_d:
        if (negative_d) e.current_A = *negative_d;
        break;
      case DemagEventSpec::Kind::short_circuit:
        if (short_circuit) e.current_A = *short_circuit;
        break;
      case DemagEventSpec::Kind::dq:
        e.id_A = id.value_or(0.0);
        e.iq_A = iq.value_or(0.0);
        break;
      case DemagEventSpec::Kind::phase:
        if (phases) e.phase_currents_A = *phases;
        break;
    }
  }
  r.finish();
  d.events.push_back(std::move(e));
}

void read_rated_load(TableReader& r, DemagSpec& d) {
  auto id = read_current(r, "id_A", false);
  auto iq = read_current(r, "iq_A", false);
  if (!r.has("id_A") && !r.has("iq_A"))
    r.log().add(r.where(), r.path(), "rated_load needs id_A and/or iq_A (peak, amplitude-invariant dq currents in A)");
  d.rated_load_given = true;
  d.rated_id_A = id.value_or(0.0);
  d.rated_iq_A = iq.value_or(0.0);
  r.finish();
}

}  // namespace

void read_demag(TableReader& root_reader, const toml::table& root, const MaterialLibrary& library,
                const MaterialLibrary& local, const std::set<std::string>& declared_local, Case& c) {
  IssueLog& log = root_reader.log();
  std::string scenario_names;
  for (const auto& n : library.price_scenario_names()) scenario_names += (scenario_names.empty() ? "" : ", ") + n;

  // A case's own price scenarios would need a place in Case for the run to use them.
  if (const toml::node* own = root_reader.raw("price_scenarios"))
    log.add(position_of(log, *own), "price_scenarios",
            "a case's own price scenarios are not supported yet: demag.price_scenario names a scenario of the "
            "library's prices.toml (" + (scenario_names.empty() ? std::string("none in this library") : scenario_names) + ")");

  const toml::node* node = root_reader.raw("demag");
  if (!node) return;
  const toml::table* t = node->as_table();
  if (!t) {
    log.add(*node, "demag", "expected a table, got " + describe_type(*node));
    return;
  }
  DemagSpec& d = c.demag;
  d.present = true;
  d.where = position_of(log, *t);
  if (!root.contains("motor"))
    log.add(d.where, "demag", "[demag] needs [motor]: the demagnetization analysis loads a motor's stator winding "
                              "(mesh.template = \"motor\" or a motor .msh, and a [motor] table)");
  TableReader r(log, *t, "demag");
  read_temperatures(r, d);
  if (auto v = r.number("loss_threshold")) {
    if (!(*v > 0 && *v < 0.5))
      r.invalid("loss_threshold", "the irreversible loss that counts as onset must lie in (0, 0.5) (0.01: 1 %), got " +
                                      fmt_number(*v));
    else d.loss_threshold = *v;
  }
  if (auto v = r.boolean("find_onset")) d.find_onset = *v;
  if (auto v = r.string("price_scenario")) {
    if (!library.price_scenario(*v) || v->empty())
      r.invalid("price_scenario", "unknown price scenario '" + *v + "' (" +
                                      (scenario_names.empty() ? std::string("the library has none") : scenario_names) +
                                      ")" + did_you_mean(*v, library.price_scenario_names()));
    else d.price_scenario = *v;
  } else if (!r.has("price_scenario")) {
    d.price_scenario = library.default_price_scenario();  // resolved: "" only for a library without prices
  }
  if (auto v = r.string("gbd_faces")) {
    if (auto f = parse_choice(*v, gbd_faces_choices))
      d.gbd_faces = *f;
    else
      r.invalid("gbd_faces", "unknown gbd_faces '" + *v + "' (pole_faces: the faces the magnetization crosses, "
                                                          "all_faces: every face)" +
                                 did_you_mean(*v, choice_names(gbd_faces_choices)));
  }
  if (auto rated = r.subtable("rated_load")) {
    TableReader rr(log, *rated, "demag.rated_load");
    read_rated_load(rr, d);
  }

  const Lookup lookup{library, local, declared_local};
  if (auto candidates = r.tables("candidate")) {
    std::map<std::string, SourcePosition> seen;
    for (std::size_t i = 0; i < candidates->size(); ++i) {
      TableReader cr(log, *candidates->get(i)->as_table(), "demag.candidate[" + std::to_string(i) + "]");
      read_candidate(cr, lookup, seen, c);
    }
  }
  if (!r.has("event")) {
    r.raw("event");
    log.add(d.where, "demag.event", "no [[demag.event]]: at least one load event is needed (negative_d_current_A, "
                                    "short_circuit_peak_A, {id_A, iq_A} or phase_currents_A)");
  } else if (auto events = r.tables("event")) {
    if (events->empty()) r.invalid("event", "empty event list: at least one [[demag.event]] is needed");
    std::map<std::string, SourcePosition> seen;
    for (std::size_t i = 0; i < events->size(); ++i) {
      TableReader er(log, *events->get(i)->as_table(), "demag.event[" + std::to_string(i) + "]");
      read_event(er, seen, d);
    }
  }
  r.finish();
}

toml::table demag_table(const Case& c) {
  const DemagSpec& d = c.demag;
  toml::table t;
  toml::array temperatures;
  for (double v : d.temperatures_C) temperatures.push_back(v);
  t.insert("temperatures_C", std::move(temperatures));
  t.insert("loss_threshold", d.loss_threshold);
  t.insert("find_onset", d.find_onset);
  if (!d.price_scenario.empty()) t.insert("price_scenario", d.price_scenario);
  t.insert("gbd_faces", gbd_faces_name(d.gbd_faces));
  if (d.rated_load_given) t.insert("rated_load", toml::table{{"id_A", d.rated_id_A}, {"iq_A", d.rated_iq_A}});

  if (!d.candidates.empty()) {
    toml::array candidates;
    for (const DemagCandidateSpec& s : d.candidates) {
      toml::table ct;
      ct.insert("name", s.name);
      if (!s.by_composition) {
        ct.insert("grade", s.grade);
      } else {
        ct.insert("base_grade", s.base_grade);
        ct.insert("Dy_added_wt_pct", s.Dy_added_wt_pct);
        ct.insert("Tb_added_wt_pct", s.Tb_added_wt_pct);
        ct.insert("gbd_element", gbd_element_name(s.gbd_element));
        if (s.gbd_element != GbdElement::none) {
          ct.insert("gbd_wt_pct", s.gbd_wt_pct);
          if (s.gbd_depth_m > 0) ct.insert("gbd_depth_mm", s.gbd_depth_m / mm);
        }
        if (s.Ce_fraction_of_RE >= 0) ct.insert("Ce_fraction_of_RE", s.Ce_fraction_of_RE);
      }
      candidates.push_back(std::move(ct));
    }
    t.insert("candidate", std::move(candidates));
  }

  toml::array events;
  for (const DemagEventSpec& e : d.events) {
    toml::table et;
    et.insert("name", e.name);
    switch (e.kind) {
      case DemagEventSpec::Kind::negative_d: et.insert("negative_d_current_A", e.current_A); break;
      case DemagEventSpec::Kind::short_circuit: et.insert("short_circuit_peak_A", e.current_A); break;
      case DemagEventSpec::Kind::dq:
        et.insert("id_A", e.id_A);
        et.insert("iq_A", e.iq_A);
        break;
      case DemagEventSpec::Kind::phase: {
        toml::array currents;
        for (double i : e.phase_currents_A) currents.push_back(i);
        et.insert("phase_currents_A", std::move(currents));
        break;
      }
    }
    if (!e.positions_deg.empty()) {
      toml::array positions;
      for (double p : e.positions_deg) positions.push_back(p);
      et.insert("positions_deg", std::move(positions));
    }
    events.push_back(std::move(et));
  }
  t.insert("event", std::move(events));
  return t;
}

}  // namespace rotormag::cases::detail

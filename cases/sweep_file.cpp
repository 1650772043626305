// Reading a sweep file and expanding it into sweep cases (cases/sweep.hpp).
// The cases are generated as TOML from the base case's own table, so every
// key the base case has (mesh, winding, materials, solver settings) reaches
// the sweep case untouched, and every generated case is validated by the
// same reader as a hand-written case file.
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <sstream>

#include <toml++/toml.h>

#include "cases/sweep.hpp"
#include "cases/toml_reader.hpp"

namespace rotormag::cases {

namespace {

namespace fs = std::filesystem;
using detail::IssueLog;
using detail::TableReader;

// Limits (docs/sweeps.md): a sweep is planned, validated and listed in
// memory before anything runs.
constexpr size_t kMaxSweepCases = 100000;

// One [[demag.candidate]] or [[demag.event]] as it will be written into a
// sweep case, and where it came from (for messages).
struct Item {
  std::string name;
  toml::table table;
  SourcePosition where;
  std::string origin;  // "base case [[demag.candidate]]" or "[[sweep.candidate]]"
};

// Items of an array of tables; each needs a string `name`, unique.
void collect_items(IssueLog& log, const toml::array* array, const std::string& key, const std::string& origin,
                   std::vector<Item>& items) {
  if (!array) return;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* t = (*array)[i].as_table();
    const std::string path = fmt::format("{}[{}]", key, i);
    if (!t) {
      log.add((*array)[i], path, "expected a table");
      continue;
    }
    const auto name = (*t)["name"].value<std::string>();
    if (!name || name->empty()) {
      log.add(*t, path + ".name", "every entry needs a non-empty string 'name'");
      continue;
    }
    bool dup = false;
    for (const Item& it : items)
      if (it.name == *name) {
        log.add(*t, path + ".name", fmt::format("'{}' is defined twice (also in the {})", *name, it.origin));
        dup = true;
      }
    if (!dup) items.push_back({*name, *t, log.position(*t), origin});
  }
}

// The named items, in the order given (all of them when `names` is absent).
std::vector<const Item*> choose(TableReader& r, const char* key, const std::vector<Item>& items,
                                const std::string& what) {
  std::vector<const Item*> out;
  const auto names = r.strings(key);
  if (!names) {
    for (const Item& it : items) out.push_back(&it);
    if (out.empty() && !r.has(key))
      r.invalid(key, fmt::format("no {} to sweep: the base case has no [[demag.{}]] and the sweep none of its own "
                                 "([[sweep.{}]])",
                                 what, what, what));
    return out;
  }
  std::vector<std::string> known;
  for (const Item& it : items) known.push_back(it.name);
  for (const std::string& n : *names) {
    const Item* found = nullptr;
    for (const Item& it : items)
      if (it.name == n) found = &it;
    if (!found)
      r.invalid(key, fmt::format("no {} named '{}' in the base case or the sweep{}", what, n,
                                 detail::did_you_mean(n, known)));
    else
      out.push_back(found);
  }
  if (names->empty()) r.invalid(key, "is empty");
  return out;
}

// The node at a dotted key path of the base case, or null.
toml::node* node_at(toml::table& root, const std::string& dotted) {
  toml::node* n = &root;
  std::string part;
  std::istringstream in(dotted);
  while (std::getline(in, part, '.')) {
    toml::table* t = n->as_table();
    if (!t) return nullptr;
    n = t->get(part);
    if (!n) return nullptr;
  }
  return n;
}

void set_number(toml::table& root, const std::string& dotted, double value) {
  const size_t dot = dotted.rfind('.');
  toml::table* parent = &root;
  if (dot != std::string::npos) parent = node_at(root, dotted.substr(0, dot))->as_table();
  parent->insert_or_assign(dotted.substr(dot == std::string::npos ? 0 : dot + 1), value);
}

toml::array number_array(const std::vector<double>& v) {
  toml::array a;
  for (double x : v) a.push_back(x);
  return a;
}

std::string label_of(const SweepCase& k) {
  return fmt::format("sweep case {} (candidate '{}', {:g} C, event '{}')", k.id, k.candidate, k.temperature_C,
                     k.event);
}

}  // namespace

std::string fingerprint_of(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

double solves_per_case(const Sweep& s) {
  // Per event position about four settling solves (regula falsi); six
  // positions x (damaged, undamaged) x (no load, rated load) for the losses;
  // the onset search, about 2 x 10 bisection steps of a settling each; the
  // motor positions.
  const double positions = s.positions_deg.empty() ? 1.0 : double(s.positions_deg.size());
  return 4.0 * positions + 24.0 + (s.find_onset ? 80.0 : 0.0) + positions;
}

Sweep load_sweep(const std::string& path, const MaterialLibrary& library) {
  IssueLog log(path);
  if (!fs::is_regular_file(path)) {
    log.add(SourcePosition{path, 0, 0}, "", "cannot read the sweep file (missing or not a file)");
    log.throw_if_any();
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    log.add(log.position(e.source()), "", std::string("TOML syntax error: ") + std::string(e.description()));
    log.throw_if_any();
  }
  Sweep s;
  s.path = path;
  TableReader top(log, root, "");
  if (auto v = top.integer("schema_version", true); v && *v != 1)
    top.invalid("schema_version", fmt::format("sweep schema version {} is not supported (this build reads 1)", *v));
  const toml::table* sweep_table = top.subtable("sweep", true);
  top.finish();
  log.throw_if_any();
  TableReader r(log, *sweep_table, "sweep");

  s.name = r.string("name", true).value_or("");
  if (!s.name.empty() && s.name.find_first_of("/\\ \t") != std::string::npos)
    r.invalid("name", "must not contain '/', '\\' or blanks (it names files)");
  const std::string base_rel = r.string("base_case", true).value_or("");
  toml::table base;
  if (!base_rel.empty()) {
    fs::path bp = fs::path(base_rel);
    if (bp.is_relative()) bp = fs::absolute(fs::path(path)).parent_path() / bp;
    s.base_case_path = bp.lexically_normal().string();
    try {
      base = toml::parse_file(s.base_case_path);
    } catch (const toml::parse_error& e) {
      r.invalid("base_case", fmt::format("{}:{}:{}: TOML syntax error: {}", s.base_case_path, e.source().begin.line,
                                         e.source().begin.column, e.description()));
    } catch (const std::exception&) {
      r.invalid("base_case", fmt::format("cannot read the base case '{}'", s.base_case_path));
    }
  }
  const bool have_base = !base.empty();
  if (have_base && !base.contains("motor"))
    r.invalid("base_case", "the base case has no [motor] table: a sweep runs a motor case");

  if (auto t = r.numbers("magnet_temperatures_C", true)) {
    s.temperatures_C = *t;
    if (t->empty()) r.invalid("magnet_temperatures_C", "is empty");
    for (double T : *t)
      if (!(T >= -60 && T <= 300))
        r.invalid("magnet_temperatures_C", fmt::format("{:g} C is outside -60..300 C", T));
  }
  if (auto p = r.numbers("rotor_positions_deg")) {
    s.positions_deg = *p;
    if (p->empty()) r.invalid("rotor_positions_deg", "is empty (leave it out to use the base case's positions)");
  }

  // Candidates and events: the base's [demag] lists, then the sweep's own.
  std::vector<Item> candidates, events;
  const toml::table* base_demag = have_base ? base["demag"].as_table() : nullptr;
  if (base_demag) s.find_onset = (*base_demag)["find_onset"].value_or(true);
  if (base_demag) {
    IssueLog base_log(s.base_case_path);
    collect_items(base_log, (*base_demag)["candidate"].as_array(), "demag.candidate", "base case", candidates);
    collect_items(base_log, (*base_demag)["event"].as_array(), "demag.event", "base case", events);
    for (auto& i : base_log.issues()) log.issues().push_back(i);
  }
  collect_items(log, r.tables("candidate"), "sweep.candidate", "sweep file", candidates);
  collect_items(log, r.tables("event"), "sweep.event", "sweep file", events);
  const std::vector<const Item*> chosen_candidates = choose(r, "candidates", candidates, "candidate");
  const std::vector<const Item*> chosen_events = choose(r, "events", events, "event");
  for (const Item* c : chosen_candidates) s.candidates.push_back(c->name);
  for (const Item* e : chosen_events) s.events.push_back(e->name);

  // Geometry axes: every key must exist in the base case as a number.
  std::vector<std::vector<double>> axes;
  if (const toml::table* g = r.subtable("geometry")) {
    for (const auto& [key, node] : *g) {
      const std::string k(key.str());
      const std::string where = "sweep.geometry.\"" + k + "\"";
      const toml::array* values = node.as_array();
      std::vector<double> vs;
      if (values)
        for (const auto& v : *values) {
          if (auto d = v.value<double>()) vs.push_back(*d);
        }
      if (!values || vs.size() != values->size() || vs.empty()) {
        log.add(node, where, "expected a non-empty array of numbers (the values of this base-case key)");
        continue;
      }
      if (k.rfind("mesh.", 0) != 0) {
        log.add(node, where, "geometry keys are keys of the base case's [mesh] table (\"mesh. ...\")");
        continue;
      }
      const toml::node* target = have_base ? node_at(base, k) : nullptr;
      if (have_base && (!target || !(target->is_number()))) {
        log.add(node, where, fmt::format("the base case '{}' has no number at '{}'", s.base_case_path, k));
        continue;
      }
      s.geometry_keys.push_back(k);
      axes.push_back(vs);
    }
  }
  r.finish();
  log.throw_if_any();

  // Groups: the Cartesian product of the geometry axes (one group without).
  std::vector<std::vector<GeometrySetting>> variants{{}};
  for (size_t a = 0; a < axes.size(); ++a) {
    std::vector<std::vector<GeometrySetting>> next;
    for (const auto& v : variants)
      for (double x : axes[a]) {
        auto w = v;
        w.push_back({s.geometry_keys[a], x});
        next.push_back(w);
      }
    variants = next;
  }
  const size_t total = variants.size() * chosen_candidates.size() * s.temperatures_C.size() * chosen_events.size();
  if (total > kMaxSweepCases) {
    log.add(log.position(*sweep_table), "sweep",
            fmt::format("{} cases is more than the limit of {}; split the sweep", total, kMaxSweepCases));
    log.throw_if_any();
  }
  const int width = std::max<int>(4, int(std::to_string(total).size()));

  // The cases, group-major so that a group's cases are neighbours.
  for (size_t g = 0; g < variants.size(); ++g) {
    SweepGroup group;
    group.geometry = variants[g];
    for (const Item* cand : chosen_candidates)
      for (double T : s.temperatures_C)
        for (const Item* ev : chosen_events) {
          SweepCase k;
          k.index = int(s.cases.size());
          k.id = fmt::format("c{:0{}d}", k.index, width);
          k.group = int(g);
          k.candidate = cand->name;
          k.temperature_C = T;
          k.event = ev->name;
          toml::table c = base;
          c.insert_or_assign("temperature_C", T);
          // The case's motor run (no-load positions, fields per position)
          // uses the candidate too: its grade, or a composition's base grade.
          const auto grade = cand->table["grade"].value<std::string>();
          const auto base_grade = cand->table["base_grade"].value<std::string>();
          k.motor_run_magnet = grade ? *grade : base_grade.value_or("");
          if (toml::array* bindings = c["region"].as_array(); bindings && !k.motor_run_magnet.empty())
            for (auto& b : *bindings)
              if (toml::table* t = b.as_table(); t && t->contains("magnetization"))
                t->insert_or_assign("material", k.motor_run_magnet);
          for (const auto& [key, value] : group.geometry) set_number(c, key, value);
          if (!s.positions_deg.empty()) {
            toml::table positions;
            positions.insert("angles_deg", number_array(s.positions_deg));
            c["motor"].as_table()->insert_or_assign("positions", positions);
          }
          toml::table demag = base_demag ? *base_demag : toml::table{};
          demag.insert_or_assign("temperatures_C", number_array({T}));
          toml::array cs;
          cs.push_back(cand->table);
          demag.insert_or_assign("candidate", cs);
          toml::table event = ev->table;
          if (!s.positions_deg.empty()) event.insert_or_assign("positions_deg", number_array(s.positions_deg));
          toml::array es;
          es.push_back(event);
          demag.insert_or_assign("event", es);
          c.insert_or_assign("demag", demag);
          std::ostringstream text;
          text << "# " << label_of(k) << " of sweep '" << s.name << "' (" << path << "), from " << s.base_case_path
               << "\n"
               << c << "\n";
          k.case_toml = text.str();
          k.cost_units = solves_per_case(s);
          group.cases.push_back(k.index);
          s.cases.push_back(std::move(k));
        }
    s.groups.push_back(std::move(group));
  }

  // Every case validated as a case file; a problem is reported once per
  // distinct message, named by the first case that shows it.
  std::map<std::string, bool> seen;
  std::string all_text;
  for (const SweepCase& k : s.cases) {
    all_text += k.case_toml;
    try {
      (void)load_case_text(k.case_toml, s.base_case_path, library);
    } catch (const CaseError& e) {
      for (const CaseIssue& issue : e.issues()) {
        const std::string msg = issue.key_path + ": " + issue.message;
        if (seen[msg]) continue;
        seen[msg] = true;
        SourcePosition where = log.position(*sweep_table);
        for (const Item* it : chosen_candidates)
          if (it->name == k.candidate && issue.key_path.rfind("demag.candidate", 0) == 0) where = it->where;
        for (const Item* it : chosen_events)
          if (it->name == k.event && issue.key_path.rfind("demag.event", 0) == 0) where = it->where;
        log.add(where, issue.key_path, fmt::format("in {}: {}", label_of(k), issue.message));
      }
    }
  }
  log.throw_if_any();
  s.fingerprint = fingerprint_of(all_text);
  return s;
}

}  // namespace rotormag::cases

#include "app/demag_run.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

#include "app/problem_from_case.hpp"
#include "cases/composition.hpp"
#include "cases/hre_cost.hpp"
#include "postproc/results_file.hpp"
#include "solver/demagnetization.hpp"
#include "solver/magnetostatic_solver.hpp"

namespace rotormag::app {

namespace {

const double kPi = std::acos(-1.0);

struct Point {
  double x, y;
};

double segment_distance(Point p, Point a, Point b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// The candidate's material: a grade, or composed from a base.
struct CandidateMaterial {
  cases::Material material;
  bool outside_data = false, low_confidence = false;
  std::vector<std::string> warnings;
};

CandidateMaterial candidate_material(const cases::Case& c, const cases::DemagCandidateSpec& spec) {
  CandidateMaterial out;
  auto find = [&](const std::string& name) -> const cases::Material& {
    auto it = c.materials.find(name);
    if (it == c.materials.end())
      throw solver::ProblemError("[demag] candidate '" + spec.name + "': material '" + name + "' is not resolved");
    return it->second;
  };
  if (!spec.by_composition) {
    out.material = find(spec.grade);
    return out;
  }
  cases::Candidate cand;
  cand.name = spec.name;
  cand.base = find(spec.base_grade);
  cand.Dy_added_wt_pct = spec.Dy_added_wt_pct;
  cand.Tb_added_wt_pct = spec.Tb_added_wt_pct;
  cand.gbd_element = spec.gbd_element;
  cand.gbd_wt_pct = spec.gbd_wt_pct;
  cand.gbd_depth_m = spec.gbd_depth_m;
  cand.Ce_fraction_of_RE = spec.Ce_fraction_of_RE;
  const cases::ComposedMagnet composed = cases::compose(cand);
  out.material = composed.material;
  out.outside_data = composed.outside_data;
  out.low_confidence = composed.low_confidence;
  out.warnings = composed.warnings;
  return out;
}

solver::StatorLoad event_load(const cases::DemagEventSpec& e) {
  solver::StatorLoad load;
  switch (e.kind) {
    case cases::DemagEventSpec::Kind::negative_d:
    case cases::DemagEventSpec::Kind::short_circuit:
      load.kind = solver::StatorLoad::Kind::dq;
      load.id_A = -e.current_A;
      break;
    case cases::DemagEventSpec::Kind::dq:
      load.kind = solver::StatorLoad::Kind::dq;
      load.id_A = e.id_A;
      load.iq_A = e.iq_A;
      break;
    case cases::DemagEventSpec::Kind::phase:
      load.kind = solver::StatorLoad::Kind::phase;
      for (int k = 0; k < 3; ++k) load.phase_A[k] = e.phase_currents_A.at(k);
      break;
  }
  return load;
}

double current_magnitude(const solver::StatorLoad& l) {
  if (l.kind == solver::StatorLoad::Kind::dq) return std::hypot(l.id_A, l.iq_A);
  return std::max({std::abs(l.phase_A[0]), std::abs(l.phase_A[1]), std::abs(l.phase_A[2])});
}

std::string file_label(std::string s) {
  for (char& ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.')) ch = '_';
  return s;
}

// A candidate of the analysis: its material and curve model, the HcJ gain of
// grain-boundary diffusion per element, its row of the table (HRE filled in
// here, a row per temperature added as the set-ups finish).
struct CandidateRun {
  cases::DemagCandidateSpec spec;
  CandidateMaterial cm;
  solver::MagnetModel magnet;
  std::vector<double> gain;
  postproc::DemagCandidate row;
};

CandidateRun candidate_run(const cases::Case& c, const cases::DemagCandidateSpec& spec,
                           const std::vector<char>& is_magnet, const std::vector<double>& face_distance,
                           double magnet_volume, const cases::PriceScenario* prices) {
  CandidateRun run;
  run.spec = spec;
  run.cm = candidate_material(c, spec);
  run.magnet = magnet_model(run.cm.material);
  postproc::DemagCandidate& row = run.row;
  row.name = spec.name;
  row.material = run.cm.material.name;
  row.source = run.cm.material.source;
  row.outside_data = run.cm.outside_data;
  row.low_confidence = run.cm.low_confidence;
  row.warnings = run.cm.warnings;
  row.magnet_volume_m3 = magnet_volume;
  if (prices) {
    const cases::HreBill bill = cases::hre_bill(magnet_volume, run.cm.material.grade, *prices);
    row.magnet_kg = bill.magnet_kg;
    row.Dy_kg = bill.Dy.kg;
    row.Tb_kg = bill.Tb.kg;
    row.hre_cost = bill.hre_cost;
    row.rare_earth_cost = bill.rare_earth_cost;
    row.currency = bill.currency;
    row.price_scenario = bill.scenario;
    row.composition_stated = bill.composition_stated;
    row.cost_notes = bill.notes;
  }
  // GBD: HcJ gain per element from its distance to the diffused faces.
  run.gain.assign(is_magnet.size(), 0.0);
  if (run.magnet.gbd.present())
    for (size_t t = 0; t < is_magnet.size(); ++t)
      if (is_magnet[t]) run.gain[t] = run.magnet.gbd_HcJ_gain_A_per_m(face_distance[t]);
  return run;
}

std::string knee_definition(const solver::DemagSetup& setup) {
  for (size_t t = 0; t < setup.is_magnet.size(); ++t)
    if (setup.is_magnet[t]) return setup.knee[t].knee_definition();
  return {};
}

// The figures of one candidate at one temperature for summary.json.
postproc::DemagRow demag_row(const solver::DemagSummary& d, const std::vector<solver::DemagLoadEvent>& events,
                             const solver::MagnetModel& magnet, double T) {
  postproc::DemagRow r;
  r.temperature_C = T;
  r.volume_pct_coef_below_099 = d.volume_pct_coef_below_099;
  r.volume_pct_coef_below_095 = d.volume_pct_coef_below_095;
  r.volume_pct_coef_below_090 = d.volume_pct_coef_below_090;
  r.volume_pct_coef_above = d.volume_pct_coef_above;
  r.min_margin_A_per_m = d.min_margin_A_per_m;
  r.min_margin_x_m = d.min_margin_x_m;
  r.min_margin_y_m = d.min_margin_y_m;
  r.min_margin_region = d.min_margin_region;
  r.psi_d_no_load_before_Wb = d.psi_d_no_load_before_Wb;
  r.psi_d_no_load_after_Wb = d.psi_d_no_load_after_Wb;
  r.flux_linkage_loss_pct = d.flux_linkage_loss_pct;
  r.back_emf_fundamental_loss_pct = d.back_emf_fundamental_loss_pct;
  r.torque_before_Nm = d.torque_before_Nm;
  r.torque_after_Nm = d.torque_after_Nm;
  r.torque_loss_pct = d.torque_loss_pct;
  size_t worst = 0;
  for (size_t k = 0; k < d.events.size(); ++k) {
    const auto& e = d.events[k];
    r.events.push_back({e.name, e.min_margin_A_per_m, e.worst_position_rad * 180 / kPi, e.solves});
    if (e.min_margin_A_per_m < d.events[worst].min_margin_A_per_m) worst = k;
  }
  r.worst_event = d.events[worst].name;
  if (d.onset_current_scale) r.onset_current_A = *d.onset_current_scale * current_magnitude(events[worst].load);
  r.onset_temperature_C = d.onset_temperature_C;
  r.notes = d.notes;
  for (const std::string& w : magnet.warnings(T)) r.notes.push_back(w);
  return r;
}

// The state per element with the damaged no-load field at 0 deg (`field`),
// as a results file under out_dir/demag; returns its path from out_dir.
std::string write_demag_field(const cases::Case& c, const kernels::Backend& backend, const std::string& out_dir,
                              const std::string& candidate, double T, const solver::DemagSetup& setup,
                              const solver::DemagSummary& d, const solver::PositionResult& field) {
  const size_t ne = setup.is_magnet.size();
  postproc::FieldData f = fields_for_output(field.solution);
  const mesh::Mesh& machine = field.machine.mesh;
  const size_t cells = machine.triangle_count();
  auto cell_array = [&](const std::string& name, const char* units, const std::vector<double>& base, double outside) {
    postproc::FieldData::CellArray a{name, units, std::vector<double>(cells, outside)};
    for (size_t t = 0; t < ne; ++t) a.values[t] = setup.is_magnet[t] ? base[t] : outside;
    f.extra_cells.push_back(std::move(a));
  };
  cell_array("demag_coef", "1", d.final_state.demag_coef, 1.0);
  cell_array("Br_eff", "T", d.final_state.remanence_T, 0.0);
  cell_array("margin", "A/m", d.final_state.margin, 0.0);
  cell_array("worst_h", "A/m", d.final_state.worst_h, 0.0);
  std::vector<double> hk(ne, 0.0);
  for (size_t t = 0; t < ne; ++t)
    if (setup.is_magnet[t]) hk[t] = setup.knee[t].knee_field_A_per_m();
  cell_array("knee_field", "A/m", hk, 0.0);
  for (const auto& e : d.events) {
    const std::string tag = file_label(e.name);
    cell_array("demag_coef_" + tag, "1", e.state.demag_coef, 1.0);
    cell_array("Br_eff_" + tag, "T", e.state.remanence_T, 0.0);
    cell_array("margin_" + tag, "A/m", e.state.margin, 0.0);
    cell_array("Hm_" + tag, "A/m", e.state.Hm, 0.0);
  }
  postproc::RunInfo info;
  info.case_name = c.name + " / " + candidate + " at " + fmt::format("{:g}", T) + " C";
  info.case_path = std::filesystem::absolute(c.path).string();
  info.resolved_case_toml = c.resolved_toml;
  info.backend = backend.name();
  info.order = machine.order;
  info.elements = cells;
  info.nodes = machine.node_count();
  info.dofs = field.solution.unknowns;
  info.newton_iterations = field.newton_iterations;
  info.converged = true;
  info.energy_J_per_m = field.solution.energy_J_per_m;
  info.temperature_C = T;
  const std::filesystem::path demag_dir = std::filesystem::path(out_dir) / "demag";
  std::filesystem::create_directories(demag_dir);
  const std::string file = file_label(c.name + "_" + candidate + "_" + fmt::format("{:g}", T) + "C") + ".hdf";
  postproc::write_results_hdf((demag_dir / file).string(), machine, f, info);
  return "demag/" + file;
}

// What the set-ups of one analyse_demagnetization call share: the load
// events, the rated load, the settings.
struct SharedAnalysis {
  std::vector<solver::DemagLoadEvent> events;
  std::optional<solver::StatorLoad> rated;
  solver::DemagSettings settings;
};

SharedAnalysis shared_analysis(const cases::Case& c) {
  const cases::DemagSpec& spec = c.demag;
  SharedAnalysis a;
  for (const cases::DemagEventSpec& e : spec.events) {
    solver::DemagLoadEvent ev;
    ev.name = e.name;
    ev.load = event_load(e);
    const std::vector<double>& degrees = e.positions_deg.empty() ? c.motor.positions_deg : e.positions_deg;
    for (double d : degrees) ev.positions_rad.push_back(d * kPi / 180);
    a.events.push_back(ev);
  }
  if (spec.rated_load_given) {
    solver::StatorLoad l;
    l.kind = solver::StatorLoad::Kind::dq;
    l.id_A = spec.rated_id_A;
    l.iq_A = spec.rated_iq_A;
    a.rated = l;
  }
  a.settings.loss_threshold = spec.loss_threshold;
  a.settings.find_onset = spec.find_onset;
  return a;
}

bool same_settings(const solver::DemagSettings& a, const solver::DemagSettings& b) {
  return a.max_state_iterations == b.max_state_iterations && a.state_tolerance == b.state_tolerance &&
         a.bisection_steps == b.bisection_steps && a.loss_threshold == b.loss_threshold &&
         a.onset_temperature_low_C == b.onset_temperature_low_C && a.find_onset == b.find_onset &&
         a.loss_positions_rad == b.loss_positions_rad;
}

// One case's side of a demagnetization run: its magnets, its candidates
// (each with its row of the table), its table.
struct CaseMagnets {
  const DemagCase* owner = nullptr;
  std::vector<char> magnet_region;  // per region of the mesh
  std::vector<char> is_magnet;      // per element
  std::vector<double> area;         // per element (magnets only)
  std::vector<CandidateRun> runs;
  postproc::DemagTable table;
};

CaseMagnets case_magnets(const DemagCase& dc, const cases::MaterialLibrary& library, const mesh::Mesh& m,
                         const MotorModel& model) {
  const cases::Case& c = *dc.c;
  const std::vector<cases::ResolvedRegion>& regions = *dc.regions;
  const cases::DemagSpec& spec = c.demag;
  CaseMagnets cm;
  cm.owner = &dc;
  cm.table.loss_threshold = spec.loss_threshold;
  const size_t ne = m.triangle_count();

  // Magnet regions and elements, their areas (the model's share of the rotor).
  cm.magnet_region.assign(m.regions.size(), 0);
  std::vector<mesh::MagnetizationHint> hints(m.regions.size());
  const cases::Material* bound = nullptr;
  for (size_t r = 0; r < m.regions.size(); ++r)
    if (regions[r].material && regions[r].material->kind == cases::Material::Kind::magnet) {
      cm.magnet_region[r] = 1;
      hints[r] = regions[r].magnetization;
      bound = regions[r].material;
    }
  if (!bound) throw solver::ProblemError("[demag]: no region of the mesh is bound to a magnet material");
  cm.is_magnet.assign(ne, 0);
  cm.area.assign(ne, 0.0);
  double magnet_area = 0;
  const int npe = m.nodes_per_triangle();
  for (size_t t = 0; t < ne; ++t) {
    if (!cm.magnet_region[m.triangle_region[t]]) continue;
    cm.is_magnet[t] = 1;
    const int* v = &m.triangles[t * npe];
    cm.area[t] = 0.5 * std::abs((m.x[v[1]] - m.x[v[0]]) * (m.y[v[2]] - m.y[v[0]]) -
                                (m.x[v[2]] - m.x[v[0]]) * (m.y[v[1]] - m.y[v[0]]));
    magnet_area += cm.area[t];
  }
  const double magnet_volume = magnet_area * c.motor.stack_length_m * model.copies;
  const std::vector<double> face_distance =
      gbd_face_distance(m, cm.magnet_region, hints, spec.gbd_faces == cases::DemagSpec::GbdFaces::all_faces);
  const cases::PriceScenario* prices = library.price_scenario(spec.price_scenario);

  std::vector<cases::DemagCandidateSpec> candidates = spec.candidates;
  if (candidates.empty()) {
    cases::DemagCandidateSpec only;
    only.name = bound->name;
    only.grade = bound->name;
    candidates.push_back(only);
  }
  cm.runs.reserve(candidates.size());
  for (const cases::DemagCandidateSpec& cs : candidates)
    cm.runs.push_back(candidate_run(c, cs, cm.is_magnet, face_distance, magnet_volume, prices));
  return cm;
}

// A candidate's set-up at temperature T: its case's regions with the magnets
// at T, a knee curve per magnet element (with its GBD gain). `cm` and `run`
// must outlive the set-up (its at_temperature refers to them).
solver::DemagSetup setup_at(const CaseMagnets& cm, const mesh::Mesh& m, const CandidateRun& run, double T) {
  solver::DemagSetup s;
  s.name = run.spec.name;
  s.temperature_C = T;
  s.regions = problem_from_case(*cm.owner->c, m, *cm.owner->regions).regions;
  const solver::MaterialSpec magnet_spec = material_at_temperature(run.cm.material, T);
  for (size_t r = 0; r < m.regions.size(); ++r)
    if (cm.magnet_region[r]) s.regions[r].material = magnet_spec;
  s.is_magnet = cm.is_magnet;
  s.volume_weight = cm.area;
  const size_t ne = cm.is_magnet.size();
  s.knee.assign(ne, solver::KneeCurve{});
  for (size_t t = 0; t < ne; ++t)
    if (cm.is_magnet[t]) s.knee[t] = run.magnet.at(T, run.gain[t]);
  s.at_temperature = [&cm, &m, &run](double T2) { return setup_at(cm, m, run, T2); };
  return s;
}

}  // namespace

std::vector<double> gbd_face_distance(const mesh::Mesh& m, const std::vector<char>& magnet_region,
                                      const std::vector<mesh::MagnetizationHint>& magnetization, bool all_faces) {
  const int npe = m.nodes_per_triangle();
  const size_t ne = m.triangle_count();
  // Outline edges of each magnet region: edges of its triangles used once.
  std::map<std::pair<int, int>, std::pair<int, int>> edge_use;  // (a, b) -> (count, region)
  for (size_t t = 0; t < ne; ++t) {
    const int r = m.triangle_region[t];
    if (!magnet_region[r]) continue;
    for (int k = 0; k < 3; ++k) {
      const int a = m.triangles[t * npe + k], b = m.triangles[t * npe + (k + 1) % 3];
      auto& use = edge_use[{std::min(a, b), std::max(a, b)}];
      use.first += 1;
      use.second = r;
    }
  }
  std::map<int, std::vector<std::pair<Point, Point>>> faces;  // region -> diffused face segments
  for (const auto& [edge, use] : edge_use) {
    if (use.first != 1) continue;  // inside the region
    const Point a{m.x[edge.first], m.y[edge.first]}, b{m.x[edge.second], m.y[edge.second]};
    bool diffused = all_faces;
    if (!diffused) {
      // Pole faces: the magnetization crosses them (normal within 45 degrees of m).
      const double tx = b.x - a.x, ty = b.y - a.y, len = std::hypot(tx, ty);
      const double nx = -ty / len, ny = tx / len;
      double mx = 0, my = 0;
      const mesh::MagnetizationHint& hint = magnetization[use.second];
      if (hint.kind == mesh::MagnetizationKind::parallel) {
        mx = std::cos(hint.angle_rad);
        my = std::sin(hint.angle_rad);
      } else if (hint.kind == mesh::MagnetizationKind::radial) {
        const double cx = 0.5 * (a.x + b.x), cy = 0.5 * (a.y + b.y), r = std::hypot(cx, cy);
        if (r > 0) mx = cx / r, my = cy / r;
      }
      diffused = std::abs(nx * mx + ny * my) > std::sqrt(0.5);
    }
    if (diffused) faces[use.second].push_back({a, b});
  }
  std::vector<double> d(ne, 0.0);
  for (size_t t = 0; t < ne; ++t) {
    const int r = m.triangle_region[t];
    if (!magnet_region[r]) continue;
    Point c{0, 0};
    for (int k = 0; k < 3; ++k) {
      c.x += m.x[m.triangles[t * npe + k]] / 3;
      c.y += m.y[m.triangles[t * npe + k]] / 3;
    }
    double best = std::numeric_limits<double>::infinity();
    for (const auto& [a, b] : faces[r]) best = std::min(best, segment_distance(c, a, b));
    d[t] = std::isfinite(best) ? best : 0.0;
  }
  return d;
}

bool demag_shared_by(const cases::Case& a, const cases::Case& b) {
  const SharedAnalysis x = shared_analysis(a), y = shared_analysis(b);
  if (x.events.size() != y.events.size() || x.rated.has_value() != y.rated.has_value()) return false;
  for (size_t k = 0; k < x.events.size(); ++k)
    if (x.events[k].name != y.events[k].name || !same_load(x.events[k].load, y.events[k].load) ||
        x.events[k].positions_rad != y.events[k].positions_rad)
      return false;
  return (!x.rated || same_load(*x.rated, *y.rated)) && same_settings(x.settings, y.settings);
}

std::vector<postproc::DemagTable> run_demag(const std::vector<DemagCase>& cases,
                                            const cases::MaterialLibrary& library, const mesh::Mesh& m,
                                            const MotorModel& model, const solver::MovingBand& band,
                                            const solver::MotorSweep& base_sweep, kernels::Backend& backend,
                                            bool quiet) {
  if (cases.empty()) return {};
  for (const DemagCase& dc : cases)
    if (!demag_shared_by(*cases.front().c, *dc.c))
      throw std::invalid_argument(fmt::format("run_demag: the [demag] events, rated load or settings of '{}' and "
                                              "'{}' differ; analyse them apart",
                                              cases.front().c->name, dc.c->name));
  const SharedAnalysis shared = shared_analysis(*cases.front().c);

  // Every candidate of every case at every temperature is one set-up; the
  // set-ups go through the analysis in lockstep, kSetupsPerBatch at a time,
  // so that each field solve is one batch of that many (what fills a GPU).
  // `magnets` is complete before any set-up refers to its elements.
  std::vector<CaseMagnets> magnets;
  magnets.reserve(cases.size());
  for (const DemagCase& dc : cases) magnets.push_back(case_magnets(dc, library, m, model));
  struct SetupAt {
    CaseMagnets* owner;
    CandidateRun* run;
    double temperature_C;
  };
  std::vector<SetupAt> all;
  for (CaseMagnets& cm : magnets)
    for (CandidateRun& run : cm.runs)
      for (double T : cm.owner->c->demag.temperatures_C) all.push_back({&cm, &run, T});
  const char* what = cases.size() > 1 ? "cases x candidates x temperatures" : "candidates x temperatures";

  for (size_t first = 0; first < all.size(); first += kSetupsPerBatch) {
    const size_t count = std::min(kSetupsPerBatch, all.size() - first);
    std::vector<solver::DemagSetup> setups;
    for (size_t k = first; k < first + count; ++k) {
      setups.push_back(setup_at(*all[k].owner, m, *all[k].run, all[k].temperature_C));
      postproc::DemagTable& table = all[k].owner->table;
      if (table.knee_definition.empty()) table.knee_definition = knee_definition(setups.back());
    }
    if (!quiet && all.size() > 1)
      fmt::print(stderr, "rotormag: demagnetization of set-ups {}-{} of {} ({}) together\n", first + 1,
                 first + count, all.size(), what);
    auto progress = [&](size_t k, const std::string& what_now) {
      const CandidateRun& run = *all[first + k].run;
      if (!quiet) fmt::print(stderr, "rotormag: {} ({}): {}\n", run.spec.name, run.cm.material.name, what_now);
    };
    const std::vector<solver::DemagSummary> results = solver::analyse_demagnetization(
        band, model.winding, setups, shared.events, shared.rated, base_sweep, shared.settings, backend, progress);

    // The damaged no-load field at 0 deg of every set-up, for its results file.
    solver::MotorSweep at0 = base_sweep;
    at0.positions_rad = {0.0};
    std::vector<solver::SweepVariant> damaged;
    for (size_t k = 0; k < count; ++k) {
      solver::SweepVariant v;
      v.regions = setups[k].regions;
      v.remanence_factor = results[k].final_state.demag_coef;
      v.name = setups[k].name + " at " + fmt::format("{:g}", setups[k].temperature_C) + " C, damaged";
      damaged.push_back(std::move(v));
    }
    const auto fields = solver::sweep_variants(band, damaged, model.winding, at0, backend);

    for (size_t k = 0; k < count; ++k) {
      const SetupAt& at = all[first + k];
      CandidateRun& run = *at.run;
      const double T = at.temperature_C;
      postproc::DemagRow r = demag_row(results[k], shared.events, run.magnet, T);
      r.results_file = write_demag_field(*at.owner->owner->c, backend, at.owner->owner->out_dir, run.spec.name, T,
                                         setups[k], results[k], fields[k].front());
      if (!quiet)
        fmt::print(stderr,
                   "rotormag: {} at {:g} C: {:.3g} % of the magnet volume below 99 % of Br, flux-linkage loss {:.3g} "
                   "%, minimum margin {:.4g} kA/m ({})\n",
                   run.spec.name, T, r.volume_pct_coef_below_099, r.flux_linkage_loss_pct, r.min_margin_A_per_m / 1e3,
                   r.min_margin_region);
      run.row.rows.push_back(std::move(r));
    }
  }
  std::vector<postproc::DemagTable> tables;
  for (CaseMagnets& cm : magnets) {
    for (CandidateRun& run : cm.runs) cm.table.candidates.push_back(std::move(run.row));
    tables.push_back(std::move(cm.table));
  }
  return tables;
}
}  // namespace rotormag::app

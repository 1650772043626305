#include "setup/demag_setup.hpp"

#include <cmath>

#include "setup/demag_table.hpp"
#include "setup/field_problem.hpp"
#include "setup/stator_load.hpp"
#include "solver/gbd_faces.hpp"

namespace rotormag::setup {

namespace {

const double kPi = std::acos(-1.0);

bool same_settings(const solver::DemagSettings& a, const solver::DemagSettings& b) {
  return a.max_state_iterations == b.max_state_iterations && a.state_tolerance == b.state_tolerance &&
         a.bisection_steps == b.bisection_steps && a.loss_threshold == b.loss_threshold &&
         a.onset_temperature_low_C == b.onset_temperature_low_C && a.find_onset == b.find_onset &&
         a.loss_positions_rad == b.loss_positions_rad;
}

}  // namespace

CaseMagnets case_magnets(const cases::Case& c, const std::vector<cases::ResolvedRegion>& regions,
                         const cases::MaterialLibrary& library, const mesh::Mesh& m, const MotorModel& model) {
  const cases::DemagSpec& spec = c.demag;
  CaseMagnets cm;
  cm.table.loss_threshold = spec.loss_threshold;
  const size_t ne = m.triangle_count();

  // Magnet regions and elements, their area (the model's share of the rotor).
  std::vector<char> magnet_region(m.regions.size(), 0);
  std::vector<mesh::MagnetizationHint> hints(m.regions.size());
  const cases::Material* bound = nullptr;
  for (size_t r = 0; r < m.regions.size(); ++r)
    if (regions[r].material && regions[r].material->kind == cases::Material::Kind::magnet) {
      magnet_region[r] = 1;
      hints[r] = regions[r].magnetization;
      bound = regions[r].material;
    }
  if (!bound) throw solver::ProblemError("[demag]: no region of the mesh is bound to a magnet material");
  double magnet_area = 0;
  const int npe = m.nodes_per_triangle();
  std::vector<char> is_magnet(ne, 0);
  for (size_t t = 0; t < ne; ++t) {
    if (!magnet_region[m.triangle_region[t]]) continue;
    is_magnet[t] = 1;
    const int* v = &m.triangles[t * npe];
    magnet_area += 0.5 * std::abs((m.x[v[1]] - m.x[v[0]]) * (m.y[v[2]] - m.y[v[0]]) -
                                  (m.x[v[2]] - m.x[v[0]]) * (m.y[v[1]] - m.y[v[0]]));
  }
  const double magnet_volume = magnet_area * c.motor.stack_length_m * model.copies;
  const std::vector<double> face_distance = solver::gbd_face_distance(
      m, magnet_region, hints, spec.gbd_faces == cases::DemagSpec::GbdFaces::all_faces ? solver::GbdFaces::all_faces
                                                                      : solver::GbdFaces::pole_faces);
  const cases::PriceScenario* prices = library.price_scenario(spec.price_scenario);
  const std::vector<solver::RegionSetup> base = problem_from_case(c, m, regions).regions;

  std::vector<cases::DemagCandidateSpec> candidates = spec.candidates;
  if (candidates.empty()) {
    cases::DemagCandidateSpec only;
    only.name = bound->name;
    only.grade = bound->name;
    candidates.push_back(only);
  }
  for (const cases::DemagCandidateSpec& cs : candidates) {
    CandidateRun run;
    run.spec = cs;
    run.cm = candidate_material(c, cs);
    auto candidate = std::make_shared<solver::DemagCandidate>();
    candidate->name = cs.name;
    candidate->magnet = magnet_model(run.cm.material);
    candidate->regions = base;
    candidate->magnet_region = magnet_region;
    // GBD: HcJ gain per element from its distance to the diffused faces.
    candidate->HcJ_gain_A_per_m.assign(ne, 0.0);
    if (candidate->magnet.gbd.present())
      for (size_t t = 0; t < ne; ++t)
        if (is_magnet[t]) candidate->HcJ_gain_A_per_m[t] = candidate->magnet.gbd_HcJ_gain_A_per_m(face_distance[t]);
    run.row = candidate_row(cs, run.cm, magnet_volume, prices);
    run.candidate = std::move(candidate);
    cm.runs.push_back(std::move(run));
  }
  return cm;
}

DemagAnalysis demag_analysis(const cases::Case& c) {
  const cases::DemagSpec& spec = c.demag;
  DemagAnalysis a;
  for (const cases::DemagEventSpec& e : spec.events) {
    solver::DemagLoadEvent ev;
    ev.name = e.name;
    ev.load = stator_load(e);
    const std::vector<double>& degrees = e.positions_deg.empty() ? c.motor.positions_deg : e.positions_deg;
    for (double d : degrees) ev.positions_rad.push_back(d * kPi / 180);
    a.events.push_back(ev);
  }
  a.rated = rated_load(spec);
  a.settings.loss_threshold = spec.loss_threshold;
  a.settings.find_onset = spec.find_onset;
  return a;
}

bool demag_shared_by(const cases::Case& a, const cases::Case& b) {
  const DemagAnalysis x = demag_analysis(a), y = demag_analysis(b);
  if (x.events.size() != y.events.size() || x.rated.has_value() != y.rated.has_value()) return false;
  for (size_t k = 0; k < x.events.size(); ++k)
    if (x.events[k].name != y.events[k].name || !same_load(x.events[k].load, y.events[k].load) ||
        x.events[k].positions_rad != y.events[k].positions_rad)
      return false;
  return (!x.rated || same_load(*x.rated, *y.rated)) && same_settings(x.settings, y.settings);
}

}  // namespace rotormag::setup

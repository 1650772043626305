#include "app/demag_run.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "postproc/results_file.hpp"
#include "setup/demag_setup.hpp"
#include "setup/demag_table.hpp"
#include "setup/result_fields.hpp"
#include "setup/run_info.hpp"
#include "solver/demagnetization.hpp"

namespace rotormag::app {

namespace {

// The state per element with the damaged no-load field at 0 deg (`field`),
// as a results file under out_dir/demag; returns its path from out_dir.
std::string write_demag_field(const cases::Case& c, const kernels::Backend& backend, const std::string& out_dir,
                              const std::string& candidate, double T, const solver::DemagSetup& setup,
                              const solver::DemagSummary& d, const solver::PositionResult& field) {
  const mesh::Mesh& machine = field.machine.mesh;
  const postproc::FieldData f = setup::demag_fields(setup, d, field.solution, machine.triangle_count());
  const std::string at = fmt::format("{:g}", T);
  const postproc::RunInfo info =
      setup::run_info(c, machine, field.solution, backend.name(), T, c.name + " / " + candidate + " at " + at + " C");
  const std::filesystem::path demag_dir = std::filesystem::path(out_dir) / "demag";
  std::filesystem::create_directories(demag_dir);
  const std::string file = setup::file_label(c.name + "_" + candidate + "_" + at + "C") + ".hdf";
  postproc::write_results_hdf((demag_dir / file).string(), machine, f, info);
  return "demag/" + file;
}

}  // namespace

std::vector<postproc::DemagTable> run_demag(const std::vector<DemagCase>& cases,
                                            const cases::MaterialLibrary& library, const mesh::Mesh& m,
                                            const setup::MotorModel& model, const solver::MovingBand& band,
                                            const solver::RotorPositions& positions, kernels::Backend& backend,
                                            bool quiet) {
  if (cases.empty()) return {};
  for (const DemagCase& dc : cases)
    if (!setup::demag_shared_by(*cases.front().c, *dc.c))
      throw std::invalid_argument(fmt::format("run_demag: the [demag] events, rated load or settings of '{}' and "
                                              "'{}' differ; analyse them apart",
                                              cases.front().c->name, dc.c->name));
  const setup::DemagAnalysis shared = setup::demag_analysis(*cases.front().c);

  // Every candidate of every case at every temperature is one set-up; the
  // set-ups go through the analysis in lockstep, kSetupsPerBatch at a time,
  // so that each field solve is one batch of that many (what fills a GPU).
  std::vector<setup::CaseMagnets> magnets;
  magnets.reserve(cases.size());
  for (const DemagCase& dc : cases) magnets.push_back(setup::case_magnets(*dc.c, *dc.regions, library, m, model));
  struct SetupAt {
    size_t owner;              // index in cases and magnets
    setup::CandidateRun* run;
    double temperature_C;
  };
  std::vector<SetupAt> all;
  for (size_t i = 0; i < magnets.size(); ++i)
    for (setup::CandidateRun& run : magnets[i].runs)
      for (double T : cases[i].c->demag.temperatures_C) all.push_back({i, &run, T});
  const char* what = cases.size() > 1 ? "cases x candidates x temperatures" : "candidates x temperatures";

  for (size_t first = 0; first < all.size(); first += setup::kSetupsPerBatch) {
    const size_t count = std::min(setup::kSetupsPerBatch, all.size() - first);
    std::vector<solver::DemagSetup> setups;
    for (size_t k = first; k < first + count; ++k) {
      setups.push_back(solver::demag_setup(m, all[k].run->candidate, all[k].temperature_C));
      postproc::DemagTable& table = magnets[all[k].owner].table;
      if (table.knee_definition.empty()) table.knee_definition = setup::knee_definition(setups.back());
    }
    if (!quiet && all.size() > 1)
      fmt::print(stderr, "rotormag: demagnetization of set-ups {}-{} of {} ({}) together\n", first + 1,
                 first + count, all.size(), what);
    auto progress = [&](size_t k, const std::string& what_now) {
      const setup::CandidateRun& run = *all[first + k].run;
      if (!quiet) fmt::print(stderr, "rotormag: {} ({}): {}\n", run.spec.name, run.cm.material.name, what_now);
    };
    const std::vector<solver::DemagSummary> results = solver::analyse_demagnetization(
        band, model.winding, setups, shared.events, shared.rated, positions, shared.settings, backend, progress);

    // The damaged no-load field at 0 deg of every set-up, for its results file.
    solver::RotorPositions at0 = positions;
    at0.positions_rad = {0.0};
    std::vector<solver::MachineVariant> damaged;
    for (size_t k = 0; k < count; ++k) {
      solver::MachineVariant v;
      v.regions = setups[k].regions;
      v.remanence_factor = results[k].final_state.demag_coef;
      v.name = setups[k].name + " at " + fmt::format("{:g}", setups[k].temperature_C) + " C, damaged";
      damaged.push_back(std::move(v));
    }
    const auto fields = solver::solve_variants(band, damaged, model.winding, at0, backend);

    for (size_t k = 0; k < count; ++k) {
      const SetupAt& at = all[first + k];
      setup::CandidateRun& run = *at.run;
      const double T = at.temperature_C;
      postproc::DemagRow r = setup::demag_row(results[k], shared.events, run.candidate->magnet, T);
      r.magnet_curve = setup::magnet_curve(setups[k]);
      r.results_file = write_demag_field(*cases[at.owner].c, backend, cases[at.owner].out_dir, run.spec.name, T,
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
  for (setup::CaseMagnets& cm : magnets) {
    for (setup::CandidateRun& run : cm.runs) cm.table.candidates.push_back(std::move(run.row));
    tables.push_back(std::move(cm.table));
  }
  return tables;
}

}  // namespace rotormag::app

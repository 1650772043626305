#pragma once
// A sweep: one motor case (the base) run for every combination of candidate
// magnets, magnet temperatures, load events and geometry variants
// (docs/sweeps.md). Each combination is a *sweep case*: the base case with
// its [demag] table narrowed to that candidate, temperature and event (over
// the sweep's rotor positions) and the geometry keys set, kept as the TOML
// text of a complete case file, so that a sweep case runs exactly like
// `rotormag run` on that text. Cases with the same geometry share one mesh
// (a *group*).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cases/case.hpp"

namespace rotormag::cases {

// A geometry key of the base case (dotted path, e.g.
// "mesh.motor.rotor.interior_v.magnet_thickness_mm") and its value.
using GeometrySetting = std::pair<std::string, double>;

struct SweepCase {
  int index = 0;                         // plan order
  std::string id;                        // "c0007": directory and array prefix
  int group = 0;                         // geometry variant (shares the mesh)
  std::string candidate;                 // [[demag.candidate]] name
  double temperature_C = 0;              // magnet temperature
  std::string event;                     // [[demag.event]] name
  std::string motor_run_magnet;          // the magnet material of the case's motor run: the
                                         // candidate's grade (a composition: its base grade)
  std::string case_toml;                 // the complete case file
  double cost_units = 0;                 // relative cost (solves), see estimate_cost_units
};

struct SweepGroup {
  std::vector<GeometrySetting> geometry;  // empty: the base geometry
  std::vector<int> cases;                 // indices into Sweep::cases
};

struct Sweep {
  std::string name;
  std::string path;                      // the sweep file
  std::string base_case_path;            // resolved (absolute)
  std::vector<std::string> candidates;
  std::vector<double> temperatures_C;
  std::vector<std::string> events;
  std::vector<double> positions_deg;     // rotor positions of every load event
  std::vector<std::string> geometry_keys;
  bool find_onset = true;                // the base case's [demag] find_onset (the cost model)
  std::vector<SweepGroup> groups;
  std::vector<SweepCase> cases;
  std::string fingerprint;               // 16 hex digits over every case's text: one sweep per output directory
};

// Reads a sweep file: [sweep] with base_case (relative to the sweep file),
// magnet_temperatures_C, rotor_positions_deg, candidates/events (names of
// the base's [[demag.candidate]]/[[demag.event]], default all) plus
// [[sweep.candidate]] / [[sweep.event]] tables (the keys of the case file's
// [[demag.candidate]] / [[demag.event]]) and [sweep.geometry] (base key ->
// list of values). Every generated case is validated like a case file.
// Throws CaseError with every problem, positioned in the sweep file (or, for
// a generated case, naming the case and the candidate/event it came from).
Sweep load_sweep(const std::string& path, const MaterialLibrary& library);

// Solves a sweep case needs: settling per event position, the loss
// re-solves and the onset bisection (docs/sweeps.md); times the unknowns
// gives the cost model's units.
double solves_per_case(const Sweep& s);

// FNV-1a 64 of text, as 16 hex digits (stable across builds and machines).
std::string fingerprint_of(const std::string& text);

}  // namespace rotormag::cases

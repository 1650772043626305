#pragma once
// Reading one material table (library files and a case's own [materials]).
// Internal to cases/.

#include <optional>
#include <string>

#include "cases/materials.hpp"
#include "cases/toml_reader.hpp"

namespace rotormag::cases::detail {

// Above this a sintered NdFeB remanence is not physical (the best grades reach
// about 1.5 T; saturation polarization of Nd2Fe14B is 1.6 T).
constexpr double max_remanence_T = 1.6;

// Reads `[name]` with its `kind`, `source`, `note` and values (units in key
// names), converts to SI and checks ranges. Issues go to the table's log.
std::optional<Material> read_material(TableReader& reader, const std::string& name);

// Reads every top-level table of a parsed library file into `library`.
void read_material_file(IssueLog& log, const toml::table& root, MaterialLibrary& library);

// Reads one price scenario table (`currency`, `source`, `note`, and one
// subtable per element: Tb and Dy required; PrNd, Nd, Ce optional; keys in
// docs/case-file.md, "Price scenarios"). Used for cases/materials/prices.toml
// and for a case's own scenario tables.
std::optional<PriceScenario> read_price_scenario(TableReader& reader, const std::string& name);

// prices.toml: `default_scenario = "NAME"` and one table per scenario.
void read_price_file(IssueLog& log, const toml::table& root, MaterialLibrary& library);

}  // namespace rotormag::cases::detail

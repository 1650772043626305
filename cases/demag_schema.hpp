#pragma once
// The [demag] part of the case-file schema: reading (demag_case.cpp, called
// from case_file.cpp) and its resolved TOML (called from resolved_case.cpp).
// docs/case-file.md, "[demag]", describes the schema. Internal to cases/.

#include <set>
#include <string>

#include <toml++/toml.h>

#include "cases/case.hpp"
#include "cases/toml_reader.hpp"

namespace rotormag::cases::detail {

// Limits of the demag schema (docs/case-file.md).
inline constexpr double kMinDemagTemperature_C = -60.0;
inline constexpr double kMaxDemagTemperature_C = 300.0;
inline constexpr double kMaxDemagCurrent_A = 1e6;
inline constexpr int kMaxDemagPositions = 10000;   // as [motor.positions]

// [demag] (marks `demag` and `price_scenarios` known in `root_reader`, the
// reader of the whole file): fills c.demag and adds every candidate's
// material (its grade, or the base of a composition) to c.materials.
// Magnet names resolve in the case's own materials (`local`; names in
// `declared_local` that failed their own checks are not reported again) and
// then in `library`, which also holds the price scenarios. Compositions are
// checked with cases::compose(). Call after read_motor (it tells whether
// [motor] is there).
void read_demag(TableReader& root_reader, const toml::table& root, const MaterialLibrary& library,
                const MaterialLibrary& local, const std::set<std::string>& declared_local, Case& c);

// The resolved TOML of [demag] (c.demag.present): every default filled in;
// an event's positions only when it gives its own.
toml::table demag_table(const Case& c);

}  // namespace rotormag::cases::detail

#pragma once
// What the readers of [mesh.motor] (mesh_motor_reader.cpp) and [motor]
// (motor_reader.cpp, motor_winding.cpp) share: the schema's value checks with
// their messages, and where an issue about a key is shown. Internal to cases/.

#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "cases/case.hpp"
#include "cases/spellings.hpp"
#include "cases/toml_reader.hpp"

namespace rotormag::cases::detail {

inline constexpr double mm = 1e-3;
// Lengths in the file: 1 nm .. 1 km (so that mm -> m -> mm stays exact and
// tiny numbers do not underflow to 0).
inline constexpr double kMinLength_mm = 1e-6, kMaxLength_mm = 1e6;

// A string from a fixed set. Returns false when the key is given but not valid.
template <typename E>
bool read_choice(TableReader& r, const char* key, const char* what, const Choices<E>& choices, E& out) {
  if (!r.has(key)) {
    r.raw(key);
    return true;
  }
  auto s = r.string(key);
  if (!s) return false;
  std::vector<std::string> names;
  std::string list;
  for (const auto& [value, name] : choices) {
    if (*s == name) {
      out = value;
      return true;
    }
    names.push_back(name);
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  r.invalid(key, "unknown " + std::string(what) + " '" + *s + "' (" + list + ")" + did_you_mean(*s, names));
  return false;
}

// An integer in [lo, hi]; `rule` says why, for the message.
std::optional<int> read_count(TableReader& r, const char* key, long long lo, long long hi, const std::string& rule,
                              bool required = false);

// A number of poles: even, in [2, kMaxMotorPoles].
std::optional<int> read_poles(TableReader& r, const char* key, bool required = false);

// A length in mm: > 0 (or >= 0 with `zero_ok`), within [1 nm, 1 km].
std::optional<double> read_length_mm(TableReader& r, const char* key, bool zero_ok, const char* zero_meaning = "",
                                     bool required = false);

// A finite number.
std::optional<double> read_finite(TableReader& r, const char* key, bool required = false);

// Position of the value at `dotted`, else of the nearest table above it that
// the file writes, else 1:1.
SourcePosition position_at(const IssueLog& log, const toml::table& root, const std::string& dotted);

// Whether an issue was recorded at one of `keys`, or below one of `prefixes`.
bool issue_at(IssueLog& log, const std::vector<std::string>& keys, const std::vector<std::string>& prefixes);

// Designs the winding of [motor] (motor_winding.cpp) from winding_spec(c.motor),
// after filling a template's slots, poles and layers in; resolves the coil
// pitch; sets the sector (template) or checks the given one (.msh, when
// `check_sector`: sector_deg and antiperiodic were read without error).
// Issues at the keys of `root`.
void design_winding(IssueLog& log, const toml::table& root, bool is_template, bool check_sector, TableReader& motor,
                    Case& c);

}  // namespace rotormag::cases::detail

// The value checks and issue positions the motor readers share
// (motor_reading.hpp).
#include "cases/motor_reading.hpp"

#include <cmath>

#include "cases/motor_schema.hpp"

namespace rotormag::cases::detail {

std::optional<int> read_count(TableReader& r, const char* key, long long lo, long long hi, const std::string& rule,
                              bool required) {
  auto v = r.integer(key, required);
  if (!v) return std::nullopt;
  if (*v < lo || *v > hi) {
    r.invalid(key, rule + ", got " + std::to_string(*v));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<int> read_poles(TableReader& r, const char* key, bool required) {
  auto v = r.integer(key, required);
  if (!v) return std::nullopt;
  if (*v < 2 || *v % 2 != 0 || *v > kMaxMotorPoles) {
    r.invalid(key, "number of poles must be even, >= 2 and <= " + std::to_string(kMaxMotorPoles) + ", got " +
                       std::to_string(*v));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<double> read_length_mm(TableReader& r, const char* key, bool zero_ok, const char* zero_meaning,
                                     bool required) {
  auto v = r.number(key, required);
  if (!v) return std::nullopt;
  const std::string rule = zero_ok ? std::string(">= 0 mm") + zero_meaning : "> 0 mm";
  if (!(zero_ok ? *v >= 0 : *v > 0)) {
    r.invalid(key, "length must be " + rule + ", got " + fmt_number(*v));
    return std::nullopt;
  }
  if (!(*v == 0 || (*v >= kMinLength_mm && *v <= kMaxLength_mm))) {
    r.invalid(key, "length must be " + std::string(zero_ok ? "0 or " : "") + "between " + fmt_number(kMinLength_mm) +
                       " and " + fmt_number(kMaxLength_mm) + " mm, got " + fmt_number(*v));
    return std::nullopt;
  }
  return *v;
}

std::optional<double> read_finite(TableReader& r, const char* key, bool required) {
  auto v = r.number(key, required);
  if (!v) return std::nullopt;
  if (!std::isfinite(*v)) {
    r.invalid(key, "must be a finite number, got " + fmt_number(*v));
    return std::nullopt;
  }
  return v;
}

SourcePosition position_at(const IssueLog& log, const toml::table& root, const std::string& dotted) {
  for (std::string path = dotted; !path.empty();) {
    if (const toml::node* node = root.at_path(path).node())
      if (node->source().begin.line > 0) return log.position(*node);
    const auto dot = path.rfind('.');
    path = dot == std::string::npos ? "" : path.substr(0, dot);
  }
  return SourcePosition{log.file(), 1, 1};
}

bool issue_at(IssueLog& log, const std::vector<std::string>& keys, const std::vector<std::string>& prefixes) {
  for (const CaseIssue& issue : log.issues()) {
    for (const auto& k : keys)
      if (issue.key_path == k) return true;
    for (const auto& p : prefixes)
      if (issue.key_path == p || issue.key_path.rfind(p + ".", 0) == 0 || issue.key_path.rfind(p + "[", 0) == 0)
        return true;
  }
  return false;
}

}  // namespace rotormag::cases::detail

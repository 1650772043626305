// Positioned case-file problems: `file:line:col: key.path: message`, the form
// compilers use, so editors and terminals make them clickable.
#include <sstream>

#include "cases/case.hpp"

namespace rotormag::cases {

std::string CaseIssue::format() const {
  std::ostringstream out;
  out << where.file;
  if (where.line > 0) {
    out << ':' << where.line;
    if (where.column > 0) out << ':' << where.column;
  }
  out << ": ";
  if (!key_path.empty()) out << key_path << ": ";
  out << message;
  return out.str();
}

namespace {
std::string join_issues(const std::vector<CaseIssue>& issues) {
  std::ostringstream out;
  if (issues.size() > 1) out << issues.size() << " problems:\n";
  for (std::size_t i = 0; i < issues.size(); ++i) {
    if (i) out << '\n';
    out << issues[i].format();
  }
  return out.str();
}
}  // namespace

CaseError::CaseError(std::vector<CaseIssue> issues)
    : std::runtime_error(join_issues(issues)), issues_(std::move(issues)) {}

}  // namespace rotormag::cases

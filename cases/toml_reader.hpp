#pragma once
// Typed reading of toml++ tables that records problems instead of throwing,
// so that one pass over a case file reports every problem with its position.
// Internal to cases/ (not installed, not used by other layers).

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "cases/case.hpp"

namespace rotormag::cases::detail {

// Collects issues for one file.
class IssueLog {
 public:
  explicit IssueLog(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  SourcePosition position(const toml::source_region& region) const;
  SourcePosition position(const toml::node& node) const { return position(node.source()); }
  void add(SourcePosition where, std::string key_path, std::string message);
  void add(const toml::node& node, std::string key_path, std::string message) {
    add(position(node), std::move(key_path), std::move(message));
  }
  bool empty() const { return issues_.empty(); }
  std::vector<CaseIssue>& issues() { return issues_; }
  // Throws CaseError when anything was recorded.
  void throw_if_any() const;

 private:
  std::string file_;
  std::vector<CaseIssue> issues_;
};

// "int", "a string", ... for "expected X, got Y" messages.
std::string describe_type(const toml::node& node);

// Shortest round-trip text of a number, for messages.
std::string fmt_number(double v);

// Edit distance (optimal string alignment); a suggestion is offered when it is small compared
// with the length of the word (typos, not different words).
std::size_t edit_distance(std::string_view a, std::string_view b);
std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string>& names);
// "; did you mean 'x'?" or "".
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& names);

// Reads one table. Every getter marks its key as known; finish() reports the
// keys nobody asked for, with the closest known key as suggestion.
class TableReader {
 public:
  TableReader(IssueLog& log, const toml::table& table, std::string path);

  const std::string& path() const { return path_; }
  std::string child(std::string_view key) const;
  SourcePosition where() const { return log_.position(table_); }
  const toml::table& table() const { return table_; }
  bool has(std::string_view key) const { return table_.contains(key); }
  IssueLog& log() { return log_; }

  // Getters: nullopt when absent (an issue if required) or of the wrong type.
  // Integers are accepted where a number is expected.
  std::optional<double> number(std::string_view key, bool required = false);
  std::optional<long long> integer(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key, bool required = false);
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<std::vector<double>> numbers(std::string_view key, bool required = false);
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required = false);
  const toml::table* subtable(std::string_view key, bool required = false);
  const toml::array* tables(std::string_view key, bool required = false);  // array of tables
  // Marks the key known and returns the raw node (for values of several shapes).
  const toml::node* raw(std::string_view key);

  // Records a problem with the value of `key` (at the value, else at the table).
  void invalid(std::string_view key, std::string message);
  void missing(std::string_view key);

  // Reports unknown keys. Call after all getters.
  void finish();

 private:
  const toml::node* fetch(std::string_view key, bool required);
  void wrong_type(std::string_view key, const toml::node& node, std::string_view expected);

  IssueLog& log_;
  const toml::table& table_;
  std::string path_;
  std::vector<std::string> known_;
};

}  // namespace rotormag::cases::detail

// Typed TOML getters with positioned issues; see toml_reader.hpp.
#include "cases/toml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace rotormag::cases::detail {

SourcePosition IssueLog::position(const toml::source_region& region) const {
  return SourcePosition{file_, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

void IssueLog::add(SourcePosition where, std::string key_path, std::string message) {
  issues_.push_back(CaseIssue{std::move(where), std::move(key_path), std::move(message)});
}

void IssueLog::throw_if_any() const {
  if (issues_.empty()) return;
  // Sorted by position so that the report reads top to bottom, as the file.
  auto sorted = issues_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const CaseIssue& a, const CaseIssue& b) {
    if (a.where.file != b.where.file) return a.where.file < b.where.file;
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
  throw CaseError(std::move(sorted));
}

std::string describe_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return node.as_array()->is_array_of_tables() && !node.as_array()->empty()
                                            ? "an array of tables" : "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

std::string fmt_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and
  // transpositions of neighbours ('N24SH' is one typo from 'N42SH'), case-blind.
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& name : names) {
    const std::size_t d = edit_distance(wrong, name);
    if (!best || d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  // A third of the length (at least 2): 'temprature_C' and 'N42HS' get a hint,
  // an unrelated word does not.
  const std::size_t limit = std::max<std::size_t>(2, wrong.size() / 3);
  if (best && best_distance <= limit) return best;
  return std::nullopt;
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& names) {
  auto best = closest_name(wrong, names);
  return best ? "; did you mean '" + *best + "'?" : std::string();
}

TableReader::TableReader(IssueLog& log, const toml::table& table, std::string path)
    : log_(log), table_(table), path_(std::move(path)) {}

std::string TableReader::child(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::fetch(std::string_view key, bool required) {
  known_.emplace_back(key);
  const toml::node* node = table_.get(key);
  if (!node && required) missing(key);
  return node;
}

void TableReader::missing(std::string_view key) {
  log_.add(where(), child(key), "missing required key '" + std::string(key) + "'");
}

void TableReader::wrong_type(std::string_view key, const toml::node& node, std::string_view expected) {
  log_.add(node, child(key), "expected " + std::string(expected) + ", got " + describe_type(node));
}

void TableReader::invalid(std::string_view key, std::string message) {
  const toml::node* node = table_.get(key);
  log_.add(node ? log_.position(*node) : where(), child(key), std::move(message));
}

std::optional<double> TableReader::number(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return std::nullopt;
  if (auto v = node->as_floating_point()) return v->get();
  if (auto v = node->as_integer()) return static_cast<double>(v->get());
  wrong_type(key, *node, "a number");
  return std::nullopt;
}

std::optional<long long> TableReader::integer(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return std::nullopt;
  if (auto v = node->as_integer()) return v->get();
  wrong_type(key, *node, "an integer");
  return std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return std::nullopt;
  if (auto v = node->as_boolean()) return v->get();
  wrong_type(key, *node, "a boolean (true or false)");
  return std::nullopt;
}

std::optional<std::string> TableReader::string(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return std::nullopt;
  if (auto v = node->as_string()) return v->get();
  wrong_type(key, *node, "a string");
  return std::nullopt;
}

std::optional<std::vector<double>> TableReader::numbers(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return std::nullopt;
  const toml::array* array = node->as_array();
  if (!array) {
    wrong_type(key, *node, "an array of numbers");
    return std::nullopt;
  }
  std::vector<double> values;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    if (auto v = item.as_floating_point()) values.push_back(v->get());
    else if (auto v = item.as_integer()) values.push_back(static_cast<double>(v->get()));
    else {
      log_.add(item, child(key) + "[" + std::to_string(i) + "]", "expected a number, got " + describe_type(item));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return values;
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return std::nullopt;
  const toml::array* array = node->as_array();
  if (!array) {
    wrong_type(key, *node, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    if (auto v = item.as_string()) values.push_back(v->get());
    else {
      log_.add(item, child(key) + "[" + std::to_string(i) + "]", "expected a string, got " + describe_type(item));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return values;
}

const toml::table* TableReader::subtable(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return nullptr;
  if (auto t = node->as_table()) return t;
  wrong_type(key, *node, "a table");
  return nullptr;
}

const toml::array* TableReader::tables(std::string_view key, bool required) {
  const toml::node* node = fetch(key, required);
  if (!node) return nullptr;
  const toml::array* array = node->as_array();
  if (array && array->empty()) return array;  // the caller says why empty is wrong
  if (!array || !array->is_array_of_tables()) {
    wrong_type(key, *node, "an array of tables ([[" + std::string(key) + "]])");
    return nullptr;
  }
  return array;
}

const toml::node* TableReader::raw(std::string_view key) { return fetch(key, false); }

void TableReader::finish() {
  for (auto&& [key, node] : table_) {
    const std::string name(key.str());
    if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
    log_.add(log_.position(key.source()), child(name),
             "unknown key '" + name + "'" + did_you_mean(name, known_));
  }
}

}  // namespace rotormag::cases::detail

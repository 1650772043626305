#include "mesh/msh_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace rotormag::mesh::msh {

namespace {

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::string excerpt(std::string_view text) {
  std::string out;
  for (char ch : text.substr(0, 40)) out += (ch >= 32 && ch < 127) ? ch : '?';
  return text.size() > 40 ? out + "..." : out;
}

MshText::MshText(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  if (std::filesystem::is_directory(path_, ec)) fail("is a directory, not a mesh file");
  std::ifstream in(path_, std::ios::binary);
  if (!in.good()) fail("cannot open the mesh file (missing or unreadable)");
  data_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) fail("reading the mesh file failed");
  std::size_t start = 0;
  while (start <= data_.size()) {
    std::size_t end = data_.find('\n', start);
    if (end == std::string::npos) end = data_.size();
    lines_.push_back(trimmed(std::string_view(data_).substr(start, end - start)));
    start = end + 1;
  }
  bool blank = true;
  for (auto l : lines_) blank = blank && l.empty();
  if (blank) fail("the mesh file is empty");
}

void MshText::fail(std::size_t line, const std::string& why) const {
  throw MeshError(fmt::format("{}:{}: {}", path_, line_number(line), why));
}

void MshText::fail(const std::string& why) const { throw MeshError(fmt::format("{}: {}", path_, why)); }

void MshText::expect_mesh_format_first() const {
  if (lines_.front() != "$MeshFormat" || data_.front() != '$')
    fail(0, fmt::format("not a Gmsh .msh file: it must start with $MeshFormat, found '{}' (Gmsh and GetDP read "
                        "anything else as a .geo script, so RotorMag does not read it as a mesh)",
                        excerpt(lines_.front())));
}

std::vector<Section> MshText::sections() const {
  std::vector<Section> out;
  std::size_t i = 0;
  while (i < lines_.size()) {
    const std::string_view l = lines_[i];
    if (l.empty()) {
      ++i;
      continue;
    }
    if (l.front() != '$') fail(i, fmt::format("'{}' outside any $Section", excerpt(l)));
    if (l.rfind("$End", 0) == 0) fail(i, fmt::format("{} without a matching ${}", excerpt(l), excerpt(l.substr(4))));
    Section s;
    s.name = std::string(l.substr(1));
    s.header = i;
    s.first = i + 1;
    const std::string end_marker = "$End" + s.name;
    std::size_t j = s.first;
    for (; j < lines_.size(); ++j) {
      const std::string_view body = lines_[j];
      if (body.empty() || body.front() != '$') continue;
      if (body == end_marker) break;
      if (s.name == "Comments") continue;  // free text may hold '$'
      fail(j, fmt::format("section ${} (line {}) is not closed by {} before '{}'", s.name, line_number(i), end_marker,
                          excerpt(body)));
    }
    if (j == lines_.size())
      fail(lines_.size() - 1, fmt::format("the file ends inside section ${} (opened at line {}): the file is truncated",
                                          s.name, line_number(i)));
    s.last = j;
    out.push_back(std::move(s));
    i = j + 1;
  }
  return out;
}

std::string_view LineTokens::next_token(const char* what) {
  std::size_t k = 0;
  while (k < rest_.size() && is_blank(rest_[k])) ++k;
  rest_.remove_prefix(k);
  if (rest_.empty()) fail(fmt::format("the line ends before the {}", what));
  k = 0;
  while (k < rest_.size() && !is_blank(rest_[k])) ++k;
  const std::string_view token = rest_.substr(0, k);
  rest_.remove_prefix(k);
  while (!rest_.empty() && is_blank(rest_.front())) rest_.remove_prefix(1);
  return token;
}

unsigned long long LineTokens::next_count(const char* what) {
  const std::string_view t = next_token(what);
  unsigned long long v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size())
    fail(fmt::format("expected the {} (a non-negative integer), found '{}'", what, excerpt(t)));
  return v;
}

long long LineTokens::next_int(const char* what) {
  const std::string_view t = next_token(what);
  long long v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size())
    fail(fmt::format("expected the {} (an integer), found '{}'", what, excerpt(t)));
  return v;
}

double LineTokens::next_double(const char* what) {
  const std::string_view t = next_token(what);
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  // Out-of-range values (1e999) are refused like garbage; "nan"/"inf" parse
  // and are caught by the mesh quality check, which names the node.
  if (ec != std::errc() || end != t.data() + t.size())
    fail(fmt::format("expected the {} (a number), found '{}'", what, excerpt(t)));
  return v;
}

std::string LineTokens::next_quoted(const char* what) {
  while (!rest_.empty() && is_blank(rest_.front())) rest_.remove_prefix(1);
  if (rest_.empty() || rest_.front() != '"') fail(fmt::format("expected the {} in double quotes", what));
  const auto close = rest_.find('"', 1);
  if (close == std::string_view::npos) fail(fmt::format("the {} has no closing '\"'", what));
  std::string value(rest_.substr(1, close - 1));
  rest_.remove_prefix(close + 1);
  while (!rest_.empty() && is_blank(rest_.front())) rest_.remove_prefix(1);
  return value;
}

void LineTokens::expect_end(const char* after) {
  if (!rest_.empty()) fail(fmt::format("unexpected '{}' after the {}", excerpt(rest_), after));
}

}  // namespace rotormag::mesh::msh

#pragma once
// The text of an ASCII .msh file as numbered lines and $Sections, and a
// small tokenizer for one line. Every failure is a MeshError positioned as
// "path:line: ...". Used by msh_reader.cpp only; kept apart so that the
// reader reads as the file format and not as string handling.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mesh/mesh.hpp"

namespace rotormag::mesh::msh {

// A $Name ... $EndName block: `first`..`last` are indices into
// MshText::lines of the body (the lines between the two markers).
struct Section {
  std::string name;
  std::size_t header = 0;  // index of the $Name line
  std::size_t first = 0, last = 0;  // body: [first, last)
};

class MshText {
 public:
  // Reads the whole file. Throws MeshError for a missing, unreadable or
  // empty file and for a directory.
  explicit MshText(std::string path);

  const std::string& path() const { return path_; }
  std::size_t line_count() const { return lines_.size(); }
  // Line i (0-based) without leading/trailing blanks and '\r'.
  std::string_view line(std::size_t i) const { return lines_[i]; }
  int line_number(std::size_t i) const { return static_cast<int>(i) + 1; }

  // Fails unless the first line is $MeshFormat (Gmsh itself decides "mesh or
  // .geo script" from the first bytes, so a file that Gmsh and GetDP would
  // not read as a mesh is not read here either).
  void expect_mesh_format_first() const;

  // Splits the file into sections. Every $Name closes with $EndName before
  // the next $ line (except in $Comments); nothing but blank lines stands
  // between sections.
  std::vector<Section> sections() const;

  [[noreturn]] void fail(std::size_t line, const std::string& why) const;
  [[noreturn]] void fail(const std::string& why) const;  // not tied to a line

 private:
  std::string path_;
  std::string data_;
  std::vector<std::string_view> lines_;
};

// A printable excerpt of at most 40 characters (binary garbage stays readable).
std::string excerpt(std::string_view text);

// Reads whitespace-separated numbers (and one quoted string) from one line.
class LineTokens {
 public:
  LineTokens(const MshText& text, std::size_t line) : text_(text), line_(line), rest_(text.line(line)) {}

  // `what` names the value in the error message ("number of nodes").
  unsigned long long next_count(const char* what);  // non-negative integer
  long long next_int(const char* what);
  double next_double(const char* what);
  std::string next_quoted(const char* what);  // "text"
  std::string_view next_word(const char* what) { return next_token(what); }
  bool at_end() const { return rest_.empty(); }
  // Fails unless the line has been read completely.
  void expect_end(const char* after);
  [[noreturn]] void fail(const std::string& why) const { text_.fail(line_, why); }

 private:
  std::string_view next_token(const char* what);
  const MshText& text_;
  std::size_t line_;
  std::string_view rest_;
};

}  // namespace rotormag::mesh::msh

// .msh import (any version Gmsh reads) and .msh 4.1 export through a discrete
// Gmsh model, so that physical names are written the way Gmsh and GetDP expect.

#include <gmsh.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <set>
#include <utility>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/gmsh_session.hpp"
#include "mesh/quality.hpp"
#include "mesh/templates.hpp"

namespace rotormag::mesh {

namespace {

std::string trimmed(std::string line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

// A printable excerpt of a line for messages (binary garbage stays readable).
std::string excerpt(const std::string& line) {
  std::string out;
  for (char ch : line.substr(0, 40)) out += (ch >= 32 && ch < 127) ? ch : '?';
  return line.size() > 40 ? out + "..." : out;
}

// Gmsh allocates what the headers of $Nodes and $Elements claim (a header
// claiming 4e9 nodes asked for 64 GB). Every count must fit in the lines
// the section really has, and tags must stay within a sane multiple of them.
// `lines`: the section's non-blank lines; `first`: the line number of $Section.
void check_counts(const std::string& path, const std::string& section, const std::string& version,
                  const std::vector<std::string>& lines, int first) {
  auto fail = [&](std::size_t at, const std::string& why) {
    throw MeshError(fmt::format("{}:{}: ${}: {} (the section has {} lines)", path, first + 1 + static_cast<int>(at),
                                section, why, lines.size()));
  };
  auto numbers = [&](std::size_t at, std::size_t count) {
    if (at >= lines.size()) fail(at, "a block header is missing: the section ends early");
    std::istringstream in(lines[at]);
    std::vector<long double> v(count);
    for (auto& x : v)
      if (!(in >> x) || x < 0) fail(at, fmt::format("expected {} non-negative numbers, found '{}'", count,
                                                    excerpt(lines[at])));
    return v;
  };
  const long double available = static_cast<long double>(lines.size());
  const long double tag_limit = 64 * available + 1e6;  // sparse tags are fine, absurd ones are not
  if (version.rfind("2.", 0) == 0) {  // MSH 2: a count, then one line per entity
    const auto n = numbers(0, 1)[0];
    if (n > available - 1) fail(0, fmt::format("claims {} entries", static_cast<double>(n)));
    return;
  }
  if (version == "4.0") {  // numBlocks numEntities, blocks of one line per entity
    const auto h = numbers(0, 2);
    if (h[1] > available || h[0] > available) fail(0, fmt::format("claims {} entries", static_cast<double>(h[1])));
    return;
  }
  // MSH 4.1: numBlocks numEntities minTag maxTag, then blocks
  const auto h = numbers(0, 4);
  if (h[1] > available || h[0] > available) fail(0, fmt::format("claims {} entries in {} blocks",
                                                                 static_cast<double>(h[1]), static_cast<double>(h[0])));
  if (h[3] > tag_limit) fail(0, fmt::format("claims a largest tag of {}", static_cast<double>(h[3])));
  std::size_t at = 1;
  for (long double b = 0; b < h[0]; ++b) {
    const auto block = numbers(at, 4);  // Nodes: dim tag parametric n; Elements: dim tag type n
    const long double n = block[3];
    // A node block holds n tag lines and n coordinate lines; an element block n lines.
    const long double needed = section == "Nodes" ? 2 * n : n;
    if (needed > available - static_cast<long double>(at) - 1)
      fail(at, fmt::format("block claims {} entries but the section ends first", static_cast<double>(n)));
    at += 1 + static_cast<std::size_t>(needed);
  }
}

// Cheap structural check before Gmsh sees the file. Gmsh 4.8 treats a file
// that does not start with $MeshFormat as a .geo script and runs it (a
// `SystemCall "..."` line in a "mesh" file is executed), reads an empty file
// as an empty model without any error, and reports a truncated file only as
// "Could not read elements". So: the file must start with $MeshFormat, give a
// version Gmsh reads (2.x, 4.0, 4.1), and, when ASCII, close every $Section
// with its $EndSection and contain $Nodes and $Elements.
void check_msh_structure(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw MeshError(fmt::format("{}: is a directory, not a mesh file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in.good()) throw MeshError(fmt::format("{}: cannot open the mesh file (missing or unreadable)", path));
  std::string line;
  int line_number = 0;
  auto next_line = [&]() -> bool {
    if (!std::getline(in, line)) return false;
    ++line_number;
    return true;
  };
  // The very first line must be $MeshFormat: Gmsh picks "mesh" or "script"
  // from the first bytes, so not even a blank line may come before it.
  if (!next_line()) throw MeshError(fmt::format("{}: the mesh file is empty", path));
  {
    bool blank_file = trimmed(line).empty();
    const std::string first = line;
    const int first_number = line_number;
    while (blank_file && next_line()) blank_file = trimmed(line).empty();
    if (blank_file) throw MeshError(fmt::format("{}: the mesh file is empty", path));
    line = first;
    line_number = first_number;
    in.clear();
    in.seekg(0);
    std::string skip;
    std::getline(in, skip);  // continue after the first line
  }
  std::string first_line = line;
  while (!first_line.empty() && (first_line.back() == '\r' || first_line.back() == ' ' || first_line.back() == '\t'))
    first_line.pop_back();
  if (first_line != "$MeshFormat")
    throw MeshError(fmt::format("{}:{}: not a Gmsh .msh file: it must start with $MeshFormat, found '{}' "
                                "(RotorMag does not hand other files to Gmsh, which would run them as .geo scripts)",
                                path, line_number, excerpt(trimmed(line))));
  if (!next_line()) throw MeshError(fmt::format("{}: the file ends after $MeshFormat (truncated)", path));
  std::istringstream header(line);
  std::string version;
  int file_type = -1, data_size = -1;
  header >> version >> file_type >> data_size;
  const bool known_version = version == "4.1" || version == "4.0" || version == "2.2" || version == "2.1" || version == "2.0";
  if (!known_version)
    throw MeshError(fmt::format("{}:{}: unsupported MSH format version '{}' (Gmsh 4.8 reads 2.x, 4.0 and 4.1; "
                                "RotorMag writes 4.1)", path, line_number, excerpt(version)));
  if (file_type != 0 && file_type != 1)
    throw MeshError(fmt::format("{}:{}: $MeshFormat file-type must be 0 (ASCII) or 1 (binary), got '{}'", path,
                                line_number, excerpt(trimmed(line))));
  if (file_type == 1)
    // Gmsh trusts the counts of a binary file and allocates what they claim
    // (a text body flagged binary asked for ~3e18 bytes): read ASCII only.
    throw MeshError(fmt::format("{}:{}: binary .msh files are not read (RotorMag reads and writes ASCII); convert "
                                "with: gmsh {} -save -format msh41 -o ascii.msh",
                                path, line_number, path));
  // ASCII: every $Section closes before the next begins.
  std::string open_section = "MeshFormat";
  int open_line = line_number - 1;
  std::set<std::string> sections;
  std::vector<std::string> section_lines;  // of the open $Nodes or $Elements
  while (next_line()) {
    const std::string t = trimmed(line);
    if (t.empty() || t[0] != '$') {
      if (open_section == "Nodes" || open_section == "Elements") section_lines.push_back(t);
      continue;
    }
    if (open_section.empty()) {
      if (t.rfind("$End", 0) == 0)
        throw MeshError(fmt::format("{}:{}: {} without a matching ${}", path, line_number, excerpt(t), excerpt(t.substr(4))));
      open_section = t.substr(1);
      open_line = line_number;
      continue;
    }
    if (t == "$End" + open_section) {
      if (open_section == "Nodes" || open_section == "Elements")
        check_counts(path, open_section, version, section_lines, open_line);
      section_lines.clear();
      sections.insert(open_section);
      open_section.clear();
      continue;
    }
    // A '$' line inside a section: only $Comments-like free text may hold it.
    if (open_section == "Comments") continue;
    throw MeshError(fmt::format("{}:{}: section ${} (line {}) is not closed by $End{} before '{}'", path, line_number,
                                open_section, open_line, open_section, excerpt(t)));
  }
  if (!open_section.empty())
    throw MeshError(fmt::format("{}:{}: the file ends inside section ${} (opened at line {}): the file is truncated",
                                path, line_number, open_section, open_line));
  for (const char* required : {"Nodes", "Elements"})
    if (!sections.count(required))
      throw MeshError(fmt::format("{}: no ${} section (a mesh file needs $Nodes and $Elements)", path, required));
}

}  // namespace

Mesh read_msh(const std::string& path) {
  check_msh_structure(path);
  GmshSession session(path);
  // Gmsh reports a malformed file through its log, and may throw as well
  // (Gmsh 4.8 throws a non-std exception): report the logged errors.
  std::string thrown;
  try {
    gmsh::open(path);
  } catch (const std::exception& e) {
    thrown = e.what();
  } catch (...) {
    thrown = "Gmsh failed";
  }
  std::string errors = session.logged_errors();
  if (errors.empty()) errors = thrown;
  if (!errors.empty()) throw MeshError(fmt::format("{}: Gmsh could not read the file: {}", path, errors));
  EntityNumbers numbers;
  Mesh mesh = session.run("extracting the mesh",
                          [&] { return extract_current_model(path, OrientationPolicy::follow_majority, numbers); });
  check_quality(mesh, path, 1e-10, &numbers);
  return mesh;
}

namespace {

// Boundary edges: triangle edges whose end nodes (and, for P2, mid-node) all
// lie in the boundary's node set. Returns the node tags (1-based) of the line
// elements and the boundary nodes that lie on no such edge.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> boundary_elements(const Mesh& mesh, const Boundary& boundary) {
  std::vector<char> on(mesh.node_count(), 0), used(mesh.node_count(), 0);
  for (int node : boundary.nodes) on[node] = 1;
  static const int edges[3][3] = {{0, 1, 3}, {1, 2, 4}, {2, 0, 5}};
  std::set<std::pair<int, int>> seen;
  std::vector<std::size_t> lines, points;
  const int npt = mesh.nodes_per_triangle();
  for (std::size_t t = 0; t < mesh.triangle_count(); ++t) {
    const int* v = &mesh.triangles[t * npt];
    for (const auto& e : edges) {
      const int a = v[e[0]], b = v[e[1]];
      if (!on[a] || !on[b] || (mesh.order == 2 && !on[v[e[2]]])) continue;
      if (!seen.emplace(std::min(a, b), std::max(a, b)).second) continue;
      lines.push_back(a + 1);
      lines.push_back(b + 1);
      used[a] = used[b] = 1;
      if (mesh.order == 2) {
        lines.push_back(v[e[2]] + 1);
        used[v[e[2]]] = 1;
      }
    }
  }
  for (int node : boundary.nodes)
    if (!used[node]) points.push_back(node + 1);
  return {lines, points};
}

}  // namespace

void write_msh(const Mesh& mesh, const std::string& path) {
  check_quality(mesh, "write_msh(" + path + ")");
  GmshSession session(path);
  session.run("building the discrete model", [&] {
    gmsh::model::add("rotormag");
    // One discrete surface per region; all nodes live on the first one
    // (MSH 4 allows elements to use nodes classified on other entities).
    std::vector<int> surface_of_region(mesh.regions.size());
    for (std::size_t r = 0; r < mesh.regions.size(); ++r) surface_of_region[r] = gmsh::model::addDiscreteEntity(2);
    std::vector<std::size_t> node_tags(mesh.node_count());
    std::vector<double> coord(3 * mesh.node_count(), 0.0);
    for (std::size_t i = 0; i < mesh.node_count(); ++i) {
      node_tags[i] = i + 1;
      coord[3 * i] = mesh.x[i];
      coord[3 * i + 1] = mesh.y[i];
    }
    gmsh::model::mesh::addNodes(2, surface_of_region.at(0), node_tags, coord);

    const int npt = mesh.nodes_per_triangle();
    std::vector<std::vector<std::size_t>> triangles_of_region(mesh.regions.size());
    for (std::size_t t = 0; t < mesh.triangle_count(); ++t)
      for (int k = 0; k < npt; ++k) triangles_of_region[mesh.triangle_region[t]].push_back(mesh.triangles[t * npt + k] + 1);

    // Physical tags: the region/boundary ids when they are unique and positive.
    auto tag_for = [](int id, std::set<int>& taken) {
      int tag = id > 0 && !taken.count(id) ? id : 1;
      while (taken.count(tag)) ++tag;
      taken.insert(tag);
      return tag;
    };
    std::set<int> surface_tags, line_tags, point_tags;
    for (std::size_t r = 0; r < mesh.regions.size(); ++r) {
      if (!triangles_of_region[r].empty())
        gmsh::model::mesh::addElementsByType(surface_of_region[r], mesh.order == 2 ? 9 : 2, {}, triangles_of_region[r]);
      const int tag = gmsh::model::addPhysicalGroup(2, {surface_of_region[r]}, tag_for(mesh.regions[r].id, surface_tags));
      gmsh::model::setPhysicalName(2, tag, mesh.regions[r].name);
    }
    for (const auto& boundary : mesh.boundaries) {
      auto [lines, points] = boundary_elements(mesh, boundary);
      if (!lines.empty()) {
        const int curve = gmsh::model::addDiscreteEntity(1);
        gmsh::model::mesh::addElementsByType(curve, mesh.order == 2 ? 8 : 1, {}, lines);
        const int tag = gmsh::model::addPhysicalGroup(1, {curve}, tag_for(boundary.id, line_tags));
        gmsh::model::setPhysicalName(1, tag, boundary.name);
      }
      if (!points.empty()) {
        const int point = gmsh::model::addDiscreteEntity(0);
        gmsh::model::mesh::addElementsByType(point, 15, {}, points);
        const int tag = gmsh::model::addPhysicalGroup(0, {point}, tag_for(boundary.id, point_tags));
        gmsh::model::setPhysicalName(0, tag, boundary.name);
      }
    }
    gmsh::option::setNumber("Mesh.MshFileVersion", 4.1);
    gmsh::option::setNumber("Mesh.Binary", 0);
    gmsh::option::setNumber("Mesh.SaveAll", 0);
    gmsh::write(path);
  });
  const std::string errors = session.logged_errors();
  if (!errors.empty()) throw MeshError(fmt::format("{}: Gmsh could not write the file: {}", path, errors));
}

}  // namespace rotormag::mesh

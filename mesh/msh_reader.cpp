// Our own reader for Gmsh .msh files (ASCII, MSH 4.1 and 2.x).
//
// Why not gmsh::open: Gmsh 4.8 trusts the counts in a file and allocates what
// they claim, dereferences entities that a damaged file never defined (a
// fuzzed file crashed it inside getElements), runs a file that does not start
// with $MeshFormat as a .geo script, and reports a truncated file only as
// "Could not read elements". A mesh file is user input, so it is parsed here
// with every count checked against the lines present, every reference
// resolved, and every failure reported as "file:line: problem". Gmsh is still
// used to build templates and to write .msh files (msh_writer.cpp).
//
// What becomes of the file (the same as Gmsh's model would give):
//  - 2D physical groups -> regions (unnamed: "region_<tag>"; equal names
//    merge), in order of physical tag; triangles of surfaces in no physical
//    group are not part of the model;
//  - 1D and 0D physical groups -> boundaries (node sets, merged by name);
//  - nodes numbered compactly from 0 in order of first use by a triangle;
//  - orientation and quality checks as for every mesh (quality.hpp).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mesh/extract.hpp"
#include "mesh/msh_text.hpp"
#include "mesh/node_numbering.hpp"
#include "mesh/quality.hpp"
#include "mesh/templates.hpp"

namespace rotormag::mesh {

namespace {

using msh::LineTokens;
using msh::MshText;
using msh::Section;

// Gmsh element types: name (as Gmsh's getElementProperties gives it),
// dimension and node count. Types not listed are unknown to this reader.
struct ElementType {
  int type;
  const char* name;
  int dim;
  int nodes;
};
constexpr ElementType kElementTypes[] = {
    {1, "Line 2", 1, 2},          {2, "Triangle 3", 2, 3},       {3, "Quadrilateral 4", 2, 4},
    {4, "Tetrahedron 4", 3, 4},   {5, "Hexahedron 8", 3, 8},     {6, "Prism 6", 3, 6},
    {7, "Pyramid 5", 3, 5},       {8, "Line 3", 1, 3},           {9, "Triangle 6", 2, 6},
    {10, "Quadrilateral 9", 2, 9}, {11, "Tetrahedron 10", 3, 10}, {12, "Hexahedron 27", 3, 27},
    {13, "Prism 18", 3, 18},      {14, "Pyramid 14", 3, 14},     {15, "Point", 0, 1},
    {16, "Quadrilateral 8", 2, 8}, {17, "Hexahedron 20", 3, 20}, {18, "Prism 15", 3, 15},
    {19, "Pyramid 13", 3, 13},    {20, "Triangle 9", 2, 9},      {21, "Triangle 10", 2, 10},
    {22, "Triangle 12", 2, 12},   {23, "Triangle 15", 2, 15},    {24, "Triangle 15", 2, 15},
    {25, "Triangle 21", 2, 21},   {26, "Line 4", 1, 4},          {27, "Line 5", 1, 5},
    {28, "Line 6", 1, 6},         {29, "Tetrahedron 20", 3, 20}, {30, "Tetrahedron 35", 3, 35},
    {31, "Tetrahedron 56", 3, 56},
};
constexpr int kTriangle3 = 2, kTriangle6 = 9, kLine2 = 1, kLine3 = 8, kPoint = 15;

const ElementType* find_type(long long type) {
  for (const auto& t : kElementTypes)
    if (t.type == type) return &t;
  return nullptr;
}

std::string type_name(const ElementType& t) { return fmt::format("'{}' (Gmsh type {})", t.name, t.type); }

const char* entity_word(int dim) {
  static const char* words[] = {"point", "curve", "surface", "volume"};
  return dim >= 0 && dim <= 3 ? words[dim] : "entity";
}

using GroupKey = std::pair<int, int>;  // (dimension, physical tag)

// One element of a physical group, as the file gives it.
struct GroupElement {
  std::size_t tag;
  std::size_t line;        // index into MshText lines, for messages
  std::size_t first_node;  // into FileModel::element_nodes
  int type;
};

// Everything the file says that the Mesh is built from.
struct FileModel {
  std::map<GroupKey, std::string> physical_names;
  std::map<GroupKey, std::size_t> physical_name_line;
  std::optional<std::map<GroupKey, std::vector<int>>> entity_groups;  // 4.1 $Entities: entity -> physical tags
  std::unordered_map<std::size_t, std::size_t> node_index;             // node tag -> index into x, y, z
  std::vector<std::size_t> node_tag, node_line;
  std::vector<double> x, y, z;
  std::map<GroupKey, std::vector<GroupElement>> group_elements;  // sorted by (dim, tag), as Gmsh lists groups
  std::vector<std::size_t> element_nodes;                        // node tags of all kept elements
  std::unordered_map<std::size_t, std::size_t> element_line;    // element tag -> line, to catch duplicates
};

std::string group_name(const FileModel& model, GroupKey key) {
  auto it = model.physical_names.find(key);
  if (it != model.physical_names.end() && !it->second.empty()) return it->second;
  return fmt::format("{}_{}", key.first == 2 ? "region" : "boundary", key.second);
}

// The body lines of `s` that are not blank.
std::vector<std::size_t> body_lines(const MshText& text, const Section& s) {
  std::vector<std::size_t> out;
  for (std::size_t i = s.first; i < s.last; ++i)
    if (!text.line(i).empty()) out.push_back(i);
  return out;
}

// Cursor over the non-blank lines of a section.
class SectionReader {
 public:
  SectionReader(const MshText& text, const Section& s) : text_(text), section_(s), lines_(body_lines(text, s)) {}
  std::size_t remaining() const { return lines_.size() - next_; }
  // The next line; fails naming what was expected when the section ends.
  std::size_t take(const char* what) {
    if (next_ == lines_.size())
      text_.fail(section_.last, fmt::format("${} ends before the {} (the section is truncated)", section_.name, what));
    return lines_[next_++];
  }
  // Fails unless every line was read.
  void expect_end() const {
    if (next_ < lines_.size())
      text_.fail(lines_[next_], fmt::format("${}: unexpected line '{}' after the last entry the header announced",
                                            section_.name, msh::excerpt(text_.line(lines_[next_]))));
  }
  // Fails when `count` entries of `lines_each` lines cannot fit in what is
  // left: counts are checked before anything is allocated for them.
  void check_fits(std::size_t at, unsigned long long count, unsigned long long lines_each, const char* what) const {
    const long double needed = static_cast<long double>(count) * static_cast<long double>(lines_each);
    if (needed > static_cast<long double>(remaining()))
      text_.fail(at, fmt::format("${}: claims {} {} but the section has only {} lines left", section_.name, count, what,
                                 remaining()));
  }

 private:
  const MshText& text_;
  const Section& section_;
  std::vector<std::size_t> lines_;
  std::size_t next_ = 0;
};

enum class Version { v2, v41 };

// The line after $MeshFormat, read before the rest of the file is split into
// sections so that a binary file is named as such rather than as garbage.
Version read_format(const MshText& text) {
  const std::size_t at = 1;
  if (text.line_count() < 2 || text.line(at).empty() || text.line(at).front() == '$')
    text.fail(std::min<std::size_t>(at, text.line_count() - 1), "$MeshFormat has no version line");
  LineTokens t(text, at);
  const std::string version(t.next_word("format version"));
  Version v;
  if (version == "4.1")
    v = Version::v41;
  else if (version == "2.2" || version == "2.1" || version == "2.0" || version == "2")
    v = Version::v2;
  else if (version == "4.0" || version == "4")
    text.fail(at, fmt::format("MSH 4.0 is not read (RotorMag reads 4.1 and 2.x, as Gmsh 4.8 writes them); re-save "
                              "with: gmsh {} -save -format msh41 -o new.msh", text.path()));
  else
    text.fail(at, fmt::format("unsupported MSH format version '{}' (RotorMag reads 4.1 and 2.x)", msh::excerpt(version)));
  const auto file_type = t.next_int("file type (0 ASCII, 1 binary)");
  if (file_type == 1)
    text.fail(at, fmt::format("binary .msh files are not read (RotorMag reads and writes ASCII); convert with: gmsh "
                              "{} -save -format msh41 -o ascii.msh", text.path()));
  if (file_type != 0)
    text.fail(at, fmt::format("$MeshFormat file type must be 0 (ASCII) or 1 (binary), got {}", file_type));
  t.next_int("data size");
  t.expect_end("data size");
  return v;
}

void read_physical_names(const MshText& text, const Section& s, FileModel& model) {
  SectionReader r(text, s);
  const std::size_t header = r.take("number of names");
  LineTokens h(text, header);
  const auto n = h.next_count("number of physical names");
  h.expect_end("number of physical names");
  r.check_fits(header, n, 1, "names");
  for (unsigned long long k = 0; k < n; ++k) {
    const std::size_t at = r.take("physical name");
    LineTokens t(text, at);
    const auto dim = t.next_int("dimension");
    const auto tag = t.next_int("physical tag");
    const std::string name = t.next_quoted("name");
    t.expect_end("name");
    if (dim < 0 || dim > 3) t.fail(fmt::format("physical name '{}' has dimension {} (0 to 3)", name, dim));
    if (tag <= 0 || tag > 0x7fffffff) t.fail(fmt::format("physical name '{}' has tag {} (a positive integer)", name, tag));
    const GroupKey key{static_cast<int>(dim), static_cast<int>(tag)};
    if (auto [it, inserted] = model.physical_name_line.emplace(key, at); !inserted)
      t.fail(fmt::format("physical group ({}, {}) is named twice (first at line {})", dim, tag,
                         text.line_number(it->second)));
    model.physical_names[key] = name;
  }
  r.expect_end();
}

// 4.1 $Entities: which physical groups each point, curve, surface, volume is in.
void read_entities(const MshText& text, const Section& s, FileModel& model) {
  SectionReader r(text, s);
  const std::size_t header = r.take("entity counts");
  LineTokens h(text, header);
  unsigned long long counts[4];
  for (auto& c : counts) c = h.next_count("number of entities");
  h.expect_end("four entity counts");
  r.check_fits(header, counts[0] + counts[1] + counts[2] + counts[3], 1, "entities");
  auto& groups = model.entity_groups.emplace();
  for (int dim = 0; dim < 4; ++dim) {
    for (unsigned long long k = 0; k < counts[dim]; ++k) {
      const std::size_t at = r.take("entity");
      LineTokens t(text, at);
      const auto tag = t.next_int("entity tag");
      for (int c = 0; c < (dim == 0 ? 3 : 6); ++c) t.next_double("bounding coordinate");
      const auto n = t.next_count("number of physical tags");
      std::vector<int> physicals;
      for (unsigned long long p = 0; p < n; ++p) {
        const auto phys = t.next_int("physical tag");
        if (phys == 0 || std::llabs(phys) > 0x7fffffff) t.fail(fmt::format("physical tag {} out of range", phys));
        physicals.push_back(static_cast<int>(std::llabs(phys)));
      }
      if (dim > 0) {
        const auto bounding = t.next_count("number of bounding entities");
        for (unsigned long long b = 0; b < bounding; ++b) t.next_int("bounding entity tag");
      }
      t.expect_end("entity");
      if (std::llabs(tag) > 0x7fffffff) t.fail(fmt::format("{} tag {} out of range", entity_word(dim), tag));
      if (!groups.emplace(GroupKey{dim, static_cast<int>(tag)}, std::move(physicals)).second)
        t.fail(fmt::format("{} {} is defined twice", entity_word(dim), tag));
    }
  }
  r.expect_end();
}

void add_node(const MshText& text, std::size_t at, FileModel& model, unsigned long long tag, double x, double y,
              double z) {
  if (tag == 0) text.fail(at, "node tag 0 (tags start at 1)");
  auto [it, inserted] = model.node_index.emplace(tag, model.x.size());
  if (!inserted)
    text.fail(at, fmt::format("node {} is defined twice (first at line {})", tag,
                              text.line_number(model.node_line[it->second])));
  model.node_tag.push_back(tag);
  model.node_line.push_back(at);
  model.x.push_back(x);
  model.y.push_back(y);
  model.z.push_back(z);
}

void read_nodes_v41(const MshText& text, const Section& s, FileModel& model) {
  SectionReader r(text, s);
  const std::size_t header = r.take("node counts");
  LineTokens h(text, header);
  const auto blocks = h.next_count("number of node blocks");
  const auto total = h.next_count("number of nodes");
  h.next_count("smallest node tag");
  h.next_count("largest node tag");
  h.expect_end("largest node tag");
  if (static_cast<long double>(blocks) + 2.0L * total > static_cast<long double>(r.remaining()))
    text.fail(header, fmt::format("$Nodes: claims {} nodes in {} blocks but the section has only {} lines", total,
                                  blocks, r.remaining()));
  model.x.reserve(total), model.y.reserve(total), model.z.reserve(total);
  unsigned long long seen = 0;
  for (unsigned long long b = 0; b < blocks; ++b) {
    const std::size_t at = r.take("node block header");
    LineTokens t(text, at);
    const auto dim = t.next_int("entity dimension");
    t.next_int("entity tag");
    const auto parametric = t.next_int("parametric flag");
    const auto n = t.next_count("number of nodes in the block");
    t.expect_end("number of nodes in the block");
    if (dim < 0 || dim > 3) t.fail(fmt::format("node block of entity dimension {} (0 to 3)", dim));
    if (parametric != 0 && parametric != 1) t.fail(fmt::format("parametric flag {} (0 or 1)", parametric));
    r.check_fits(at, n, 2, "nodes in the block (a tag line and a coordinate line each)");
    std::vector<std::pair<unsigned long long, std::size_t>> tags;  // tag, line
    tags.reserve(n);
    for (unsigned long long k = 0; k < n; ++k) {
      const std::size_t line = r.take("node tag");
      LineTokens tt(text, line);
      tags.emplace_back(tt.next_count("node tag"), line);
      tt.expect_end("node tag");
    }
    const int extra = parametric ? static_cast<int>(dim) : 0;
    for (unsigned long long k = 0; k < n; ++k) {
      const std::size_t line = r.take("node coordinates");
      LineTokens c(text, line);
      const double x = c.next_double("x coordinate"), y = c.next_double("y coordinate"), z = c.next_double("z coordinate");
      for (int e = 0; e < extra; ++e) c.next_double("parametric coordinate");
      c.expect_end(extra ? "parametric coordinates" : "z coordinate");
      add_node(text, tags[k].second, model, tags[k].first, x, y, z);
    }
    seen += n;
  }
  if (seen != total)
    text.fail(header, fmt::format("$Nodes: the header announces {} nodes, the blocks hold {}", total, seen));
  r.expect_end();
}

void read_nodes_v2(const MshText& text, const Section& s, FileModel& model) {
  SectionReader r(text, s);
  const std::size_t header = r.take("number of nodes");
  LineTokens h(text, header);
  const auto n = h.next_count("number of nodes");
  h.expect_end("number of nodes");
  r.check_fits(header, n, 1, "nodes");
  model.x.reserve(n), model.y.reserve(n), model.z.reserve(n);
  for (unsigned long long k = 0; k < n; ++k) {
    const std::size_t at = r.take("node");
    LineTokens t(text, at);
    const auto tag = t.next_count("node tag");
    const double x = t.next_double("x coordinate"), y = t.next_double("y coordinate"), z = t.next_double("z coordinate");
    t.expect_end("z coordinate");
    add_node(text, at, model, tag, x, y, z);
  }
  r.expect_end();
}

// Reads the node tags of one element (the rest of `t`) and, when the element
// belongs to physical groups, files it under each of them.
void add_element(const MshText& text, std::size_t at, LineTokens& t, FileModel& model, unsigned long long tag,
                 const ElementType& type, const std::vector<GroupKey>& groups) {
  if (tag == 0) t.fail("element tag 0 (tags start at 1)");
  if (auto [it, inserted] = model.element_line.emplace(tag, at); !inserted)
    t.fail(fmt::format("element {} is defined twice (first at line {})", tag, text.line_number(it->second)));
  const std::size_t first = model.element_nodes.size();
  for (int k = 0; k < type.nodes; ++k) {
    const auto node = t.next_count("node tag");
    if (!model.node_index.count(node))
      t.fail(fmt::format("element {} uses node {}, which $Nodes does not define", tag, node));
    if (!groups.empty()) model.element_nodes.push_back(node);
  }
  if (!t.at_end())
    t.fail(fmt::format("element {} of type {} has more than {} node tags", tag, type_name(type), type.nodes));
  for (const GroupKey& g : groups) model.group_elements[g].push_back(GroupElement{tag, at, first, type.type});
}

const ElementType& element_type(LineTokens& t, long long type) {
  const ElementType* found = find_type(type);
  if (!found) t.fail(fmt::format("unknown element type {} (not a Gmsh element type RotorMag knows)", type));
  return *found;
}

void read_elements_v41(const MshText& text, const Section& s, FileModel& model) {
  SectionReader r(text, s);
  const std::size_t header = r.take("element counts");
  LineTokens h(text, header);
  const auto blocks = h.next_count("number of element blocks");
  const auto total = h.next_count("number of elements");
  h.next_count("smallest element tag");
  h.next_count("largest element tag");
  h.expect_end("largest element tag");
  if (static_cast<long double>(blocks) + total > static_cast<long double>(r.remaining()))
    text.fail(header, fmt::format("$Elements: claims {} elements in {} blocks but the section has only {} lines",
                                  total, blocks, r.remaining()));
  unsigned long long seen = 0;
  for (unsigned long long b = 0; b < blocks; ++b) {
    const std::size_t at = r.take("element block header");
    LineTokens t(text, at);
    const auto dim = t.next_int("entity dimension");
    const auto entity = t.next_int("entity tag");
    const ElementType& type = element_type(t, t.next_int("element type"));
    const auto n = t.next_count("number of elements in the block");
    t.expect_end("number of elements in the block");
    if (dim < 0 || dim > 3) t.fail(fmt::format("element block of entity dimension {} (0 to 3)", dim));
    if (type.dim != dim)
      t.fail(fmt::format("{} elements in a block of {} {}: a {}D element needs a {}D entity", type_name(type),
                         entity_word(static_cast<int>(dim)), entity, type.dim, type.dim));
    if (type.dim == 3)
      t.fail(fmt::format("{} elements on volume {}: RotorMag reads 2D meshes (triangles in the plane)",
                         type_name(type), entity));
    r.check_fits(at, n, 1, "elements in the block");
    std::vector<GroupKey> groups;
    if (model.entity_groups) {
      auto it = model.entity_groups->find({static_cast<int>(dim), static_cast<int>(entity)});
      if (it == model.entity_groups->end())
        t.fail(fmt::format("the element block is on {} {}, which $Entities does not define",
                           entity_word(static_cast<int>(dim)), entity));
      for (int phys : it->second) groups.push_back({static_cast<int>(dim), phys});
    }
    if (dim == 2 && groups.size() > 1)
      t.fail(fmt::format("surface {} belongs to physical groups '{}' and '{}'; a triangle needs exactly one region",
                         entity, group_name(model, groups[0]), group_name(model, groups[1])));
    for (unsigned long long k = 0; k < n; ++k) {
      const std::size_t line = r.take("element");
      LineTokens e(text, line);
      add_element(text, line, e, model, e.next_count("element tag"), type, groups);
    }
    seen += n;
  }
  if (seen != total)
    text.fail(header, fmt::format("$Elements: the header announces {} elements, the blocks hold {}", total, seen));
  r.expect_end();
}

void read_elements_v2(const MshText& text, const Section& s, FileModel& model) {
  SectionReader r(text, s);
  const std::size_t header = r.take("number of elements");
  LineTokens h(text, header);
  const auto n = h.next_count("number of elements");
  h.expect_end("number of elements");
  r.check_fits(header, n, 1, "elements");
  for (unsigned long long k = 0; k < n; ++k) {
    const std::size_t at = r.take("element");
    LineTokens t(text, at);
    const auto tag = t.next_count("element tag");
    const ElementType& type = element_type(t, t.next_int("element type"));
    const auto ntags = t.next_count("number of tags");
    if (ntags > 64) t.fail(fmt::format("element {} claims {} tags", tag, ntags));
    long long physical = 0;
    for (unsigned long long g = 0; g < ntags; ++g) {
      const auto v = t.next_int("element tag value");
      if (g == 0) physical = v;
    }
    if (physical < 0 || physical > 0x7fffffff) t.fail(fmt::format("element {} has physical tag {}", tag, physical));
    if (type.dim == 3)
      t.fail(fmt::format("element {} is a {}: RotorMag reads 2D meshes (triangles in the plane)", tag, type_name(type)));
    std::vector<GroupKey> groups;
    if (physical > 0) groups.push_back({type.dim, static_cast<int>(physical)});
    add_element(text, at, t, model, tag, type, groups);
  }
  r.expect_end();
}


Mesh build_mesh(const MshText& text, const FileModel& model, EntityNumbers& numbers) {
  Mesh mesh;
  NodeNumbering numbering;
  int order_type = 0;
  std::string first_group;
  for (const auto& [key, elements] : model.group_elements) {
    if (key.first != 2) continue;
    // "magnet_1_a:parallel=67.5", "coil_3_1:-B": the annotation becomes the
    // region's hints (mesh.hpp, docs/motor-mesh.md).
    Region parsed;
    parsed.id = key.second;
    const std::string full_name = group_name(model, key);
    const std::string problem = parse_region_name(full_name, parsed);
    const auto name_line = model.physical_name_line.find(key);
    if (!problem.empty()) {
      const std::string why = fmt::format("physical name '{}': {}", full_name, problem);
      if (name_line != model.physical_name_line.end()) text.fail(name_line->second, why);
      text.fail(why);
    }
    const std::string name = parsed.name;
    int region = mesh.find_region(name);
    if (region < 0) {
      region = static_cast<int>(mesh.regions.size());
      mesh.regions.push_back(parsed);
    } else if (annotated_region_name(mesh.regions[region]) != annotated_region_name(parsed)) {
      const std::string why = fmt::format("physical groups '{}' and '{}' name the same region with different "
                                          "annotations", annotated_region_name(mesh.regions[region]), full_name);
      if (name_line != model.physical_name_line.end()) text.fail(name_line->second, why);
      text.fail(why);
    }
    for (const GroupElement& e : elements) {
      if (e.type != kTriangle3 && e.type != kTriangle6)
        text.fail(e.line, fmt::format("unsupported element type {} in physical group '{}' (only 3- and 6-node triangles)",
                                      type_name(*find_type(e.type)), name));
      if (order_type != 0 && order_type != e.type)
        text.fail(e.line, fmt::format("physical group '{}' mixes 3-node and 6-node triangles with the rest of the mesh "
                                      "(group '{}')", name, first_group));
      if (order_type == 0) first_group = name;
      order_type = e.type;
      const int n = e.type == kTriangle6 ? 6 : 3;
      for (int k = 0; k < n; ++k) mesh.triangles.push_back(numbering.index_of(model.element_nodes[e.first_node + k]));
      mesh.triangle_region.push_back(region);
      numbers.triangle.push_back(e.tag);
    }
  }
  if (mesh.regions.empty())
    text.fail("no 2D physical groups (regions); every material region must be a named physical surface");
  mesh.order = order_type == kTriangle6 ? 2 : 1;

  const std::size_t n = numbering.tags().size();
  mesh.x.resize(n);
  mesh.y.resize(n);
  double z_min = 0, z_max = 0, extent = 0;
  std::size_t z_min_node = 0, z_max_node = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = model.node_index.at(numbering.tags()[i]);
    mesh.x[i] = model.x[k];
    mesh.y[i] = model.y[k];
    if (i == 0 || model.z[k] < z_min) z_min = model.z[k], z_min_node = numbering.tags()[i];
    if (i == 0 || model.z[k] > z_max) z_max = model.z[k], z_max_node = numbering.tags()[i];
    if (std::isfinite(model.x[k]) && std::isfinite(model.y[k]))
      extent = std::max({extent, std::abs(model.x[k]), std::abs(model.y[k])});
  }
  if (z_max - z_min > 1e-9 * std::max(extent, 1e-300))
    text.fail(fmt::format("node {} is at z = {} and node {} at z = {}: RotorMag reads planar meshes (all triangles in "
                          "one plane z = const)", z_min_node, z_min, z_max_node, z_max));

  for (int group_dim : {1, 0}) {
    for (const auto& [key, elements] : model.group_elements) {
      if (key.first != group_dim) continue;
      const std::string name = group_name(model, key);
      Boundary* boundary = nullptr;
      for (auto& b : mesh.boundaries)
        if (b.name == name) boundary = &b;
      if (!boundary) {
        mesh.boundaries.push_back(Boundary{key.second, name, {}});
        boundary = &mesh.boundaries.back();
      }
      for (const GroupElement& e : elements) {
        if (e.type != kLine2 && e.type != kLine3 && e.type != kPoint)
          text.fail(e.line, fmt::format("unsupported element type {} in boundary group '{}'",
                                        type_name(*find_type(e.type)), name));
        const int count = find_type(e.type)->nodes;
        for (int k = 0; k < count; ++k) {
          const std::size_t tag = model.element_nodes[e.first_node + k];
          const int i = numbering.find(tag);
          if (i < 0)
            text.fail(e.line, fmt::format("boundary '{}' uses node {} that belongs to no triangle of a region", name, tag));
          boundary->nodes.push_back(i);
        }
      }
    }
  }
  for (auto& b : mesh.boundaries) {
    std::sort(b.nodes.begin(), b.nodes.end());
    b.nodes.erase(std::unique(b.nodes.begin(), b.nodes.end()), b.nodes.end());
  }
  numbers.node = numbering.tags();
  return mesh;
}

}  // namespace

Mesh read_msh(const std::string& path) {
  const MshText text(path);
  text.expect_mesh_format_first();
  const Version version = read_format(text);
  const std::vector<Section> sections = text.sections();
  for (std::size_t i = 2; i < sections.front().last; ++i)
    if (!text.line(i).empty())
      text.fail(i, fmt::format("$MeshFormat holds one line (version, file type, data size); found '{}'",
                               msh::excerpt(text.line(i))));
  std::map<std::string, const Section*> by_name;
  for (const Section& s : sections) {
    if (s.name == "PartitionedEntities")
      text.fail(s.header, "partitioned meshes are not read; save the mesh unpartitioned");
    if (!by_name.emplace(s.name, &s).second && s.name != "Comments")
      text.fail(s.header, fmt::format("a second ${} section (the first is at line {})", s.name,
                                      text.line_number(by_name[s.name]->header)));
  }
  for (const char* required : {"Nodes", "Elements"})
    if (!by_name.count(required))
      text.fail(fmt::format("no ${} section (a mesh file needs $Nodes and $Elements)", required));

  // Sections in dependency order, whatever their order in the file. Others
  // ($Periodic, $NodeData, $Comments, ...) are not needed for a mesh.
  FileModel model;
  if (auto it = by_name.find("PhysicalNames"); it != by_name.end()) read_physical_names(text, *it->second, model);
  if (version == Version::v41) {
    if (auto it = by_name.find("Entities"); it != by_name.end()) read_entities(text, *it->second, model);
    read_nodes_v41(text, *by_name["Nodes"], model);
    read_elements_v41(text, *by_name["Elements"], model);
  } else {
    read_nodes_v2(text, *by_name["Nodes"], model);
    read_elements_v2(text, *by_name["Elements"], model);
  }
  EntityNumbers numbers;
  Mesh mesh = build_mesh(text, model, numbers);
  orient_triangles(mesh, OrientationPolicy::follow_majority);
  check_quality(mesh, path, 1e-10, &numbers);
  return mesh;
}

}  // namespace rotormag::mesh

// bind_regions: every mesh region gets exactly one [[region]] binding, and
// every binding and Dirichlet boundary must find something in the mesh, so
// that a renamed region in a template never silently becomes air.
#include <algorithm>

#include "cases/case.hpp"

namespace rotormag::cases {
namespace {

// '*' matches any run of characters (including none); everything else literally.
bool glob_match(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool is_glob(const std::string& pattern) { return pattern.find('*') != std::string::npos; }

template <typename Range, typename Name>
std::string list_names(const Range& items, Name name) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + std::string(name(item));
  return out.empty() ? "(none)" : out;
}

mesh::MagnetizationHint to_hint(const Magnetization& m, const mesh::MagnetizationHint& from_mesh) {
  mesh::MagnetizationHint h;
  switch (m.kind) {
    case Magnetization::Kind::from_mesh: return from_mesh;
    case Magnetization::Kind::parallel:
      h.kind = mesh::MagnetizationKind::parallel;
      h.angle_rad = m.angle_rad;
      return h;
    case Magnetization::Kind::radial:
      h.kind = mesh::MagnetizationKind::radial;
      h.sign = m.sign;
      return h;
  }
  return h;
}

}  // namespace

std::vector<ResolvedRegion> bind_regions(const Case& c, const mesh::Mesh& m) {
  std::vector<CaseIssue> issues;
  const SourcePosition case_file{c.path, 0, 0};
  std::vector<ResolvedRegion> resolved(m.regions.size());
  std::vector<int> uses(c.regions.size(), 0);

  for (std::size_t r = 0; r < m.regions.size(); ++r) {
    const mesh::Region& region = m.regions[r];
    // An exact name wins over any glob: `magnet_1_a` can override `magnet_*`.
    std::vector<std::size_t> exact, globbed;
    for (std::size_t b = 0; b < c.regions.size(); ++b) {
      const std::string& pattern = c.regions[b].pattern;
      if (!is_glob(pattern) && pattern == region.name) exact.push_back(b);
      else if (is_glob(pattern) && glob_match(pattern, region.name)) globbed.push_back(b);
    }
    const std::vector<std::size_t>& candidates = exact.empty() ? globbed : exact;
    for (std::size_t b : candidates) ++uses[b];
    if (candidates.empty()) {
      issues.push_back({case_file, "region",
                        "mesh region '" + region.name + "' has no [[region]] binding (bindings: " +
                            list_names(c.regions, [](const RegionBinding& b) { return b.pattern; }) + ")"});
      continue;
    }
    if (candidates.size() > 1) {
      const RegionBinding& first = c.regions[candidates[0]];
      const RegionBinding& second = c.regions[candidates[1]];
      issues.push_back({second.where, "region[" + std::to_string(candidates[1]) + "]",
                        "mesh region '" + region.name + "' matches both '" + first.pattern + "' (line " +
                            std::to_string(first.where.line) + ") and '" + second.pattern + "' (line " +
                            std::to_string(second.where.line) + "); bind it by its exact name"});
      continue;
    }
    const RegionBinding& binding = c.regions[candidates[0]];
    auto material = c.materials.find(binding.material);
    if (material == c.materials.end()) {
      issues.push_back({binding.where, "region[" + std::to_string(candidates[0]) + "].material", "material '" + binding.material + "' was not resolved"});
      continue;
    }
    ResolvedRegion& out = resolved[r];
    out.material = &material->second;
    out.current_density_A_per_m2 = binding.current_density_A_per_m2;
    if (material->second.kind == Material::Kind::magnet) {
      out.magnetization = to_hint(binding.magnetization, region.magnetization);
      if (out.magnetization.kind == mesh::MagnetizationKind::none)
        issues.push_back({binding.where, "region[" + std::to_string(candidates[0]) + "].magnetization",
                          "magnet region '" + region.name + "' has no magnetization direction in the mesh "
                          "(a .msh file carries none); give magnetization = {direction = \"parallel\", "
                          "angle_deg = ...} or {direction = \"radial\", outward = true}"});
    }
  }

  for (std::size_t b = 0; b < c.regions.size(); ++b)
    if (uses[b] == 0)
      issues.push_back({c.regions[b].where, "region[" + std::to_string(b) + "].name",
                        "'" + c.regions[b].pattern + "' matches no mesh region (mesh regions: " +
                            list_names(m.regions, [](const mesh::Region& x) { return x.name; }) + ")"});

  for (std::size_t i = 0; i < c.dirichlet.size(); ++i)
    if (const auto& d = c.dirichlet[i]; !m.find_boundary(d.boundary))
      issues.push_back({d.where, "boundary[" + std::to_string(i) + "].name",
                        "boundary '" + d.boundary + "' is not in the mesh (mesh boundaries: " +
                            list_names(m.boundaries, [](const mesh::Boundary& x) { return x.name; }) + ")"});

  if (!issues.empty()) throw CaseError(std::move(issues));
  return resolved;
}

}  // namespace rotormag::cases

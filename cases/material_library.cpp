// The material library: TOML files with one table per material, every value
// with units in its key name and a `source`. Converted to SI on reading.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cases/case.hpp"
#include "cases/material_reader.hpp"

namespace rotormag::cases {
namespace detail {
namespace {

const std::vector<std::string> kinds = {"linear", "magnet", "bh_curve", "exponential_reluctivity"};

void read_linear(TableReader& r, Material& m) {
  if (auto mu_r = r.number("mu_r", true)) {
    if (!(*mu_r > 0)) r.invalid("mu_r", "relative permeability must be > 0, got " + fmt_number(*mu_r));
    m.mu_r = *mu_r;
  }
}

void read_magnet(TableReader& r, Material& m) {
  MagnetGrade& g = m.grade;
  if (auto v = r.number("Br20_T", true)) {
    if (!(*v > 0) || *v > max_remanence_T)
      r.invalid("Br20_T", "remanence must be in (0, 1.6] T (above the saturation of NdFeB), got " +
                              fmt_number(*v) + " T");
    g.Br20_T = *v;
  }
  if (auto v = r.number("HcJ20_kA_per_m", true)) {
    if (!(*v > 0)) r.invalid("HcJ20_kA_per_m", "intrinsic coercivity must be > 0, got " + fmt_number(*v));
    g.HcJ20_A_per_m = *v * 1e3;
  }
  if (auto v = r.number("HcB_kA_per_m")) {
    if (!(*v > 0)) r.invalid("HcB_kA_per_m", "normal coercivity must be > 0, got " + fmt_number(*v));
    g.HcB_A_per_m = *v * 1e3;
  }
  // Temperature coefficients in %/C as datasheets give them; per K fraction inside.
  if (auto v = r.number("alpha_Br_pct_per_C", true)) {
    if (std::abs(*v) > 1.0) r.invalid("alpha_Br_pct_per_C", "|alpha| above 1 %/C is not a magnet coefficient, got " + fmt_number(*v));
    g.alpha_Br_per_K = *v / 100.0;
  }
  if (auto v = r.number("beta_HcJ_pct_per_C", true)) {
    if (std::abs(*v) > 2.0) r.invalid("beta_HcJ_pct_per_C", "|beta| above 2 %/C is not a magnet coefficient, got " + fmt_number(*v));
    g.beta_HcJ_per_K = *v / 100.0;
  }
  if (auto v = r.numbers("coefficient_range_C")) {
    if (v->size() != 2 || !((*v)[0] < (*v)[1]))
      r.invalid("coefficient_range_C", "expected [low, high] with low < high");
    else {
      g.coefficient_range_low_C = (*v)[0];
      g.coefficient_range_high_C = (*v)[1];
    }
  }
  if (auto v = r.number("mu_rec")) {
    if (!(*v >= 1.0 && *v <= 1.5)) r.invalid("mu_rec", "recoil permeability of a rare-earth magnet must be in [1, 1.5], got " + fmt_number(*v));
    g.mu_rec = *v;
  }
  if (auto v = r.number("density_g_per_cm3")) {
    if (!(*v > 0)) r.invalid("density_g_per_cm3", "density must be > 0, got " + fmt_number(*v));
    g.density_kg_per_m3 = *v * 1e3;
  }
  if (auto v = r.number("max_working_temperature_C")) g.max_working_temperature_C = *v;
}

void read_bh_curve(TableReader& r, Material& m) {
  auto B = r.numbers("B_T", true);
  auto H = r.numbers("H_A_per_m", true);
  if (!B || !H) return;
  if (B->size() != H->size()) {
    r.invalid("H_A_per_m", "B_T has " + std::to_string(B->size()) + " points but H_A_per_m has " +
                               std::to_string(H->size()));
    return;
  }
  if (B->size() < 3) {
    r.invalid("B_T", "a B-H table needs at least 3 points, got " + std::to_string(B->size()));
    return;
  }
  if ((*B)[0] != 0.0 || (*H)[0] != 0.0) {
    r.invalid("B_T", "a B-H table must start at (H, B) = (0, 0)");
    return;
  }
  // Strictly increasing in both: the interpolation is monotone and dH/dB > 0
  // keeps the Newton Jacobian SPD.
  for (const auto& [values, key] : {std::pair{&*B, "B_T"}, std::pair{&*H, "H_A_per_m"}}) {
    for (std::size_t i = 1; i < values->size(); ++i)
      if (!((*values)[i] > (*values)[i - 1])) {
        r.invalid(key, std::string(key) + " must be strictly increasing: point " + std::to_string(i) + " (" +
                           fmt_number((*values)[i]) + ") is not above point " + std::to_string(i - 1) + " (" +
                           fmt_number((*values)[i - 1]) + ")");
        return;
      }
  }
  m.curve.B_T = *B;
  m.curve.H_A_per_m = *H;
}

void read_exponential_reluctivity(TableReader& r, Material& m) {
  if (auto a = r.number("nu_a_m_per_H", true)) {
    if (!(*a > 0)) r.invalid("nu_a_m_per_H", "must be > 0 (nu(0) = a + b), got " + fmt_number(*a));
    m.nu_a = *a;
  }
  if (auto b = r.number("nu_b_m_per_H", true)) {
    if (!(*b >= 0)) r.invalid("nu_b_m_per_H", "must be >= 0, got " + fmt_number(*b));
    m.nu_b = *b;
  }
  if (auto c = r.number("nu_c_per_T2", true)) {
    if (!(*c >= 0)) r.invalid("nu_c_per_T2", "must be >= 0, got " + fmt_number(*c));
    m.nu_c = *c;
  }
}

}  // namespace

std::optional<Material> read_material(TableReader& r, const std::string& name) {
  Material m;
  m.name = name;
  bool ok_kind = false;
  if (auto kind = r.string("kind", true)) {
    const auto it = std::find(kinds.begin(), kinds.end(), *kind);
    if (it == kinds.end()) {
      r.invalid("kind", "unknown material kind '" + *kind + "' (linear, magnet, bh_curve, exponential_reluctivity)" +
                            did_you_mean(*kind, kinds));
    } else {
      m.kind = static_cast<Material::Kind>(it - kinds.begin());
      ok_kind = true;
    }
  }
  // Every number in a comparison must be traceable: a source is required.
  if (auto source = r.string("source", true)) {
    if (source->empty()) r.invalid("source", "source must not be empty (say where the values come from)");
    m.source = *source;
  }
  if (auto note = r.string("note")) m.note = *note;
  const std::size_t before = r.log().issues().size();
  if (ok_kind) {
    switch (m.kind) {
      case Material::Kind::linear: read_linear(r, m); break;
      case Material::Kind::magnet: read_magnet(r, m); break;
      case Material::Kind::bh_curve: read_bh_curve(r, m); break;
      case Material::Kind::exponential_reluctivity: read_exponential_reluctivity(r, m); break;
    }
    r.finish();  // unknown keys only make sense once the kind is known
  }
  if (!ok_kind || r.log().issues().size() != before) return std::nullopt;
  return m;
}

void read_material_file(IssueLog& log, const toml::table& root, MaterialLibrary& library) {
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    const toml::table* table = node.as_table();
    if (!table) {
      log.add(node, name, "expected a material table [" + name + "], got " + describe_type(node));
      continue;
    }
    if (library.find(name)) {
      log.add(log.position(key.source()), name, "material '" + name + "' is defined twice");
      continue;
    }
    TableReader reader(log, *table, name);
    if (auto m = read_material(reader, name)) library.add(std::move(*m));
  }
}

}  // namespace detail

MaterialLibrary MaterialLibrary::load(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
  {
    std::vector<CaseIssue> issues(1);
    issues[0].where.file = directory;
    issues[0].message = "material library directory not found";
    throw CaseError(std::move(issues));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());  // deterministic: duplicates reported in the later file

  MaterialLibrary library;
  std::vector<CaseIssue> issues;
  for (const auto& file : files) {
    detail::IssueLog log(file.string());
    try {
      const toml::table root = toml::parse_file(file.string());
      detail::read_material_file(log, root, library);
    } catch (const toml::parse_error& e) {
      log.add(log.position(e.source()), "", "TOML syntax error: " + std::string(e.description()));
    }
    issues.insert(issues.end(), log.issues().begin(), log.issues().end());
  }
  if (!issues.empty()) throw CaseError(std::move(issues));
  return library;
}

const Material* MaterialLibrary::find(const std::string& name) const {
  auto it = materials_.find(name);
  return it == materials_.end() ? nullptr : &it->second;
}

void MaterialLibrary::add(Material m) {
  const std::string name = m.name;
  materials_[name] = std::move(m);
}

std::vector<std::string> MaterialLibrary::names() const {
  std::vector<std::string> out;
  for (const auto& [name, m] : materials_) out.push_back(name);
  return out;
}

std::string default_library_directory() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("ROTORMAG_MATERIALS"); env && *env) return env;
#ifdef ROTORMAG_SOURCE_MATERIALS
  if (fs::is_directory(ROTORMAG_SOURCE_MATERIALS)) return ROTORMAG_SOURCE_MATERIALS;
#endif
  // Installed layout: <prefix>/bin/rotormag and <prefix>/share/rotormag/materials,
  // or a `materials` folder beside the executable.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate : {exe.parent_path() / "materials",
                                     exe.parent_path().parent_path() / "share" / "rotormag" / "materials"})
      if (fs::is_directory(candidate)) return candidate.string();
  }
  return "cases/materials";
}

}  // namespace rotormag::cases

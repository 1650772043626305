// The material library: TOML files with one table per material, every value
// with units in its key name and a `source`. Converted to SI on reading.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cases/case.hpp"
#include "cases/material_reader.hpp"
#include "cases/spellings.hpp"

namespace rotormag::cases {

namespace {
// The price scenarios live beside the materials, in this one file.
const char* const price_file_name = "prices.toml";
}  // namespace

namespace detail {
namespace {

const std::vector<std::string> kinds = {"linear", "magnet", "bh_curve", "exponential_reluctivity"};

void read_linear(TableReader& r, Material& m) {
  if (auto mu_r = r.number("mu_r", true)) {
    if (!(*mu_r > 0)) r.invalid("mu_r", "relative permeability must be > 0, got " + fmt_number(*mu_r));
    m.mu_r = *mu_r;
  }
}

std::optional<std::string> one_of(TableReader& r, const char* key, const std::vector<std::string>& options,
                                  bool required = false) {
  auto v = r.string(key, required);
  if (!v) return std::nullopt;
  if (std::find(options.begin(), options.end(), *v) != options.end()) return v;
  std::string list;
  for (const auto& o : options) list += (list.empty() ? "" : ", ") + ("'" + o + "'");
  r.invalid(key, "expected one of " + list + ", got '" + *v + "'" + did_you_mean(*v, options));
  return std::nullopt;
}

// The same for an enumeration, spelled as in its table (spellings.hpp).
template <typename E>
std::optional<E> one_of(TableReader& r, const char* key, const Choices<E>& choices) {
  auto v = one_of(r, key, choice_names(choices));
  if (!v) return std::nullopt;
  return parse_choice(*v, choices);
}

// A number in [lo, hi] (or (lo, hi] with open_low), with the unit for the message.
std::optional<double> number_in(TableReader& r, const char* key, double lo, double hi, const std::string& what,
                                bool open_low = false, bool required = false) {
  auto v = r.number(key, required);
  if (!v) return std::nullopt;
  const bool ok = (open_low ? *v > lo : *v >= lo) && *v <= hi;
  if (!ok) {
    r.invalid(key, what + " must be in " + (open_low ? "(" : "[") + fmt_number(lo) + ", " + fmt_number(hi) +
                       "], got " + fmt_number(*v));
    return std::nullopt;
  }
  return v;
}

void read_knee(TableReader& r, MagnetGrade& g) {
  if (auto v = number_in(r, "squareness", 0.5, 0.999, "squareness Hk/HcJ (Hk at J = 0.9 Jr)")) g.squareness = *v;
  if (auto v = one_of(r, "knee_confidence", knee_confidences)) g.knee_confidence = *v;
}

void read_composition(TableReader& r, MagnetGrade& g) {
  MagnetComposition& c = g.composition;
  for (const char* key : {"Dy_wt_pct", "Tb_wt_pct", "RE_wt_pct", "Ce_fraction_of_RE", "composition_confidence"})
    if (r.has(key)) c.stated = true;
  if (auto v = number_in(r, "Dy_wt_pct", 0.0, 15.0, "bulk Dy content (percent of the magnet mass)")) c.Dy_wt_pct = *v;
  if (auto v = number_in(r, "Tb_wt_pct", 0.0, 15.0, "bulk Tb content (percent of the magnet mass)")) c.Tb_wt_pct = *v;
  if (auto v = number_in(r, "RE_wt_pct", 20.0, 40.0, "total rare-earth content (percent of the magnet mass)"))
    c.RE_wt_pct = *v;
  if (auto v = number_in(r, "Ce_fraction_of_RE", 0.0, 0.99, "Ce share of the rare-earth mass")) c.Ce_fraction_of_RE = *v;
  if (auto v = one_of(r, "composition_confidence", composition_confidences)) c.confidence = *v;
  if (c.stated && c.Dy_wt_pct + c.Tb_wt_pct + c.Ce_fraction_of_RE * c.RE_wt_pct > c.RE_wt_pct)
    r.invalid("RE_wt_pct", "Dy + Tb + Ce (" + fmt_number(c.Dy_wt_pct + c.Tb_wt_pct + c.Ce_fraction_of_RE * c.RE_wt_pct) +
                               " wt%) exceed the rare-earth content " + fmt_number(c.RE_wt_pct) + " wt%");
}

void read_gbd(TableReader& r, MagnetGrade& g) {
  GbdTreatment& t = g.gbd;
  const std::vector<const char*> keys = {"gbd_wt_pct", "gbd_HcJ_gain_kA_per_m", "gbd_depth_mm",
                                         "gbd_beta_gain_pct_per_C", "gbd_profile_confidence"};
  auto element = one_of(r, "gbd_element", gbd_elements);
  if (element) t.element = *element;
  if (!t.present()) {
    for (const char* key : keys)
      if (r.has(key)) {
        r.raw(key);
        if (!(r.has("gbd_element") && !element))   // a bad gbd_element is already reported
          r.invalid(key, std::string(key) + " needs gbd_element = \"Tb\" or \"Dy\"");
      }
    return;
  }
  if (auto v = number_in(r, "gbd_wt_pct", 0.0, 3.0, "HRE taken up by diffusion (percent of the magnet mass)", true, true))
    t.wt_pct = *v;
  if (auto v = number_in(r, "gbd_HcJ_gain_kA_per_m", 0.0, 1500.0, "HcJ gain at a diffused face", true, true))
    t.surface_gain_A_per_m = *v * 1e3;
  if (auto v = number_in(r, "gbd_depth_mm", 0.0, 100.0, "decay length of the GBD gain", true, true))
    t.depth_m = *v * 1e-3;
  if (auto v = r.number("gbd_beta_gain_pct_per_C")) {
    if (std::abs(*v) > 2.0)
      r.invalid("gbd_beta_gain_pct_per_C", "|beta| above 2 %/C is not a magnet coefficient, got " + fmt_number(*v));
    t.beta_gain_per_K = *v / 100.0;
  }
  if (auto v = one_of(r, "gbd_profile_confidence", curve_confidences)) t.profile_confidence = *v;
}

// J at h by linear interpolation, and where it crosses zero (for the consistency checks only).
double linear_zero(const std::vector<double>& h, const std::vector<double>& J) {
  for (std::size_t i = 0; i + 1 < J.size(); ++i)
    if (J[i] > 0 && J[i + 1] <= 0) return h[i] + (h[i + 1] - h[i]) * J[i] / (J[i] - J[i + 1]);
  return h.back();
}

void read_jh_curves(TableReader& r, MagnetGrade& g) {
  const bool present = r.has("jh_curve");
  auto confidence = one_of(r, "curves_confidence", curve_confidences);
  if (confidence) g.curves_confidence = *confidence;
  if (!present) {
    if (r.has("curves_confidence")) r.invalid("curves_confidence", "curves_confidence without [[...jh_curve]] tables");
    return;
  }
  if (!r.has("curves_confidence")) r.missing("curves_confidence");
  const toml::array* tables = r.tables("jh_curve");
  if (!tables) return;
  if (tables->size() < 2) {
    r.invalid("jh_curve", "measured J-H curves need at least 2 temperatures (3 or more recommended), got " +
                              std::to_string(tables->size()));
    return;
  }
  std::vector<JHCurve> curves;
  bool ok = true;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    TableReader cr(r.log(), *tables->get(i)->as_table(), r.child("jh_curve") + "[" + std::to_string(i) + "]");
    JHCurve c;
    auto T = cr.number("temperature_C", true);
    auto h = cr.numbers("h_kA_per_m", true);
    auto J = cr.numbers("J_T", true);
    cr.finish();
    if (!T || !h || !J) { ok = false; continue; }
    c.temperature_C = *T;
    if (*T < -60.0 || *T > 350.0) { cr.invalid("temperature_C", "expected -60..350 C, got " + fmt_number(*T)); ok = false; }
    if (h->size() != J->size()) {
      cr.invalid("J_T", "h_kA_per_m has " + std::to_string(h->size()) + " points but J_T has " + std::to_string(J->size()));
      ok = false;
      continue;
    }
    if (h->size() < 4) {
      cr.invalid("h_kA_per_m", "a J-H curve needs at least 4 points, got " + std::to_string(h->size()));
      ok = false;
      continue;
    }
    if ((*h)[0] != 0.0) { cr.invalid("h_kA_per_m", "a J-H curve starts at h = 0 (J = Jr there)"); ok = false; continue; }
    bool shape_ok = true;
    for (std::size_t k = 1; k < h->size() && shape_ok; ++k) {
      if (!((*h)[k] > (*h)[k - 1])) {
        cr.invalid("h_kA_per_m", "h_kA_per_m must be strictly increasing: point " + std::to_string(k) + " (" +
                                     fmt_number((*h)[k]) + ") is not above point " + std::to_string(k - 1));
        shape_ok = false;
      } else if (!((*J)[k] < (*J)[k - 1])) {
        cr.invalid("J_T", "J_T must be strictly decreasing (J falls as the demagnetizing field grows): point " +
                              std::to_string(k) + " (" + fmt_number((*J)[k]) + ") is not below point " +
                              std::to_string(k - 1));
        shape_ok = false;
      }
    }
    if (shape_ok && !((*J)[0] > 0 && (*J)[0] <= max_remanence_T)) {
      cr.invalid("J_T", "J at h = 0 (the remanence) must be in (0, 1.6] T, got " + fmt_number((*J)[0]));
      shape_ok = false;
    }
    if (shape_ok && !(J->back() <= 0.0)) {
      cr.invalid("J_T", "the curve must reach J <= 0 (cover HcJ); last J = " + fmt_number(J->back()) + " T");
      shape_ok = false;
    }
    if (!shape_ok) { ok = false; continue; }
    for (double v : *h) c.h_A_per_m.push_back(v * 1e3);
    c.J_T = *J;
    for (const JHCurve& other : curves)
      if (other.temperature_C == c.temperature_C) {
        cr.invalid("temperature_C", "two J-H curves at " + fmt_number(c.temperature_C) + " C");
        ok = false;
      }
    // The curve at 20 C and the grade's Br20/HcJ20 must tell the same story.
    if (c.temperature_C == 20.0 && g.Br20_T > 0 && g.HcJ20_A_per_m > 0) {
      if (std::abs(c.J_T[0] - g.Br20_T) > 0.02 * g.Br20_T) {
        cr.invalid("J_T", "J at h = 0 (" + fmt_number(c.J_T[0]) + " T) differs from Br20_T (" + fmt_number(g.Br20_T) +
                              " T) by more than 2 %");
        ok = false;
      }
      const double HcJ = linear_zero(c.h_A_per_m, c.J_T);
      if (std::abs(HcJ - g.HcJ20_A_per_m) > 0.05 * g.HcJ20_A_per_m) {
        cr.invalid("J_T", "the curve's HcJ (" + fmt_number(HcJ / 1e3) + " kA/m) differs from HcJ20_kA_per_m (" +
                              fmt_number(g.HcJ20_A_per_m / 1e3) + ") by more than 5 %");
        ok = false;
      }
    }
    curves.push_back(std::move(c));
  }
  if (ok) g.jh_curves = std::move(curves);
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
  if (auto v = r.number("mu_rec_per_C")) {
    if (!(std::abs(*v) <= 0.01))
      r.invalid("mu_rec_per_C", "drift of mu_rec must be within +-0.01 per C (FEMM N30EH: +0.00074), got " + fmt_number(*v));
    g.mu_rec_per_K = *v;
  }
  read_knee(r, g);
  read_composition(r, g);
  read_gbd(r, g);
  read_jh_curves(r, g);
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
      if (file.filename() == price_file_name) detail::read_price_file(log, root, library);
      else detail::read_material_file(log, root, library);
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

const PriceScenario* MaterialLibrary::price_scenario(const std::string& name) const {
  auto it = price_scenarios_.find(name.empty() ? default_price_scenario_ : name);
  return it == price_scenarios_.end() ? nullptr : &it->second;
}

std::vector<std::string> MaterialLibrary::price_scenario_names() const {
  std::vector<std::string> out;
  for (const auto& [name, s] : price_scenarios_) out.push_back(name);
  return out;
}

void MaterialLibrary::add_price_scenario(PriceScenario s, bool make_default) {
  const std::string name = s.name;
  price_scenarios_[name] = std::move(s);
  if (make_default || default_price_scenario_.empty()) default_price_scenario_ = name;
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

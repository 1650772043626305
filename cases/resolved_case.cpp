// The resolved case as TOML: the case-file format with every default filled
// in and the materials it uses copied in full, so that the results file alone
// is enough to repeat a run (even after the library changes).
#include <cmath>
#include <sstream>

#include <toml++/toml.h>

#include "cases/case_schema.hpp"
#include "cases/demag_schema.hpp"
#include "cases/motor_schema.hpp"

namespace rotormag::cases::detail {
namespace {

constexpr double mm = 1e-3;
constexpr double pi = 3.14159265358979323846;

template <typename T>
toml::array to_array(const std::vector<T>& values, double scale = 1.0) {
  toml::array a;
  for (const auto& v : values) {
    if constexpr (std::is_arithmetic_v<T>) a.push_back(v / scale);
    else a.push_back(v);
  }
  return a;
}

toml::table material_table(const Material& m) {
  toml::table t;
  switch (m.kind) {
    case Material::Kind::linear:
      t.insert("kind", "linear");
      t.insert("mu_r", m.mu_r);
      break;
    case Material::Kind::magnet: {
      const MagnetGrade& g = m.grade;
      t.insert("kind", "magnet");
      t.insert("Br20_T", g.Br20_T);
      t.insert("HcJ20_kA_per_m", g.HcJ20_A_per_m / 1e3);
      if (g.HcB_A_per_m > 0) t.insert("HcB_kA_per_m", g.HcB_A_per_m / 1e3);   // optional: 0 is "not given"
      t.insert("alpha_Br_pct_per_C", g.alpha_Br_per_K * 100);
      t.insert("beta_HcJ_pct_per_C", g.beta_HcJ_per_K * 100);
      t.insert("coefficient_range_C", toml::array{g.coefficient_range_low_C, g.coefficient_range_high_C});
      t.insert("mu_rec", g.mu_rec);
      t.insert("density_g_per_cm3", g.density_kg_per_m3 / 1e3);
      t.insert("max_working_temperature_C", g.max_working_temperature_C);
      t.insert("mu_rec_per_C", g.mu_rec_per_K);
      t.insert("squareness", g.squareness);
      t.insert("knee_confidence", knee_confidence_name(g.knee_confidence));
      if (g.composition.stated) {
        t.insert("Dy_wt_pct", g.composition.Dy_wt_pct);
        t.insert("Tb_wt_pct", g.composition.Tb_wt_pct);
        t.insert("RE_wt_pct", g.composition.RE_wt_pct);
        t.insert("Ce_fraction_of_RE", g.composition.Ce_fraction_of_RE);
        t.insert("composition_confidence", composition_confidence_name(g.composition.confidence));
      }
      if (g.gbd.present()) {
        t.insert("gbd_element", gbd_element_name(g.gbd.element));
        t.insert("gbd_wt_pct", g.gbd.wt_pct);
        t.insert("gbd_HcJ_gain_kA_per_m", g.gbd.surface_gain_A_per_m / 1e3);
        t.insert("gbd_depth_mm", g.gbd.depth_m / mm);
        if (!std::isnan(g.gbd.beta_gain_per_K)) t.insert("gbd_beta_gain_pct_per_C", g.gbd.beta_gain_per_K * 100);
        t.insert("gbd_profile_confidence", curve_confidence_name(g.gbd.profile_confidence));
      }
      if (!g.jh_curves.empty()) {
        t.insert("curves_confidence", curve_confidence_name(g.curves_confidence));
        toml::array curves;
        for (const JHCurve& c : g.jh_curves)
          curves.push_back(toml::table{{"temperature_C", c.temperature_C},
                                       {"h_kA_per_m", to_array(c.h_A_per_m, 1e3)},
                                       {"J_T", to_array(c.J_T)}});
        t.insert("jh_curve", std::move(curves));
      }
      break;
    }
    case Material::Kind::bh_curve:
      t.insert("kind", "bh_curve");
      t.insert("B_T", to_array(m.curve.B_T));
      t.insert("H_A_per_m", to_array(m.curve.H_A_per_m));
      break;
    case Material::Kind::exponential_reluctivity:
      t.insert("kind", "exponential_reluctivity");
      t.insert("nu_a_m_per_H", m.nu_a);
      t.insert("nu_b_m_per_H", m.nu_b);
      t.insert("nu_c_per_T2", m.nu_c);
      break;
  }
  t.insert("source", m.source);
  if (!m.note.empty()) t.insert("note", m.note);
  return t;
}

toml::table mesh_table(const MeshSpec& spec) {
  toml::table t;
  switch (spec.kind) {
    case MeshSpec::Kind::file:
      t.insert("file", spec.file);  // already resolved to a full path
      break;
    case MeshSpec::Kind::ipm_v_rotor: {
      t.insert("template", "ipm_v_rotor");
      toml::table g;
      for (const IpmField& f : ipm_v_rotor_fields()) {
        if (f.unit == IpmField::Unit::count) g.insert(f.key, spec.ipm_v_rotor.*f.count);
        else if (f.unit != IpmField::Unit::length) g.insert(f.key, spec.ipm_v_rotor.*f.real);
        else g.insert(f.key, spec.ipm_v_rotor.*f.real / mm);
      }
      t.insert("ipm_v_rotor", std::move(g));
      break;
    }
    case MeshSpec::Kind::concentric_layers: {
      t.insert("template", "concentric_layers");
      toml::table g;
      g.insert("radii_mm", to_array(spec.layers.radii_m, mm));
      g.insert("regions", to_array(spec.layers.region_names));
      if (!spec.layers.element_size_m.empty()) g.insert("element_size_mm", to_array(spec.layers.element_size_m, mm));
      g.insert("outer_boundary", spec.layers.outer_boundary);
      t.insert("concentric_layers", std::move(g));
      break;
    }
    case MeshSpec::Kind::motor:
      t.insert("template", "motor");
      t.insert("motor", motor_mesh_table(spec.motor));
      break;
  }
  t.insert("order", spec.options.order);
  t.insert("element_size_mm", spec.options.element_size_m / mm);
  return t;
}

}  // namespace

std::string write_resolved_toml(const Case& c) {
  toml::table root;
  root.insert("schema_version", c.schema_version);
  root.insert("name", c.name);
  root.insert("temperature_C", c.temperature_C);
  root.insert("mesh", mesh_table(c.mesh));

  toml::array regions;
  for (const auto& b : c.regions) {
    toml::table t;
    t.insert("name", b.pattern);
    t.insert("material", b.material);
    auto it = c.materials.find(b.material);
    if (it != c.materials.end() && it->second.kind == Material::Kind::magnet) {
      switch (b.magnetization.kind) {
        case Magnetization::Kind::from_mesh: t.insert("magnetization", "mesh"); break;
        case Magnetization::Kind::parallel:
          t.insert("magnetization", toml::table{{"direction", "parallel"},
                                                {"angle_deg", b.magnetization.angle_rad * 180.0 / pi}});
          break;
        case Magnetization::Kind::radial:
          t.insert("magnetization", toml::table{{"direction", "radial"}, {"outward", b.magnetization.sign > 0}});
          break;
      }
    }
    t.insert("current_density_A_per_m2", b.current_density_A_per_m2);
    regions.push_back(std::move(t));
  }
  root.insert("region", std::move(regions));

  toml::array boundaries;
  for (const auto& d : c.dirichlet)
    boundaries.push_back(toml::table{{"name", d.boundary}, {"type", "dirichlet"}, {"value_Wb_per_m", d.value_Wb_per_m}});
  if (!boundaries.empty()) root.insert("boundary", std::move(boundaries));

  const SolverSettings& s = c.solver;
  if (c.motor.present) root.insert("motor", motor_table(c));
  if (c.demag.present) root.insert("demag", demag_table(c));

  root.insert("solver", toml::table{{"newton_max_iterations", s.newton_max_iterations},
                                    {"newton_residual_tolerance", s.newton_residual_tolerance},
                                    {"newton_update_tolerance", s.newton_update_tolerance},
                                    {"line_search", s.line_search},
                                    {"cg_relative_tolerance", s.cg_relative_tolerance},
                                    {"cg_max_iterations", s.cg_max_iterations},
                                    {"preconditioner", preconditioner_name(s.preconditioner)}});

  // Copied in full as a record of the numbers used. load_case accepts and
  // ignores this table: the library stays the one authority on a name.
  toml::table materials;
  for (const auto& [name, m] : c.materials) materials.insert(name, material_table(m));
  root.insert("resolved_materials", std::move(materials));

  std::ostringstream out;
  out << "# Resolved case: defaults filled in, materials copied from the library.\n" << root << '\n';
  return out.str();
}

}  // namespace rotormag::cases::detail

// load_case: case file (TOML) -> typed Case, every problem collected with its
// position before anything is thrown. The schema is documented in
// docs/case-file.md; keep the two in step.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "cases/case.hpp"
#include "cases/case_schema.hpp"
#include "cases/demag_schema.hpp"
#include "cases/material_reader.hpp"
#include "cases/motor_schema.hpp"

namespace rotormag::cases {
namespace detail {

const std::vector<IpmField>& ipm_v_rotor_fields() {
  using M = mesh::SlotlessVRotor;
  using U = IpmField::Unit;
  static const std::vector<IpmField> fields = {
      {U::count, "poles", nullptr, &M::poles},
      {U::length, "shaft_radius_mm", &M::shaft_radius_m},
      {U::length, "rotor_outer_radius_mm", &M::rotor_outer_radius_m},
      {U::length, "airgap_mm", &M::airgap_m},
      {U::length, "stator_outer_radius_mm", &M::stator_outer_radius_m},
      {U::length, "magnet_length_mm", &M::magnet_length_m},
      {U::length, "magnet_thickness_mm", &M::magnet_thickness_m},
      {U::angle, "v_angle_deg", &M::v_angle_deg},
      {U::length, "magnet_depth_mm", &M::magnet_depth_m},
      {U::length, "center_web_mm", &M::center_web_m},
      {U::length, "bridge_mm", &M::bridge_m},
      {U::length, "airgap_element_size_mm", &M::airgap_element_size_m, nullptr, true},
      {U::length, "magnet_element_size_mm", &M::magnet_element_size_m, nullptr, true},
      {U::plain, "size_grading", &M::size_grading},
  };
  return fields;
}

namespace {

constexpr double mm = 1e-3;
constexpr double pi = 3.14159265358979323846;
const std::vector<std::string> mesh_templates = {"ipm_v_rotor", "concentric_layers", "motor"};

void read_ipm_v_rotor(TableReader& r, mesh::SlotlessVRotor& g) {
  for (const IpmField& f : ipm_v_rotor_fields()) {
    if (f.unit == IpmField::Unit::count) {
      if (auto v = r.integer(f.key)) {
        if (*v < 2 || *v % 2 != 0) r.invalid(f.key, "number of poles must be even and >= 2, got " + std::to_string(*v));
        else g.*f.count = static_cast<int>(*v);
      }
      continue;
    }
    auto v = r.number(f.key);
    if (!v) continue;
    if (f.unit == IpmField::Unit::plain) {
      if (!(*v > 0)) r.invalid(f.key, "must be > 0, got " + fmt_number(*v));
      else g.*f.real = *v;
    } else if (f.unit == IpmField::Unit::angle) {
      if (!(*v > 0 && *v < 180)) r.invalid(f.key, "angle must be in (0, 180) degrees, got " + fmt_number(*v));
      else g.*f.real = *v;
    } else {
      // Checked after the conversion too: 5e-324 mm is > 0 but 0 m.
      const bool ok = f.zero_means_default ? (*v == 0 || *v * mm > 0) : *v * mm > 0;
      if (!ok || !std::isfinite(*v))
        r.invalid(f.key, std::string("length must be ") + (f.zero_means_default ? ">= 0" : "> 0") +
                             " mm, got " + fmt_number(*v));
      else g.*f.real = *v * mm;
    }
  }
  if (!(g.shaft_radius_m < g.rotor_outer_radius_m))
    r.invalid("shaft_radius_mm", "the shaft must lie inside the rotor (shaft_radius_mm < rotor_outer_radius_mm)");
  if (!(g.rotor_outer_radius_m + g.airgap_m < g.stator_outer_radius_m))
    r.invalid("stator_outer_radius_mm", "the stator must lie outside the air gap "
                                        "(rotor_outer_radius_mm + airgap_mm < stator_outer_radius_mm)");
  r.finish();
}

void read_concentric_layers(TableReader& r, mesh::ConcentricLayers& g) {
  auto radii = r.numbers("radii_mm", true);
  auto names = r.strings("regions", true);
  auto sizes = r.numbers("element_size_mm");
  if (auto outer = r.string("outer_boundary")) {
    if (outer->empty()) r.invalid("outer_boundary", "boundary name must not be empty");
    g.outer_boundary = *outer;
  }
  if (radii) {
    bool ok = !radii->empty();
    if (!ok) r.invalid("radii_mm", "at least one radius is required");
    for (std::size_t i = 0; ok && i < radii->size(); ++i) {
      if (!((*radii)[i] * mm > (i ? (*radii)[i - 1] * mm : 0.0)) || !std::isfinite((*radii)[i])) {
        r.invalid("radii_mm", "radii must be positive and strictly increasing: radius " + std::to_string(i) + " (" +
                                  fmt_number((*radii)[i]) + " mm) is not above " + (i ? fmt_number((*radii)[i - 1]) : "0") +
                                  " mm");
        ok = false;
      }
    }
    if (ok)
      for (double radius : *radii) g.radii_m.push_back(radius * mm);
  }
  if (names) {
    if (radii && names->size() != radii->size())
      r.invalid("regions", "one region name per layer: " + std::to_string(radii->size()) + " radii but " +
                               std::to_string(names->size()) + " region names");
    for (const auto& name : *names)
      if (name.empty()) r.invalid("regions", "region names must not be empty");
    g.region_names = *names;
  }
  if (sizes) {
    if (radii && sizes->size() != radii->size())
      r.invalid("element_size_mm", "one element size per layer: " + std::to_string(radii->size()) + " radii but " +
                                       std::to_string(sizes->size()) + " sizes");
    for (double s : *sizes) {
      if (!(s * mm > 0) || !std::isfinite(s)) {
        r.invalid("element_size_mm", "element sizes must be > 0 mm, got " + fmt_number(s));
        break;
      }
      g.element_size_m.push_back(s * mm);
    }
  }
  r.finish();
}

// Returns whether [mesh] names a valid template or file (spec.kind is then set).
bool read_mesh(TableReader& r, const std::filesystem::path& case_dir, MeshSpec& spec) {
  bool known = false;
  spec.where = r.where();
  auto template_name = r.string("template");
  auto file = r.string("file");
  const toml::node* ipm_node = r.raw("ipm_v_rotor");
  const toml::node* layers_node = r.raw("concentric_layers");
  const toml::node* motor_node = r.raw("motor");
  if (auto order = r.integer("order")) {
    if (*order != 1 && *order != 2) r.invalid("order", "element order must be 1 or 2, got " + std::to_string(*order));
    else spec.options.order = static_cast<int>(*order);
  }
  if (auto size = r.number("element_size_mm")) {
    if (!(*size * mm > 0) || !std::isfinite(*size))
      r.invalid("element_size_mm", "element size must be > 0 mm, got " + fmt_number(*size));
    else spec.options.element_size_m = *size * mm;
  }

  auto parameter_table = [&](const toml::node* node, const char* key) -> const toml::table* {
    if (!node) return nullptr;
    if (auto t = node->as_table()) return t;
    r.log().add(*node, r.child(key), "expected a table, got " + describe_type(*node));
    return nullptr;
  };
  auto reject_table = [&](const toml::node* node, const char* key, const std::string& why) {
    if (node) r.log().add(*node, r.child(key), "[mesh." + std::string(key) + "] given but " + why);
  };

  if (template_name && file) {
    r.invalid("file", "give either mesh.template or mesh.file, not both");
  } else if (!template_name && !file) {
    if (!r.has("template") && !r.has("file"))
      r.log().add(r.where(), "mesh", "missing 'template' (ipm_v_rotor, concentric_layers, motor) or 'file' (a .msh)");
  } else if (file) {
    spec.kind = MeshSpec::Kind::file;
    known = true;
    std::filesystem::path p(*file);
    if (p.is_relative()) p = case_dir / p;
    p = p.lexically_normal();
    spec.file = p.string();
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec))
      r.invalid("file", "mesh file is a directory, not a .msh file: " + spec.file);
    else if (!std::filesystem::is_regular_file(p, ec))
      r.invalid("file", "mesh file not found: " + spec.file);
    reject_table(ipm_node, "ipm_v_rotor", "the mesh comes from a file");
    reject_table(layers_node, "concentric_layers", "the mesh comes from a file");
    reject_table(motor_node, "motor", "the mesh comes from a file (a motor .msh is described in [motor])");
  } else if (*template_name == "ipm_v_rotor") {
    spec.kind = MeshSpec::Kind::ipm_v_rotor;
    known = true;
    reject_table(layers_node, "concentric_layers", "mesh.template is 'ipm_v_rotor'");
    reject_table(motor_node, "motor", "mesh.template is 'ipm_v_rotor'");
    if (auto t = parameter_table(ipm_node, "ipm_v_rotor")) {
      TableReader sub(r.log(), *t, r.child("ipm_v_rotor"));
      read_ipm_v_rotor(sub, spec.ipm_v_rotor);
    }
  } else if (*template_name == "concentric_layers") {
    spec.kind = MeshSpec::Kind::concentric_layers;
    known = true;
    reject_table(ipm_node, "ipm_v_rotor", "mesh.template is 'concentric_layers'");
    reject_table(motor_node, "motor", "mesh.template is 'concentric_layers'");
    if (!layers_node) r.log().add(r.where(), r.child("concentric_layers"),
                                  "template 'concentric_layers' needs a [mesh.concentric_layers] table");
    if (auto t = parameter_table(layers_node, "concentric_layers")) {
      TableReader sub(r.log(), *t, r.child("concentric_layers"));
      read_concentric_layers(sub, spec.layers);
    }
  } else if (*template_name == "motor") {
    spec.kind = MeshSpec::Kind::motor;
    known = true;
    reject_table(ipm_node, "ipm_v_rotor", "mesh.template is 'motor'");
    reject_table(layers_node, "concentric_layers", "mesh.template is 'motor'");
    if (auto t = parameter_table(motor_node, "motor")) {
      TableReader sub(r.log(), *t, r.child("motor"));
      read_mesh_motor(sub, spec.motor);
    }
  } else {
    r.invalid("template", "unknown mesh template '" + *template_name + "' (ipm_v_rotor, concentric_layers, motor)" +
                              did_you_mean(*template_name, mesh_templates));
  }
  r.finish();
  return known;
}

// `magnetization = "mesh"` or an inline table {direction = "parallel", angle_deg = ...}
// / {direction = "radial", outward = true}.
bool read_magnetization(TableReader& r, Magnetization& out) {
  const toml::node* node = r.raw("magnetization");
  if (!node) return false;
  const std::string path = r.child("magnetization");
  if (auto s = node->as_string()) {
    if (s->get() != "mesh")
      r.log().add(*node, path, "expected \"mesh\" or a table {direction = \"parallel\", angle_deg = ...} / "
                               "{direction = \"radial\", outward = true}, got \"" + s->get() + "\"");
    out.kind = Magnetization::Kind::from_mesh;
    return true;
  }
  const toml::table* t = node->as_table();
  if (!t) {
    r.log().add(*node, path, "expected \"mesh\" or a table {direction = ...}, got " + describe_type(*node));
    return true;
  }
  TableReader m(r.log(), *t, path);
  static const std::vector<std::string> directions = {"mesh", "parallel", "radial"};
  auto direction = m.string("direction", true);
  auto angle = m.number("angle_deg");
  auto outward = m.boolean("outward");
  if (direction) {
    if (*direction == "mesh") {
      out.kind = Magnetization::Kind::from_mesh;
    } else if (*direction == "parallel") {
      out.kind = Magnetization::Kind::parallel;
      if (!angle) { if (!m.has("angle_deg")) m.missing("angle_deg"); }
      else out.angle_rad = *angle * pi / 180.0;
      if (outward) m.invalid("outward", "'outward' is for radial magnetization");
    } else if (*direction == "radial") {
      out.kind = Magnetization::Kind::radial;
      out.sign = outward.value_or(true) ? 1.0 : -1.0;
      if (angle) m.invalid("angle_deg", "'angle_deg' is for parallel magnetization");
    } else {
      m.invalid("direction", "unknown direction '" + *direction + "' (mesh, parallel, radial)" +
                                 did_you_mean(*direction, directions));
    }
  }
  m.finish();
  return true;
}

std::string lookup_hint(const std::string& name, const MaterialLibrary& local, const MaterialLibrary& library) {
  auto names = library.names();
  for (auto& n : local.names()) names.push_back(n);
  return did_you_mean(name, names);
}

void read_region(TableReader& r, const MaterialLibrary& local, const MaterialLibrary& library,
                 const std::set<std::string>& declared_local, std::map<std::string, SourcePosition>& seen, Case& c) {
  RegionBinding b;
  b.where = r.where();
  if (auto name = r.string("name", true)) {
    if (name->empty()) r.invalid("name", "region name must not be empty");
    auto [it, fresh] = seen.emplace(*name, r.log().position(*r.table().get("name")));
    if (!fresh) r.invalid("name", "region '" + *name + "' is bound twice (first at line " +
                                      std::to_string(it->second.line) + ")");
    b.pattern = *name;
  }
  const Material* material = nullptr;
  if (auto name = r.string("material", true)) {
    material = local.find(*name);
    if (!material) material = library.find(*name);
    // A case-local material that failed its own checks is already reported
    // there; calling it unknown as well would mislead.
    if (!material && !declared_local.count(*name))
      r.invalid("material", "unknown material '" + *name + "'" + lookup_hint(*name, local, library));
    b.material = *name;
  }
  const bool explicit_magnetization = read_magnetization(r, b.magnetization);
  if (material && material->kind != Material::Kind::magnet && explicit_magnetization)
    r.invalid("magnetization", "magnetization is only for magnet materials; '" + material->name + "' is not a magnet");
  if (auto j = r.number("current_density_A_per_m2")) b.current_density_A_per_m2 = *j;
  r.finish();
  if (material) c.materials[material->name] = *material;
  c.regions.push_back(std::move(b));
}

void read_boundary(TableReader& r, std::map<std::string, int>& seen, Case& c) {
  DirichletBoundary d;
  d.where = r.where();
  if (auto name = r.string("name", true)) {
    if (name->empty()) r.invalid("name", "boundary name must not be empty");
    auto [it, fresh] = seen.emplace(*name, d.where.line);
    if (!fresh) r.invalid("name", "boundary '" + *name + "' is given twice (first at line " +
                                      std::to_string(it->second) + ")");
    d.boundary = *name;
  }
  static const std::vector<std::string> types = {"dirichlet"};
  if (auto type = r.string("type", true))
    if (*type != "dirichlet")
      r.invalid("type", "unknown boundary type '" + *type + "' (only \"dirichlet\"; natural boundaries need no entry)" +
                            did_you_mean(*type, types));
  if (auto v = r.number("value_Wb_per_m")) d.value_Wb_per_m = *v;
  r.finish();
  c.dirichlet.push_back(std::move(d));
}

void read_solver(TableReader& r, SolverSettings& s) {
  auto positive_count = [&](const char* key, int& out) {
    if (auto v = r.integer(key)) {
      if (*v < 1) r.invalid(key, "must be >= 1, got " + std::to_string(*v));
      else out = static_cast<int>(*v);
    }
  };
  auto tolerance = [&](const char* key, double& out) {
    if (auto v = r.number(key)) {
      if (!(*v > 0 && *v < 1)) r.invalid(key, "tolerance must be in (0, 1), got " + fmt_number(*v));
      else out = *v;
    }
  };
  positive_count("newton_max_iterations", s.newton_max_iterations);
  tolerance("newton_residual_tolerance", s.newton_residual_tolerance);
  tolerance("newton_update_tolerance", s.newton_update_tolerance);
  if (auto v = r.boolean("line_search")) s.line_search = *v;
  tolerance("cg_relative_tolerance", s.cg_relative_tolerance);
  positive_count("cg_max_iterations", s.cg_max_iterations);
  if (auto v = r.string("preconditioner")) {
    if (auto p = parse_preconditioner(*v))
      s.preconditioner = *p;
    else
      r.invalid("preconditioner",
                "preconditioner must be \"multigrid\", \"multigrid-single\" or \"jacobi\", got \"" + *v + "\"");
  }
  r.finish();
}

void read_case(IssueLog& log, const toml::table& root, const std::filesystem::path& file,
               const MaterialLibrary& library, Case& c) {
  TableReader r(log, root, "");
  if (!r.has("schema_version")) {
    r.raw("schema_version");
    log.add(SourcePosition{log.file(), 1, 1}, "schema_version",
            "missing required key 'schema_version' (this RotorMag reads schema_version = 1)");
  } else if (auto v = r.integer("schema_version")) {
    if (*v != 1) r.invalid("schema_version", "unsupported schema_version " + std::to_string(*v) + " (this RotorMag reads 1)");
  }
  c.name = r.string("name").value_or(file.stem().string());
  if (auto t = r.number("temperature_C")) {
    if (!(*t >= -273.15)) r.invalid("temperature_C", "temperature below absolute zero: " + fmt_number(*t) + " C");
    else if (*t > 400) r.invalid("temperature_C", "temperature above 400 C, past the Curie point of NdFeB (about 310 C): " + fmt_number(*t) + " C");
    else c.temperature_C = *t;
  }
  bool mesh_known = false;
  if (auto t = r.subtable("mesh", true)) {
    TableReader m(log, *t, "mesh");
    mesh_known = read_mesh(m, file.parent_path(), c.mesh);
  }

  // The case's own materials first: bindings may use them.
  MaterialLibrary local;
  std::set<std::string> declared_local;  // names defined in [materials], valid or not
  if (auto t = r.subtable("materials")) {
    for (auto&& [key, node] : *t) {
      const std::string name(key.str());
      declared_local.insert(name);
      const std::string path = "materials." + name;
      if (library.find(name)) {
        // Shadowing a library name would make two runs with the same grade
        // name use different numbers.
        log.add(log.position(key.source()), path,
                "material '" + name + "' is already in the library; give the case's own material another name");
        continue;
      }
      const toml::table* mt = node.as_table();
      if (!mt) { log.add(node, path, "expected a material table, got " + describe_type(node)); continue; }
      TableReader mr(log, *mt, path);
      if (auto m = read_material(mr, name)) local.add(std::move(*m));
    }
  }

  // A resolved case (Case::resolved_toml) carries the case's own materials
  // only in [resolved_materials]: read those back, so that a resolved case
  // loads again. Library names there are ignored: the library stays the one
  // authority on a name.
  if (const toml::node* resolved = r.raw("resolved_materials")) {
    if (const toml::table* t = resolved->as_table()) {
      for (auto&& [key, node] : *t) {
        const std::string name(key.str());
        if (library.find(name) || local.find(name)) continue;
        const std::string path = "resolved_materials." + name;
        const toml::table* mt = node.as_table();
        if (!mt) { log.add(node, path, "expected a material table, got " + describe_type(node)); continue; }
        TableReader mr(log, *mt, path);
        if (auto m = read_material(mr, name)) local.add(std::move(*m));
      }
    } else {
      log.add(*resolved, "resolved_materials", "expected a table, got " + describe_type(*resolved));
    }
  }

  if (!r.has("region")) {
    r.raw("region");
    log.add(SourcePosition{log.file(), 1, 1}, "region", "no [[region]] bindings: every mesh region needs a material");
  } else if (auto regions = r.tables("region")) {
    if (regions->empty())
      r.invalid("region", "empty region list: every mesh region needs a [[region]] binding");
    std::map<std::string, SourcePosition> seen;
    for (std::size_t i = 0; i < regions->size(); ++i) {
      TableReader rr(log, *regions->get(i)->as_table(), "region[" + std::to_string(i) + "]");
      read_region(rr, local, library, declared_local, seen, c);
    }
  }
  if (auto boundaries = r.tables("boundary")) {
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < boundaries->size(); ++i) {
      TableReader br(log, *boundaries->get(i)->as_table(), "boundary[" + std::to_string(i) + "]");
      read_boundary(br, seen, c);
    }
  }
  if (auto t = r.subtable("solver")) {
    TableReader s(log, *t, "solver");
    read_solver(s, c.solver);
  }
  // [motor] last: it checks the winding against [mesh.motor].
  read_motor(r, root, mesh_known, c);
  // [demag] after [motor] (it needs one) and the materials (its candidates are magnets).
  read_demag(r, root, library, local, declared_local, c);
  r.finish();
}

}  // namespace
}  // namespace detail

Case load_case_text(const std::string& text, const std::string& virtual_path, const MaterialLibrary& library) {
  namespace fs = std::filesystem;
  detail::IssueLog log(virtual_path);
  toml::table root;
  try {
    root = toml::parse(std::string_view(text), std::string_view(virtual_path));
  } catch (const toml::parse_error& e) {
    // Syntax errors stop the parse: toml++ cannot recover past them.
    log.add(log.position(e.source()), "", "TOML syntax error: " + std::string(e.description()));
    log.throw_if_any();
  }
  Case c;
  c.path = virtual_path;
  detail::read_case(log, root, fs::path(virtual_path), library, c);
  log.throw_if_any();
  c.resolved_toml = detail::write_resolved_toml(c);
  return c;
}

Case load_case(const std::string& path, const MaterialLibrary& library) {
  namespace fs = std::filesystem;
  detail::IssueLog log(path);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    log.add(SourcePosition{path, 0, 0}, "", "case file not found");
    log.throw_if_any();
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    log.add(SourcePosition{path, 0, 0}, "", "case file could not be read");
    log.throw_if_any();
  }
  return load_case_text(text.str(), path, library);
}

}  // namespace rotormag::cases

// build_mesh: the case's [mesh] table -> a mesh from the template builders or
// a .msh file. All geometry work lives in mesh/; this dispatches, refuses
// what cannot be solved or meshed before Gmsh starts, and turns mesh errors
// into positioned case errors (the key that caused them, or the file key).
#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <regex>

#include "cases/case.hpp"
#include "cases/case_schema.hpp"
#include "cases/motor_mesh_terms.hpp"
#include "cases/toml_reader.hpp"

namespace rotormag::cases {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Largest mesh a case may ask for: about 5 million triangles, estimated
// before meshing as area / (0.43 h^2) per part (0.43 h^2 is the area of an
// equilateral triangle of edge h). Gmsh would take minutes to hours and tens
// of GiB past this, and the solver has no use for such meshes in 2D.
constexpr double kMaxEstimatedTriangles = 5e6;

double triangles_for(double area_m2, double h_m) { return area_m2 / (0.43 * h_m * h_m); }

// Positions of keys in the case file. The typed Case keeps only the [mesh]
// table's position; the file is parsed again (cheaply) when a mesh problem
// has to point at a key.
class KeyLocator {
 public:
  explicit KeyLocator(const Case& c) : c_(c), log_(c.path) {}

  // Position of the value at `dotted` ("mesh.ipm_v_rotor.bridge_mm"), else of
  // its table ("mesh.ipm_v_rotor"), else of [mesh].
  bool has(const std::string& dotted) {
    parse();
    return root_ && root_->at_path(dotted).node() != nullptr;
  }

  SourcePosition operator()(const std::string& dotted) {
    parse();
    if (root_) {
      for (std::string path = dotted; !path.empty();) {
        if (auto node = root_->at_path(path).node()) return log_.position(*node);
        const auto dot = path.rfind('.');
        path = dot == std::string::npos ? "" : path.substr(0, dot);
      }
    }
    SourcePosition where = c_.mesh.where;
    if (where.file.empty()) where.file = c_.path;
    return where;
  }

 private:
  void parse() {
    if (!parsed_) {
      parsed_ = true;
      try {
        root_ = toml::parse_file(c_.path);
      } catch (const std::exception&) {
        root_.reset();
      }
    }
  }

  const Case& c_;
  detail::IssueLog log_;
  bool parsed_ = false;
  std::optional<toml::table> root_;
};

[[noreturn]] void fail(SourcePosition where, const std::string& key, const std::string& message) {
  throw CaseError({CaseIssue{std::move(where), key, message}});
}

// Case-level conditions of the solve that need no mesh.
void check_before_meshing(const Case& c, KeyLocator& locate) {
  if (c.dirichlet.empty())
    fail(SourcePosition{c.path, 1, 1}, "boundary",
         "no [[boundary]] with type = \"dirichlet\": the magnetic vector potential A is defined only up to a "
         "constant, so at least one Dirichlet boundary is needed to fix it (e.g. [[boundary]] name = \"outer\", "
         "type = \"dirichlet\", value_Wb_per_m = 0)");

  // Estimated triangle count: each part's area over its element size.
  struct Part {
    double triangles;
    std::string key;
    double h_m;
  };
  std::vector<Part> parts;
  const double h = c.mesh.options.element_size_m;
  if (c.mesh.kind == MeshSpec::Kind::concentric_layers) {
    const auto& g = c.mesh.layers;
    for (std::size_t i = 0; i < g.radii_m.size(); ++i) {
      const double inner = i ? g.radii_m[i - 1] : 0.0;
      const bool own = i < g.element_size_m.size();
      const double hi = own ? g.element_size_m[i] : h;
      parts.push_back({triangles_for(kPi * (g.radii_m[i] * g.radii_m[i] - inner * inner), hi),
                       own ? "mesh.concentric_layers.element_size_mm" : "mesh.element_size_mm", hi});
    }
  } else if (c.mesh.kind == MeshSpec::Kind::ipm_v_rotor) {
    const auto& g = c.mesh.ipm_v_rotor;
    const double h_gap = g.airgap_element_size_m > 0 ? g.airgap_element_size_m : 0.5 * g.airgap_m;
    const double h_magnet =
        std::max(h_gap, g.magnet_element_size_m > 0 ? g.magnet_element_size_m : std::min(h, g.magnet_thickness_m / 3));
    const double r = g.rotor_outer_radius_m;
    const double gap_area = kPi * ((r + g.airgap_m) * (r + g.airgap_m) - r * r);
    const double magnet_area = 2.0 * g.poles * g.magnet_length_m * g.magnet_thickness_m;
    const double total = kPi * g.stator_outer_radius_m * g.stator_outer_radius_m;
    parts.push_back({triangles_for(std::max(0.0, total - gap_area - magnet_area), h), "mesh.element_size_mm", h});
    parts.push_back({triangles_for(gap_area, h_gap),
                     g.airgap_element_size_m > 0 ? "mesh.ipm_v_rotor.airgap_element_size_mm" : "mesh.ipm_v_rotor.airgap_mm",
                     h_gap});
    parts.push_back({triangles_for(magnet_area, h_magnet),
                     g.magnet_element_size_m > 0 ? "mesh.ipm_v_rotor.magnet_element_size_mm" : "mesh.element_size_mm",
                     h_magnet});
  } else if (c.mesh.kind == MeshSpec::Kind::motor) {
    for (const auto& p : detail::estimate_motor_mesh(c.mesh.motor, c.mesh.options))
      parts.push_back({p.triangles, p.key, p.h_m});
  }
  double estimate = 0;
  const Part* largest = nullptr;
  for (const auto& p : parts) {
    estimate += p.triangles;
    if (!largest || p.triangles > largest->triangles) largest = &p;
  }
  if (largest && !(estimate <= kMaxEstimatedTriangles))
    fail(locate(largest->key), largest->key,
         fmt::format("element size {:.6g} mm would give about {:.2g} triangles (estimated as area / (0.43 h^2)); "
                     "RotorMag refuses meshes of more than {:.0f} estimated triangles: use a larger element size",
                     largest->h_m * 1e3, estimate, kMaxEstimatedTriangles));
}

// "IPM V rotor: magnet_depth_m: must lie in ..." -> key and message in the
// case file's terms: parameter `xxx_m` -> key `xxx_mm`, lengths "0.013 m" -> "13 mm".
void rethrow_template_error(const Case& c, KeyLocator& locate, const mesh::MeshError& e) {
  std::string message = e.what();
  std::string table = c.mesh.kind == MeshSpec::Kind::ipm_v_rotor ? "mesh.ipm_v_rotor" : "mesh.concentric_layers";
  std::string key = "mesh";
  if (c.mesh.kind == MeshSpec::Kind::ipm_v_rotor) {
    std::map<std::string, std::string> key_of;  // template parameter -> case key
    for (const auto& f : detail::ipm_v_rotor_fields()) {
      std::string parameter = f.key;
      if (f.unit == detail::IpmField::Unit::length) parameter.pop_back();  // xxx_mm -> xxx_m
      key_of[parameter] = f.key;
    }
    key_of["MeshingOptions.element_size_m"] = "element_size_mm";
    const std::string prefix = "IPM V rotor: ";
    if (message.rfind(prefix, 0) == 0) {
      message = message.substr(prefix.size());
      const auto colon = message.find(": ");
      if (colon != std::string::npos) {
        auto it = key_of.find(message.substr(0, colon));
        if (it != key_of.end()) {
          key = it->first == "MeshingOptions.element_size_m" ? "mesh.element_size_mm" : table + "." + it->second;
          message = message.substr(colon + 2);
          // A default value the file does not give: point at a parameter the
          // message suggests changing that the file does give (bridge_m in
          // "shorten the magnet, increase magnet_depth_m or reduce bridge_m").
          if (!locate.has(key))
            for (const auto& f : detail::ipm_v_rotor_fields()) {
              std::string parameter = f.key;
              if (f.unit == detail::IpmField::Unit::length) parameter.pop_back();
              if (std::regex_search(message, std::regex("\\b" + parameter + "\\b")) && locate.has(table + "." + f.key)) {
                key = table + "." + f.key;
                break;
              }
            }
        }
      }
      // Parameter names and lengths as the case file writes them.
      for (const auto& [parameter, case_key] : key_of) {
        const std::regex name("\\b" + std::regex_replace(parameter, std::regex("\\."), "\\.") + "\\b");
        message = std::regex_replace(message, name, case_key);
      }
      std::string converted;
      const std::regex metres("(-?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?) m\\b");
      auto begin = std::sregex_iterator(message.begin(), message.end(), metres);
      std::size_t last = 0;
      for (auto it = begin; it != std::sregex_iterator(); ++it) {
        converted += message.substr(last, it->position() - last);
        converted += fmt::format("{:.4g} mm", std::stod((*it)[1].str()) * 1e3);
        last = it->position() + it->length();
      }
      message = "cannot build the IPM V rotor: " + converted + message.substr(last);
    }
  }
  if (key == "mesh") key = c.mesh.kind == MeshSpec::Kind::file ? "mesh.file" : table;
  fail(locate(key), key, message);
}

}  // namespace

mesh::Mesh build_mesh(const Case& c) {
  KeyLocator locate(c);
  check_before_meshing(c, locate);
  try {
    switch (c.mesh.kind) {
      case MeshSpec::Kind::file: return mesh::read_msh(c.mesh.file);
      case MeshSpec::Kind::concentric_layers: return mesh::build_concentric_layers(c.mesh.layers, c.mesh.options);
      case MeshSpec::Kind::ipm_v_rotor: return mesh::build_slotless_v_rotor(c.mesh.ipm_v_rotor, c.mesh.options);
      case MeshSpec::Kind::motor: return mesh::build_motor(c.mesh.motor, c.mesh.options);
    }
  } catch (const mesh::MeshError& e) {
    // The mesh message names the .msh file (and element, node, group) or the
    // template parameter; the case issue points at the key that led there.
    if (c.mesh.kind == MeshSpec::Kind::file) fail(locate("mesh.file"), "mesh.file", e.what());
    if (c.mesh.kind == MeshSpec::Kind::motor) {
      const auto [key, message] =
          detail::motor_error_in_case_terms(e.what(), [&](const std::string& k) { return locate.has(k); });
      fail(locate(key), key, message);
    }
    rethrow_template_error(c, locate, e);
  }
  throw mesh::MeshError("unknown mesh kind in case '" + c.path + "'");
}

}  // namespace rotormag::cases

#include "validation/getdp/getdp_comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

#include "kernels/config.hpp"
#include "solver/air_gap_torque.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/signed_links.hpp"

namespace fs = std::filesystem;

namespace rotormag::validation {

namespace {

const double kPi = std::acos(-1.0);

std::string num(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

double relative(double ours, double theirs) {
  const double d = std::abs(ours - theirs);
  return ours != 0 ? d / std::abs(ours) : d;
}

// What GetDP needs about the nodes: prescribed values and link groups.
struct NodeConstraints {
  std::map<double, std::vector<int>> dirichlet;  // value -> nodes (0-based)
  struct LinkGroup {
    double angle = 0;           // slave = master turned by `angle` (rotation about the origin) ...
    double dx = 0, dy = 0;      // ... or shifted by (dx, dy) when `rotation` is false
    bool rotation = true;
    double sign = 1;
    std::vector<int> slaves, masters;
  };
  std::vector<LinkGroup> links;
};

NodeConstraints node_constraints(const solver::Problem& p, const std::vector<char>& used) {
  const mesh::Mesh& m = *p.mesh;
  const int n = static_cast<int>(m.node_count());
  solver::SignedLinks c(n);  // the classes as solver/discretization.cpp resolves them
  for (const solver::NodeLink& l : p.links) c.link(l.node, l.master, l.sign);
  // Per class: prescribed value of the root (u), if any.
  std::vector<char> fixed(n, 0);
  std::vector<double> u(n, 0.0);
  for (int i = 0; i < n; ++i)
    if (c.forced_zero(c.find(i).first)) fixed[c.find(i).first] = 1;
  for (size_t k = 0; k < p.dirichlet_nodes.size(); ++k) {
    const auto [r, s] = c.find(p.dirichlet_nodes[k]);
    if (!fixed[r] || !c.forced_zero(r)) u[r] = s * p.dirichlet_values[k];
    fixed[r] = 1;
  }
  // Representative of a free class: its smallest node used by a triangle.
  std::vector<int> rep(n, -1);
  for (int i = 0; i < n; ++i) {
    if (!used[i]) continue;
    const int r = c.find(i).first;
    if (rep[r] < 0) rep[r] = i;
  }
  NodeConstraints out;
  double scale = 0;
  for (int i = 0; i < n; ++i) scale = std::max(scale, std::hypot(m.x[i], m.y[i]));
  std::map<std::tuple<long long, long long, long long, int>, int> group_of;
  for (int i = 0; i < n; ++i) {
    if (!used[i]) continue;
    const auto [r, s] = c.find(i);
    if (fixed[r]) {
      out.dirichlet[s * u[r] + 0.0].push_back(i);
      continue;
    }
    const int master = rep[r];
    if (master == i) continue;
    const double sign = s * c.find(master).second;  // A[i] = sign A[master]
    NodeConstraints::LinkGroup g;
    g.sign = sign;
    const double ri = std::hypot(m.x[i], m.y[i]), rm = std::hypot(m.x[master], m.y[master]);
    std::tuple<long long, long long, long long, int> key;
    if (std::abs(ri - rm) <= 1e-9 * scale && rm > 1e-9 * scale) {
      double a = std::atan2(m.y[i], m.x[i]) - std::atan2(m.y[master], m.x[master]);
      a = std::remainder(a, 2 * kPi);
      g.angle = a;
      key = {1, std::llround(a * 1e8), 0, sign > 0 ? 1 : -1};
    } else {
      g.rotation = false;
      g.dx = m.x[i] - m.x[master];
      g.dy = m.y[i] - m.y[master];
      key = {0, std::llround(g.dx / scale * 1e9), std::llround(g.dy / scale * 1e9), sign > 0 ? 1 : -1};
    }
    auto it = group_of.find(key);
    if (it == group_of.end()) {
      it = group_of.emplace(key, static_cast<int>(out.links.size())).first;
      out.links.push_back(g);
    }
    out.links[it->second].slaves.push_back(i);
    out.links[it->second].masters.push_back(master);
  }
  if (out.dirichlet.size() > 200)
    throw GetDPUnsupported("more than 200 distinct Dirichlet values (one GetDP group each): not supported");
  return out;
}

// Gmsh 2.2 ASCII: every node and triangle of ours (tags = index + 1), region
// r as physical and elementary tag r + 1, point elements (type 15) for the
// constraint groups.
void write_msh(const std::string& path, const mesh::Mesh& m, const NodeConstraints& nc) {
  std::ofstream f(path);
  if (!f) throw GetDPError("cannot write " + path);
  struct Point { int tag; int node; };
  std::vector<Point> points;
  std::vector<std::pair<int, std::string>> names;
  for (size_t r = 0; r < m.regions.size(); ++r) names.push_back({int(r) + 1, m.regions[r].name});
  int k = 0;
  for (const auto& [value, nodes] : nc.dirichlet) {
    const int tag = 100000 + k++;
    names.push_back({tag, "dirichlet_" + std::to_string(k)});
    for (int i : nodes) points.push_back({tag, i});
  }
  for (size_t g = 0; g < nc.links.size(); ++g) {
    const int ts = 200000 + 2 * int(g), tm = ts + 1;
    names.push_back({ts, "link_" + std::to_string(g) + "_slaves"});
    names.push_back({tm, "link_" + std::to_string(g) + "_masters"});
    for (int i : nc.links[g].slaves) points.push_back({ts, i});
    for (int i : nc.links[g].masters) points.push_back({tm, i});
  }
  char b[128];
  f << "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$PhysicalNames\n" << names.size() << "\n";
  for (const auto& [tag, name] : names) f << (tag < 100000 ? 2 : 0) << " " << tag << " \"" << name << "\"\n";
  f << "$EndPhysicalNames\n$Nodes\n" << m.node_count() << "\n";
  for (size_t i = 0; i < m.node_count(); ++i) {
    std::snprintf(b, sizeof b, "%zu %.17g %.17g 0\n", i + 1, m.x[i], m.y[i]);
    f << b;
  }
  f << "$EndNodes\n$Elements\n" << m.triangle_count() + points.size() << "\n";
  size_t e = 0;
  for (size_t t = 0; t < m.triangle_count(); ++t) {
    const int tag = m.triangle_region[t] + 1;
    f << ++e << " 2 2 " << tag << " " << tag << " " << m.triangles[3 * t] + 1 << " " << m.triangles[3 * t + 1] + 1
      << " " << m.triangles[3 * t + 2] + 1 << "\n";
  }
  for (const Point& p : points) f << ++e << " 15 2 " << p.tag << " " << p.tag << " " << p.node + 1 << "\n";
  f << "$EndElements\n";
  if (!f) throw GetDPError("error writing " + path);
}

std::string region_list(const std::vector<int>& tags) {
  std::string s = "Region[{";
  for (size_t i = 0; i < tags.size(); ++i) s += (i ? ", " : "") + std::to_string(tags[i]);
  return s + "}]";
}

// The .pro: GetDP's own description of the same problem.
std::string write_pro(const solver::Problem& p, const solver::NewtonSettings& newton, const GetDPQuantities& q,
                      const NodeConstraints& nc, const std::string& stem, const std::vector<double>& factors) {
  std::string relax;
  for (size_t i = 0; i < factors.size(); ++i) relax += (i ? ", " : "") + num(factors[i]);
  const mesh::Mesh& m = *p.mesh;
  std::ostringstream o;
  const double mu0 = kernels::mu0;
  std::vector<int> all, nonlinear, magnets, sources;
  for (size_t r = 0; r < m.regions.size(); ++r) {
    const int tag = int(r) + 1;
    all.push_back(tag);
    const solver::RegionSetup& s = p.regions[r];
    if (s.material.kind == solver::MaterialSpec::Kind::exponential_reluctivity) nonlinear.push_back(tag);
    if (s.material.kind == solver::MaterialSpec::Kind::magnet && s.material.remanence_T != 0 &&
        s.magnetization.kind != mesh::MagnetizationKind::none)
      magnets.push_back(tag);
    if (s.current_density_A_per_m2 != 0) sources.push_back(tag);
  }
  o << "// Generated by RotorMag validation/getdp (issue 6): the same P1 problem as RotorMag's,\n"
       "// for a same-mesh comparison. Weak form (docs/method.md, GetDP's machine_magstadyn_a.pro):\n"
       "//   find a (A_z) with the prescribed nodal values and links such that for all a'\n"
       "//   int nu(B) B . curl a' - int nu Br . curl a' - int J a' = 0,  B = curl a,\n"
       "// Newton with the exact Jacobian (JacNL term of the exponential iron law), damped,\n"
       "// stopped when max|da| <= tol max|a| (RotorMag's update criterion), LU (MUMPS) per step.\n"
       "// Regions are the mesh's physical tags (region index + 1); point groups 1000xx hold\n"
       "// the Dirichlet nodes per value, 2000xx the linked nodes (slaves, masters) per map.\n\n";
  o << "Group {\n";
  for (size_t r = 0; r < m.regions.size(); ++r) o << "  R" << r + 1 << " = Region[" << r + 1 << "];  // " << m.regions[r].name << "\n";
  o << "  Domain = " << region_list(all) << ";\n";
  o << "  DomainNL = " << region_list(nonlinear) << ";\n";
  o << "  DomainM = " << region_list(magnets) << ";\n";
  o << "  DomainS = " << region_list(sources) << ";\n";
  for (size_t k = 0; k < nc.dirichlet.size(); ++k) o << "  Dir" << k << " = Region[" << 100000 + k << "];\n";
  for (size_t g = 0; g < nc.links.size(); ++g)
    o << "  LinkS" << g << " = Region[" << 200000 + 2 * g << "]; LinkM" << g << " = Region[" << 200001 + 2 * g << "];\n";
  o << "}\n\nFunction {\n  mu0 = " << num(mu0) << ";\n";
  for (size_t r = 0; r < m.regions.size(); ++r) {
    const solver::RegionSetup& s = p.regions[r];
    const std::string R = "Region[" + std::to_string(r + 1) + "]";
    switch (s.material.kind) {
      case solver::MaterialSpec::Kind::linear:
      case solver::MaterialSpec::Kind::magnet: {
        const double nu = 1.0 / (mu0 * s.material.mu_r);
        o << "  nu[" << R << "] = " << num(nu) << ";\n";
        if (std::find(magnets.begin(), magnets.end(), int(r) + 1) != magnets.end()) {
          const double br = s.material.remanence_T;
          if (s.magnetization.kind == mesh::MagnetizationKind::parallel)
            o << "  br[" << R << "] = Vector[" << num(br * std::cos(s.magnetization.angle_rad)) << ", "
              << num(br * std::sin(s.magnetization.angle_rad)) << ", 0];  // parallel\n";
          else  // radial, at the quadrature point (the centroid: 1-point rule), as RotorMag
            o << "  br[" << R << "] = " << num(br * s.magnetization.sign)
              << " * Vector[X[], Y[], 0] / Sqrt[X[]^2 + Y[]^2];  // radial\n";
          o << "  w[" << R << "] = 0.5 * nu[] * SquNorm[$1 - br[]];  // recoil energy nu |B - Br|^2 / 2\n";
        } else {
          o << "  w[" << R << "] = 0.5 * nu[] * SquNorm[$1];\n";
        }
        break;
      }
      case solver::MaterialSpec::Kind::exponential_reluctivity: {
        const double a = s.material.nu_a, bb = s.material.nu_b, c = s.material.nu_c;
        o << "  // " << m.regions[r].name << ": nu(B) = a + b exp(c B^2) (ONELAB BH.pro law for a=100, b=10, c=1.8)\n";
        o << "  nu[" << R << "] = " << num(a) << " + " << num(bb) << " * Exp[" << num(c) << " * SquNorm[$1]];\n";
        o << "  dhdb_NL[" << R << "] = 2 * " << num(bb * c) << " * Exp[" << num(c)
          << " * SquNorm[$1]] * SquDyadicProduct[$1];  // dH/dB - nu I\n";
        if (c > 0)
          o << "  w[" << R << "] = 0.5 * " << num(a) << " * SquNorm[$1] + " << num(bb / (2 * c)) << " * (Exp["
            << num(c) << " * SquNorm[$1]] - 1);\n";
        else
          o << "  w[" << R << "] = 0.5 * " << num(a + bb) << " * SquNorm[$1];\n";
        break;
      }
      default: throw GetDPUnsupported("region '" + m.regions[r].name + "': B-H tables are not compared (use the exponential law)");
    }
    if (s.current_density_A_per_m2 != 0) o << "  js[" << R << "] = Vector[0, 0, " << num(s.current_density_A_per_m2) << "];\n";
  }
  for (size_t k = 0; k < q.flux_linkages.size(); ++k)
    for (const auto& [region, coef] : q.flux_linkages[k].terms)
      o << "  psi" << k << "[Region[" << region + 1 << "]] = " << num(coef) << ";  // " << q.flux_linkages[k].name << "\n";
  if (q.torque)
    o << "  arkkio = " << num(q.torque->scale / (mu0 * (q.torque->outer_m - q.torque->inner_m))) << ";\n";
  o << "}\n\nConstraint {\n  { Name a; Case {\n";
  size_t k = 0;
  for (const auto& [value, nodes] : nc.dirichlet) o << "    { Region Dir" << k++ << "; Type Assign; Value " << num(value) << "; }\n";
  for (size_t g = 0; g < nc.links.size(); ++g) {
    const auto& l = nc.links[g];
    // Function: slave coordinates -> master coordinates.
    std::string f;
    if (l.rotation) {
      const double c = std::cos(-l.angle), s = std::sin(-l.angle);
      f = "Vector[" + num(c) + " * $X + (" + num(-s) + ") * $Y, " + num(s) + " * $X + " + num(c) + " * $Y, 0]";
    } else {
      f = "Vector[$X - " + num(l.dx) + ", $Y - " + num(l.dy) + ", 0]";
    }
    o << "    { Region LinkS" << g << "; Type Link; RegionRef LinkM" << g << "; Coefficient " << num(l.sign)
      << "; Function " << f << "; }  // " << l.slaves.size() << " nodes, "
      << (l.rotation ? "turned by " + num(l.angle * 180 / kPi) + " deg" : std::string("shifted")) << "\n";
  }
  o << "  } }\n}\n\n";
  o << "Jacobian { { Name Vol; Case { { Region All; Jacobian Vol; } } } }\n"
       "Integration {\n"
       "  { Name I1; Case { { Type Gauss; Case { { GeoElement Triangle; NumberOfPoints 1; } } } } }  // exact for P1\n"
       "  { Name I6; Case { { Type Gauss; Case { { GeoElement Triangle; NumberOfPoints 6; } } } } }  // torque, as RotorMag\n"
       "}\n\n"
       "FunctionSpace {\n"
       "  { Name Hcurl_a; Type Form1P;  // a = A_z e_z, nodal P1\n"
       "    BasisFunction { { Name se; NameOfCoef ae; Function BF_PerpendicularEdge; Support Domain; Entity NodesOf[All]; } }\n"
       "    Constraint { { NameOfCoef ae; EntityType NodesOf; NameOfConstraint a; } }\n"
       "  }\n}\n\n"
       "Formulation {\n  { Name Magnetostatics; Type FemEquation;\n"
       "    Quantity { { Name a; Type Local; NameOfSpace Hcurl_a; } }\n    Equation {\n"
       "      Galerkin { [ nu[{d a}] * Dof{d a}, {d a} ]; In Domain; Jacobian Vol; Integration I1; }\n";
  if (!nonlinear.empty())
    o << "      Galerkin { JacNL[ dhdb_NL[{d a}] * Dof{d a}, {d a} ]; In DomainNL; Jacobian Vol; Integration I1; }\n";
  if (!magnets.empty()) o << "      Galerkin { [ -nu[] * br[], {d a} ]; In DomainM; Jacobian Vol; Integration I1; }\n";
  if (!sources.empty()) o << "      Galerkin { [ -js[], {a} ]; In DomainS; Jacobian Vol; Integration I1; }\n";
  o << "    }\n  }\n}\n\n";
  o << "Resolution {\n  { Name Static; System { { Name S; NameOfFormulation Magnetostatics; } }\n    Operation {\n"
       "      InitSolution[S];\n"
       "      IterativeLoopN[" << newton.max_iterations << ", 1, System { { S, " << num(newton.update_tolerance)
    << ", 0, Solution LinfNorm } }] {\n"
    << (nonlinear.empty() || relax.empty()
            ? "        GenerateJac[S]; SolveJac[S];\n"
            : "        // Damped Newton (RotorMag backtracks on ||R||): of the steps s dA with s in the\n"
              "        // list, the one with the smallest residual.\n"
              "        GenerateJac[S]; SolveJac_AdaptRelax[S, {" + relax + "}, 1];\n")
    << "      }\n"
       "      SaveSolution[S];\n    }\n  }\n}\n\n";
  o << "PostProcessing {\n  { Name Post; NameOfFormulation Magnetostatics; NameOfSystem S;\n    Quantity {\n"
       "      { Name az; Value { Term { [ CompZ[{a}] ]; In Domain; Jacobian Vol; } } }\n"
       "      { Name energy; Value { Integral { [ w[{d a}] ]; In Domain; Jacobian Vol; Integration I1; } } }\n";
  for (size_t k = 0; k < q.flux_linkages.size(); ++k) {
    std::vector<int> tags;
    for (const auto& t : q.flux_linkages[k].terms) tags.push_back(t.first + 1);
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    o << "      { Name psi" << k << "; Value { Integral { [ psi" << k << "[] * CompZ[{a}] ]; In " << region_list(tags)
      << "; Jacobian Vol; Integration I1; } } }\n";
  }
  if (q.torque)
    o << "      // Arkkio: r B_r B_theta = (XYZ . B)(XYZ x B)_z / r\n"
         "      { Name torque; Value { Integral { [ arkkio * (XYZ[] * {d a}) * CompZ[XYZ[] /\\ {d a}] / Norm[XYZ[]] ];"
         " In Region[" << q.torque->region + 1 << "]; Jacobian Vol; Integration I6; } } }\n";
  o << "    }\n  }\n}\n\n";
  o << "PostOperation {\n  { Name Out; NameOfPostProcessing Post; Operation {\n"
       "    Print[ az, OnElementsOf Domain, Format NodeTable, File \"" << stem << "_a.txt\" ];\n"
       "    Print[ energy[Domain], OnGlobal, Format Table, File \"" << stem << "_energy.txt\" ];\n";
  for (size_t k = 0; k < q.flux_linkages.size(); ++k)
    o << "    Print[ psi" << k << "[Domain], OnGlobal, Format Table, File \"" << stem << "_psi" << k << ".txt\" ];\n";
  if (q.torque) o << "    Print[ torque[Domain], OnGlobal, Format Table, File \"" << stem << "_torque.txt\" ];\n";
  o << "  } }\n}\n";
  return o.str();
}

double read_global(const fs::path& file) {
  std::ifstream f(file);
  if (!f) throw GetDPError("GetDP wrote no " + file.string());
  std::string line, last;
  while (std::getline(f, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  std::istringstream s(last);
  double v = std::numeric_limits<double>::quiet_NaN(), x;
  while (s >> x) v = x;
  if (!std::isfinite(v)) throw GetDPError("cannot read a value from " + file.string());
  return v;
}

std::string slurp(const fs::path& file) {
  std::ifstream f(file);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string tail(const std::string& s, size_t n) { return s.size() > n ? "..." + s.substr(s.size() - n) : s; }

}  // namespace

std::string find_getdp() {
  if (const char* e = std::getenv("ROTORMAG_GETDP"); e && *e && access(e, X_OK) == 0) return e;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string d;
  while (std::getline(dirs, d, ':')) {
    if (d.empty()) continue;
    const fs::path c = fs::path(d) / "getdp";
    if (access(c.c_str(), X_OK) == 0 && fs::is_regular_file(c)) return c.string();
  }
  return "";
}

std::string GetDPComparison::summary() const {
  std::ostringstream o;
  o.precision(10);
  o << "mesh: " << nodes << " nodes, " << triangles << " triangles, " << unknowns << " unknowns\n";
  o << "A at nodes (" << nodes_compared << "): max|diff| / max|A| = " << potential_relative_error << "\n";
  auto line = [&](const QuantityComparison& q) {
    o << q.name << ": RotorMag " << q.ours << ", GetDP " << q.getdp << ", relative difference " << q.relative_error
      << "\n";
  };
  line(energy);
  for (const auto& q : flux_linkages) line(q);
  if (torque) line(*torque);
  o.precision(4);
  o << "nonlinear solve: RotorMag " << ours_solve_s << " s (" << ours_newton_iterations << " Newton steps), GetDP "
    << getdp_solve_s << " s (" << getdp_newton_iterations << " steps; whole getdp process " << getdp_process_s
    << " s), GetDP/RotorMag = " << (ours_solve_s > 0 ? getdp_solve_s / ours_solve_s : 0.0) << "\n";
  if (!work_dir.empty()) o << "files kept in " << work_dir << "\n";
  return o.str();
}

GetDPComparison compare_with_getdp(const solver::Problem& problem, const solver::NewtonSettings& newton,
                                   const GetDPQuantities& quantities, kernels::Backend& backend,
                                   const GetDPOptions& options) {
  if (!problem.mesh) throw GetDPUnsupported("problem without a mesh");
  const mesh::Mesh& m = *problem.mesh;
  if (m.order != 1) throw GetDPUnsupported("only P1 meshes are compared with GetDP (its P2 basis is hierarchical)");
  if (!problem.element_remanence_factor.empty())
    throw GetDPUnsupported("per-element remanence factors are not expressed in the GetDP model");
  if (problem.regions.size() != m.regions.size()) throw GetDPUnsupported("one region set-up per mesh region expected");
  const std::string getdp = options.getdp.empty() ? find_getdp() : options.getdp;
  if (getdp.empty()) throw GetDPError("getdp not found (PATH or $ROTORMAG_GETDP)");

  GetDPComparison out;
  out.nodes = m.node_count();
  out.triangles = m.triangle_count();

  // --- RotorMag.
  const auto t0 = std::chrono::steady_clock::now();
  out.ours = solver::solve(problem, backend, newton);
  out.ours_solve_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.ours_newton_iterations = out.ours.report.iterations;
  out.unknowns = out.ours.unknowns;

  // --- GetDP: files.
  fs::path dir;
  if (!options.work_dir.empty()) {
    dir = options.work_dir;
    fs::create_directories(dir);
  } else {
    std::string templ = (fs::temp_directory_path() / "rotormag-getdp-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw GetDPError("cannot create a temporary directory");
    dir = templ;
  }
  struct Cleanup {
    fs::path dir;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep) fs::remove_all(dir, ec);
    }
  } cleanup{dir, options.keep_work_dir || !options.work_dir.empty()};
  if (cleanup.keep) out.work_dir = dir.string();

  std::vector<char> used(m.node_count(), 0);
  for (int v : m.triangles) used[v] = 1;
  const NodeConstraints nc = node_constraints(problem, used);
  const std::string stem = options.label;
  write_msh((dir / (stem + ".msh")).string(), m, nc);
  {
    std::ofstream f(dir / (stem + ".pro"));
    f << write_pro(problem, newton, quantities, nc, stem, options.relaxation_factors);
    if (!f) throw GetDPError("cannot write the .pro file in " + dir.string());
  }

  // --- Run getdp (one process: solve and post-processing).
  const std::string log = stem + ".log";
  std::ostringstream cmd;
  cmd << "cd '" << dir.string() << "' && timeout " << std::max(1.0, options.timeout_s) << " '" << getdp << "' "
      << stem << ".pro -msh " << stem << ".msh -solve Static -pos Out -v 4 -cpu > " << log << " 2>&1";
  const auto t1 = std::chrono::steady_clock::now();
  const int status = std::system(cmd.str().c_str());
  out.getdp_process_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const std::string text = slurp(dir / log);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 124) throw GetDPError("getdp timed out after " + num(options.timeout_s) + " s (" + dir.string() + ")");
  if (code != 0 || text.find("converged") == std::string::npos || text.find("Error") != std::string::npos)
    throw GetDPError("getdp failed (exit " + std::to_string(code) + "; files in " + dir.string() + "):\n" +
                     tail(text, 3000));

  // GetDP's own timestamps: from the first one after the mesh is read to convergence.
  {
    const std::regex wall("Wall = ([0-9.eE+-]+)s");
    std::istringstream s(text);
    std::string line;
    bool loaded = false;
    double start = -1, end = -1;
    while (std::getline(s, line)) {
      if (line.find("Loading Geometric data") != std::string::npos) { loaded = true; continue; }
      std::smatch mt;
      if (!std::regex_search(line, mt, wall)) continue;
      const double w = std::stod(mt[1]);
      if (loaded && start < 0) start = w;
      if (line.find("IterativeLoopN converged") != std::string::npos) {
        end = w;
        const std::regex its("converged \\(([0-9]+) iterations");
        std::smatch mi;
        if (std::regex_search(line, mi, its)) out.getdp_newton_iterations = std::stoi(mi[1]);
      }
    }
    out.getdp_solve_s = start >= 0 && end >= start ? end - start : out.getdp_process_s;
  }

  // --- Read back and compare.
  {
    std::ifstream f(dir / (stem + "_a.txt"));
    if (!f) throw GetDPError("GetDP wrote no nodal table (" + dir.string() + ")");
    size_t count = 0;
    f >> count;
    std::vector<double> a(m.node_count(), std::numeric_limits<double>::quiet_NaN());
    for (size_t k = 0; k < count; ++k) {
      long tag;
      double v;
      if (!(f >> tag >> v) || tag < 1 || tag > long(m.node_count())) throw GetDPError("bad nodal table from GetDP");
      a[tag - 1] = v;
    }
    for (size_t i = 0; i < m.node_count(); ++i) {
      if (!used[i]) continue;
      if (std::isnan(a[i])) throw GetDPError("GetDP gave no value at node " + std::to_string(i + 1));
      out.potential_max_abs = std::max(out.potential_max_abs, std::abs(out.ours.A[i]));
      out.potential_max_abs_diff = std::max(out.potential_max_abs_diff, std::abs(out.ours.A[i] - a[i]));
      ++out.nodes_compared;
    }
    out.potential_relative_error =
        out.potential_max_abs > 0 ? out.potential_max_abs_diff / out.potential_max_abs : out.potential_max_abs_diff;
  }
  out.energy.name = quantities.energy_scale == 1 ? "magnetic energy [J/m]" : "magnetic energy [J]";
  out.energy.ours = quantities.energy_scale * out.ours.energy_J_per_m;
  out.energy.getdp = quantities.energy_scale * read_global(dir / (stem + "_energy.txt"));
  out.energy.relative_error = relative(out.energy.ours, out.energy.getdp);
  std::vector<double> integral_A(m.regions.size(), 0.0);
  for (size_t e = 0; e < m.triangle_count(); ++e) integral_A[m.triangle_region[e]] += out.ours.element_potential[e];
  for (size_t k = 0; k < quantities.flux_linkages.size(); ++k) {
    QuantityComparison c;
    c.name = quantities.flux_linkages[k].name;
    for (const auto& [region, coef] : quantities.flux_linkages[k].terms) c.ours += coef * integral_A[region];
    c.getdp = read_global(dir / (stem + "_psi" + std::to_string(k) + ".txt"));
    c.relative_error = relative(c.ours, c.getdp);
    out.flux_linkages.push_back(c);
  }
  if (quantities.torque) {
    const auto& t = *quantities.torque;
    QuantityComparison c;
    c.name = "torque (Arkkio) [N m]";
    c.ours = t.scale * solver::arkkio_torque_per_m(m, out.ours.A, t.region, t.inner_m, t.outer_m);
    c.getdp = read_global(dir / (stem + "_torque.txt"));
    c.relative_error = relative(c.ours, c.getdp);
    out.torque = c;
  }
  return out;
}

void set_up_motor_position(const solver::MovingBand& band, const std::vector<solver::RegionSetup>& regions,
                           const solver::ModelWinding& winding, const solver::StatorLoad& load,
                           const solver::RotorPositions& rotor, double angle_rad, MotorPositionProblem& out) {
  // As solver::solve_positions (solver/motor_analysis.cpp) at one position, cold start.
  const mesh::Mesh& base = band.machine();
  if (regions.size() != base.regions.size()) throw GetDPUnsupported("one region set-up per machine region expected");
  const std::vector<double> coil_area = solver::region_areas(base);
  const double theta_e = solver::electrical_angle(winding, angle_rad);
  const auto current = load.currents(theta_e);
  out.machine = band.at(angle_rad);
  const mesh::Mesh& m = out.machine.mesh;
  solver::Problem& p = out.problem;
  p = solver::Problem{};
  p.mesh = &m;
  p.regions = regions;
  for (size_t reg = 0; reg < regions.size(); ++reg)
    if (out.machine.rotor_region[reg]) p.regions[reg].magnetization = solver::turned(regions[reg].magnetization, angle_rad);
  p.regions.emplace_back();  // the band: air
  for (const solver::CoilRegion& c : winding.coils)
    p.regions[c.region].current_density_A_per_m2 += c.turns * current[c.phase] / winding.parallel_paths / coil_area[c.region];
  for (const solver::RotorPositions::Dirichlet& d : rotor.dirichlet) {
    const mesh::Boundary* b = m.find_boundary(d.boundary);
    if (!b) throw GetDPUnsupported("Dirichlet boundary '" + d.boundary + "' is not in the machine mesh");
    const double v = d.value_Wb_per_m;
    if (d.field) solver::add_dirichlet(p, *b, d.field);
    else solver::add_dirichlet(p, *b, [v](double, double) { return v; });
  }
  p.links = out.machine.links;

  const double scale = rotor.copies * rotor.stack_length_m;
  out.quantities = GetDPQuantities{};
  static const char* phase[3] = {"flux linkage phase A [Wb]", "flux linkage phase B [Wb]",
                                 "flux linkage phase C [Wb]"};
  for (int ph = 0; ph < 3; ++ph) {
    GetDPQuantities::Linkage l;
    l.name = phase[ph];
    for (const solver::CoilRegion& c : winding.coils)
      if (c.phase == ph) l.terms.push_back({c.region, scale / winding.parallel_paths * c.turns / coil_area[c.region]});
    if (!l.terms.empty()) out.quantities.flux_linkages.push_back(l);
  }
  GetDPQuantities::Torque t;
  t.region = out.machine.band_region;
  t.inner_m = band.rotor_ring_radius();
  t.outer_m = band.stator_ring_radius();
  t.scale = scale;
  out.quantities.torque = t;
}

GetDPComparison compare_motor_position_with_getdp(const solver::MovingBand& band,
                                                  const std::vector<solver::RegionSetup>& regions,
                                                  const solver::ModelWinding& winding, const solver::StatorLoad& load,
                                                  const solver::RotorPositions& rotor, double angle_rad,
                                                  kernels::Backend& backend, const GetDPOptions& options) {
  MotorPositionProblem mp;
  set_up_motor_position(band, regions, winding, load, rotor, angle_rad, mp);
  return compare_with_getdp(mp.problem, rotor.newton, mp.quantities, backend, options);
}

}  // namespace rotormag::validation

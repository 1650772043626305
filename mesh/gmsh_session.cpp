#include "mesh/gmsh_session.hpp"

#include <gmsh.h>
#include <fmt/format.h>

#include <omp.h>

#include <vector>

namespace rotormag::mesh {

namespace {
// Gmsh state is global: a second live session would silently share (and then
// finalize) the first one's model.
bool session_active = false;
}  // namespace

GmshSession::GmshSession(std::string origin) : origin_(std::move(origin)) {
  if (session_active)
    throw MeshError(fmt::format("{}: another Gmsh session is active (Gmsh keeps one global model)", origin_));
  // Gmsh sets the process-wide OpenMP thread count (General.NumThreads,
  // default 1) when it starts; keep the caller's so the solver runs parallel.
  omp_threads_ = omp_get_max_threads();
  gmsh::initialize(0, nullptr, false);
  session_active = true;
  gmsh::option::setNumber("General.Terminal", 0);
  gmsh::logger::start();
}

GmshSession::~GmshSession() {
  try {
    gmsh::logger::stop();
    gmsh::finalize();
  } catch (...) {
    // Nothing useful to do while unwinding.
  }
  session_active = false;
  omp_set_num_threads(omp_threads_);
}

std::string GmshSession::logged_errors() const {
  std::vector<std::string> log;
  gmsh::logger::get(log);
  std::string errors;
  for (const auto& line : log) {
    if (line.rfind("Error", 0) != 0) continue;
    if (!errors.empty()) errors += "; ";
    errors += line;
  }
  return errors;
}

void GmshSession::fail(const char* what, const std::string& reason) const {
  std::string logged = logged_errors();
  if (!logged.empty() && logged.find(reason) == std::string::npos) logged = " (" + logged + ")";
  else logged.clear();
  throw MeshError(fmt::format("{}: while {}: {}{}", origin_, what, reason, logged));
}

}  // namespace rotormag::mesh

#include <cmath>

#include "mesh/templates.hpp"

namespace rotormag::mesh {

void generate_mesh(const GmshSession& session, const MeshingOptions& options) {
  if (options.order != 1 && options.order != 2)
    throw MeshError(fmt::format("{}: MeshingOptions.order = {} (expected 1 or 2)", session.origin(), options.order));
  session.run("meshing", [&] {
    gmsh::option::setNumber("Mesh.Algorithm", 6);  // Frontal-Delaunay: near-equilateral, uniform
    gmsh::option::setNumber("Mesh.MeshSizeFromPoints", 0);
    gmsh::option::setNumber("Mesh.MeshSizeFromCurvature", 0);
    gmsh::option::setNumber("Mesh.MeshSizeExtendFromBoundary", 0);
    gmsh::option::setNumber("Mesh.SecondOrderLinear", 0);  // mid-nodes on the circles, not on chords
    gmsh::option::setNumber("Mesh.ElementOrder", 1);
    gmsh::model::mesh::generate(2);
    if (options.order == 2) gmsh::model::mesh::setOrder(2);
  });
  const std::string errors = session.logged_errors();
  if (!errors.empty()) throw MeshError(fmt::format("{}: Gmsh reported errors while meshing: {}", session.origin(), errors));
}

std::vector<int> circle_curves(double radius) {
  gmsh::vectorpair curves;
  gmsh::model::getEntities(curves, 1);
  std::vector<int> found;
  const double pi = std::acos(-1.0);
  for (const auto& [dim, tag] : curves) {
    double length = 0;
    gmsh::model::occ::getMass(dim, tag, length);
    if (std::abs(length - 2 * pi * radius) > 1e-6 * radius) continue;
    double x0, y0, z0, x1, y1, z1;
    gmsh::model::getBoundingBox(dim, tag, x0, y0, z0, x1, y1, z1);
    const double tol = 1e-3 * radius;  // OCC boxes are padded by the tolerance
    if (std::abs(x1 - radius) < tol && std::abs(x0 + radius) < tol && std::abs(y1 - radius) < tol && std::abs(y0 + radius) < tol)
      found.push_back(tag);
  }
  return found;
}

int add_named_group(int dim, const std::vector<int>& entities, const std::string& name) {
  const int tag = gmsh::model::addPhysicalGroup(dim, entities);
  gmsh::model::setPhysicalName(dim, tag, name);
  return tag;
}

}  // namespace rotormag::mesh

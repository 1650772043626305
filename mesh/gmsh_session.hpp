#pragma once
// Gmsh keeps one global model per process: a GmshSession owns that state for
// the lifetime of one template build or file read, and turns Gmsh failures
// into MeshError naming what was being built.

#include <string>
#include <utility>
#include <vector>

#include "mesh/mesh.hpp"

namespace rotormag::mesh {

class GmshSession {
 public:
  // `origin` names the template or file in every error message.
  explicit GmshSession(std::string origin);
  ~GmshSession();
  GmshSession(const GmshSession&) = delete;
  GmshSession& operator=(const GmshSession&) = delete;

  const std::string& origin() const { return origin_; }

  // Error lines Gmsh logged since the session started (Gmsh reports some
  // failures, e.g. a bad file, only through its log), joined by "; ".
  std::string logged_errors() const;

  // Runs `step` and rethrows any Gmsh failure as MeshError
  // "<origin>: while <what>: <reason>".
  template <class Step>
  decltype(auto) run(const char* what, Step&& step) const {
    try {
      return std::forward<Step>(step)();
    } catch (const MeshError&) {
      throw;
    } catch (const std::exception& e) {
      fail(what, e.what());
    } catch (...) {
      fail(what, "unknown Gmsh error");
    }
  }

  [[noreturn]] void fail(const char* what, const std::string& reason) const;

 private:
  std::string origin_;
  int omp_threads_ = 1;
};

}  // namespace rotormag::mesh

namespace rotormag::mesh {

struct MeshingOptions;

// Meshes the synchronized model in 2D with Frontal-Delaunay and, for order 2,
// places mid-edge nodes on the curved geometry. Sizes come from a callback
// set by the template (Mesh.MeshSizeFromPoints and extension from boundaries
// are switched off so that the callback alone decides).
void generate_mesh(const GmshSession& session, const MeshingOptions& options);

// Tags of the closed model curves that are full circles of `radius` about
// the origin (after fragmenting, identified by length and bounding box).
std::vector<int> circle_curves(double radius);

// Adds a physical group with a name; returns its tag.
int add_named_group(int dim, const std::vector<int>& entities, const std::string& name);

}  // namespace rotormag::mesh

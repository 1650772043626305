// build_mesh: the case's [mesh] table -> a mesh from the template builders or
// a .msh file. All geometry work lives in mesh/; this only dispatches.
#include "cases/case.hpp"

namespace rotormag::cases {

mesh::Mesh build_mesh(const Case& c) {
  switch (c.mesh.kind) {
    case MeshSpec::Kind::file: return mesh::read_msh(c.mesh.file);
    case MeshSpec::Kind::concentric_layers: return mesh::build_concentric_layers(c.mesh.layers, c.mesh.options);
    case MeshSpec::Kind::ipm_v_rotor: return mesh::build_ipm_v_rotor(c.mesh.ipm_v_rotor, c.mesh.options);
  }
  throw mesh::MeshError("unknown mesh kind in case '" + c.path + "'");
}

}  // namespace rotormag::cases

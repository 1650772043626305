#pragma once
// Rotor motion without remeshing: the machine is meshed once with an empty
// annulus in the air gap (the band) between the circle "band_rotor" (radius
// r1, on the rotor side) and "band_stator" (r2). For every rotor position the
// rotor side is turned and the band is triangulated anew between the two
// rings of nodes (one layer of triangles; the classic moving band of
// Davat et al., IEEE Trans. Magn. 21(6), 1985, as GetDP's machine models use).
//
// A symmetry sector of angle S (periodic sign +1 or anti-periodic -1) is
// handled by linking: nodes on the sector edge "sector_end_*" share the
// unknown of their image on "sector_start_*"; band triangles that reach past
// the sector edge use copies of stator-ring nodes turned by a multiple k of
// S, whose potential is sign^k times the original's (NodeLink).

#include <string>
#include <vector>

#include "mesh/mesh.hpp"
#include "solver/problem.hpp"

namespace rotormag::solver {

// The machine at one rotor position, ready for a Problem.
struct PositionedMachine {
  double angle_rad = 0;              // rotor position (mechanical, counter-clockwise)
  mesh::Mesh mesh;                   // rotor side turned; band triangles appended
  std::vector<NodeLink> links;       // sector edges and band copies
  int band_region = -1;              // index of the region "band" (air) in mesh.regions
  std::vector<char> rotor_region;    // per region: on the rotor side (turns with it)
};

class MovingBand {
 public:
  // `machine`: the mesh without band triangles (a region named "band" is
  // removed first, so a user's mesh with its gap meshed works too).
  // `sector_rad`: the model's angular span, 2 pi for the whole machine.
  // `sign`: +1 periodic, -1 anti-periodic (ignored for the whole machine).
  // Throws mesh::MeshError naming the boundary or region at fault.
  MovingBand(mesh::Mesh machine, double sector_rad, double sign, std::string origin = "machine mesh");

  PositionedMachine at(double angle_rad) const;

  double rotor_ring_radius() const { return r1_; }
  double stator_ring_radius() const { return r2_; }
  double sector_rad() const { return sector_; }
  double sign() const { return sign_; }
  bool whole_machine() const { return whole_; }
  const mesh::Mesh& machine() const { return base_; }
  const std::vector<char>& rotor_node() const { return rotor_node_; }
  const std::vector<char>& rotor_region() const { return rotor_region_; }
  // Links of the sector edges of both parts (empty for the whole machine).
  const std::vector<NodeLink>& edge_links() const { return edge_links_; }

  // A ring of band nodes in angular order, as a chain of edges: vertex[0..n]
  // (vertex[n] is the sector-end node, or vertex[0] again for a whole ring)
  // and the P2 mid-node of each edge (empty for P1).
  struct Ring {
    std::vector<int> vertex;
    std::vector<int> mid;
    std::vector<double> angle;  // of each vertex, increasing, angle[n] - angle[0] = S
  };
  const Ring& rotor_ring() const { return rotor_ring_; }
  const Ring& stator_ring() const { return stator_ring_; }

 private:
  mesh::Mesh base_;
  std::string origin_;
  double sector_ = 0, sign_ = 1, r1_ = 0, r2_ = 0;
  bool whole_ = true;
  std::vector<char> rotor_node_, rotor_region_;
  std::vector<NodeLink> edge_links_;
  Ring rotor_ring_, stator_ring_;
};

// The magnetization of a rotor magnet turned with the rotor by `angle_rad`.
mesh::MagnetizationHint turned(const mesh::MagnetizationHint& hint, double angle_rad);

}  // namespace rotormag::solver

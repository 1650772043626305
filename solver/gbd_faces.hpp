#pragma once
// Where grain-boundary diffusion enters a magnet: the distance of every
// element to the nearest diffused face of its magnet region, from which the
// magnet model gives the element's coercivity gain (MagnetModel::gbd
// profile; docs/magnet-model.md, "GBD profile").
#include <vector>

#include "mesh/mesh.hpp"

namespace rotormag::solver {

// Which outline edges of a magnet region are diffused faces.
enum class GbdFaces {
  pole_faces,  // the faces the magnetization crosses (normal within 45 degrees of m)
  all_faces    // every face of the magnet
};

// Distance of every element centroid of `m` to the nearest diffused face of
// its magnet region (regions flagged in `magnet_region`, magnetized as
// `magnetization` says per region). Non-magnet elements: 0.
std::vector<double> gbd_face_distance(const mesh::Mesh& m, const std::vector<char>& magnet_region,
                                      const std::vector<mesh::MagnetizationHint>& magnetization, GbdFaces faces);

}  // namespace rotormag::solver

#pragma once
// File node tags -> compact 0-based node indices, assigned in order of first
// use (by a triangle). Shared by the Gmsh-model extraction (extract.cpp) and
// the .msh reader (msh_reader.cpp). Internal to mesh/.
#include <cstddef>
#include <unordered_map>
#include <vector>

namespace rotormag::mesh {

class NodeNumbering {
 public:
  int index_of(std::size_t tag) {
    auto [it, inserted] = index_.emplace(tag, static_cast<int>(tags_.size()));
    if (inserted) tags_.push_back(tag);
    return it->second;
  }
  int find(std::size_t tag) const {
    auto it = index_.find(tag);
    return it == index_.end() ? -1 : it->second;
  }
  const std::vector<std::size_t>& tags() const { return tags_; }

 private:
  std::unordered_map<std::size_t, int> index_;
  std::vector<std::size_t> tags_;
};

}  // namespace rotormag::mesh

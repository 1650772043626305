// Host-side set-up of the fixed sparsity pattern, the element-to-CSR map and
// the element colouring, done once per mesh. Colour-by-colour assembly
// (instead of atomic scatter) makes it deterministic: every backend sums an
// entry's contributions in the same order.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/assembly_data.hpp"

namespace rotormag::kernels {

namespace {
void colour_elements(AssemblyMesh& m, const std::vector<int>& dof_of_entry);
}  // namespace

void own_unknown_per_node(AssemblyMesh& m) {
  m.dof_count = m.node_count;
  m.node_dof.resize(m.node_count);
  for (int i = 0; i < m.node_count; ++i) m.node_dof[i] = i;
  m.node_sign.assign(m.node_count, 1.0);
}

UnknownPattern coupled_unknowns(const AssemblyMesh& m) {
  const int npe = m.nodes_per_element, n = m.dof_count;
  std::vector<std::vector<int>> rows(n);
  for (int e = 0; e < m.element_count; ++e)
    for (int i = 0; i < npe; ++i) {
      const int r = m.node_dof[m.connectivity[static_cast<size_t>(e) * npe + i]];
      for (int j = 0; j < npe; ++j) rows[r].push_back(m.node_dof[m.connectivity[static_cast<size_t>(e) * npe + j]]);
    }
  UnknownPattern p;
  p.row_ptr.assign(n + 1, 0);
  for (int r = 0; r < n; ++r) {
    auto& v = rows[r];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    if (v.empty()) v.push_back(r);  // a node in no element keeps an identity row
    p.row_ptr[r + 1] = p.row_ptr[r] + static_cast<int>(v.size());
  }
  p.col.reserve(p.row_ptr[n]);
  for (const auto& v : rows) p.col.insert(p.col.end(), v.begin(), v.end());
  return p;
}

void build_sparsity(AssemblyMesh& m) {
  const int npe = m.nodes_per_element, n = m.dof_count, ne = m.element_count;
  if (static_cast<int>(m.node_dof.size()) != m.node_count || static_cast<int>(m.node_sign.size()) != m.node_count)
    throw std::invalid_argument("build_sparsity: node_dof and node_sign need one entry per node");
  UnknownPattern pattern = coupled_unknowns(m);
  m.row_ptr = std::move(pattern.row_ptr);
  m.col = std::move(pattern.col);
  m.diagonal_slot.assign(n, -1);
  for (int r = 0; r < n; ++r)
    for (int s = m.row_ptr[r]; s < m.row_ptr[r + 1]; ++s)
      if (m.col[s] == r) m.diagonal_slot[r] = s;
  // Element entries address unknowns: the row/column of local node i is the
  // unknown of its mesh node.
  std::vector<int> dof_of_entry(static_cast<size_t>(ne) * npe);
  for (size_t k = 0; k < dof_of_entry.size(); ++k) dof_of_entry[k] = m.node_dof[m.connectivity[k]];

  // The element-to-CSR map: the slot of every local entry.
  m.element_slot.resize(static_cast<size_t>(ne) * npe * npe);
  for (int e = 0; e < ne; ++e)
    for (int i = 0; i < npe; ++i) {
      const int r = dof_of_entry[e * npe + i];
      const int* begin = m.col.data() + m.row_ptr[r];
      const int* end = m.col.data() + m.row_ptr[r + 1];
      for (int j = 0; j < npe; ++j) {
        const int c = dof_of_entry[e * npe + j];
        m.element_slot[(static_cast<size_t>(e) * npe + i) * npe + j] =
            static_cast<int>(std::lower_bound(begin, end, c) - m.col.data());
      }
    }
  colour_elements(m, dof_of_entry);
}

namespace {

// Greedy colouring: each element (in mesh order) takes the lowest colour
// that no element sharing one of its unknowns has taken. Unknowns, not
// nodes: a periodic or band link makes two nodes one unknown. Triangle
// meshes need about as many colours as elements meet at a node (P2: 10-20).
void colour_elements(AssemblyMesh& m, const std::vector<int>& dof_of_entry) {
  const int npe = m.nodes_per_element, n = m.dof_count, ne = m.element_count;
  std::vector<int> dof_element_ptr(n + 1, 0), dof_elements(static_cast<size_t>(ne) * npe);
  for (int k = 0; k < ne * npe; ++k) ++dof_element_ptr[dof_of_entry[k] + 1];
  for (int d = 0; d < n; ++d) dof_element_ptr[d + 1] += dof_element_ptr[d];
  std::vector<int> fill(dof_element_ptr.begin(), dof_element_ptr.end() - 1);
  for (int k = 0; k < ne * npe; ++k) dof_elements[fill[dof_of_entry[k]]++] = k / npe;

  std::vector<int> colour(ne, -1), taken_by;  // taken_by[c]: last element that found colour c in use
  int colours = 0;
  for (int e = 0; e < ne; ++e) {
    for (int i = 0; i < npe; ++i) {
      const int d = dof_of_entry[e * npe + i];
      for (int k = dof_element_ptr[d]; k < dof_element_ptr[d + 1]; ++k) {
        const int c = colour[dof_elements[k]];
        if (c >= 0) taken_by[c] = e;
      }
    }
    int c = 0;
    while (c < colours && taken_by[c] == e) ++c;
    if (c == colours) {
      ++colours;
      taken_by.push_back(-1);
    }
    colour[e] = c;
  }
  m.colour_ptr.assign(colours + 1, 0);
  for (int e = 0; e < ne; ++e) ++m.colour_ptr[colour[e] + 1];
  for (int c = 0; c < colours; ++c) m.colour_ptr[c + 1] += m.colour_ptr[c];
  m.colour_elements.resize(ne);
  std::vector<int> at(m.colour_ptr.begin(), m.colour_ptr.end() - 1);
  for (int e = 0; e < ne; ++e) m.colour_elements[at[colour[e]]++] = e;
}

}  // namespace

}  // namespace rotormag::kernels

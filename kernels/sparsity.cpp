// Host-side set-up of the fixed sparsity pattern and gather maps, done once
// per mesh. Gathering (instead of atomic scatter) makes assembly deterministic:
// every backend sums an entry's contributions in the same order.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/assembly_data.hpp"

namespace rotormag::kernels {

void own_unknown_per_node(AssemblyMesh& m) {
  m.dof_count = m.node_count;
  m.node_dof.resize(m.node_count);
  for (int i = 0; i < m.node_count; ++i) m.node_dof[i] = i;
  m.node_sign.assign(m.node_count, 1.0);
}

void build_sparsity(AssemblyMesh& m) {
  const int npe = m.nodes_per_element, n = m.dof_count, ne = m.element_count;
  if (static_cast<int>(m.node_dof.size()) != m.node_count || static_cast<int>(m.node_sign.size()) != m.node_count)
    throw std::invalid_argument("build_sparsity: node_dof and node_sign need one entry per node");
  // Element entries address unknowns: the row/column of local node i is the
  // unknown of its mesh node.
  std::vector<int> dof_of_entry(static_cast<size_t>(ne) * npe);
  for (size_t k = 0; k < dof_of_entry.size(); ++k) dof_of_entry[k] = m.node_dof[m.connectivity[k]];
  std::vector<std::vector<int>> rows(n);
  for (int e = 0; e < ne; ++e)
    for (int i = 0; i < npe; ++i)
      for (int j = 0; j < npe; ++j) rows[dof_of_entry[e * npe + i]].push_back(dof_of_entry[e * npe + j]);
  m.row_ptr.assign(n + 1, 0);
  for (int r = 0; r < n; ++r) {
    auto& v = rows[r];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    if (v.empty()) v.push_back(r);  // a node in no element keeps an identity row
    m.row_ptr[r + 1] = m.row_ptr[r] + static_cast<int>(v.size());
  }
  const int nnz = m.row_ptr[n];
  m.col.resize(nnz);
  m.slot_row.resize(nnz);
  m.diagonal_slot.assign(n, -1);
  for (int r = 0; r < n; ++r)
    for (int s = m.row_ptr[r]; s < m.row_ptr[r + 1]; ++s) {
      m.col[s] = rows[r][s - m.row_ptr[r]];
      m.slot_row[s] = r;
      if (m.col[s] == r) m.diagonal_slot[r] = s;
    }
  rows.clear();

  // slot of each element entry, then counting sort into per-slot lists
  std::vector<int> entry_slot(static_cast<size_t>(ne) * npe * npe);
  m.slot_entry_ptr.assign(nnz + 1, 0);
  for (int e = 0; e < ne; ++e)
    for (int i = 0; i < npe; ++i) {
      const int r = dof_of_entry[e * npe + i];
      const int* begin = m.col.data() + m.row_ptr[r];
      const int* end = m.col.data() + m.row_ptr[r + 1];
      for (int j = 0; j < npe; ++j) {
        const int c = dof_of_entry[e * npe + j];
        const int s = static_cast<int>(std::lower_bound(begin, end, c) - m.col.data());
        entry_slot[(static_cast<size_t>(e) * npe + i) * npe + j] = s;
        ++m.slot_entry_ptr[s + 1];
      }
    }
  for (int s = 0; s < nnz; ++s) m.slot_entry_ptr[s + 1] += m.slot_entry_ptr[s];
  m.slot_entries.resize(entry_slot.size());
  std::vector<int> fill(m.slot_entry_ptr.begin(), m.slot_entry_ptr.end() - 1);
  for (size_t k = 0; k < entry_slot.size(); ++k) m.slot_entries[fill[entry_slot[k]]++] = static_cast<int>(k);

  m.row_entry_ptr.assign(n + 1, 0);
  for (int k = 0; k < ne * npe; ++k) ++m.row_entry_ptr[dof_of_entry[k] + 1];
  for (int r = 0; r < n; ++r) m.row_entry_ptr[r + 1] += m.row_entry_ptr[r];
  m.row_entries.resize(static_cast<size_t>(ne) * npe);
  std::vector<int> rfill(m.row_entry_ptr.begin(), m.row_entry_ptr.end() - 1);
  for (int k = 0; k < ne * npe; ++k) m.row_entries[rfill[dof_of_entry[k]]++] = k;
}

ReluctivityLaw append_bh_table(CaseBatch& batch, const std::vector<double>& B, const std::vector<double>& H) {
  const int n = static_cast<int>(B.size());
  if (n < 2 || H.size() != B.size()) throw std::invalid_argument("B-H table needs at least two (B, H) points");
  for (int k = 1; k < n; ++k)
    if (!(B[k] > B[k - 1]) || !(H[k] > H[k - 1]))
      throw std::invalid_argument("B-H table is not strictly increasing");
  std::vector<double> delta(n - 1), slope(n);
  for (int k = 0; k + 1 < n; ++k) delta[k] = (H[k + 1] - H[k]) / (B[k + 1] - B[k]);
  for (int k = 1; k + 1 < n; ++k) {  // Fritsch-Butland: weighted harmonic mean, keeps monotonicity
    const double h0 = B[k] - B[k - 1], h1 = B[k + 1] - B[k];
    slope[k] = 3.0 * (h0 + h1) / ((2 * h1 + h0) / delta[k - 1] + (h1 + 2 * h0) / delta[k]);
  }
  // End points: one-sided shape-preserving three-point estimate, clipped to [0, 3 delta].
  auto end_slope = [](double h0, double h1, double d0, double d1) {
    double s = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1);
    if (s <= 0) s = 0.5 * d0;  // stay strictly positive: dH/dB > 0 keeps the tangent SPD
    if (s > 3 * d0) s = 3 * d0;
    return s;
  };
  if (n == 2) {
    slope[0] = slope[1] = delta[0];
  } else {
    slope[0] = end_slope(B[1] - B[0], B[2] - B[1], delta[0], delta[1]);
    // Last knot: aim for the vacuum slope 1/mu0 of the extension (C1 join) where
    // monotonicity allows it, else the largest monotone slope.
    slope[n - 1] = std::min(1.0 / mu0, 3.0 * delta[n - 2]);
    slope[n - 1] = std::max(slope[n - 1], delta[n - 2]);
  }
  ReluctivityLaw law;
  law.kind = LawKind::bh_table;
  law.table_offset = static_cast<int>(batch.knot_B.size());
  law.table_size = n;
  double w = 0;
  for (int k = 0; k < n; ++k) {
    if (k > 0) {  // exact integral of the cubic Hermite segment
      const double h = B[k] - B[k - 1];
      w += h * (H[k - 1] + H[k]) / 2 + h * h * (slope[k - 1] - slope[k]) / 12;
    }
    batch.knot_B.push_back(B[k]);
    batch.knot_H.push_back(H[k]);
    batch.knot_slope.push_back(slope[k]);
    batch.knot_energy.push_back(w);
  }
  return law;
}

}  // namespace rotormag::kernels

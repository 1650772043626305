#include "kernels/multigrid_setup.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace rotormag::kernels {
namespace {

// Greedy aggregation (Vanek et al.): a root and its strong neighbours form
// an aggregate; left-over nodes join a strong neighbour's aggregate; rows
// without off-diagonal entries (Dirichlet identity rows) are not coarsened.
// The result depends on the order rows are visited in (`visit`, empty: 0..n-1).
std::vector<int> aggregate(const std::vector<int>& row_ptr, const std::vector<int>& col,
                           const std::vector<double>& values, const std::vector<int>& visit_order, double theta,
                           int& count) {
  const int n = static_cast<int>(row_ptr.size()) - 1;
  std::vector<int> visit = visit_order;
  if (visit.empty())
    for (int i = 0; i < n; ++i) visit.push_back(i);
  if (static_cast<int>(visit.size()) != n) throw std::invalid_argument("aggregation visit order: one entry per row");
  std::vector<double> diag(n, 0.0);
  std::vector<char> isolated(n, 1);
  for (int i = 0; i < n; ++i)
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k) {
      if (col[k] == i) diag[i] = values[k];
      else if (values[k] != 0.0) isolated[i] = 0;
    }
  auto strong = [&](int i, int k) {
    const int j = col[k];
    return j != i && std::abs(values[k]) >= theta * std::sqrt(std::abs(diag[i] * diag[j]));
  };
  std::vector<int> agg(n, -2);  // -2: not yet, -1: not coarsened
  for (int i = 0; i < n; ++i)
    if (isolated[i]) agg[i] = -1;
  count = 0;
  for (int i : visit) {  // pass 1: roots whose strong neighbourhood is free
    if (agg[i] != -2) continue;
    bool free = true, any = false;
    for (int k = row_ptr[i]; k < row_ptr[i + 1] && free; ++k)
      if (strong(i, k)) { any = true; free = agg[col[k]] == -2; }
    if (!free || !any) continue;
    agg[i] = count;
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k)
      if (strong(i, k)) agg[col[k]] = count;
    ++count;
  }
  std::vector<int> pass1 = agg;
  for (int i : visit) {  // pass 2: join the strongest aggregated neighbour
    if (agg[i] != -2) continue;
    double best = -1;
    for (int k = row_ptr[i]; k < row_ptr[i + 1]; ++k)
      if (strong(i, k) && pass1[col[k]] >= 0 && std::abs(values[k]) > best) {
        best = std::abs(values[k]);
        agg[i] = pass1[col[k]];
      }
  }
  for (int i : visit)  // pass 3: what is left becomes its own aggregate
    if (agg[i] == -2) agg[i] = count++;
  return agg;
}

}  // namespace

MultigridHierarchy build_aggregation_hierarchy(const std::vector<int>& row_ptr, const std::vector<int>& col,
                                               const std::vector<double>& values,
                                               const std::vector<int>& fine_visit_order, int coarsest_rows,
                                               double theta) {
  MultigridHierarchy h;
  h.strength_threshold = theta;
  MultigridLevel fine;
  fine.rows = static_cast<int>(row_ptr.size()) - 1;
  fine.row_ptr = row_ptr;
  fine.col = col;
  h.levels.push_back(std::move(fine));
  std::vector<double> level_values = values;
  while (h.levels.back().rows > coarsest_rows) {
    MultigridLevel& f = h.levels.back();
    int nc = 0;
    const bool fine_level = h.levels.size() == 1;
    f.aggregate = aggregate(f.row_ptr, f.col, level_values, fine_level ? fine_visit_order : std::vector<int>{}, theta, nc);
    if (nc == 0 || nc > 0.8 * f.rows) { f.aggregate.clear(); break; }  // not shrinking: stop here
    // Members of each aggregate.
    f.member_ptr.assign(nc + 1, 0);
    for (int a : f.aggregate)
      if (a >= 0) ++f.member_ptr[a + 1];
    for (int c = 0; c < nc; ++c) f.member_ptr[c + 1] += f.member_ptr[c];
    f.members.resize(f.member_ptr[nc]);
    std::vector<int> fill(f.member_ptr.begin(), f.member_ptr.end() - 1);
    for (int i = 0; i < f.rows; ++i)
      if (f.aggregate[i] >= 0) f.members[fill[f.aggregate[i]]++] = i;
    // Coarse pattern and, per coarse slot, the fine slots summed into it.
    std::vector<std::vector<std::pair<int, int>>> rows(nc);  // (coarse col, fine slot)
    for (int i = 0; i < f.rows; ++i) {
      const int I = f.aggregate[i];
      if (I < 0) continue;
      for (int k = f.row_ptr[i]; k < f.row_ptr[i + 1]; ++k) {
        const int J = f.aggregate[f.col[k]];
        if (J >= 0) rows[I].push_back({J, k});
      }
    }
    MultigridLevel c;
    c.rows = nc;
    c.row_ptr.assign(nc + 1, 0);
    f.coarse_slot_ptr.clear();
    f.coarse_slot_ptr.push_back(0);
    f.coarse_slot_sources.clear();
    std::vector<double> coarse_values;
    for (int I = 0; I < nc; ++I) {
      auto& r = rows[I];
      std::sort(r.begin(), r.end());
      for (size_t p = 0; p < r.size();) {
        const int J = r[p].first;
        double v = 0;
        for (; p < r.size() && r[p].first == J; ++p) {
          f.coarse_slot_sources.push_back(r[p].second);
          v += level_values[r[p].second];
        }
        c.col.push_back(J);
        coarse_values.push_back(v);
        f.coarse_slot_ptr.push_back(static_cast<int>(f.coarse_slot_sources.size()));
      }
      c.row_ptr[I + 1] = static_cast<int>(c.col.size());
    }
    level_values.swap(coarse_values);
    h.levels.push_back(std::move(c));
  }
  for (MultigridLevel& l : h.levels) {
    l.diagonal_slot.assign(l.rows, -1);
    for (int i = 0; i < l.rows; ++i)
      for (int k = l.row_ptr[i]; k < l.row_ptr[i + 1]; ++k)
        if (l.col[k] == i) l.diagonal_slot[i] = k;
  }
  return h;
}

}  // namespace rotormag::kernels

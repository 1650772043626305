// Numbering of the unknowns for memory locality: reverse Cuthill-McKee
// (George & Liu, "Computer Solution of Large Sparse Positive Definite
// Systems", 1981, ch. 4) from a pseudo-peripheral start.
//
// Why: every sparse row product gathers x[col[j]]. In Gmsh's node order
// (vertices first, then edge midpoints, entity by entity) half of the
// nonzeros of a P2 motor mesh point more than 1024 unknowns away from their
// row (measured: demo at 2.5e5 unknowns, mean |row - col| 12 530), so the
// gathers miss the cache on the CPU and do not coalesce on a GPU. After RCM
// a row's neighbours sit within about sqrt(n) rows of it.
//
// The multigrid's greedy aggregation still visits the unknowns in their
// previous order (AssemblyMesh::aggregation_order): on Gmsh meshes that is
// element corners first, in the mesher's spatially coherent order, then the
// edge midpoints, so aggregates grow around corners and tile the mesh.
// Visited in RCM order, corners and midpoints alternate and the hierarchy
// gets worse (measured: Prius-like motor at 4e4 unknowns, 815 -> 953 CG
// iterations per nonlinear solve; visiting by strong-neighbour count was
// worse still, 1045).
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "kernels/assembly_data.hpp"

namespace rotormag::kernels {

namespace {

// The graph of the unknowns: their CSR pattern (coupled_unknowns). The
// diagonal adds 1 to every degree, which changes no comparison, and a search
// never follows it: a vertex is numbered (or levelled) before its edges are read.
struct UnknownGraph {
  std::vector<int> ptr, adj;
  int degree(int v) const { return ptr[v + 1] - ptr[v]; }
};

UnknownGraph unknown_graph(const AssemblyMesh& m) {
  UnknownPattern p = coupled_unknowns(m);
  return UnknownGraph{std::move(p.row_ptr), std::move(p.col)};
}

// Breadth-first levels from `root` within the unvisited vertices (level
// -1); returns the vertices of the last level and sets `depth`.
std::vector<int> last_level(const UnknownGraph& g, int root, const std::vector<char>& numbered,
                            std::vector<int>& level, int& depth) {
  std::vector<int> frontier{root}, touched{root};
  level[root] = 0;
  depth = 0;
  std::vector<int> last = frontier;
  while (!frontier.empty()) {
    last = frontier;
    std::vector<int> next;
    for (int v : frontier)
      for (int k = g.ptr[v]; k < g.ptr[v + 1]; ++k) {
        const int w = g.adj[k];
        if (numbered[w] || level[w] >= 0) continue;
        level[w] = level[v] + 1;
        next.push_back(w);
        touched.push_back(w);
      }
    if (!next.empty()) ++depth;
    frontier.swap(next);
  }
  for (int v : touched) level[v] = -1;  // leave `level` clean for the next search
  return last;
}

// George-Liu: restart from a least-degree vertex of the last level while
// the depth grows (a few rounds on a mesh).
int pseudo_peripheral(const UnknownGraph& g, int start, const std::vector<char>& numbered, std::vector<int>& level) {
  int root = start, depth = -1;
  for (int round = 0; round < 8; ++round) {
    int d = 0;
    const std::vector<int> last = last_level(g, root, numbered, level, d);
    if (d <= depth) break;
    depth = d;
    root = *std::min_element(last.begin(), last.end(), [&](int a, int b) { return g.degree(a) < g.degree(b); });
  }
  return root;
}

}  // namespace

void number_unknowns_for_locality(AssemblyMesh& m) {
  const int n = m.dof_count;
  if (static_cast<int>(m.node_dof.size()) != m.node_count)
    throw std::invalid_argument("number_unknowns_for_locality: node_dof needs one entry per node");
  const UnknownGraph g = unknown_graph(m);
  std::vector<int> order;  // Cuthill-McKee order: old unknown numbers
  order.reserve(n);
  std::vector<char> numbered(n, 0);
  std::vector<int> level(n, -1);
  // Components one after another, each from a least-degree start (the lowest
  // old number among equals, so the result does not depend on anything else).
  std::vector<int> by_degree(n);
  for (int v = 0; v < n; ++v) by_degree[v] = v;
  std::stable_sort(by_degree.begin(), by_degree.end(), [&](int a, int b) { return g.degree(a) < g.degree(b); });
  std::vector<int> neighbours;
  for (int start : by_degree) {
    if (numbered[start]) continue;
    const int root = pseudo_peripheral(g, start, numbered, level);
    size_t head = order.size();
    order.push_back(root);
    numbered[root] = 1;
    for (; head < order.size(); ++head) {
      const int v = order[head];
      neighbours.clear();
      for (int k = g.ptr[v]; k < g.ptr[v + 1]; ++k)
        if (!numbered[g.adj[k]]) neighbours.push_back(g.adj[k]);
      std::stable_sort(neighbours.begin(), neighbours.end(), [&](int a, int b) { return g.degree(a) < g.degree(b); });
      for (int w : neighbours) {
        numbered[w] = 1;
        order.push_back(w);
      }
    }
  }
  std::vector<int> new_number(n);
  for (int k = 0; k < n; ++k) new_number[order[k]] = n - 1 - k;  // reversed
  for (int& d : m.node_dof) d = new_number[d];
  m.aggregation_order = new_number;  // the old numbers' order, in new numbers
  if (static_cast<int>(m.dirichlet.size()) == n) {
    std::vector<char> dirichlet(n);
    for (int v = 0; v < n; ++v) dirichlet[new_number[v]] = m.dirichlet[v];
    m.dirichlet.swap(dirichlet);
  }
}

}  // namespace rotormag::kernels

#pragma once
// The node links' equivalence classes (Problem::links), shared by the
// discretization (solver/discretization.cpp) and the GetDP export
// (validation/getdp/getdp_comparison.cpp), so that both resolve them alike.
#include <utility>
#include <vector>

namespace rotormag::solver {

// Union-find over nodes with a sign on every edge to the parent:
// A[node] = sign_to_parent * A[parent]. find() returns the root and the
// sign of the node relative to it.
class SignedLinks {
 public:
  explicit SignedLinks(int n) : parent_(n), sign_(n, 1.0), forced_zero_(n, 0) {
    for (int i = 0; i < n; ++i) parent_[i] = i;
  }
  std::pair<int, double> find(int i) {
    double s = 1.0;
    int root = i;
    while (parent_[root] != root) { s *= sign_[root]; root = parent_[root]; }
    // Path compression: point i straight at the root with its total sign.
    if (parent_[i] != root) { parent_[i] = root; sign_[i] = s; }
    return {root, s};
  }
  // A[node] = sign * A[master].
  void link(int node, int master, double sign) {
    const auto [rn, sn] = find(node);
    const auto [rm, sm] = find(master);
    if (rn == rm) {
      // Already tied: consistent, or A = -A, which holds only for A = 0
      // (a node on the axis of an anti-periodic sector, for example).
      if (sn != sign * sm) forced_zero_[rn] = 1;
      return;
    }
    // sn A[rn] = sign sm A[rm]
    parent_[rn] = rm;
    sign_[rn] = sign * sm * sn;
    if (forced_zero_[rn]) forced_zero_[rm] = 1;
  }
  bool forced_zero(int root) const { return forced_zero_[root] != 0; }

 private:
  std::vector<int> parent_;
  std::vector<double> sign_;
  std::vector<char> forced_zero_;
};

}  // namespace rotormag::solver

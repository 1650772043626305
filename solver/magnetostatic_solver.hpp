#pragma once
// Nonlinear 2D magnetostatics: Newton-Raphson with the exact tangent and a
// backtracking line search, the linear systems solved by PCG on a backend.
#include <functional>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "solver/problem.hpp"

namespace rotormag::solver {

// Called after every Newton iteration (progress display): iteration, and
// per case the relative residual ||R||/||R0||.
using NewtonProgress = std::function<void(int iteration, const std::vector<double>& relative_residuals)>;

// Solves a batch of problems that share one mesh and one set of Dirichlet
// nodes (materials, magnetizations, currents and Dirichlet values may differ).
// Each case converges on its own; a case that fails keeps converged = false
// and its report says why (no exception).
std::vector<Solution> solve_batch(const std::vector<Problem>& batch, kernels::Backend& backend,
                                  const NewtonSettings& settings, const NewtonProgress& progress = {});

// The message of a Newton solve that did not converge: the failure, where
// the residual peaked, and the history (what SolveError says).
std::string newton_failure_message(const NewtonReport& report);

// One case; throws SolveError (with the residual history) unless converged.
Solution solve(const Problem& problem, kernels::Backend& backend, const NewtonSettings& settings,
               const NewtonProgress& progress = {});

}  // namespace rotormag::solver

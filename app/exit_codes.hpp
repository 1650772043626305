#pragma once
// Exit codes of rotormag and the one place that maps failures to them.
#include <fmt/core.h>

#include <exception>

#include "cases/case.hpp"
#include "kernels/backend.hpp"
#include "mesh/mesh.hpp"
#include "postproc/results_reader.hpp"
#include "solver/magnetostatic_solver.hpp"

namespace rotormag::app {

enum Exit {
  ok = 0, usage = 1, bad_case = 2, bad_mesh = 3, solve_failed = 4, no_backend = 5, output_failed = 6, bad_results = 7,
  checks_failed = 8  // validate: a check is outside its tolerance
};

// Runs f and maps every failure to its message and exit code; nothing is
// written because results are written last, atomically.
template <class F>
int guarded(F&& f) {
  try {
    return f();
  } catch (const cases::CaseError& e) {
    for (const auto& issue : e.issues()) fmt::print(stderr, "{}\n", issue.format());
    fmt::print(stderr, "rotormag: {} error(s) in the case\n", e.issues().size());
    return Exit::bad_case;
  } catch (const mesh::MeshError& e) {
    fmt::print(stderr, "rotormag: mesh error: {}\n", e.what());
    return Exit::bad_mesh;
  } catch (const solver::ProblemError& e) {
    fmt::print(stderr, "rotormag: invalid problem: {}\n", e.what());
    return Exit::bad_case;
  } catch (const solver::SolveError& e) {
    fmt::print(stderr, "rotormag: {}\nrotormag: no results written\n", e.what());
    return Exit::solve_failed;
  } catch (const kernels::BackendError& e) {
    fmt::print(stderr, "rotormag: backend error: {}\n", e.what());
    return Exit::no_backend;
  } catch (const postproc::IncompleteResultsError& e) {
    fmt::print(stderr, "rotormag: {}\n", e.what());
    return Exit::bad_results;
  } catch (const std::exception& e) {
    fmt::print(stderr, "rotormag: error: {}\n", e.what());
    return Exit::output_failed;
  }
}

}  // namespace rotormag::app

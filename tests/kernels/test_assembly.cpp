// The Backend operations around the assembly (kernels/backend.hpp:
// load_mesh, load_batch, assemble with and without the tangent, residual,
// element_fields, apply_update) on every backend, on awkward sizes: strips
// of 1, 31, 32, 33, 4097, 12289 and 32769 unknowns, batches of 0, 1 and 3
// cases. The integer problems of strip_problem.hpp have one exact answer
// (integer residuals, sums of integer squares), which every backend, the
// CPU's included, must give to the last bit: on a machine without a GPU the
// _cpu variants keep these checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "strip_problem.hpp"
#include "support/backends.hpp"

namespace rm = rotormag;
namespace kt = rotormag::kernel_tests;
using rm::kernels::AssemblyMesh;

namespace {

// 1: one Dirichlet row and no element; 31, 32, 33: about a warp; 4097: one
// past the 4096-row chunk of the CUDA backend's segmented sums; 12289: its
// two-pass chunked sums (over 2 x 4096 rows); 32769: one past the CPU
// backend's 32768-item parallel threshold (its chunked OpenMP fold).
const int kRows[] = {1, 31, 32, 33, 4097, 12289, 32769};

// Case c: nu = 2 (c + 1), integer potentials everywhere, no current.
std::vector<kt::StripCase> integer_cases(const AssemblyMesh& m, int count) {
  std::vector<kt::StripCase> cases(count);
  for (int c = 0; c < count; ++c) {
    cases[c].nu = 2.0 * (c + 1);
    for (int i = 0; i < m.dof_count; ++i) cases[c].potential.push_back(kt::integer_potential(c, i));
  }
  return cases;
}

// "" when a and b are equal to the last bit, else the first difference.
std::string first_difference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) return "[" + std::to_string(i) + "]: " + std::to_string(a[i]) + " vs " + std::to_string(b[i]);
  return "";
}

}  // namespace

// The fused assembly over every case of a batch and the per-case dot
// products (one case: a plain reduction; several: segmented) are exact.
BACKEND_TEST(BackendAssembly, IntegerResidualsAndTheirNormsAreExact) {
  auto backend = rm::testing::test_backend();
  for (int rows : kRows)
    for (int count : {1, 3}) {
      SCOPED_TRACE(std::to_string(rows) + " rows, " + std::to_string(count) + " cases");
      const AssemblyMesh m = kt::strip_mesh(rows);
      const auto cases = integer_cases(m, count);
      backend->load_mesh(m);
      backend->load_batch(kt::strip_batch(m, cases));
      for (bool with_matrix : {false, true}) {
        const std::vector<double> norms = backend->assemble({}, with_matrix);
        const std::vector<double> residual = backend->residual();
        ASSERT_EQ(norms.size(), static_cast<size_t>(count));
        ASSERT_EQ(residual.size(), static_cast<size_t>(count) * rows);
        for (int c = 0; c < count; ++c) {
          const std::vector<double> exact = kt::reference_residual(m, cases[c]);
          double squares = 0;
          for (double r : exact) squares += r * r;  // integers below 2^53: exact
          if (rows > 1) {
            EXPECT_GT(squares, 0.0);  // (a residual to get wrong)
          }
          EXPECT_EQ(first_difference(kt::slice(residual, c, rows), exact), "") << "case " << c;
          EXPECT_EQ(norms[c], std::sqrt(squares)) << "case " << c;
        }
      }
    }
}

// B, H, the energy and the area of every element are exact; the integral of
// A (quadrature weights of 1/3) to round-off.
BACKEND_TEST(BackendAssembly, ElementFieldsOfIntegerPotentialsAreExact) {
  auto backend = rm::testing::test_backend();
  for (int rows : {1, 31, 32, 33, 4097}) {
    SCOPED_TRACE(std::to_string(rows) + " rows");
    const AssemblyMesh m = kt::strip_mesh(rows);
    const auto cases = integer_cases(m, 2);
    backend->load_mesh(m);
    backend->load_batch(kt::strip_batch(m, cases));
    const rm::kernels::ElementFields f = backend->element_fields();
    const int ne = m.element_count;
    ASSERT_EQ(f.bx.size(), static_cast<size_t>(2 * ne));
    ASSERT_EQ(f.area.size(), static_cast<size_t>(ne));
    for (int c = 0; c < 2; ++c) {
      const kt::ReferenceFields e = kt::reference_fields(m, cases[c]);
      EXPECT_EQ(first_difference(kt::slice(f.bx, c, ne), e.bx), "") << "case " << c;
      EXPECT_EQ(first_difference(kt::slice(f.by, c, ne), e.by), "") << "case " << c;
      EXPECT_EQ(first_difference(kt::slice(f.hx, c, ne), e.hx), "") << "case " << c;
      EXPECT_EQ(first_difference(kt::slice(f.hy, c, ne), e.hy), "") << "case " << c;
      EXPECT_EQ(first_difference(kt::slice(f.energy, c, ne), e.energy), "") << "case " << c;
      EXPECT_LE(kt::relative_difference(kt::slice(f.potential, c, ne), e.potential), 1e-14) << "case " << c;
      if (c == 0) {
        EXPECT_EQ(first_difference(f.area, e.area), "");
      }
    }
  }
}

// A batch of no cases: every operation returns empty results, and the
// backend takes a real batch afterwards.
BACKEND_TEST(BackendAssembly, EmptyBatch) {
  auto backend = rm::testing::test_backend();
  for (int rows : {1, 33, 4097}) {
    SCOPED_TRACE(std::to_string(rows) + " rows");
    const AssemblyMesh m = kt::strip_mesh(rows);
    backend->load_mesh(m);
    for (auto p : {rm::kernels::Preconditioner::jacobi, rm::kernels::Preconditioner::multigrid}) {
      backend->set_preconditioner(p);
      backend->load_batch(kt::strip_batch(m, {}));
      EXPECT_TRUE(backend->assemble({}, true).empty());
      EXPECT_TRUE(backend->assemble({}, false, true).empty());
      EXPECT_TRUE(backend->residual().empty());
      EXPECT_TRUE(backend->potential().empty());
      EXPECT_TRUE(backend->solve_update({}, {}, 100).empty());
      std::vector<double> update_max{1.0}, potential_max{1.0};
      backend->apply_update({}, update_max, potential_max);
      EXPECT_TRUE(update_max.empty());
      EXPECT_TRUE(potential_max.empty());
      EXPECT_TRUE(backend->element_fields().bx.empty());
    }
    const auto cases = integer_cases(m, 1);
    backend->load_batch(kt::strip_batch(m, cases));
    backend->assemble({}, true);
    EXPECT_EQ(first_difference(backend->residual(), kt::reference_residual(m, cases[0])), "");
  }
}

// apply_update's per-case maxima (reductions with max) wherever the peak
// sits: first row, middle, last row. Before any solve the update is zero,
// so the potential stays as it was, to the last bit.
BACKEND_TEST(BackendUpdate, MaximaOfEveryCaseAreExact) {
  auto backend = rm::testing::test_backend();
  for (int rows : kRows) {
    SCOPED_TRACE(std::to_string(rows) + " rows");
    const AssemblyMesh m = kt::strip_mesh(rows);
    auto cases = integer_cases(m, 3);
    const int peak_row[] = {0, rows / 2, rows - 1};
    for (int c = 0; c < 3; ++c) cases[c].potential[peak_row[c]] = (c % 2 ? -1.0 : 1.0) * (100 + c);
    backend->load_mesh(m);
    backend->load_batch(kt::strip_batch(m, cases));
    std::vector<double> update_max, potential_max;
    backend->apply_update({1.0, 0.5, 2.0}, update_max, potential_max);
    ASSERT_EQ(potential_max.size(), 3u);
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(update_max[c], 0.0) << "case " << c;
      EXPECT_EQ(potential_max[c], 100.0 + c) << "case " << c;
    }
    std::vector<double> all;
    for (const auto& c : cases) all.insert(all.end(), c.potential.begin(), c.potential.end());
    EXPECT_EQ(first_difference(backend->potential(), all), "");
  }
}

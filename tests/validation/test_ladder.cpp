// The ladder's pass/fail logic (validation/ladder.hpp): a check outside its
// tolerance fails, whatever the criterion; a NaN fails; a convergence study
// against the wrong expected order, or solved against a wrong reference,
// fails; a report with one failure is not a pass and names it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kernels/backend.hpp"
#include "validation/ladder.hpp"
#include "validation/problems.hpp"

namespace rv = rotormag::validation;
using rv::Criterion;
using rv::mm;

TEST(ValidationCheck, EachCriterionPassesInsideAndFailsOutsideItsTolerance) {
  EXPECT_TRUE(rv::make_check("T", "", "q", 2.0, 2.1, 0.25, Criterion::absolute).pass);
  EXPECT_FALSE(rv::make_check("T", "", "q", 2.0, 2.3, 0.25, Criterion::absolute).pass);
  EXPECT_FALSE(rv::make_check("T", "", "q", 2.0, 1.7, 0.25, Criterion::absolute).pass);
  EXPECT_TRUE(rv::make_check("T", "", "q", -50.0, -50.05, 2e-3, Criterion::relative).pass);
  EXPECT_FALSE(rv::make_check("T", "", "q", -50.0, -50.2, 2e-3, Criterion::relative).pass);
  EXPECT_TRUE(rv::make_check("T", "", "q", 2.0, 5.0, 0.25, Criterion::at_least).pass);  // better than expected
  EXPECT_FALSE(rv::make_check("T", "", "q", 2.0, 1.7, 0.25, Criterion::at_least).pass);
  EXPECT_TRUE(rv::make_check("T", "", "q", 99.0, 4e-3, 5e-3, Criterion::at_most).pass);
  EXPECT_FALSE(rv::make_check("T", "", "q", 0.0, 6e-3, 5e-3, Criterion::at_most).pass);
  const auto c = rv::make_check("T", "", "q", 0.0, 6e-3, 5e-3, Criterion::at_most);
  EXPECT_EQ(c.reference, 0.0);
  EXPECT_EQ(c.error, 6e-3);
}

TEST(ValidationCheck, AWrongToleranceOrReferenceFails) {
  // The same numbers pass with the right tolerance and fail with a tighter one.
  EXPECT_TRUE(rv::make_check("T1", "P2", "B_x", 0.585366, 0.5852, 2e-3, Criterion::relative).pass);
  EXPECT_FALSE(rv::make_check("T1", "P2", "B_x", 0.585366, 0.5852, 1e-5, Criterion::relative).pass);
  // ... and fail against a wrong reference (Br/2 instead of Br/(1 + mu_r) with mu_r = 1.05).
  EXPECT_FALSE(rv::make_check("T1", "P2", "B_x", 0.6, 0.5852, 2e-3, Criterion::relative).pass);
}

TEST(ValidationCheck, NaNNeverPasses) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Criterion c : {Criterion::absolute, Criterion::relative, Criterion::at_least, Criterion::at_most}) {
    EXPECT_FALSE(rv::make_check("T", "", "q", 1.0, nan, 0.25, c).pass) << rv::criterion_name(c);
    EXPECT_FALSE(rv::make_check("T", "", "q", 1.0, 1.0, nan, c).pass) << rv::criterion_name(c);
  }
  EXPECT_FALSE(rv::make_check("T", "", "q", nan, 1.0, 0.25, Criterion::relative).pass);
}

TEST(ValidationConvergence, ObservedOrdersAreCheckedAgainstTheExpectedOrder) {
  rv::ConvergenceStudy s;
  s.problem = "T";
  s.element = "P1";
  s.quantity = "synthetic";
  for (double h : {4e-3, 2e-3, 1e-3}) {
    s.h_m.push_back(h);
    s.error.push_back(3.0 * h * h);
  }
  s.expected_order = 2;
  EXPECT_NEAR(s.fitted_order(), 2.0, 1e-12);
  EXPECT_NEAR(s.last_pair_order(), 2.0, 1e-12);
  auto all_pass = [](const rv::ConvergenceStudy& study) {
    bool ok = true;
    for (const auto& c : study.checks()) ok = ok && c.pass;
    return ok;
  };
  EXPECT_EQ(s.checks().size(), 2u);  // fitted and last pair
  EXPECT_TRUE(all_pass(s));
  rv::ConvergenceStudy wrong = s;
  wrong.expected_order = 3;  // the wrong expected order
  EXPECT_FALSE(all_pass(wrong));
  rv::ConvergenceStudy one_sided = s;
  one_sided.one_sided = true;
  one_sided.expected_order = 1;  // reaching more than expected is fine when one-sided
  EXPECT_TRUE(all_pass(one_sided));
  EXPECT_EQ(one_sided.checks().size(), 1u);  // the last pair only
  rv::ConvergenceStudy bounded = s;
  bounded.finest_error_bound = 1e-6;  // finest error is 3e-6
  EXPECT_FALSE(all_pass(bounded));
  bounded.finest_error_bound = 1e-5;
  EXPECT_TRUE(all_pass(bounded));
}

// T1 P1 on coarse meshes: against its reference the order is 2; against a
// reference with the wrong remanence (1.25 T instead of 1.2 T, also as the
// Dirichlet data) the error stops decreasing and the order checks fail.
TEST(ValidationConvergence, AWrongReferenceMakesTheOrderChecksFail) {
  auto backend = rotormag::kernels::make_cpu_backend();
  auto study = [&](const rv::LayeredProblem& problem) {
    const rv::Convergence c = rv::layered_convergence(problem, 1, {4 * mm, 2 * mm, 1 * mm}, *backend);
    rv::ConvergenceStudy s;
    s.problem = "T1";
    s.element = "P1";
    s.h_m = c.h;
    s.error = c.error;
    s.expected_order = 2;
    return s;
  };
  const rv::ConvergenceStudy right = study(rv::t1_problem());
  for (const auto& c : right.checks()) EXPECT_TRUE(c.pass) << c.quantity << " " << c.ours;
  rv::LayeredCylinder wrong_ref{{10 * mm}, {1.05, 1.0}, {1.25, 0.0}, {}, {}};
  wrong_ref.solve();
  rv::LayeredProblem wrong = rv::t1_problem();
  wrong.exact = [wrong_ref](double x, double y) { return wrong_ref.potential(x, y); };
  const rv::ConvergenceStudy bad = study(wrong);
  const auto checks = bad.checks();
  ASSERT_EQ(checks.size(), 2u);
  for (const auto& c : checks) EXPECT_FALSE(c.pass) << c.quantity << " " << c.ours;
}

TEST(ValidationReport, OneFailureFailsTheReportAndIsNamed) {
  rv::Report r;
  r.checks.push_back(rv::make_check("T1", "P1", "ok", 2.0, 2.0, 0.25, Criterion::absolute));
  EXPECT_TRUE(r.all_pass());
  r.checks.push_back(rv::make_check("T3", "P2", "bad", 0.0, 1e-2, 5e-3, Criterion::at_most));
  EXPECT_FALSE(r.all_pass());
  ASSERT_EQ(r.failures().size(), 1u);
  EXPECT_EQ(r.failures()[0].problem, "T3");
  const std::string csv = rv::checks_csv(r);
  EXPECT_NE(csv.find("T3,P2,bad,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",at_most,fail\n"), std::string::npos) << csv;
  EXPECT_NE(rv::format_table(r).find("FAIL"), std::string::npos);
  EXPECT_NE(rv::markdown(r, {}).find("**FAIL**"), std::string::npos);
  EXPECT_FALSE(rv::Report{}.all_pass());  // no checks is not a pass
}

// A part not run (the GetDP comparisons without getdp) is said, in the table
// and as NOT RUN in the Markdown, and never becomes a check or a pass; solve
// timings are information lines, not checks.
TEST(ValidationReport, NotRunAndTimingsAreNotChecks) {
  rv::Report r;
  r.not_run.push_back({"GetDP comparisons", "getdp not found on PATH (Debian package getdp)"});
  EXPECT_FALSE(r.all_pass());  // nothing ran: not a pass
  r.checks.push_back(rv::make_check("T1", "P1", "A at nodes, max |dA| / max |A|", 0.0, 1e-14, 1e-6, Criterion::at_most));
  r.timings.push_back({"GetDP (a) magnet + iron", "GetDP", 10, 12, 8, 0.2, 1.0, 1.5, 8, 9});
  EXPECT_TRUE(r.all_pass());
  const std::string table = rv::format_table(r), md = rv::markdown(r, {}), csv = rv::checks_csv(r);
  EXPECT_NE(table.find("1 checks, 1 passed, 0 failed"), std::string::npos) << table;
  EXPECT_NE(table.find("\nGetDP comparisons not run: getdp not found on PATH (Debian package getdp)\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("info: GetDP (a) magnet + iron: wall time per nonlinear solve: RotorMag 0.20 s"),
            std::string::npos)
      << table;
  EXPECT_NE(md.find("**NOT RUN**: GetDP comparisons not run"), std::string::npos) << md;
  EXPECT_NE(md.find("## Wall time per nonlinear solve"), std::string::npos) << md;
  EXPECT_EQ(csv.find("GetDP"), std::string::npos) << csv;
  EXPECT_NE(md.find("| A at nodes, max \\|dA\\| / max \\|A\\| |"), std::string::npos) << md;  // | escaped in a cell
}

// Same-mesh comparisons with GetDP 3.2 (issue 6; docs/validation.md, "Same-mesh
// comparison with GetDP 3.2"): the problem RotorMag solves is exported exactly
// (mesh, regions, links) with a generated .pro and solved by getdp; A at the
// nodes, the energy and the flux linkage must agree to 1e-6 relative, Arkkio's
// torque to 0.5 %. The cases are validation/getdp/getdp_cases.hpp (also run by
// `rotormag validate`). Skipped when getdp is not on PATH ($ROTORMAG_GETDP
// overrides). ROTORMAG_GETDP_KEEP=1 keeps the working directories (path printed).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "solver/motor_analysis.hpp"
#include "support/backends.hpp"
#include "validation/getdp/getdp_cases.hpp"

namespace rm = rotormag;
namespace rv = rotormag::validation;

namespace {

#define SKIP_WITHOUT_GETDP()                                                               \
  if (rv::find_getdp().empty())                                                            \
    GTEST_SKIP() << "getdp is not on PATH (Debian package `getdp`, installed by the set-up; " \
                    "or set ROTORMAG_GETDP): the same-mesh comparison with GetDP 3.2 cannot run"

rv::GetDPOptions options() {
  rv::GetDPOptions o;
  const char* keep = std::getenv("ROTORMAG_GETDP_KEEP");
  o.keep_work_dir = keep && *keep && std::string(keep) != "0";
  o.timeout_s = 120;
  return o;
}

void expect_agreement(const rv::GetDPCase& k) {
  const rv::GetDPComparison& c = k.comparison;
  std::printf("%s\n%s", k.problem.c_str(), c.summary().c_str());
  EXPECT_LE(c.potential_relative_error, rv::kGetDPPotentialTolerance);
  EXPECT_LE(c.energy.relative_error, rv::kGetDPEnergyTolerance);
  for (const auto& q : c.flux_linkages) EXPECT_LE(q.relative_error, rv::kGetDPFluxLinkageTolerance) << q.name;
  if (c.torque) {
    EXPECT_LE(c.torque->relative_error, rv::kGetDPTorqueTolerance);
  }
  EXPECT_GT(c.getdp_newton_iterations, 2);  // nonlinear: Newton really iterated
  // The checks `rotormag validate` reports pass too.
  for (const auto& check : rv::getdp_checks(k)) EXPECT_TRUE(check.pass) << check.quantity;
}

}  // namespace

// (a) A magnet disk in a go/return coil (its field along x turns the magnet:
// Arkkio's torque in the air gap between them), inside a ring of GetDP's
// analytic iron, air outside, A = 0 at 25 mm.
BACKEND_TEST(GetDP, MagnetAndIronGetDPLaw) {
  SKIP_WITHOUT_GETDP();
  auto backend = rm::testing::test_backend();
  const rv::GetDPCase c = rv::magnet_and_iron_comparison(*backend, options());
  expect_agreement(c);
  ASSERT_EQ(c.comparison.flux_linkages.size(), 1u);
  ASSERT_TRUE(c.comparison.torque);
  // The iron is saturated somewhere (the law is far from its initial slope).
  std::printf("max |B| in the iron: %.3f T\n", c.iron_max_B_T);
  EXPECT_GT(c.iron_max_B_T, 1.2);
}

// (b) The Prius-like IPM sector, loaded, at two rotor positions (band and
// links differ).
BACKEND_TEST(GetDP, PriusSectorTwoPositionsWithCurrent) {
  SKIP_WITHOUT_GETDP();
  const rv::PriusGetDPSetUp s = rv::prius_getdp_set_up({0.0, 3.7});
  auto backend = rm::testing::test_backend();
  // RotorMag's own positions at these positions: the comparison's set-up must be the same problem.
  const auto swept = rm::solver::solve_positions(*s.model.band, s.model.regions, s.model.winding, s.load, s.positions,
                                                 *backend);
  const auto cases = rv::prius_sector_comparisons(s, *backend, options());
  ASSERT_EQ(cases.size(), s.degrees.size());
  for (size_t k = 0; k < cases.size(); ++k) {
    const rv::GetDPComparison& c = cases[k].comparison;
    expect_agreement(cases[k]);
    ASSERT_EQ(c.flux_linkages.size(), 3u);
    ASSERT_TRUE(c.torque);
    for (int ph = 0; ph < 3; ++ph)
      EXPECT_NEAR(c.flux_linkages[ph].ours, swept[k].flux_linkage_Wb[ph], 1e-8 * std::abs(swept[k].flux_linkage_Wb[0]));
    EXPECT_NEAR(c.torque->ours, swept[k].torque_Nm, 1e-6 * std::abs(swept[k].torque_Nm));
    EXPECT_GT(std::abs(c.torque->ours), 10.0);  // loaded: tens of N m
    EXPECT_GT(cases[k].iron_max_B_T, 1.2);
  }
}

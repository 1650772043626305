// The ladder's checks and the run over T1, T2, T3, T4, T6, T7 (ladder.hpp).
#include "validation/ladder.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cmath>

#include "validation/error_norms.hpp"
#include "validation/problems.hpp"

namespace rotormag::validation {

const char* mode_name(Mode mode) { return mode == Mode::quick ? "quick" : "full"; }

const char* criterion_name(Criterion c) {
  switch (c) {
    case Criterion::absolute: return "absolute";
    case Criterion::relative: return "relative";
    case Criterion::at_least: return "at_least";
    case Criterion::at_most: return "at_most";
  }
  return "?";
}

Check make_check(std::string problem, std::string element, std::string quantity, double reference, double ours,
                 double tolerance, Criterion criterion) {
  Check c{std::move(problem), std::move(element), std::move(quantity), reference, ours, 0.0, tolerance, criterion, false};
  switch (criterion) {
    case Criterion::absolute: c.error = std::abs(ours - reference); break;
    case Criterion::relative: c.error = std::abs(ours - reference) / std::abs(reference); break;
    case Criterion::at_least: c.error = reference - ours; break;
    case Criterion::at_most: c.reference = 0; c.error = ours; break;
  }
  // Written so that a NaN (error, tolerance or reference) fails.
  c.pass = std::isfinite(c.error) && std::isfinite(tolerance) && c.error <= tolerance;
  return c;
}

double ConvergenceStudy::fitted_order() const { return validation::fitted_order(h_m, error); }
double ConvergenceStudy::last_pair_order() const { return validation::last_pair_order(h_m, error); }

std::vector<Check> ConvergenceStudy::checks() const {
  std::vector<Check> out;
  const std::string n = std::to_string(h_m.size());
  const std::string what = quantity.empty() ? "" : ", " + quantity;
  const Criterion c = one_sided ? Criterion::at_least : Criterion::absolute;
  if (h_m.size() >= 3 && !one_sided)
    out.push_back(make_check(problem, element, "observed order, fitted over " + n + " meshes" + what, expected_order,
                             fitted_order(), tolerance, c));
  if (h_m.size() >= 2)
    out.push_back(make_check(problem, element, "observed order, last pair" + what, expected_order, last_pair_order(),
                             tolerance, c));
  if (finest_error_bound > 0)
    out.push_back(make_check(problem, element,
                             fmt::format("{} at h = {:.3g} mm", quantity.empty() ? "error" : quantity, h_m.back() * 1e3),
                             0.0, error.back(), finest_error_bound, Criterion::at_most));
  return out;
}

bool Report::all_pass() const {
  for (const auto& c : checks)
    if (!c.pass) return false;
  return !checks.empty();
}

std::vector<Check> Report::failures() const {
  std::vector<Check> out;
  for (const auto& c : checks)
    if (!c.pass) out.push_back(c);
  return out;
}

namespace {

const double kPi = std::acos(-1.0);

// Mesh sizes and variants per mode. Quick: the test suite's meshes where they
// are cheap, coarser ones where not, one T4 variant; full: one refinement
// more, every T4 variant, the tabulated T7 law, P1 and P2 everywhere.
struct Plan {
  std::vector<double> t1_p1, t1_p2, t2_p1, t2_p2, t7_p1, t7_p2, t3_p1, t3_p2, t4_p1, t4_p2;
  bool t7_table = false;
  bool t4_all_variants = false;
  int t6_step_deg = 30;
  bool t6_p1 = false;
};

Plan plan_for(Mode mode) {
  Plan p;
  if (mode == Mode::quick) {
    p.t1_p1 = p.t2_p1 = {2 * mm, 1 * mm, 0.5 * mm};
    p.t1_p2 = p.t2_p2 = {4 * mm, 2 * mm, 1 * mm};
    p.t7_p1 = {2 * mm, 1 * mm, 0.5 * mm};
    // The nonlinear P2 solve at 0.5 mm dominates the run (and suffers most from
    // a busy machine); from 1.4 mm its observed order (3.21) is within 0.25 of 3.
    p.t7_p2 = {1.4 * mm, 1 * mm, 0.7 * mm};
    p.t3_p1 = {1.2 * mm, 0.6 * mm, 0.3 * mm};
    p.t3_p2 = {1.6 * mm, 1.2 * mm, 0.8 * mm};
    p.t4_p1 = p.t4_p2 = {0.8 * mm, 0.4 * mm, 0.2 * mm};
    p.t6_step_deg = 30;
  } else {
    p.t1_p1 = p.t2_p1 = {2 * mm, 1 * mm, 0.5 * mm, 0.25 * mm};
    p.t1_p2 = p.t2_p2 = {4 * mm, 2 * mm, 1 * mm, 0.5 * mm};
    p.t7_p1 = p.t7_p2 = {2 * mm, 1 * mm, 0.5 * mm};
    p.t7_table = true;
    // P2 stops at the test's 0.3 mm: at 0.15 mm its gap error (1.4e-5) no
    // longer follows h^2 (order 1.24 from 0.3 mm; docs/validation.md).
    p.t3_p1 = {1.2 * mm, 0.6 * mm, 0.3 * mm, 0.15 * mm};
    p.t3_p2 = {1.2 * mm, 0.6 * mm, 0.3 * mm};
    p.t4_p1 = p.t4_p2 = {0.4 * mm, 0.2 * mm, 0.1 * mm};
    p.t4_all_variants = true;
    p.t6_step_deg = 10;
    p.t6_p1 = true;
  }
  return p;
}

class Ladder {
 public:
  Ladder(Mode mode, kernels::Backend& backend, const Progress& progress)
      : plan_(plan_for(mode)), backend_(backend), progress_(progress) {
    report_.mode = mode;
    report_.backend = backend.description();
  }

  Report run() {
    const auto start = std::chrono::steady_clock::now();
    t1();
    t2();
    t3();
    t4();
    t6();
    t7();
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report_;
  }

 private:
  void say(const std::string& line) {
    if (progress_) progress_(line);
  }
  double since(std::chrono::steady_clock::time_point t0) const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  void add(const ConvergenceStudy& s) {
    report_.studies.push_back(s);
    for (auto& c : s.checks()) report_.checks.push_back(std::move(c));
  }

  // A convergence study of the L2 error of A on concentric layers (T1, T2, T7).
  void layered(const std::string& problem, const std::string& variant, const LayeredProblem& lp, int order,
               const std::vector<double>& sizes) {
    const auto t0 = std::chrono::steady_clock::now();
    const Convergence c = layered_convergence(lp, order, sizes, backend_);
    ConvergenceStudy s;
    s.problem = problem;
    s.element = "P" + std::to_string(order);
    s.quantity = "L2 error of A [Wb/m]" + (variant.empty() ? "" : " (" + variant + ")");
    s.h_m = c.h;
    s.error = c.error;
    s.expected_order = order + 1;
    add(s);
    say(fmt::format("{} {}{}: L2 error of A {:.3e} .. {:.3e}, orders {:.2f} (fitted) {:.2f} (last pair), {:.1f} s",
                    problem, s.element, variant.empty() ? "" : " " + variant, c.error.front(), c.error.back(),
                    c.fitted(), c.last_pair(), since(t0)));
  }

  // T1: the layered-solution reference against the closed form, the uniform
  // field in the magnet (P2, 1.5 mm, worst element, 0.2 %), convergence.
  void t1() {
    const LayeredCylinder ref = t1_reference();
    const double B_in = t1_Br / (1 + t1_mu_r), H_in = -t1_Br / (kernels::mu0 * (1 + t1_mu_r));
    report_.checks.push_back(make_check("T1", "", "reference: B_in of the interface solve vs Br/(1+mu_r) [T]", B_in,
                                        ref.C[0], 1e-12, Criterion::relative));
    const auto t0 = std::chrono::steady_clock::now();
    const LayeredSolution s = solve_layered(t1_problem(), 2, 1.5 * mm, backend_);
    const int magnet_region = s.mesh.find_region("magnet");
    double worst_Bx = B_in, worst_By = 0, worst_Hm = H_in;
    for (size_t e = 0; e < s.mesh.triangle_count(); ++e) {
      if (s.mesh.triangle_region[e] != magnet_region) continue;
      if (std::abs(s.solution.Bx[e] - B_in) > std::abs(worst_Bx - B_in)) worst_Bx = s.solution.Bx[e];
      if (std::abs(s.solution.By[e]) > std::abs(worst_By)) worst_By = s.solution.By[e];
      if (std::abs(s.solution.Hm[e] - H_in) > std::abs(worst_Hm - H_in)) worst_Hm = s.solution.Hm[e];
    }
    report_.checks.push_back(make_check("T1", "P2", "B_x in the magnet, worst element (h = 1.5 mm) [T]", B_in,
                                        worst_Bx, 2e-3, Criterion::relative));
    report_.checks.push_back(make_check("T1", "P2", "B_y in the magnet, worst element (h = 1.5 mm) [T]", 0.0, worst_By,
                                        2e-3 * B_in, Criterion::absolute));
    report_.checks.push_back(make_check("T1", "P2", "H along M in the magnet, worst element (h = 1.5 mm) [A/m]",
                                        H_in, worst_Hm, 2e-3, Criterion::relative));
    say(fmt::format("T1 P2: field in the magnet, {:.1f} s", since(t0)));
    layered("T1", "", t1_problem(), 1, plan_.t1_p1);
    layered("T1", "", t1_problem(), 2, plan_.t1_p2);
  }

  // T2: the shell's B_in against the infinitely permeable shell (1 %, the
  // shell has mu_r = 1000), convergence.
  void t2() {
    report_.checks.push_back(make_check("T2", "", "reference: B_in vs the infinitely permeable shell closed form [T]",
                                        t2_infinite_shell_B_in(), t2_reference().C[0], 1e-2, Criterion::relative));
    layered("T2", "", t2_problem(), 1, plan_.t2_p1);
    layered("T2", "", t2_problem(), 2, plan_.t2_p2);
  }

  // T3: relative L2 error of B in the gap, rotor turned 31 degrees; the
  // finest mesh of the test (0.3 mm) bounded by 1 % (P1) / 0.5 % (P2).
  void t3() {
    const double turn = 31.0 * kPi / 180;
    for (int order : {1, 2}) {
      const auto t0 = std::chrono::steady_clock::now();
      ConvergenceStudy s;
      s.problem = "T3";
      s.element = "P" + std::to_string(order);
      s.quantity = "relative L2 error of B in the gap";
      for (double h : order == 1 ? plan_.t3_p1 : plan_.t3_p2) {
        const auto t1 = std::chrono::steady_clock::now();
        s.h_m.push_back(h);
        s.error.push_back(t3_gap_error(order, h, turn, backend_));
        say(fmt::format("T3 {} h = {:.3g} mm: {:.3e} ({:.1f} s)", s.element, h * 1e3, s.error.back(), since(t1)));
      }
      s.expected_order = order;
      s.one_sided = true;
      s.finest_error_bound = (order == 2 ? 5e-3 : 1e-2) * std::pow(s.h_m.back() / (0.3 * mm), order);
      add(s);
      say(fmt::format("T3 {}: relative L2 error of B in the gap {:.3e} .. {:.3e}, last pair order {:.2f}, {:.1f} s",
                      s.element, s.error.front(), s.error.back(), s.last_pair_order(), since(t0)));
    }
  }

  // T4: one pole pitch, turned 31 degrees, against the Zhu-Howe-Chan series:
  // the gap error (order >= 0.75: the corner singularity) and away from
  // the magnet corners (P1 >= 0.75, P2 >= 1.75), finest bounded as in the test.
  void t4() {
    const double turn = 31.0 * kPi / 180, corner_radius = 0.5 * mm;
    struct Variant {
      Magnetization magnetization;
      double mu_r;
    };
    std::vector<Variant> variants = {{Magnetization::parallel, 1.05}};
    if (plan_.t4_all_variants)
      variants = {{Magnetization::radial, 1.0}, {Magnetization::parallel, 1.0}, {Magnetization::radial, 1.05},
                  {Magnetization::parallel, 1.05}};
    for (const Variant& v : variants) {
      const SlotlessSpm spm = t4_series_machine(v.magnetization, v.mu_r, turn);
      const ConvergedGapSeries series(spm, 40000);
      const std::string name =
          fmt::format("{} mu_r {:.2f}", v.magnetization == Magnetization::radial ? "radial" : "parallel", v.mu_r);
      for (int order : {1, 2}) {
        const auto t0 = std::chrono::steady_clock::now();
        ConvergenceStudy all, away;
        all.problem = away.problem = "T4";
        all.element = away.element = "P" + std::to_string(order);
        all.quantity = "relative L2 error of B in the gap, " + name;
        away.quantity = "the same 0.5 mm away from the magnet corners, " + name;
        for (double h : order == 1 ? plan_.t4_p1 : plan_.t4_p2) {
          const FieldError e = t4_gap_errors(solve_t4(order, h, 90, spm, v.mu_r != 1.0, turn, backend_), series, turn,
                                             corner_radius);
          all.h_m.push_back(h);
          away.h_m.push_back(h);
          all.error.push_back(e.all);
          away.error.push_back(e.kept);
          say(fmt::format("T4 {} {} h = {:.3g} mm: {:.3e}, away from the corners {:.3e}", all.element, name, h * 1e3,
                          e.all, e.kept));
        }
        all.one_sided = away.one_sided = true;
        all.expected_order = 1.0;  // at most O(h): the log singularity at the magnet corners
        away.expected_order = order;
        all.finest_error_bound = (order == 2 ? 5e-3 : 1e-2) * (all.h_m.back() / (0.1 * mm));
        add(all);
        add(away);
        say(fmt::format("T4 {} {}: gap error {:.3e} .. {:.3e} (order {:.2f}), away from the corners order {:.2f}, {:.1f} s",
                        all.element, name, all.error.front(), all.error.back(), all.last_pair_order(),
                        away.last_pair_order(), since(t0)));
      }
      report_.checks.push_back(make_check("T4", "", "series points not converged to 1e-10 T (" + name + ")", 0.0,
                                          static_cast<double>(series.truncated()), 0.0, Criterion::at_most));
    }
  }

  // T6: Arkkio torque in the band and over the stator-side air, worst angle.
  // P2 (0.5 mm, band 0.15 mm) within 1e-5 of |m' B0| as the test; P1 (full
  // only) within the 0.2 % the issue asked for.
  void t6() {
    std::vector<int> degrees;
    for (int d = 0; d <= 180; d += plan_.t6_step_deg) degrees.push_back(d);
    std::vector<int> orders = {2};
    if (plan_.t6_p1) orders = {1, 2};
    for (int order : orders) {
      const auto t0 = std::chrono::steady_clock::now();
      const T6Result r = t6_torques(order, 0.5 * mm, 0.15 * mm, degrees, backend_);
      const double tol = (order == 2 ? 1e-5 : 2e-3) * r.scale;
      for (bool band : {true, false}) {
        const T6Torque* worst = &r.torques.front();
        auto err = [&](const T6Torque& t) { return std::abs((band ? t.band : t.stator_air) - t.exact); };
        for (const auto& t : r.torques)
          if (err(t) > err(*worst)) worst = &t;
        report_.checks.push_back(make_check(
            "T6", "P" + std::to_string(order),
            fmt::format("torque {} worst of 0..180 deg step {} (at {:.0f} deg) [N m/m]",
                        band ? "in the band (Arkkio)," : "over the stator-side air (Arkkio),", plan_.t6_step_deg,
                        worst->theta_deg),
            worst->exact, band ? worst->band : worst->stator_air, tol, Criterion::absolute));
      }
      say(fmt::format("T6 P{}: worst torque error / |m B0| band {:.2e}, stator air {:.2e}, {:.1f} s", order,
                      r.worst_band, r.worst_stator_air, since(t0)));
    }
  }

  // T7: the nonlinear ring, GetDP's law (and FEMM's M-19 table in full).
  void t7() {
    const auto ref = t7_reference(getdp_iron());
    report_.checks.push_back(make_check("T7", "", "reference: B in the ring at r = 10 mm, deep in saturation [T]", 1.5,
                                        ref->iron_B(10 * mm), 0.0, Criterion::at_least));
    layered("T7", "GetDP law", t7_problem(getdp_iron()), 1, plan_.t7_p1);
    layered("T7", "GetDP law", t7_problem(getdp_iron()), 2, plan_.t7_p2);
    if (plan_.t7_table) {
      layered("T7", "M-19 table", t7_problem(m19_iron()), 1, plan_.t7_p1);
      layered("T7", "M-19 table", t7_problem(m19_iron()), 2, plan_.t7_p2);
    }
  }

  Plan plan_;
  kernels::Backend& backend_;
  Progress progress_;
  Report report_;
};

}  // namespace

Report run_ladder(Mode mode, kernels::Backend& backend, const Progress& progress) {
  return Ladder(mode, backend, progress).run();
}

}  // namespace rotormag::validation

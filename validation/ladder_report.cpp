// The ladder's report as text, CSV and Markdown (ladder.hpp).
#include <fmt/core.h>

#include <algorithm>
#include <string>

#include "validation/ladder.hpp"

namespace rotormag::validation {

namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A Markdown table cell: a '|' in the text (|dA|) would end the cell.
std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string number(double v) { return fmt::format("{:.6g}", v); }
std::string small(double v) { return fmt::format("{:.3g}", v); }

// How the tolerance reads next to the numbers.
std::string tolerance_text(const Check& c) {
  switch (c.criterion) {
    case Criterion::absolute: return "±" + small(c.tolerance);
    case Criterion::relative: return small(c.tolerance) + " rel.";
    case Criterion::at_least: return c.tolerance == 0 ? std::string("≥ ref") : "≥ ref − " + small(c.tolerance);
    case Criterion::at_most: return "≤ " + small(c.tolerance);
  }
  return small(c.tolerance);
}

std::string joined(const std::vector<double>& v, double scale, const char* fmt_spec) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " / " : "") + fmt::format(fmt::runtime(fmt_spec), v[i] * scale);
  return out;
}

std::string element_text(const std::string& e) { return e.empty() ? "-" : e; }

std::string ratio(const SolveTiming& t) { return t.ours_s > 0 ? fmt::format("{:.1f}", t.other_s / t.ours_s) : "-"; }

}  // namespace

std::string format_table(const Report& report) {
  size_t wp = 7, wq = 8;
  for (const auto& c : report.checks) {
    wp = std::max(wp, c.problem.size());
    wq = std::max(wq, c.quantity.size());
  }
  wq = std::min<size_t>(wq, 100);
  std::string out = fmt::format("{:<{}} {:<4} {:<{}} {:>13} {:>13} {:>10} {:>14}  {}\n", "problem", wp, "elem",
                                "quantity", wq, "reference", "ours", "error", "tolerance", "result");
  for (const auto& c : report.checks)
    out += fmt::format("{:<{}} {:<4} {:<{}} {:>13} {:>13} {:>10} {:>14}  {}\n", c.problem, wp, element_text(c.element),
                       c.quantity, wq, number(c.reference), number(c.ours), small(c.error), tolerance_text(c),
                       c.pass ? "pass" : "FAIL");
  const size_t failed = report.failures().size();
  out += fmt::format("{} checks, {} passed, {} failed ({} mode, {}, {:.1f} s)\n", report.checks.size(),
                     report.checks.size() - failed, failed, mode_name(report.mode), report.backend, report.seconds);
  for (const auto& t : report.timings)
    out += fmt::format("info: {}: wall time per nonlinear solve: RotorMag {:.2f} s ({} Newton steps), {} {:.2f} s ({} "
                       "steps; whole process {:.2f} s), {}/RotorMag {}; {} nodes, {} triangles\n",
                       t.problem, t.ours_s, t.ours_iterations, t.other, t.other_s, t.other_iterations,
                       t.other_process_s, t.other, ratio(t), t.nodes, t.triangles);
  for (const auto& n : report.not_run) out += n.line() + "\n";
  return out;
}

std::string checks_csv(const Report& report) {
  std::string out = "problem,element,quantity,reference,ours,error,tolerance,criterion,pass\n";
  for (const auto& c : report.checks)
    out += fmt::format("{},{},{},{:.17g},{:.17g},{:.17g},{:.17g},{},{}\n", c.problem, c.element, csv_field(c.quantity),
                       c.reference, c.ours, c.error, c.tolerance, criterion_name(c.criterion),
                       c.pass ? "pass" : "fail");
  return out;
}

std::string convergence_csv(const Report& report) {
  std::string out = "problem,element,quantity,expected_order,fitted_order,last_pair_order,h_m,error\n";
  for (const auto& s : report.studies)
    for (size_t i = 0; i < s.h_m.size(); ++i)
      out += fmt::format("{},{},{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}\n", s.problem, s.element,
                         csv_field(s.quantity), s.expected_order, s.fitted_order(), s.last_pair_order(), s.h_m[i],
                         s.error[i]);
  return out;
}

std::string markdown(const Report& report, const std::vector<std::string>& images) {
  const size_t failed = report.failures().size();
  std::string out = fmt::format(
      "# RotorMag validation ({} mode)\n\n"
      "`rotormag validate --{}`: {} checks, {} passed, {} failed; backend {}; {:.1f} s.\n"
      "References from the formulas of `shared/reference/validation_ladder.md`; the GetDP rows compare with GetDP 3.2 "
      "on the same mesh, reference = GetDP's value (docs/validation.md).\n\n",
      mode_name(report.mode), mode_name(report.mode), report.checks.size(), report.checks.size() - failed, failed,
      report.backend, report.seconds);
  for (const auto& n : report.not_run) out += fmt::format("**NOT RUN**: {} (not counted as passed).\n\n", n.line());
  out += "## Checks\n\n| problem | element | quantity | reference | ours | error | tolerance | result |\n"
         "|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : report.checks)
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", md_cell(c.problem), element_text(c.element),
                       md_cell(c.quantity), number(c.reference), number(c.ours), small(c.error), tolerance_text(c),
                       c.pass ? "pass" : "**FAIL**");
  for (const auto& n : report.not_run)
    out += fmt::format("| {} | - | - | - | - | - | - | **NOT RUN** |\n", n.what);
  if (!report.timings.empty()) {
    out += "\n## Wall time per nonlinear solve\n\nInformation, not checks. The solve: set-up and Newton (for GetDP "
           "from its own `-cpu` timestamps, mesh reading excluded); the whole process adds start-up, reading and "
           "post-processing.\n\n"
           "| problem | nodes / triangles / unknowns | RotorMag | other solver | its whole process | other / RotorMag |\n"
           "|---|---|---|---|---|---|\n";
    for (const auto& t : report.timings)
      out += fmt::format("| {} | {} / {} / {} | {:.2f} s, {} Newton steps | {} {:.2f} s, {} steps | {:.2f} s | {} |\n",
                         md_cell(t.problem), t.nodes, t.triangles, t.unknowns, t.ours_s, t.ours_iterations, t.other, t.other_s,
                         t.other_iterations, t.other_process_s, ratio(t));
  }
  out += "\n## Convergence\n\nh is the element size asked for (T3, T4) or the square root of the mean element area "
         "(T1, T2, T7); the fitted order is the least-squares slope of log(error) against log(h), the last pair the "
         "slope of the two finest meshes.\n\n"
         "| problem | element | quantity | h [mm] | error | fitted order | last pair | expected |\n"
         "|---|---|---|---|---|---|---|---|\n";
  for (const auto& s : report.studies)
    out += fmt::format("| {} | {} | {} | {} | {} | {:.2f} | {:.2f} | {} |\n", s.problem, s.element, s.quantity,
                       joined(s.h_m, 1e3, "{:.3g}"), joined(s.error, 1.0, "{:.3e}"), s.fitted_order(),
                       s.last_pair_order(),
                       s.one_sided ? "≥ " + small(s.expected_order - s.tolerance)
                                   : small(s.expected_order) + " ± " + small(s.tolerance));
  if (!images.empty()) {
    out += "\n## Plots\n\n";
    for (const auto& image : images) out += fmt::format("![{}]({})\n\n", image, image);
  }
  return out;
}

}  // namespace rotormag::validation

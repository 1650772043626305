#include "benchmarks/end_to_end.hpp"

#include <fmt/core.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "cases/case.hpp"
#include "kernels/backend.hpp"
#include "postproc/atomic_file.hpp"
#include "setup/field_problem.hpp"
#include "setup/motor_setup.hpp"
#include "solver/discretization.hpp"
#include "solver/magnetostatic_solver.hpp"
#include "solver/motor_analysis.hpp"
#include "solver/moving_band.hpp"
#include "validation/getdp/getdp_cases.hpp"

namespace rotormag::benchmarks {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
// CPU time of the whole process (all threads): on a loaded machine with one
// OpenMP thread it is close to what the solve takes on an idle core.
double process_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
const double kPi = std::acos(-1.0);

// ---- a backend that times what the solver asks of it ----------------------
// Wraps the real backend: every call is forwarded and its wall time added to
// the matching bucket. The CPU backend is synchronous; on CUDA every timed
// call ends in a device-to-host copy or reduction, so host timing is fair.
class TimedBackend : public kernels::Backend {
 public:
  explicit TimedBackend(kernels::Backend& inner) : b_(inner) {}
  double assemble_s = 0, solve_s = 0, update_s = 0, load_s = 0, fields_s = 0;
  long cg_iterations = 0;
  int cg_max = 0;
  void reset() { assemble_s = solve_s = update_s = load_s = fields_s = 0; cg_iterations = 0; cg_max = 0; }

  std::string name() const override { return b_.name(); }
  std::string description() const override { return b_.description(); }
  void load_mesh(const kernels::AssemblyMesh& m) override { timed(load_s, [&] { b_.load_mesh(m); }); }
  void set_preconditioner(kernels::Preconditioner p) override { b_.set_preconditioner(p); }
  std::string preconditioner_description() const override { return b_.preconditioner_description(); }
  void load_batch(const kernels::CaseBatch& batch) override { timed(load_s, [&] { b_.load_batch(batch); }); }
  std::vector<double> assemble(const std::vector<double>& step, bool with_matrix, bool initial_permeability) override {
    std::vector<double> r;
    timed(assemble_s, [&] { r = b_.assemble(step, with_matrix, initial_permeability); });
    return r;
  }
  std::vector<kernels::LinearSolveStats> solve_update(const std::vector<char>& active,
                                                      const std::vector<double>& rtol, int max_iterations) override {
    std::vector<kernels::LinearSolveStats> s;
    timed(solve_s, [&] { s = b_.solve_update(active, rtol, max_iterations); });
    for (size_t c = 0; c < s.size(); ++c)
      if (active[c]) {
        cg_iterations += s[c].iterations;
        cg_max = std::max(cg_max, s[c].iterations);
      }
    return s;
  }
  void apply_update(const std::vector<double>& step, std::vector<double>& update_max,
                    std::vector<double>& potential_max) override {
    timed(update_s, [&] { b_.apply_update(step, update_max, potential_max); });
  }
  std::vector<double> potential() const override { return b_.potential(); }
  std::vector<double> residual() const override { return b_.residual(); }
  kernels::ElementFields element_fields() const override {
    kernels::ElementFields f;
    const auto t0 = Clock::now();
    f = b_.element_fields();
    const_cast<TimedBackend*>(this)->fields_s += seconds_since(t0);
    return f;
  }

 private:
  template <class F>
  static void timed(double& bucket, F&& f) {
    const auto t0 = Clock::now();
    f();
    bucket += seconds_since(t0);
  }
  kernels::Backend& b_;
};

// ---- machine information ---------------------------------------------------
std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown";
}

std::string memory_total() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  long kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemTotal:") return fmt::format("{:.1f} GiB", kb / 1048576.0);
  return "unknown";
}

// The 1-minute load average (other processes competing for the cores).
double load_average() {
  std::istringstream s(read_first_line("/proc/loadavg"));
  double l1 = -1;
  s >> l1;
  return l1;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return buf;
}

// ---- rows --------------------------------------------------------------------
struct Row {
  std::string section;   // ladder | prius | batch
  std::string problem;
  int order = 0;
  long dofs = 0;
  int batch = 1;
  int newton = 0;        // per case (max over the batch)
  long cg_total = 0;     // all cases of the row
  double cg_per_newton = 0;
  int cg_max = 0;        // most CG iterations of one linear solve
  double mesh_s = 0;     // Gmsh (not part of the solve)
  double setup_s = 0;    // discretize: sparsity pattern + gather maps (also inside solve_s)
  double solve_s = 0;    // the nonlinear solve(s), end to end
  double cpu_s = 0;      // process CPU time of the same (all threads)
  double assemble_s = 0, cg_s = 0, other_s = 0;  // where solve_s went (cg_s includes the multigrid set-up)
  double s_per_solve = 0;
  double cases_per_s = 0;
  double vs_single = -1;  // batch: max|A_batch - A_single| / max|A| of case 0 (-1: not checked)
  double load = 0;       // 1-minute load average when the row finished
  std::string multigrid; // levels
};

std::string fmt_time(double s) {
  if (s < 1e-3) return fmt::format("{:.0f} us", s * 1e6);
  if (s < 1) return fmt::format("{:.1f} ms", s * 1e3);
  return fmt::format("{:.2f} s", s);
}

std::string table_header() {
  return "| problem | P | DOFs | batch | Newton | CG total | CG/Newton | CG max | time/solve | CPU/solve | cases/s | "
         "assembly | CG+AMG | other | setup | mesh | load |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
}

std::string table_row(const Row& r) {
  return fmt::format("| {} | {} | {} | {} | {} | {} | {:.1f} | {} | {} | {} | {:.3g} | {} | {} | {} | {} | {} | {:.2f} |\n",
                     r.problem, r.order, r.dofs, r.batch, r.newton, r.cg_total, r.cg_per_newton, r.cg_max,
                     fmt_time(r.s_per_solve), fmt_time(r.cpu_s / r.batch), r.cases_per_s, fmt_time(r.assemble_s), fmt_time(r.cg_s),
                     fmt_time(r.other_s), fmt_time(r.setup_s), fmt_time(r.mesh_s), r.load);
}

std::string csv_header() {
  return "section,problem,order,dofs,batch,newton,cg_total,cg_per_newton,cg_max,mesh_s,setup_s,solve_s,cpu_s,assemble_s,cg_s,"
         "other_s,s_per_solve,cases_per_s,vs_single,load1,multigrid\n";
}

std::string csv_row(const Row& r) {
  return fmt::format("{},{},{},{},{},{},{},{:.3f},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.3g},{:.2f},\"{}\"\n",
                     r.section, r.problem, r.order, r.dofs, r.batch, r.newton, r.cg_total, r.cg_per_newton, r.cg_max,
                     r.mesh_s, r.setup_s, r.solve_s, r.cpu_s, r.assemble_s, r.cg_s, r.other_s, r.s_per_solve, r.cases_per_s,
                     r.vs_single, r.load, r.multigrid);
}

void finish_row(Row& r, const TimedBackend& tb, int cases) {
  r.assemble_s = tb.assemble_s;
  r.cg_s = tb.solve_s;
  r.other_s = std::max(0.0, r.solve_s - tb.assemble_s - tb.solve_s);
  r.cg_total = tb.cg_iterations;
  r.cg_max = tb.cg_max;
  r.cg_per_newton = r.newton > 0 ? static_cast<double>(r.cg_total) / (static_cast<double>(r.newton) * cases) : 0;
  r.s_per_solve = r.solve_s / cases;
  r.cases_per_s = cases / r.solve_s;
  r.load = load_average();
  r.multigrid = tb.preconditioner_description();
}

// ---- the demo geometry, refined uniformly -----------------------------------
// Every length of the size field scales with s: the core size, the air-gap
// and magnet sizes (which the template otherwise derives from the geometry and
// keeps fixed) and the grading, so unknowns ~ N(1) / s^2 (coarser than the
// case, s > 1, the gap keeps its two element layers).
struct DemoMesh {
  cases::Case c;                               // the scaled case: `regions` point into c.materials
  mesh::Mesh mesh;
  std::vector<cases::ResolvedRegion> regions;
  double scale = 1;
  double mesh_s = 0;
  DemoMesh() = default;
  DemoMesh(DemoMesh&&) = default;              // std::map nodes move: the pointers stay valid
  DemoMesh& operator=(DemoMesh&&) = default;
  DemoMesh(const DemoMesh& o) : c(o.c), mesh(o.mesh), scale(o.scale), mesh_s(o.mesh_s) {
    regions = cases::bind_regions(c, mesh);   // a copied map: bind again
  }
};

cases::Case scaled_demo(const cases::Case& base, double s) {
  cases::Case c = base;
  mesh::SlotlessVRotor& g = c.mesh.ipm_v_rotor;
  const double h_gap = g.airgap_element_size_m > 0 ? g.airgap_element_size_m : 0.5 * g.airgap_m;
  const double h_mag = g.magnet_element_size_m > 0 ? g.magnet_element_size_m
                                                   : std::min(base.mesh.options.element_size_m, g.magnet_thickness_m / 3);
  c.mesh.options.element_size_m = base.mesh.options.element_size_m * s;
  g.airgap_element_size_m = std::min(h_gap * s, 0.5 * g.airgap_m);  // the template wants >= 2 layers in the gap
  g.magnet_element_size_m = h_mag * s;
  g.size_grading = base.mesh.ipm_v_rotor.size_grading * s;
  return c;
}

DemoMesh build_demo(const cases::Case& base, double s) {
  DemoMesh d;
  d.scale = s;
  d.c = scaled_demo(base, s);
  const auto t0 = Clock::now();
  d.mesh = cases::build_mesh(d.c);
  d.mesh_s = seconds_since(t0);
  d.regions = cases::bind_regions(d.c, d.mesh);
  return d;
}

// Rows of the linear system (free unknowns plus the Dirichlet identity rows): for the calibration.
long system_rows(const solver::Problem& p) {
  return static_cast<long>(solver::discretize({p}).dof_count);
}

Row solve_demo(const cases::Case& base, const DemoMesh& d, kernels::Backend& backend, const std::string& label) {
  Row r;
  r.section = "ladder";
  r.problem = label;
  r.order = d.mesh.order;
  r.mesh_s = d.mesh_s;
  const solver::Problem p = setup::problem_from_case(base, d.mesh, d.regions);
  auto t0 = Clock::now();
  solver::discretize({p});  // timed alone: the sparsity pattern and gather maps (solve repeats it)
  r.setup_s = seconds_since(t0);
  TimedBackend tb(backend);
  t0 = Clock::now();
  const double c0 = process_cpu_s();
  const solver::Solution s = solver::solve(p, tb, setup::newton_settings(base.solver));
  r.solve_s = seconds_since(t0);
  r.cpu_s = process_cpu_s() - c0;
  r.newton = s.report.iterations;
  r.dofs = static_cast<long>(s.unknowns);  // free unknowns (no Dirichlet rows), as `rotormag run` reports
  finish_row(r, tb, 1);
  return r;
}

// ---- the Prius-like motor, one rotor position under load ----------------------
// The case's machine at mesh sizes x s, ready to positions its first position.
struct PriusModel {
  cases::Case c;
  mesh::Mesh m;
  std::vector<cases::ResolvedRegion> regions;
  setup::MotorModel model;
  std::unique_ptr<solver::MovingBand> band;
  solver::StatorLoad load;
  solver::RotorPositions positions;
  double mesh_s = 0, setup_s = 0;
};

std::unique_ptr<PriusModel> prius_model(const cases::Case& base, double s) {
  auto p = std::make_unique<PriusModel>();
  cases::Case& c = p->c;
  c = base;
  c.mesh.options.element_size_m *= s;
  mesh::MotorMeshSizes& z = c.mesh.motor.sizes;
  if (z.band_element_size_m > 0) z.band_element_size_m *= s;
  if (z.airgap_element_size_m > 0) z.airgap_element_size_m *= s;
  if (z.magnet_element_size_m > 0) z.magnet_element_size_m *= s;
  if (z.slot_element_size_m > 0) z.slot_element_size_m *= s;
  z.size_grading *= s;
  auto t0 = Clock::now();
  p->m = cases::build_mesh(c);
  p->mesh_s = seconds_since(t0);
  p->regions = cases::bind_regions(c, p->m);
  t0 = Clock::now();
  const setup::MotorSetUp set_up = setup::motor_set_up(c, p->m, p->regions);
  p->model = set_up.model;
  p->band = std::make_unique<solver::MovingBand>(setup::moving_band(c, p->m, p->model));
  p->load = set_up.load;
  p->positions = set_up.positions;
  p->positions.positions_rad = {c.motor.positions_deg.empty() ? 0.0 : c.motor.positions_deg.front() * kPi / 180};
  p->setup_s = seconds_since(t0);  // winding, moving band (the discretization is inside the solve)
  return p;
}

Row solve_prius(const cases::Case& base, double s, kernels::Backend& backend) {
  Row r;
  r.section = "prius";
  const auto p = prius_model(base, s);
  r.mesh_s = p->mesh_s;
  const solver::Problem base_problem = setup::problem_from_case(p->c, p->m, p->regions);
  r.setup_s = p->setup_s;
  TimedBackend tb(backend);
  const auto t0 = Clock::now();
  const double c0 = process_cpu_s();
  const std::vector<solver::PositionResult> out =
      solver::solve_positions(*p->band, base_problem.regions, p->model.winding, p->load, p->positions, tb);
  r.solve_s = seconds_since(t0);
  r.cpu_s = process_cpu_s() - c0;
  const solver::PositionResult& x = out.front();
  r.order = p->m.order;
  r.dofs = static_cast<long>(x.solution.unknowns);
  r.newton = x.newton_iterations;
  r.problem = fmt::format("prius_load h={:.3g}mm (T={:.1f} N m)", p->c.mesh.options.element_size_m * 1e3, x.torque_Nm);
  finish_row(r, tb, 1);
  return r;
}

// ---- batches of demo cases sharing one mesh ------------------------------------
// Case k has its magnets at 20 + 160 frac(0.5 + k phi) C: case 0 at 100 C, the
// rest spread over 20..180 C.
double batch_temperature(int k) {
  const double phi = 0.6180339887498949;
  const double f = 0.5 + k * phi;
  return 20 + 160 * (f - std::floor(f));
}

// Case 0 of a batch against the batch of one (the first call keeps its A):
// max|dA| / max|A| into r.vs_single.
void compare_with_single(Row& r, const std::vector<double>& A, std::vector<double>& single_A) {
  if (single_A.empty()) {
    single_A = A;
    return;
  }
  double diff = 0, amax = 0;
  for (size_t i = 0; i < single_A.size(); ++i) {
    diff = std::max(diff, std::abs(A[i] - single_A[i]));
    amax = std::max(amax, std::abs(single_A[i]));
  }
  r.vs_single = amax > 0 ? diff / amax : diff;
}

Row solve_batch_row(const cases::Case& base, const DemoMesh& d, int n, kernels::Backend& backend,
                    std::vector<double>& single_A) {
  Row r;
  r.section = "batch";
  r.problem = fmt::format("demo x{} (20..180 C)", n);
  r.order = d.mesh.order;
  r.batch = n;
  r.mesh_s = d.mesh_s;
  std::vector<solver::Problem> batch;
  for (int k = 0; k < n; ++k) {
    cases::Case c = base;
    c.temperature_C = batch_temperature(k);
    batch.push_back(setup::problem_from_case(c, d.mesh, d.regions));
  }
  auto t0 = Clock::now();
  solver::discretize({batch.front()});
  r.setup_s = seconds_since(t0);
  TimedBackend tb(backend);
  t0 = Clock::now();
  const double c0 = process_cpu_s();
  const std::vector<solver::Solution> s = solver::solve_batch(batch, tb, setup::newton_settings(base.solver));
  r.solve_s = seconds_since(t0);
  r.cpu_s = process_cpu_s() - c0;
  for (const solver::Solution& x : s) {
    if (!x.report.converged)
      throw solver::SolveError("bench: a batch case did not converge: " + x.report.failure, x.report);
    r.newton = std::max(r.newton, x.report.iterations);
  }
  r.dofs = static_cast<long>(s.front().unknowns);
  finish_row(r, tb, n);
  // cg_per_newton over the batch: total CG over the sum of Newton steps.
  long steps = 0;
  for (const solver::Solution& x : s) steps += x.report.iterations;
  r.cg_per_newton = steps > 0 ? static_cast<double>(r.cg_total) / steps : 0;
  compare_with_single(r, s.front().A, single_A);
  return r;
}

// N candidates of the Prius-like motor (magnets at batch_temperature(k)), the
// case's load at its first rotor position, swept together
// (solver::solve_variants: one solve_batch): the batch throughput.
Row solve_prius_batch_row(const PriusModel& p, int n, kernels::Backend& backend, std::vector<double>& single_A) {
  Row r;
  r.section = "prius_batch";
  r.problem = fmt::format("prius_load x{} (20..180 C)", n);
  r.order = p.m.order;
  r.batch = n;
  r.mesh_s = p.mesh_s;
  r.setup_s = p.setup_s;
  std::vector<solver::MachineVariant> variants(n);
  for (int k = 0; k < n; ++k) {
    cases::Case c = p.c;
    c.temperature_C = batch_temperature(k);
    variants[k].regions = setup::problem_from_case(c, p.m, p.regions).regions;
    variants[k].load = p.load;
    variants[k].name = fmt::format("{:.0f} C", c.temperature_C);
  }
  TimedBackend tb(backend);
  const auto t0 = Clock::now();
  const double c0 = process_cpu_s();
  const auto out = solver::solve_variants(*p.band, variants, p.model.winding, p.positions, tb);
  r.solve_s = seconds_since(t0);
  r.cpu_s = process_cpu_s() - c0;
  long steps = 0;
  for (const auto& v : out) {
    r.newton = std::max(r.newton, v.front().newton_iterations);
    steps += v.front().newton_iterations;
  }
  const solver::Solution& first = out.front().front().solution;
  r.dofs = static_cast<long>(first.unknowns);
  finish_row(r, tb, n);
  r.cg_per_newton = steps > 0 ? static_cast<double>(r.cg_total) / steps : 0;
  compare_with_single(r, first.A, single_A);
  return r;
}

// Least-squares slope of log(y) against log(x).
double log_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2) return std::nan("");
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) {
    const double lx = std::log(x[i]), ly = std::log(y[i]);
    sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

// Issue 7's comparison: the Prius-like sector (GetDP's analytic iron law in
// both cores, i_d = -100 A, i_q = 200 A, rotor at 0 deg) on the same P1 mesh,
// solved by RotorMag on this run's backend and by GetDP 3.2 (Newton to the
// same update tolerance, LU per step), at three mesh sizes; the agreement of
// energy, flux linkage and torque shows both solved the same problem
// (validation/getdp/getdp_cases.hpp).
std::string getdp_same_mesh_section(kernels::Backend& backend, bool quick, bool wanted) {
  if (!wanted) return "Not run (--no-getdp).\n";
  if (validation::find_getdp().empty()) {
    fmt::print(stderr, "rotormag-bench: GetDP comparison not run: getdp not found on PATH (Debian package getdp)\n");
    return "Not run: getdp not found on PATH (Debian package getdp).\n";
  }
  std::string md =
      "| mesh | nodes | triangles | unknowns | RotorMag solve | Newton | GetDP solve | Newton | GetDP process | "
      "GetDP / RotorMag | energy rel. diff. | psi_a rel. diff. | torque rel. diff. |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  const std::vector<double> sizes = quick ? std::vector<double>{4e-3} : std::vector<double>{4e-3, 2e-3, 1e-3, 0.5e-3};
  for (double h : sizes) {
    fmt::print(stderr, "rotormag-bench: GetDP on the same mesh, Prius sector, h = {:g} mm ...\n", h * 1e3);
    const auto set_up = validation::prius_getdp_set_up({0.0}, h);
    const auto cases = validation::prius_sector_comparisons(set_up, backend);
    const validation::GetDPComparison& c = cases.front().comparison;
    const double ratio = c.getdp_solve_s / c.ours_solve_s;
    md += fmt::format("| h = {:g} mm | {} | {} | {} | {:.3f} s | {} | {:.3f} s | {} | {:.3f} s | **{:.1f}** | {:.1e} | {:.1e} | {} |\n",
                      h * 1e3, c.nodes, c.triangles, c.unknowns, c.ours_solve_s, c.ours_newton_iterations,
                      c.getdp_solve_s, c.getdp_newton_iterations, c.getdp_process_s, ratio,
                      c.energy.relative_error, c.flux_linkages.front().relative_error,
                      c.torque ? fmt::format("{:.1e}", c.torque->relative_error) : std::string("-"));
    fmt::print(stderr, "rotormag-bench:   {} unknowns: RotorMag {:.3f} s, GetDP {:.3f} s (x{:.1f})\n", c.unknowns,
               c.ours_solve_s, c.getdp_solve_s, ratio);
  }
  md += "\nRotorMag solve: `solver::solve` (set-up and Newton) on this run's backend; GetDP solve: from its own "
        "timestamps, mesh reading excluded; GetDP process: the whole `getdp` run. GetDP damps its Newton steps by "
        "trying step factors 1..1/128 (plain Newton overflows the exponential law in the bridges), most of its time.\n";
  return md;
}

}  // namespace

int run_bench(const BenchOptions& o) {
  const auto t_start = Clock::now();
  namespace fs = std::filesystem;
  const std::string cases_dir =
      !o.cases_dir.empty() ? o.cases_dir : fs::path(o.library_dir).lexically_normal().parent_path().string();
  const std::string demo_path = (fs::path(cases_dir) / "examples" / "demo_ipm.toml").string();
  const std::string prius_path = (fs::path(cases_dir) / "motors" / "prius_ipm_load.toml").string();

  const kernels::BackendChoice choice = kernels::backend_choice(o.backend);
  std::string notice;
  auto backend = kernels::make_backend(choice, &notice);
  if (!notice.empty()) fmt::print(stderr, "rotormag-bench: {}\n", notice);
  const bool gpu = backend->name() == "cuda";
  const double max_dofs = o.max_dofs > 0 ? o.max_dofs : (o.quick ? 1e5 : (gpu ? 3e6 : 1e6));
  std::vector<int> batches = o.batches;
  if (batches.empty()) batches = o.quick ? std::vector<int>{1, 4, 16} : std::vector<int>{1, 4, 16, 64, 256};
  if (batches.front() != 1) batches.insert(batches.begin(), 1);  // the single-case reference

  std::string machine;
  machine += fmt::format("- date: {}\n", utc_now());
  machine += fmt::format("- CPU: {}, {} hardware threads, {} memory; OpenMP max threads {}\n", cpu_model(),
                         std::thread::hardware_concurrency(), memory_total(), omp_get_max_threads());
  machine += fmt::format("- backend: {} ({})\n", backend->name(), backend->description());
  machine += fmt::format("- load average at start (1, 5, 15 min): {}\n", read_first_line("/proc/loadavg"));
  machine += fmt::format("- options: {}max DOFs {:.3g}, preconditioner {}, batches", o.quick ? "--quick, " : "", max_dofs,
                         o.preconditioner.empty() ? "of the case files" : o.preconditioner);
  for (int b : batches) machine += fmt::format(" {}", b);
  machine += "\n";
  fmt::print(stderr, "rotormag-bench\n{}", machine);

  cases::MaterialLibrary library = cases::MaterialLibrary::load(o.library_dir);
  // --preconditioner replaces the case files' own [solver] preconditioner (an A/B of the cycle's precision).
  const auto load = [&](const std::string& path) {
    cases::Case c = cases::load_case(path, library);
    if (!o.preconditioner.empty()) c.solver.preconditioner = *cases::parse_preconditioner(o.preconditioner);
    return c;
  };
  const cases::Case demo = load(demo_path);

  std::vector<Row> rows;
  auto progress = [&](const Row& r) {
    fmt::print(stderr,
               "rotormag-bench: {} P{}: {} DOFs, batch {}: {} Newton, {} CG ({:.1f}/Newton, max {}), {:.3f} s/solve, "
               "{:.3g} cases/s; assembly {:.2f} s, CG+AMG {:.2f} s; {} [load {:.2f}; {:.0f} s elapsed]\n",
               r.problem, r.order, r.dofs, r.batch, r.newton, r.cg_total, r.cg_per_newton, r.cg_max, r.s_per_solve,
               r.cases_per_s, r.assemble_s, r.cg_s, r.multigrid, r.load, seconds_since(t_start));
  };

  // Calibration: the case's own size (scale 1) gives N(1); then s = sqrt(N(1)/target).
  fmt::print(stderr, "rotormag-bench: meshing the demo at its own size to calibrate the ladder\n");
  DemoMesh calibration = build_demo(demo, 1.0);
  const double n1 = static_cast<double>(system_rows(setup::problem_from_case(demo, calibration.mesh, calibration.regions)));
  auto demo_at = [&](double target) {
    double s = std::sqrt(n1 / target);
    if (std::abs(s - 1) < 0.05) return calibration;
    DemoMesh d = build_demo(demo, s);
    const double n = static_cast<double>(system_rows(setup::problem_from_case(demo, d.mesh, d.regions)));
    if (std::abs(n / target - 1) > 0.2) {  // one correction: the boundary layers do not scale exactly
      s *= std::sqrt(n / target);
      d = build_demo(demo, s);
    }
    return d;
  };

  std::vector<double> ladder = {1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7};
  ladder.erase(std::remove_if(ladder.begin(), ladder.end(), [&](double t) { return t > max_dofs * 1.0001; }),
               ladder.end());
  if (o.quick) ladder.resize(std::min<size_t>(ladder.size(), 3));

  if (!o.skip_ladder)
    for (double target : ladder) {
      fmt::print(stderr, "rotormag-bench: demo ladder, target {:.0e} DOFs: meshing\n", target);
      const DemoMesh d = demo_at(target);
      Row r = solve_demo(demo, d, *backend, fmt::format("demo h={:.3g}mm", demo.mesh.options.element_size_m * d.scale * 1e3));
      progress(r);
      rows.push_back(r);
    }

  if (!o.skip_prius) {
    const cases::Case prius = load(prius_path);
    std::vector<double> scales = o.quick ? std::vector<double>{1.0} : std::vector<double>{1.0, 0.5, 0.25};
    if (gpu && !o.quick) scales.push_back(0.125);
    for (double s : scales) {
      fmt::print(stderr, "rotormag-bench: Prius-like motor, sizes x{}: meshing\n", s);
      Row r = solve_prius(prius, s, *backend);
      if (r.dofs > max_dofs * 1.5 && s < 1) {
        fmt::print(stderr, "rotormag-bench: ({} DOFs is over --max-dofs; recorded, no finer Prius mesh)\n", r.dofs);
        progress(r);
        rows.push_back(r);
        break;
      }
      progress(r);
      rows.push_back(r);
    }
  }

  if (!o.skip_batches && !o.skip_prius) {
    // The Prius-like motor at the case's mesh sizes, batches of candidates.
    // On the CPU a batch costs what its cases cost one by one (measured:
    // cases/s stays flat), so batches above 16 would only take long there.
    const cases::Case prius = load(prius_path);
    fmt::print(stderr, "rotormag-bench: Prius-like motor batches: meshing\n");
    const auto p = prius_model(prius, 1.0);
    std::vector<double> single_A;
    for (int n : batches) {
      if (!gpu && n > 16) {
        fmt::print(stderr, "rotormag-bench: Prius batch of {} skipped on the CPU backend (batches up to 16 there)\n", n);
        continue;
      }
      fmt::print(stderr, "rotormag-bench: Prius batch of {}\n", n);
      Row r = solve_prius_batch_row(*p, n, *backend, single_A);
      progress(r);
      rows.push_back(r);
    }
  }

  if (!o.skip_batches) {
    const double target = gpu ? 1e5 : 1e4;
    fmt::print(stderr, "rotormag-bench: batches at ~{:.0e} DOFs: meshing\n", target);
    const DemoMesh d = demo_at(target);
    std::vector<double> single_A;
    for (int n : batches) {
      fmt::print(stderr, "rotormag-bench: batch of {}\n", n);
      Row r = solve_batch_row(demo, d, n, *backend, single_A);
      progress(r);
      rows.push_back(r);
    }
  }

  // ---- summary: iteration growth and scaling of the demo ladder -------------------
  std::vector<double> dofs, times, cpu_times;
  const Row* first = nullptr;
  const Row* last = nullptr;
  for (const Row& r : rows)
    if (r.section == "ladder") {
      dofs.push_back(static_cast<double>(r.dofs));
      times.push_back(r.solve_s);
      cpu_times.push_back(std::max(r.cpu_s, 1e-9));
      if (!first) first = &r;
      last = &r;
    }
  std::string summary;
  if (first && last && first != last) {
    const double growth = last->cg_per_newton / first->cg_per_newton;
    const double growth_max = static_cast<double>(last->cg_max) / first->cg_max;
    summary += fmt::format(
        "- demo ladder {} -> {} DOFs ({:.0f}x): CG iterations per Newton step {:.1f} -> {:.1f} (x{:.2f}), largest "
        "single CG solve {} -> {} (x{:.2f}), Newton {} -> {}; target: at most x1.5 from ~1e4 to ~1e6 DOFs: {}\n",
        first->dofs, last->dofs, static_cast<double>(last->dofs) / first->dofs, first->cg_per_newton,
        last->cg_per_newton, growth, first->cg_max, last->cg_max, growth_max, first->newton, last->newton,
        last->dofs < 5e5 ? "not reached by this ladder"
                         : (std::max(growth, growth_max) <= 1.5 ? "met" : "NOT met"));
    summary += fmt::format("- time per nonlinear solve ~ DOFs^{:.2f} over the ladder (least squares, {} sizes)",
                           log_slope(dofs, times), dofs.size());
    if (dofs.size() >= 3) {
      std::vector<double> d2(dofs.end() - 3, dofs.end()), t2(times.end() - 3, times.end());
      summary += fmt::format("; DOFs^{:.2f} over the largest three", log_slope(d2, t2));
    }
    summary += fmt::format("; time per DOF {:.2f} us -> {:.2f} us\n", first->solve_s / first->dofs * 1e6,
                           last->solve_s / last->dofs * 1e6);
    summary += fmt::format("- CPU time per solve ~ DOFs^{:.2f} (process CPU time, all threads: less sensitive to other "
                           "processes on the machine than wall time)",
                           log_slope(dofs, cpu_times));
    if (dofs.size() >= 3) {
      std::vector<double> d2(dofs.end() - 3, dofs.end()), t2(cpu_times.end() - 3, cpu_times.end());
      summary += fmt::format("; DOFs^{:.2f} over the largest three", log_slope(d2, t2));
    }
    summary += fmt::format("; CG+AMG time per CG iteration per DOF {:.0f} ns -> {:.0f} ns\n",
                           first->cg_s / first->cg_total / first->dofs * 1e9, last->cg_s / last->cg_total / last->dofs * 1e9);
  }
  for (const char* section : {"prius_batch", "batch"}) {
    double single_rate = 0;
    for (const Row& r : rows)
      if (r.section == section && r.batch == 1) single_rate = r.cases_per_s;
    for (const Row& r : rows)
      if (r.section == section && r.batch > 1)
        summary += fmt::format("- {} batch of {}: {:.3g} cases/s ({:.2f}x the single case), case 0 vs the single run: "
                               "max|dA|/max|A| = {:.2g}\n",
                               section == std::string("batch") ? "demo" : "Prius", r.batch, r.cases_per_s,
                               single_rate > 0 ? r.cases_per_s / single_rate : 0.0, r.vs_single);
  }
  machine += fmt::format("- load average at end (1, 5, 15 min): {}; total {:.0f} s\n", read_first_line("/proc/loadavg"),
                         seconds_since(t_start));

  std::string md = "# rotormag bench\n\n## Machine\n\n" + machine + "\n## Results\n\n";
  md += "Time columns: `time/solve` is one nonlinear solve end to end (batch: the batch's wall time / cases), of which "
        "`assembly` (the fused Newton assembly kernels), `CG+AMG` (PCG including the multigrid set-up) and `other` "
        "(discretization, uploads, fields); `CPU/solve` = process CPU time (all threads) of the same; `setup` = the discretization alone (sparsity pattern, element-to-CSR map and colours, "
        "also counted inside the solve); `mesh` = Gmsh, not part of the solve; `load` = 1-minute load average after "
        "the row.\n\n";
  md += table_header();
  for (const Row& r : rows) md += table_row(r);
  md += "\n## Summary\n\n" + summary + "\n## GetDP on the same mesh\n\n" + getdp_same_mesh_section(*backend, o.quick, o.getdp);
  std::string csv = csv_header();
  for (const Row& r : rows) csv += csv_row(r);

  fmt::print("{}", table_header());
  for (const Row& r : rows) fmt::print("{}", table_row(r));
  fmt::print("\n{}", summary);

  try {
    fs::create_directories(o.out_dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create output directory '{}': {}", o.out_dir, e.what()));
  }
  postproc::write_text_atomically((fs::path(o.out_dir) / "bench.csv").string(), csv);
  postproc::write_text_atomically((fs::path(o.out_dir) / "bench.md").string(), md);
  fmt::print("wrote {}/bench.csv and {}/bench.md\n", o.out_dir, o.out_dir);
  return 0;
}

}  // namespace rotormag::benchmarks

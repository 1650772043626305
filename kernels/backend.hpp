#pragma once
// The executor interface (after Ginkgo): the solver layer drives Newton
// through these operations; each backend runs the same kernel source
// (assembly_kernels.hpp, linear_algebra_kernels.hpp) on its own device.
// Everything is batched: cases sharing one mesh, values [case][...].
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/assembly_data.hpp"

namespace rotormag::kernels {

// A backend that cannot run (no driver, no device, a failing CUDA call):
// the message says which and why.
class BackendError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Preconditioner of the CG on the Newton tangent.
enum class Preconditioner {
  jacobi,           // diagonal scaling: cheap, iterations grow as 1/h
  multigrid,        // aggregation AMG, K-cycle (l1-Jacobi smoothing, two flexible-CG steps per coarse level,
                    // dense coarsest solve) inside flexible CG
  multigrid_single  // the same cycle reading float copies of the level matrices (vectors, sums, the
                    // coarsest solve and the CG stay double): less memory traffic per cycle
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;          // "cpu" or "cuda"
  virtual std::string description() const = 0;  // device and threads, for logs

  virtual void load_mesh(const AssemblyMesh& mesh) = 0;
  virtual void set_preconditioner(Preconditioner p) = 0;
  virtual std::string preconditioner_description() const = 0;  // e.g. levels and sizes
  virtual void load_batch(const CaseBatch& batch) = 0;

  // Assembles the residual (and the tangent if with_matrix) of every case at
  // the potential A + step[c] dA (A itself when step is empty). Returns the
  // Euclidean residual norm of each case. initial_permeability evaluates
  // every law linearised at B = 0 (H = nu(0) B): the linear problem used to
  // lift the Dirichlet data and to measure the load.
  virtual std::vector<double> assemble(const std::vector<double>& step, bool with_matrix,
                                       bool initial_permeability = false) = 0;

  // Solves tangent dA = -R for the cases marked active (the others keep
  // dA = 0) by preconditioned CG, each case to its own relative tolerance.
  virtual std::vector<LinearSolveStats> solve_update(const std::vector<char>& active,
                                                     const std::vector<double>& relative_tolerance,
                                                     int max_iterations) = 0;

  // A += step[c] dA. Returns max|step dA| and max|A| (after) per case.
  virtual void apply_update(const std::vector<double>& step, std::vector<double>& update_max,
                            std::vector<double>& potential_max) = 0;

  virtual std::vector<double> potential() const = 0;  // [case][dof] (the unknowns, not the nodes)
  virtual std::vector<double> residual() const = 0;   // [case][dof], of the last assembly
  virtual ElementFields element_fields() const = 0;   // at the current A
};

enum class BackendChoice { automatic, cpu, cuda };

// cpu: always works. cuda: throws BackendError with the reason when no
// usable device or no CUDA build. automatic: cuda when it works, else cpu,
// with `notice` set to one line saying why.
std::unique_ptr<Backend> make_backend(BackendChoice choice, std::string* notice = nullptr);

// "cpu", "cuda"; anything else (the CLI allows only "auto") is automatic.
BackendChoice backend_choice(const std::string& name);

// The individual backends (cuda_backend.cu only exists in CUDA builds).
std::unique_ptr<Backend> make_cpu_backend();
std::unique_ptr<Backend> make_cuda_backend();  // throws BackendError
bool cuda_backend_compiled();

// Which GPU make_cuda_backend() takes when several are visible: device
// `index % count` (a sweep under MPI passes its node-local rank, so the ranks
// of a node spread over its GPUs). Default 0.
void select_cuda_device(int index);
int selected_cuda_device();

}  // namespace rotormag::kernels

#pragma once
// Where this process stands among the workers of a sweep: rank I of N under
// MPI (mpirun/srun of a build with Open MPI), shard I of N of a Slurm job
// array (--shard or SLURM_ARRAY_TASK_ID/COUNT), or the only worker.
#include <string>

namespace rotormag::app {

class WorkerSession {
 public:
  // Starts MPI when this build has it and a launcher started the process
  // (a plain `rotormag sweep` never initializes MPI). Throws
  // std::runtime_error when launched by mpirun but built without MPI.
  WorkerSession();
  ~WorkerSession();  // MPI_Finalize when started
  WorkerSession(const WorkerSession&) = delete;
  WorkerSession& operator=(const WorkerSession&) = delete;

  bool mpi() const { return mpi_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  int local_rank() const { return local_rank_; }  // within the node: picks the GPU
  int local_size() const { return local_size_; }  // ranks on this node

  // All ranks wait here (no-op without MPI).
  void barrier() const;
  // Sum of `value` over all ranks (value itself without MPI).
  long long sum(long long value) const;

  // "rank 1/4", "" for a single worker.
  std::string label() const;

 private:
  bool mpi_ = false;
  int rank_ = 0, size_ = 1, local_rank_ = 0, local_size_ = 1;
};

// True when the environment says an MPI launcher started this process.
bool launched_by_mpi();

// OpenMP threads for one of `ranks_on_node` ranks sharing a node of
// `node_cores` cores, when the rank may use `available_cores` (its affinity
// mask: 1 when the launcher binds ranks to cores, all when it binds none).
// At least 1; never more than the rank's share of the node.
int threads_per_rank(int available_cores, int node_cores, int ranks_on_node);

// Under MPI with several ranks on a node and OMP_NUM_THREADS unset, sets the
// OpenMP thread count to threads_per_rank() so that the ranks do not
// oversubscribe the cores (docs/performance.md). Returns a line saying so,
// or "" when it changed nothing.
std::string share_cores_between_ranks(const WorkerSession& session);

}  // namespace rotormag::app

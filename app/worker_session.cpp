#include "app/worker_session.hpp"

#include <fmt/core.h>

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#ifdef ROTORMAG_HAVE_MPI
#include <mpi.h>
#endif

namespace rotormag::app {

namespace {

[[maybe_unused]] int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  return (end && *end == '\0') ? int(x) : fallback;
}

}  // namespace

bool launched_by_mpi() {
  // Open MPI's mpirun, and PMIx/PMI launchers (srun --mpi=pmix, Hydra).
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

WorkerSession::WorkerSession() {
  if (!launched_by_mpi()) return;
#ifdef ROTORMAG_HAVE_MPI
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) MPI_Init(nullptr, nullptr);
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // The node-local rank: ranks sharing memory with this one.
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_rank(node, &local_rank_);
  MPI_Comm_size(node, &local_size_);
  MPI_Comm_free(&node);
#else
  if (env_int("OMPI_COMM_WORLD_SIZE", env_int("PMI_SIZE", 1)) > 1)
    throw std::runtime_error(
        "started by an MPI launcher with several ranks, but this build of rotormag has no MPI (Open MPI was not "
        "found when it was configured): every rank would run the whole sweep. Install libopenmpi-dev and rebuild, "
        "or run shards with --shard I/N");
#endif
}

WorkerSession::~WorkerSession() {
#ifdef ROTORMAG_HAVE_MPI
  if (mpi_) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
#endif
}

void WorkerSession::barrier() const {
#ifdef ROTORMAG_HAVE_MPI
  if (mpi_) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

long long WorkerSession::sum(long long value) const {
#ifdef ROTORMAG_HAVE_MPI
  if (mpi_) {
    long long total = 0;
    MPI_Allreduce(&value, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return total;
  }
#endif
  return value;
}

int threads_per_rank(int available_cores, int node_cores, int ranks_on_node) {
  const int share = std::max(1, node_cores / std::max(1, ranks_on_node));
  return std::max(1, std::min(available_cores, share));
}

std::string share_cores_between_ranks(const WorkerSession& session) {
  if (!session.mpi() || session.local_size() < 2 || std::getenv("OMP_NUM_THREADS")) return "";
  const int node_cores = static_cast<int>(std::thread::hardware_concurrency());
  const int before = omp_get_max_threads();
  const int threads = threads_per_rank(omp_get_num_procs(), node_cores > 0 ? node_cores : before,
                                       session.local_size());
  if (threads == before) return "";
  omp_set_num_threads(threads);
  return fmt::format("{} ranks share this node's {} cores: {} OpenMP threads each (was {}; OMP_NUM_THREADS overrides)",
                     session.local_size(), node_cores, threads, before);
}

std::string WorkerSession::label() const { return size_ > 1 ? fmt::format("rank {}/{}", rank_, size_) : ""; }

}  // namespace rotormag::app

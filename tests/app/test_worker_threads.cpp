// OpenMP threads per MPI rank (app/worker_session.hpp): the ranks of a node
// share its cores instead of each taking all of them.
#include <gtest/gtest.h>

#include "app/worker_session.hpp"

using rotormag::app::threads_per_rank;

TEST(WorkerThreads, RanksShareTheNodesCores) {
  EXPECT_EQ(threads_per_rank(16, 16, 4), 4);   // no binding: a quarter each
  EXPECT_EQ(threads_per_rank(8, 16, 4), 4);    // bound to one of two sockets: still the rank's share
  EXPECT_EQ(threads_per_rank(1, 16, 4), 1);    // bound to a core
  EXPECT_EQ(threads_per_rank(16, 16, 1), 16);  // alone on the node
  EXPECT_EQ(threads_per_rank(2, 2, 3), 1);     // more ranks than cores (--oversubscribe): at least one
  EXPECT_EQ(threads_per_rank(16, 16, 5), 3);   // rounded down: 5 x 3 <= 16
}

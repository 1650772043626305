#pragma once
// `rotormag merge DIR`: every finished case of a sweep directory into one
// DIR/NAME.hdf (postproc/sweep_results.hpp) and DIR/NAME_table.csv, the table
// of scalar results (one row per case). Refuses a sweep with cases that
// have not finished, naming them.
#include <string>
#include <vector>

namespace rotormag::app {

struct MergeReport {
  size_t cases = 0, failed = 0;
  std::string merged_file, table_file;
};

MergeReport merge_sweep(const std::string& dir);

}  // namespace rotormag::app

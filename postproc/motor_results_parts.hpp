#pragma once
// Pieces of the motor writer (motor_results_writer.cpp), one file each:
// the /RotorMag/motor group (motor_table_hdf.cpp) and summary.json
// (motor_summary_json.cpp). Internal to postproc/; inputs are validated by
// the caller.
#include <hdf5.h>

#include <string>

#include "postproc/motor_results.hpp"

namespace rotormag::postproc::detail {

// Creates rotormag/motor: the per-position table, the sweep scalars, the
// winding table and, when present, back_emf/.
void write_motor_table_group(hid_t rotormag, const MotorTable& table);

// summary.json of a motor run: the single-run keys, then the motor ones.
std::string motor_summary_json(const RunInfo& info, const MotorTable& table);

// A tiny HDF5 file at `tmp` whose /VTKHDF is an external link to
// `target_group` in `target_file` (a name relative to the link file's folder).
void write_step_link_file(const std::string& tmp, const std::string& target_file, const std::string& target_group);

// ParaView's .hdf.series text: files[k] at time times[k].
std::string file_series_json(const std::vector<std::string>& files, const std::vector<double>& times);

}  // namespace rotormag::postproc::detail

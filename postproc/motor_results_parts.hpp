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

}  // namespace rotormag::postproc::detail

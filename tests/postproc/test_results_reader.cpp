// The results reader accepts complete files and refuses the rest: a file
// whose writer never set the completeness flag, a truncated file, a foreign
// HDF5 file, a missing file.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "postproc/results_reader.hpp"
#include "tests/postproc/sample_results.hpp"

namespace fs = std::filesystem;
namespace pp = rotormag::postproc;

namespace {

fs::path fresh_dir(const char* name) {
  const fs::path d = fs::temp_directory_path() / (std::string("rotormag_reader_") + name + "_" +
                                                  std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string write_sample(const fs::path& dir) {
  const auto s = pp::testing::p1_square();
  const std::string path = (dir / "p1.hdf").string();
  pp::write_results_hdf(path, s.mesh, s.fields, s.info);
  return path;
}

void expect_refused(const std::string& path, const std::string& fragment) {
  try {
    pp::read_results_summary(path);
    ADD_FAILURE() << path << " was accepted";
  } catch (const pp::IncompleteResultsError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
  }
}

}  // namespace

TEST(ResultsReader, AcceptsACompleteFile) {
  const fs::path dir = fresh_dir("ok");
  const auto s = pp::testing::p1_square();
  const auto r = pp::read_results_summary(write_sample(dir));
  EXPECT_EQ(r.format, "RotorMag results 1");
  EXPECT_EQ(r.case_name, s.info.case_name);
  EXPECT_EQ(r.elements, static_cast<long long>(s.info.elements));
  EXPECT_EQ(r.order, 1);
  EXPECT_EQ(r.converged, s.info.converged);
  EXPECT_DOUBLE_EQ(r.energy_J_per_m, s.info.energy_J_per_m);
  fs::remove_all(dir);
}

TEST(ResultsReader, RefusesAFileWithoutTheCompletenessFlag) {
  const fs::path dir = fresh_dir("flag");
  const std::string path = write_sample(dir);
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const hid_t g = H5Gopen2(f, "RotorMag", H5P_DEFAULT);
  ASSERT_GE(H5Adelete(g, "complete"), 0);  // as if the writer died before its last step
  H5Gclose(g);
  H5Fclose(f);
  expect_refused(path, "completeness flag");
  fs::remove_all(dir);
}

TEST(ResultsReader, RefusesATruncatedFile) {
  const fs::path dir = fresh_dir("trunc");
  const std::string path = write_sample(dir);
  fs::resize_file(path, fs::file_size(path) / 2);
  try {
    pp::read_results_summary(path);
    ADD_FAILURE() << "truncated file accepted";
  } catch (const pp::IncompleteResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("not a complete RotorMag results file"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(ResultsReader, RefusesForeignAndMissingFiles) {
  const fs::path dir = fresh_dir("foreign");
  const std::string foreign = (dir / "other.hdf").string();
  const hid_t f = H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  H5Fclose(f);
  expect_refused(foreign, "group /RotorMag is missing");
  const std::string text = (dir / "text.hdf").string();
  std::ofstream(text) << "not hdf5\n";
  expect_refused(text, "not an HDF5 file");
  expect_refused((dir / "absent.hdf").string(), "no such file");
  fs::remove_all(dir);
}

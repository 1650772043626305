// Motor-run results (postproc/motor_results.hpp): the files written, the
// series file, step files resolving through their external links, NAME.hdf's
// /VTKHDF being position 0, the /RotorMag/motor table, summary.json, refusal
// of inconsistent inputs before anything is written, clean-up after a failure,
// and reading a motor file back.

#include <gtest/gtest.h>
#include <hdf5.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "postproc/atomic_file.hpp"
#include "postproc/motor_results.hpp"
#include "postproc/results_reader.hpp"
#include "tests/postproc/motor_sample.hpp"

namespace fs = std::filesystem;
namespace pp = rotormag::postproc;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "rotormag_motor_XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

struct H5File {
  explicit H5File(const std::string& path) : id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id < 0) throw std::runtime_error("cannot open " + path);
  }
  ~H5File() { H5Fclose(id); }
  hid_t id;
};

std::vector<hsize_t> dims_of(hid_t file, const std::string& name) {
  const hid_t d = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (d < 0) throw std::runtime_error("no dataset " + name);
  const hid_t s = H5Dget_space(d);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s)));
  H5Sget_simple_extent_dims(s, dims.data(), nullptr);
  H5Sclose(s);
  H5Dclose(d);
  return dims;
}

template <class T>
std::vector<T> read_dataset(hid_t file, const std::string& name, hid_t mem_type) {
  const hid_t d = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (d < 0) throw std::runtime_error("no dataset " + name);
  const hid_t s = H5Dget_space(d);
  std::vector<T> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
  if (!v.empty()) H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Sclose(s);
  H5Dclose(d);
  return v;
}

std::string read_string_attribute(hid_t file, const std::string& obj, const char* name) {
  const hid_t a = H5Aopen_by_name(file, obj.c_str(), name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) throw std::runtime_error("no attribute " + obj + "@" + name);
  const hid_t t = H5Aget_type(a);
  char* p = nullptr;
  H5Aread(a, t, &p);
  std::string out = p ? p : "";
  H5free_memory(p);
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

std::string read_string_dataset(hid_t file, const std::string& name) {
  const hid_t d = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  if (d < 0) throw std::runtime_error("no dataset " + name);
  const hid_t t = H5Dget_type(d);
  char* p = nullptr;
  H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p);
  std::string out = p ? p : "";
  H5free_memory(p);
  H5Tclose(t);
  H5Dclose(d);
  return out;
}

template <class T>
T read_scalar_attribute(hid_t file, const std::string& obj, const char* name, hid_t mem_type) {
  const hid_t a = H5Aopen_by_name(file, obj.c_str(), name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) throw std::runtime_error("no attribute " + obj + "@" + name);
  T v{};
  H5Aread(a, mem_type, &v);
  H5Aclose(a);
  return v;
}

bool exists(hid_t file, const std::string& path) { return H5Oexists_by_name(file, path.c_str(), H5P_DEFAULT) > 0; }

// Row-major n x 3 of phases a, b, c.
std::vector<double> rows_of(const std::array<std::vector<double>, 3>& abc) {
  std::vector<double> out;
  for (std::size_t k = 0; k < abc[0].size(); ++k)
    for (int p = 0; p < 3; ++p) out.push_back(abc[p][k]);
  return out;
}

// Doubles equal, NaN equal to NaN.
void expect_same(const std::vector<double>& got, const std::vector<double>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << "[" << i << "]";
    } else {
      EXPECT_EQ(got[i], want[i]) << what << "[" << i << "]";
    }
  }
}

const std::vector<std::string> kThreeStepFiles = {"m.hdf",          "m.hdf.series",   "m.step_000.hdf",
                                                  "m.step_001.hdf", "m.step_002.hdf", "summary.json"};

void write(const TempDir& dir, const pp::testing::MotorSample& m) {
  pp::write_motor_results(dir.str(), "m", m.steps(), m.info, m.table);
}

// The grid group `group` (in the file at `path`) has the sample grid's counts and values.
void check_grid(hid_t file, const std::string& group, const pp::testing::Sample& g) {
  const std::size_t nodes = g.mesh.node_count(), cells = g.mesh.triangle_count();
  EXPECT_EQ(read_dataset<std::int64_t>(file, group + "/NumberOfPoints", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{static_cast<std::int64_t>(nodes)})
      << group;
  EXPECT_EQ(read_dataset<std::int64_t>(file, group + "/NumberOfCells", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{static_cast<std::int64_t>(cells)})
      << group;
  EXPECT_EQ(dims_of(file, group + "/Points"), (std::vector<hsize_t>{nodes, 3})) << group;
  EXPECT_EQ(read_dataset<std::int64_t>(file, group + "/Connectivity", H5T_NATIVE_INT64),
            std::vector<std::int64_t>(g.mesh.triangles.begin(), g.mesh.triangles.end()))
      << group;
  EXPECT_EQ(read_dataset<std::uint8_t>(file, group + "/Types", H5T_NATIVE_UINT8),
            std::vector<std::uint8_t>(cells, g.mesh.order == 1 ? 5 : 22))
      << group;
  EXPECT_EQ(read_dataset<double>(file, group + "/PointData/A", H5T_NATIVE_DOUBLE), g.fields.A_Wb_per_m) << group;
  EXPECT_EQ(read_dataset<double>(file, group + "/CellData/Bmag", H5T_NATIVE_DOUBLE), g.fields.Bmag_T) << group;
  EXPECT_EQ(read_dataset<std::int32_t>(file, group + "/CellData/region", H5T_NATIVE_INT32), g.mesh.triangle_region)
      << group;
  for (const char* a : {"B", "H", "Hm"}) EXPECT_TRUE(exists(file, group + "/CellData/" + a)) << group << a;
  EXPECT_TRUE(exists(file, group + "/FieldData")) << group;
  // VTKHDF 1.0 attributes, as in a single-run file.
  const hid_t a = H5Aopen_by_name(file, group.c_str(), "Type", H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(a, 0) << group;
  const hid_t t = H5Aget_type(a);
  char buf[16];
  EXPECT_EQ(H5Tget_size(t), 16u);
  EXPECT_EQ(H5Tget_strpad(t), H5T_STR_NULLPAD);
  H5Aread(a, t, buf);
  EXPECT_EQ(std::string(buf, 16), "UnstructuredGrid");
  H5Tclose(t);
  H5Aclose(a);
  std::int64_t version[2] = {-1, -1};
  const hid_t v = H5Aopen_by_name(file, group.c_str(), "Version", H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(v, 0) << group;
  H5Aread(v, H5T_NATIVE_INT64, version);
  H5Aclose(v);
  EXPECT_EQ(version[0], 1);
  EXPECT_EQ(version[1], 0);
}

// Runs `f` with the working directory set to `dir`, restoring it afterwards.
void in_directory(const fs::path& dir, const std::function<void()>& f) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  try {
    f();
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
}

}  // namespace

TEST(MotorResults, WritesTheFilesAndTheSeries) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  write(dir, m);
  EXPECT_EQ(dir.entries(), kThreeStepFiles);  // and no temporary left behind

  std::ifstream in(dir.file("m.hdf.series"));
  const auto series = nlohmann::json::parse(in);
  EXPECT_EQ(series.at("file-series-version"), "1.0");
  const auto& files = series.at("files");
  ASSERT_EQ(files.size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(files[k].at("name"), pp::motor_step_file_name("m", k, 3));
    EXPECT_EQ(files[k].at("time").get<double>(), m.position_deg[k]);
  }
  EXPECT_EQ(files[1].at("name"), "m.step_001.hdf");
  EXPECT_EQ(files[2].at("time").get<double>(), 90.0);
}

TEST(MotorResults, StepFilesResolveThroughTheirExternalLinks) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  write(dir, m);
  for (std::size_t k = 0; k < 3; ++k) {
    const std::string step = dir.file(pp::motor_step_file_name("m", k, 3));
    H5File f(step);
    H5L_info_t link{};
    ASSERT_GE(H5Lget_info(f.id, "VTKHDF", &link, H5P_DEFAULT), 0);
    EXPECT_EQ(link.type, H5L_TYPE_EXTERNAL);
    std::vector<char> value(link.u.val_size);
    ASSERT_GE(H5Lget_val(f.id, "VTKHDF", value.data(), value.size(), H5P_DEFAULT), 0);
    const char* target_file = nullptr;
    const char* target_object = nullptr;
    ASSERT_GE(H5Lunpack_elink_val(value.data(), value.size(), nullptr, &target_file, &target_object), 0);
    EXPECT_STREQ(target_file, "m.hdf");  // relative: the directory can move
    EXPECT_EQ(std::string(target_object), pp::motor_step_group(k, 3));
    check_grid(f.id, "/VTKHDF", m.grids[k]);
  }
  // Relative paths from another working directory: HDF5 looks for m.hdf
  // beside the step file, not in the working directory.
  in_directory(dir.path().parent_path(), [&] {
    H5File f((dir.path().filename() / "m.step_002.hdf").string());
    EXPECT_EQ(read_dataset<std::int64_t>(f.id, "/VTKHDF/NumberOfPoints", H5T_NATIVE_INT64),
              std::vector<std::int64_t>{6});
  });
}

TEST(MotorResults, MainFileVtkhdfIsPositionZero) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  write(dir, m);
  H5File f(dir.file("m.hdf"));
  H5O_info_t vtk{}, step0{};
  ASSERT_GE(H5Oget_info_by_name2(f.id, "/VTKHDF", &vtk, H5O_INFO_BASIC, H5P_DEFAULT), 0);
  ASSERT_GE(H5Oget_info_by_name2(f.id, "/steps/000", &step0, H5O_INFO_BASIC, H5P_DEFAULT), 0);
  EXPECT_EQ(vtk.addr, step0.addr);  // the same object: a hard link, not a copy
  EXPECT_EQ(vtk.rc, 2u);
  H5L_info_t link{};
  ASSERT_GE(H5Lget_info(f.id, "VTKHDF", &link, H5P_DEFAULT), 0);
  EXPECT_EQ(link.type, H5L_TYPE_HARD);
  check_grid(f.id, "/VTKHDF", m.grids[0]);
  for (std::size_t k = 0; k < 3; ++k) check_grid(f.id, pp::motor_step_group(k, 3), m.grids[k]);
  hsize_t steps = 0;
  const hid_t g = H5Gopen2(f.id, "/steps", H5P_DEFAULT);
  H5G_info_t info{};
  H5Gget_info(g, &info);
  steps = info.nlinks;
  H5Gclose(g);
  EXPECT_EQ(steps, 3u);
}

TEST(MotorResults, RotorMagGroupAndMotorTable) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  write(dir, m);
  H5File f(dir.file("m.hdf"));
  const auto& t = m.table;
  EXPECT_EQ(read_scalar_attribute<int>(f.id, "/RotorMag", "complete", H5T_NATIVE_INT), 1);
  EXPECT_EQ(read_string_attribute(f.id, "/RotorMag", "format"), "RotorMag results 1");
  EXPECT_EQ(read_string_attribute(f.id, "/RotorMag", "case_name"), "motor_sample");
  EXPECT_EQ(read_string_dataset(f.id, "/RotorMag/case"), m.info.resolved_case_toml);
  EXPECT_EQ(read_dataset<std::int32_t>(f.id, "/RotorMag/region_ids", H5T_NATIVE_INT32),
            (std::vector<std::int32_t>{10, 20}));
  EXPECT_EQ(read_string_attribute(f.id, "/RotorMag/solver", "backend"), "cpu");

  const std::string g = "/RotorMag/motor";
  struct Column {
    const char* name;
    std::vector<double> values;
    std::size_t cols;
    const char* units;
  };
  const std::vector<Column> columns = {
      {"position_deg", t.position_deg, 0, "deg"},
      {"electrical_angle_deg", t.electrical_angle_deg, 0, "deg"},
      {"current_A", rows_of(t.current_A), 3, "A"},
      {"torque_Nm", t.torque_Nm, 0, "N m"},
      {"torque_check_Nm", t.torque_check_Nm, 0, "N m"},
      {"flux_linkage_Wb", rows_of(t.flux_linkage_Wb), 3, "Wb"},
      {"psi_d_Wb", t.psi_d_Wb, 0, "Wb"},
      {"psi_q_Wb", t.psi_q_Wb, 0, "Wb"},
      {"coenergy_J", t.coenergy_J, 0, "J"},
  };
  for (const auto& c : columns) {
    const std::string path = g + "/" + c.name;
    const std::vector<hsize_t> want = c.cols ? std::vector<hsize_t>{3, c.cols} : std::vector<hsize_t>{3};
    EXPECT_EQ(dims_of(f.id, path), want) << c.name;
    expect_same(read_dataset<double>(f.id, path, H5T_NATIVE_DOUBLE), c.values, c.name);
    EXPECT_EQ(read_string_attribute(f.id, path, "units"), c.units) << c.name;
  }
  EXPECT_EQ(read_string_attribute(f.id, g + "/current_A", "columns"), "a,b,c");
  EXPECT_EQ(read_dataset<std::int32_t>(f.id, g + "/newton_iterations", H5T_NATIVE_INT32), t.newton_iterations);
  EXPECT_EQ(read_string_attribute(f.id, g + "/newton_iterations", "units"), "1");

  EXPECT_EQ(read_scalar_attribute<double>(f.id, g, "torque_avg_Nm", H5T_NATIVE_DOUBLE), t.torque_avg_Nm);
  EXPECT_EQ(read_string_attribute(f.id, g, "torque_avg_Nm_units"), "N m");
  EXPECT_EQ(read_scalar_attribute<double>(f.id, g, "torque_ripple_pct", H5T_NATIVE_DOUBLE), t.torque_ripple_pct);
  EXPECT_EQ(read_string_attribute(f.id, g, "torque_ripple_pct_units"), "%");
  EXPECT_EQ(read_scalar_attribute<double>(f.id, g, "torque_peak_to_peak_Nm", H5T_NATIVE_DOUBLE),
            t.torque_peak_to_peak_Nm);
  EXPECT_EQ(read_scalar_attribute<double>(f.id, g, "stack_length_m", H5T_NATIVE_DOUBLE), 0.05);
  EXPECT_EQ(read_string_attribute(f.id, g, "stack_length_m_units"), "m");
  EXPECT_EQ(read_scalar_attribute<int>(f.id, g, "model_copies", H5T_NATIVE_INT), 8);
  EXPECT_EQ(read_string_attribute(f.id, g, "torque_check_region"), "gap_check");
  EXPECT_EQ(read_string_dataset(f.id, g + "/winding_table"), t.winding_table);

  const std::string e = g + "/back_emf";
  const auto& emf = *t.back_emf;
  EXPECT_EQ(read_scalar_attribute<double>(f.id, e, "speed_rpm", H5T_NATIVE_DOUBLE), 1500.0);
  EXPECT_EQ(read_string_attribute(f.id, e, "speed_rpm_units"), "rpm");
  EXPECT_EQ(read_string_attribute(f.id, e, "method"), "spectral");
  EXPECT_EQ(read_scalar_attribute<double>(f.id, e, "phase_a_rms_V", H5T_NATIVE_DOUBLE), emf.phase_a_rms_V);
  EXPECT_EQ(read_scalar_attribute<double>(f.id, e, "line_rms_V", H5T_NATIVE_DOUBLE), emf.line_rms_V);
  EXPECT_EQ(dims_of(f.id, e + "/phase_V"), (std::vector<hsize_t>{3, 3}));
  EXPECT_EQ(read_dataset<double>(f.id, e + "/phase_V", H5T_NATIVE_DOUBLE), rows_of(emf.phase_V));
  EXPECT_EQ(read_string_attribute(f.id, e + "/phase_V", "units"), "V");
  EXPECT_EQ(read_dataset<double>(f.id, e + "/line_ab_V", H5T_NATIVE_DOUBLE), emf.line_ab_V);
  EXPECT_EQ(read_dataset<double>(f.id, e + "/harmonic_order", H5T_NATIVE_DOUBLE), emf.harmonic_order);
  EXPECT_EQ(read_dataset<double>(f.id, e + "/phase_a_harmonics_V", H5T_NATIVE_DOUBLE), emf.phase_a_harmonics_V);
  EXPECT_EQ(read_dataset<double>(f.id, e + "/line_harmonics_V", H5T_NATIVE_DOUBLE), emf.line_harmonics_V);
  for (const char* n : {"line_ab_V", "phase_a_harmonics_V", "line_harmonics_V"})
    EXPECT_EQ(read_string_attribute(f.id, e + "/" + n, "units"), "V") << n;
}

TEST(MotorResults, SummaryJsonKeys) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  write(dir, m);
  std::ifstream in(dir.file("summary.json"));
  const auto j = nlohmann::json::parse(in);
  // The single-run keys first.
  for (const char* key : {"case", "case_path", "backend", "elements", "nodes", "dofs", "order", "newton_iterations",
                          "converged", "energy_J_per_m", "wall_s", "temperature_C", "residual_history"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.at("case"), "motor_sample");
  const auto& t = m.table;
  EXPECT_EQ(j.at("positions"), 3);
  EXPECT_EQ(j.at("position_deg").get<std::vector<double>>(), t.position_deg);
  EXPECT_EQ(j.at("torque_Nm").get<std::vector<double>>(), t.torque_Nm);
  ASSERT_EQ(j.at("torque_check_Nm").size(), 3u);
  EXPECT_TRUE(j.at("torque_check_Nm")[1].is_null());  // NaN: no check at that position
  EXPECT_EQ(j.at("torque_check_Nm")[2].get<double>(), t.torque_check_Nm[2]);
  EXPECT_EQ(j.at("flux_linkage_Wb").at("a").get<std::vector<double>>(), t.flux_linkage_Wb[0]);
  EXPECT_EQ(j.at("flux_linkage_Wb").at("c").get<std::vector<double>>(), t.flux_linkage_Wb[2]);
  EXPECT_EQ(j.at("current_A").at("b").get<std::vector<double>>(), t.current_A[1]);
  EXPECT_EQ(j.at("psi_d_Wb").get<std::vector<double>>(), t.psi_d_Wb);
  EXPECT_EQ(j.at("psi_q_Wb").get<std::vector<double>>(), t.psi_q_Wb);
  EXPECT_EQ(j.at("coenergy_J").get<std::vector<double>>(), t.coenergy_J);
  EXPECT_EQ(j.at("torque_avg_Nm").get<double>(), t.torque_avg_Nm);
  EXPECT_EQ(j.at("torque_ripple_pct").get<double>(), t.torque_ripple_pct);
  EXPECT_EQ(j.at("torque_peak_to_peak_Nm").get<double>(), t.torque_peak_to_peak_Nm);
  EXPECT_EQ(j.at("stack_length_m").get<double>(), 0.05);
  EXPECT_EQ(j.at("model_copies"), 8);
  const auto& e = j.at("back_emf_V");
  EXPECT_EQ(e.at("speed_rpm").get<double>(), 1500.0);
  EXPECT_EQ(e.at("method"), "spectral");
  EXPECT_EQ(e.at("phase").at("a").get<std::vector<double>>(), t.back_emf->phase_V[0]);
  EXPECT_EQ(e.at("line_ab").get<std::vector<double>>(), t.back_emf->line_ab_V);
  EXPECT_EQ(e.at("harmonic_order").get<std::vector<double>>(), t.back_emf->harmonic_order);
  EXPECT_EQ(e.at("phase_a_harmonics").get<std::vector<double>>(), t.back_emf->phase_a_harmonics_V);
  EXPECT_EQ(e.at("line_harmonics").get<std::vector<double>>(), t.back_emf->line_harmonics_V);
  EXPECT_EQ(e.at("phase_a_rms").get<double>(), t.back_emf->phase_a_rms_V);
  EXPECT_EQ(e.at("line_rms").get<double>(), t.back_emf->line_rms_V);
  // Every numeric key (arrays and objects of numbers included) has a unit.
  const auto& units = j.at("units");
  for (const auto& [key, value] : j.items()) {
    if (key != "units" && (value.is_number() || value.is_array() || value.is_object())) {
      EXPECT_TRUE(units.contains(key)) << key;
    }
  }
  EXPECT_EQ(units.at("torque_Nm"), "N m");
  EXPECT_EQ(units.at("flux_linkage_Wb"), "Wb");
  EXPECT_EQ(units.at("back_emf_V"), "V");
  EXPECT_EQ(units.at("back_emf_V.speed_rpm"), "rpm");
  EXPECT_EQ(units.at("energy_J_per_m"), "J/m");
}

TEST(MotorResults, WithoutBackEmfThereIsNoBackEmf) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, false);
  write(dir, m);
  H5File f(dir.file("m.hdf"));
  EXPECT_TRUE(exists(f.id, "/RotorMag/motor/torque_Nm"));
  EXPECT_FALSE(exists(f.id, "/RotorMag/motor/back_emf"));
  std::ifstream in(dir.file("summary.json"));
  const auto j = nlohmann::json::parse(in);
  EXPECT_FALSE(j.contains("back_emf_V"));
  EXPECT_FALSE(j.at("units").contains("back_emf_V"));
}

TEST(MotorResults, OnePositionAndManyPositions) {
  TempDir one;
  write(one, pp::testing::motor_sample(1, true));
  EXPECT_EQ(one.entries(),
            (std::vector<std::string>{"m.hdf", "m.hdf.series", "m.step_000.hdf", "summary.json"}));
  TempDir many;
  write(many, pp::testing::motor_sample(12, false));
  EXPECT_EQ(many.entries().size(), 12u + 3u);
  EXPECT_TRUE(fs::exists(many.file("m.step_011.hdf")));
  H5File f(many.file("m.step_011.hdf"));
  EXPECT_EQ(read_dataset<std::int64_t>(f.id, "/VTKHDF/NumberOfPoints", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{6});  // step 11 uses grid 11 % 3 = 2
}

TEST(MotorResults, StepNamesArePaddedToSortInOrder) {
  EXPECT_EQ(pp::motor_step_file_name("demo", 7, 24), "demo.step_007.hdf");
  EXPECT_EQ(pp::motor_step_group(7, 24), "/steps/007");
  EXPECT_EQ(pp::motor_step_group(999, 1000), "/steps/999");
  EXPECT_EQ(pp::motor_step_group(7, 1001), "/steps/0007");
  EXPECT_EQ(pp::motor_step_file_name("m", 0, 1), "m.step_000.hdf");
}

// Each inconsistency is refused with std::invalid_argument naming the array,
// and nothing is created.
TEST(MotorResults, InconsistentInputsThrowBeforeAnyFileExists) {
  TempDir dir;
  using Mutation = std::function<void(pp::testing::MotorSample&, std::vector<pp::MotorStep>&)>;
  const std::vector<std::pair<std::string, Mutation>> cases = {
      {"table.torque_Nm", [](auto& m, auto&) { m.table.torque_Nm.pop_back(); }},
      {"table.position_deg", [](auto& m, auto&) { m.table.position_deg.push_back(95); }},
      {"table.position_deg[1]", [](auto& m, auto&) { m.table.position_deg[1] += 1; }},
      {"table.electrical_angle_deg", [](auto& m, auto&) { m.table.electrical_angle_deg.clear(); }},
      {"table.current_A[2]", [](auto& m, auto&) { m.table.current_A[2].pop_back(); }},
      {"table.flux_linkage_Wb[0]", [](auto& m, auto&) { m.table.flux_linkage_Wb[0].push_back(0); }},
      {"table.torque_check_Nm", [](auto& m, auto&) { m.table.torque_check_Nm.pop_back(); }},
      {"table.psi_q_Wb", [](auto& m, auto&) { m.table.psi_q_Wb.pop_back(); }},
      {"table.coenergy_J", [](auto& m, auto&) { m.table.coenergy_J.pop_back(); }},
      {"table.newton_iterations", [](auto& m, auto&) { m.table.newton_iterations.pop_back(); }},
      {"table.back_emf.line_ab_V", [](auto& m, auto&) { m.table.back_emf->line_ab_V.pop_back(); }},
      {"table.back_emf.phase_V[1]", [](auto& m, auto&) { m.table.back_emf->phase_V[1].pop_back(); }},
      {"table.back_emf.line_harmonics_V", [](auto& m, auto&) { m.table.back_emf->line_harmonics_V.pop_back(); }},
      {"steps[1].fields.B_T", [](auto&, auto& s) { s[1].fields.B_T.pop_back(); }},
      {"steps[2].fields.A_Wb_per_m", [](auto&, auto& s) { s[2].fields.A_Wb_per_m.push_back(0); }},
      {"steps[0].fields.Hm_A_per_m", [](auto&, auto& s) { s[0].fields.Hm_A_per_m.clear(); }},
      {"steps[1].mesh", [](auto&, auto& s) { s[1].mesh = nullptr; }},
      {"steps[2].position_deg", [](auto&, auto& s) { s[2].position_deg = std::nan(""); }},
      {"steps", [](auto&, auto& s) { s.clear(); }},
      // Fields that match step 0's grid but not their own step's.
      {"steps[2].fields.A_Wb_per_m has 4 values, expected 6", [](auto&, auto& s) { s[2].fields = s[0].fields; }},
  };
  for (const auto& [array, mutate] : cases) {
    auto m = pp::testing::motor_sample(3, true);
    auto steps = m.steps();
    mutate(m, steps);
    try {
      pp::write_motor_results(dir.str(), "m", steps, m.info, m.table);
      ADD_FAILURE() << array << ": expected std::invalid_argument";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(array), std::string::npos) << array << ": " << e.what();
    }
  }
  {  // A mesh change: a node index out of range, a differing region table.
    auto m = pp::testing::motor_sample(3, true);
    m.grids[1].mesh.triangles[2] = 5;
    EXPECT_THROW(write(dir, m), std::invalid_argument);
    m = pp::testing::motor_sample(3, true);
    m.grids[2].mesh.regions[1].name = "air";
    try {
      write(dir, m);
      ADD_FAILURE() << "differing regions accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("steps[2].mesh.regions"), std::string::npos) << e.what();
    }
  }
  {
    const auto m = pp::testing::motor_sample(3, true);
    EXPECT_THROW(pp::write_motor_results(dir.str(), "a/b", m.steps(), m.info, m.table), std::invalid_argument);
    EXPECT_THROW(pp::write_motor_results(dir.str(), "", m.steps(), m.info, m.table), std::invalid_argument);
  }
  EXPECT_TRUE(dir.entries().empty());
}

// A step file that cannot be created (its temporary name is taken by a
// directory) fails after NAME.hdf and step 0 were written: everything written
// so far goes, and no final name appears.
TEST(MotorResults, FailureWhileWritingLeavesNothing) {
  TempDir dir;
  const std::string blocked = dir.file("m.step_001.hdf");
  fs::create_directory(pp::temp_path_for(blocked));
  const auto m = pp::testing::motor_sample(3, true);
  try {
    write(dir, m);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(blocked), std::string::npos) << e.what();
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{fs::path(pp::temp_path_for(blocked)).filename().string()});
}

// The series file's final name is a directory: the rename of the last file
// fails after all the others were renamed; those are removed again.
TEST(MotorResults, FailureWhileRenamingRemovesTheRenamedFiles) {
  TempDir dir;
  fs::create_directory(dir.file("m.hdf.series"));
  fs::create_directory(dir.file("m.hdf.series/occupied"));  // rename(2) cannot replace a non-empty directory
  const auto m = pp::testing::motor_sample(3, true);
  try {
    write(dir, m);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.file("m.hdf.series")), std::string::npos) << e.what();
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"m.hdf.series"});
}

TEST(MotorResults, MissingOrReadOnlyDirectoryThrowsNamingThePath) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  const std::string missing = dir.file("no/such/dir");
  try {
    pp::write_motor_results(missing, "m", m.steps(), m.info, m.table);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing + "/m.hdf"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(dir.entries().empty());
  if (::geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(write(dir, m), std::runtime_error);
  fs::permissions(dir.path(), fs::perms::owner_all);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(MotorResults, RewritingReplacesTheFiles) {
  TempDir dir;
  write(dir, pp::testing::motor_sample(3, true));
  auto m = pp::testing::motor_sample(3, false);
  m.table.torque_avg_Nm = 42;
  write(dir, m);
  EXPECT_EQ(dir.entries(), kThreeStepFiles);
  H5File f(dir.file("m.hdf"));
  EXPECT_EQ(read_scalar_attribute<double>(f.id, "/RotorMag/motor", "torque_avg_Nm", H5T_NATIVE_DOUBLE), 42.0);
  EXPECT_FALSE(exists(f.id, "/RotorMag/motor/back_emf"));
}

TEST(MotorResultsReader, ReadsTheSummaryAndThePositions) {
  TempDir dir;
  const auto m = pp::testing::motor_sample(3, true);
  write(dir, m);
  const auto s = pp::read_results_summary(dir.file("m.hdf"));
  EXPECT_EQ(s.format, "RotorMag results 1");
  EXPECT_EQ(s.case_name, "motor_sample");
  EXPECT_EQ(s.order, 1);
  const auto p = pp::read_motor_positions(dir.file("m.hdf"));
  EXPECT_EQ(p.positions, 3u);
  EXPECT_EQ(p.position_deg, m.position_deg);
}

TEST(MotorResultsReader, RefusesSingleRunAndIncompleteFiles) {
  TempDir dir;
  const auto single = pp::testing::p1_square();
  pp::write_results_hdf(dir.file("p1.hdf"), single.mesh, single.fields, single.info);
  try {
    pp::read_motor_positions(dir.file("p1.hdf"));
    ADD_FAILURE() << "single-run file accepted as a motor file";
  } catch (const pp::IncompleteResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("/RotorMag/motor is missing"), std::string::npos) << e.what();
  }

  write(dir, pp::testing::motor_sample(3, true));
  {
    const hid_t f = H5Fopen(dir.file("m.hdf").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    ASSERT_GE(H5Ldelete(f, "/steps/002", H5P_DEFAULT), 0);
    H5Fclose(f);
  }
  try {
    pp::read_motor_positions(dir.file("m.hdf"));
    ADD_FAILURE() << "file with a missing step accepted";
  } catch (const pp::IncompleteResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("/steps has 2 groups for 3 positions"), std::string::npos) << e.what();
  }
  {
    const hid_t f = H5Fopen(dir.file("m.hdf").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    ASSERT_GE(H5Adelete_by_name(f, "/RotorMag", "complete", H5P_DEFAULT), 0);
    H5Fclose(f);
  }
  for (const auto& read : {std::function<void()>([&] { pp::read_motor_positions(dir.file("m.hdf")); }),
                           std::function<void()>([&] { pp::read_results_summary(dir.file("m.hdf")); })}) {
    try {
      read();
      ADD_FAILURE() << "incomplete motor file accepted";
    } catch (const pp::IncompleteResultsError& e) {
      EXPECT_NE(std::string(e.what()).find("completeness flag"), std::string::npos) << e.what();
    }
  }
}

TEST(AtomicFileGroup, UncommittedGroupRemovesItsTemporaries) {
  TempDir dir;
  {
    pp::AtomicFileGroup files;
    files.write_text(dir.file("a.txt"), "a");
    files.write_text(dir.file("b.txt"), "b");
    EXPECT_EQ(dir.entries().size(), 2u);  // the two temporaries
  }
  EXPECT_TRUE(dir.entries().empty());
  {
    pp::AtomicFileGroup files;
    files.write_text(dir.file("a.txt"), "a");
    files.commit();
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.txt"});
}

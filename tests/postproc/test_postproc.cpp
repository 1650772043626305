// postproc/: layout of NAME.hdf read back with the HDF5 C API, atomic
// writing, summary.json round trip.

#include <gtest/gtest.h>
#include <hdf5.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "postproc/atomic_file.hpp"
#include "postproc/results_file.hpp"
#include "tests/postproc/sample_results.hpp"

namespace fs = std::filesystem;
namespace pp = rotormag::postproc;

namespace {

// A fresh empty directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "rotormag_postproc_XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
    return out;
  }

 private:
  fs::path path_;
};

// Minimal read-back helpers; each asserts through gtest-friendly exceptions.
struct H5File {
  explicit H5File(const std::string& path) : id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id < 0) throw std::runtime_error("cannot open " + path);
  }
  ~H5File() { H5Fclose(id); }
  hid_t id;
};

struct DatasetInfo {
  H5T_class_t cls;
  std::size_t size;
  H5T_sign_t sign;
  std::vector<hsize_t> dims;
};

DatasetInfo dataset_info(hid_t file, const char* name) {
  const hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  if (d < 0) throw std::runtime_error(std::string("no dataset ") + name);
  const hid_t t = H5Dget_type(d), s = H5Dget_space(d);
  DatasetInfo info{H5Tget_class(t), H5Tget_size(t), H5T_SGN_ERROR, {}};
  if (info.cls == H5T_INTEGER) info.sign = H5Tget_sign(t);
  info.dims.resize(H5Sget_simple_extent_ndims(s));
  H5Sget_simple_extent_dims(s, info.dims.data(), nullptr);
  H5Sclose(s);
  H5Tclose(t);
  H5Dclose(d);
  return info;
}

template <class T>
std::vector<T> read_dataset(hid_t file, const char* name, hid_t mem_type) {
  const hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  if (d < 0) throw std::runtime_error(std::string("no dataset ") + name);
  const hid_t s = H5Dget_space(d);
  std::vector<T> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
  H5Dread(d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Sclose(s);
  H5Dclose(d);
  return v;
}

std::string read_vlen_string_attribute(hid_t file, const char* obj, const char* name) {
  const hid_t a = H5Aopen_by_name(file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) throw std::runtime_error(std::string("no attribute ") + obj + "@" + name);
  const hid_t t = H5Aget_type(a);
  char* p = nullptr;
  H5Aread(a, t, &p);
  std::string out = p ? p : "";
  H5free_memory(p);
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

template <class T>
T read_scalar_attribute(hid_t file, const char* obj, const char* name, hid_t mem_type) {
  const hid_t a = H5Aopen_by_name(file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) throw std::runtime_error(std::string("no attribute ") + obj + "@" + name);
  T v{};
  H5Aread(a, mem_type, &v);
  H5Aclose(a);
  return v;
}

void expect_int64(hid_t f, const char* name) {
  const auto i = dataset_info(f, name);
  EXPECT_EQ(i.cls, H5T_INTEGER) << name;
  EXPECT_EQ(i.size, 8u) << name;
  EXPECT_EQ(i.sign, H5T_SGN_2) << name;
}

// Layout common to both orders.
void check_layout(const std::string& path, const pp::testing::Sample& s) {
  H5File f(path);
  const std::size_t nodes = s.mesh.node_count(), cells = s.mesh.triangle_count();

  {  // Type: fixed 16 chars, NULLPAD, no trailing NUL.
    const hid_t a = H5Aopen_by_name(f.id, "VTKHDF", "Type", H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(a, 0);
    const hid_t t = H5Aget_type(a);
    EXPECT_EQ(H5Tget_class(t), H5T_STRING);
    EXPECT_FALSE(H5Tis_variable_str(t));
    EXPECT_EQ(H5Tget_size(t), 16u);
    EXPECT_EQ(H5Tget_strpad(t), H5T_STR_NULLPAD);
    EXPECT_EQ(H5Tget_cset(t), H5T_CSET_ASCII);
    char buf[16];
    H5Aread(a, t, buf);
    EXPECT_EQ(std::string(buf, 16), "UnstructuredGrid");
    H5Tclose(t);
    H5Aclose(a);
  }
  {  // Version: int64 [1, 0].
    const hid_t a = H5Aopen_by_name(f.id, "VTKHDF", "Version", H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(a, 0);
    const hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    EXPECT_EQ(H5Tget_class(t), H5T_INTEGER);
    EXPECT_EQ(H5Tget_size(t), 8u);
    EXPECT_EQ(H5Sget_simple_extent_npoints(sp), 2);
    std::int64_t v[2] = {-1, -1};
    H5Aread(a, H5T_NATIVE_INT64, v);
    EXPECT_EQ(v[0], 1);
    EXPECT_EQ(v[1], 0);
    H5Sclose(sp);
    H5Tclose(t);
    H5Aclose(a);
  }
  for (const char* n : {"/VTKHDF/NumberOfPoints", "/VTKHDF/NumberOfCells", "/VTKHDF/NumberOfConnectivityIds",
                        "/VTKHDF/Connectivity", "/VTKHDF/Offsets"})
    expect_int64(f.id, n);
  EXPECT_EQ(read_dataset<std::int64_t>(f.id, "/VTKHDF/NumberOfPoints", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{static_cast<std::int64_t>(nodes)});
  EXPECT_EQ(read_dataset<std::int64_t>(f.id, "/VTKHDF/NumberOfCells", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{static_cast<std::int64_t>(cells)});
  EXPECT_EQ(read_dataset<std::int64_t>(f.id, "/VTKHDF/NumberOfConnectivityIds", H5T_NATIVE_INT64),
            std::vector<std::int64_t>{static_cast<std::int64_t>(s.mesh.triangles.size())});

  const auto pinfo = dataset_info(f.id, "/VTKHDF/Points");
  EXPECT_EQ(pinfo.cls, H5T_FLOAT);
  EXPECT_EQ(pinfo.size, 8u);
  EXPECT_EQ(pinfo.dims, (std::vector<hsize_t>{nodes, 3}));
  const auto pts = read_dataset<double>(f.id, "/VTKHDF/Points", H5T_NATIVE_DOUBLE);
  for (std::size_t i = 0; i < nodes; ++i) {
    EXPECT_EQ(pts[3 * i], s.mesh.x[i]);
    EXPECT_EQ(pts[3 * i + 1], s.mesh.y[i]);
    EXPECT_EQ(pts[3 * i + 2], 0.0);
  }
  const auto conn = read_dataset<std::int64_t>(f.id, "/VTKHDF/Connectivity", H5T_NATIVE_INT64);
  EXPECT_EQ(conn, std::vector<std::int64_t>(s.mesh.triangles.begin(), s.mesh.triangles.end()));
  const auto offs = read_dataset<std::int64_t>(f.id, "/VTKHDF/Offsets", H5T_NATIVE_INT64);
  ASSERT_EQ(offs.size(), cells + 1);
  for (std::size_t c = 0; c <= cells; ++c) EXPECT_EQ(offs[c], static_cast<std::int64_t>(c * s.mesh.nodes_per_triangle()));

  const auto tinfo = dataset_info(f.id, "/VTKHDF/Types");
  EXPECT_EQ(tinfo.cls, H5T_INTEGER);
  EXPECT_EQ(tinfo.size, 1u);
  EXPECT_EQ(tinfo.sign, H5T_SGN_NONE);
  const auto types = read_dataset<std::uint8_t>(f.id, "/VTKHDF/Types", H5T_NATIVE_UINT8);
  EXPECT_EQ(types, std::vector<std::uint8_t>(cells, s.mesh.order == 1 ? 5 : 22));

  EXPECT_EQ(read_dataset<double>(f.id, "/VTKHDF/PointData/A", H5T_NATIVE_DOUBLE), s.fields.A_Wb_per_m);
  EXPECT_EQ(dataset_info(f.id, "/VTKHDF/CellData/B").dims, (std::vector<hsize_t>{cells, 3}));
  EXPECT_EQ(dataset_info(f.id, "/VTKHDF/CellData/H").dims, (std::vector<hsize_t>{cells, 3}));
  EXPECT_EQ(read_dataset<double>(f.id, "/VTKHDF/CellData/B", H5T_NATIVE_DOUBLE), s.fields.B_T);
  EXPECT_EQ(read_dataset<double>(f.id, "/VTKHDF/CellData/Bmag", H5T_NATIVE_DOUBLE), s.fields.Bmag_T);
  EXPECT_EQ(read_dataset<double>(f.id, "/VTKHDF/CellData/H", H5T_NATIVE_DOUBLE), s.fields.H_A_per_m);
  EXPECT_EQ(read_dataset<double>(f.id, "/VTKHDF/CellData/Hm", H5T_NATIVE_DOUBLE), s.fields.Hm_A_per_m);
  const auto rinfo = dataset_info(f.id, "/VTKHDF/CellData/region");
  EXPECT_EQ(rinfo.size, 4u);
  EXPECT_EQ(rinfo.sign, H5T_SGN_2);
  EXPECT_EQ(read_dataset<std::int32_t>(f.id, "/VTKHDF/CellData/region", H5T_NATIVE_INT32),
            s.mesh.triangle_region);
  EXPECT_GT(H5Oexists_by_name(f.id, "/VTKHDF/FieldData", H5P_DEFAULT), 0);

  EXPECT_EQ(read_vlen_string_attribute(f.id, "/VTKHDF/PointData/A", "units"), "Wb/m");
  EXPECT_EQ(read_vlen_string_attribute(f.id, "/VTKHDF/CellData/B", "units"), "T");
  EXPECT_EQ(read_vlen_string_attribute(f.id, "/VTKHDF/CellData/H", "units"), "A/m");
  EXPECT_EQ(read_vlen_string_attribute(f.id, "/VTKHDF/CellData/Hm", "units"), "A/m");
}

void check_rotormag(const std::string& path, const pp::testing::Sample& s) {
  H5File f(path);
  EXPECT_EQ(read_scalar_attribute<int>(f.id, "/RotorMag", "complete", H5T_NATIVE_INT), 1);
  EXPECT_EQ(read_vlen_string_attribute(f.id, "/RotorMag", "format"), "RotorMag results 1");
  {
    const hid_t d = H5Dopen2(f.id, "/RotorMag/case", H5P_DEFAULT);
    ASSERT_GE(d, 0);
    const hid_t t = H5Dget_type(d);
    char* p = nullptr;
    H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p);
    EXPECT_EQ(std::string(p), s.info.resolved_case_toml);
    H5free_memory(p);
    H5Tclose(t);
    H5Dclose(d);
  }
  {
    const hid_t d = H5Dopen2(f.id, "/RotorMag/regions", H5P_DEFAULT);
    ASSERT_GE(d, 0);
    const hid_t t = H5Dget_type(d);
    std::vector<char*> names(s.mesh.regions.size());
    H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, names.data());
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(std::string(names[i]), s.mesh.regions[i].name);
      H5free_memory(names[i]);
    }
    H5Tclose(t);
    H5Dclose(d);
    const auto ids = read_dataset<std::int32_t>(f.id, "/RotorMag/region_ids", H5T_NATIVE_INT32);
    ASSERT_EQ(ids.size(), s.mesh.regions.size());
    for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], s.mesh.regions[i].id);
  }
  const char* solver = "/RotorMag/solver";
  EXPECT_EQ(read_vlen_string_attribute(f.id, solver, "backend"), "cpu");
  EXPECT_EQ(read_scalar_attribute<int>(f.id, solver, "order", H5T_NATIVE_INT), s.mesh.order);
  EXPECT_EQ(read_scalar_attribute<std::int64_t>(f.id, solver, "elements", H5T_NATIVE_INT64),
            static_cast<std::int64_t>(s.info.elements));
  EXPECT_EQ(read_scalar_attribute<int>(f.id, solver, "converged", H5T_NATIVE_INT), 1);
  EXPECT_EQ(read_scalar_attribute<int>(f.id, solver, "newton_iterations", H5T_NATIVE_INT), 2);
  EXPECT_EQ(read_scalar_attribute<double>(f.id, solver, "energy_J_per_m", H5T_NATIVE_DOUBLE), 1.25);
  EXPECT_EQ(read_vlen_string_attribute(f.id, solver, "energy_J_per_m_units"), "J/m");
  EXPECT_EQ(read_scalar_attribute<double>(f.id, solver, "temperature_C", H5T_NATIVE_DOUBLE), 80.0);
  EXPECT_EQ(read_dataset<double>(f.id, "/RotorMag/solver/residual_history", H5T_NATIVE_DOUBLE),
            (std::vector<double>{1.0, 1e-3}));
  EXPECT_EQ(read_dataset<double>(f.id, "/RotorMag/solver/step_length_history", H5T_NATIVE_DOUBLE),
            (std::vector<double>{1.0, 0.5}));
  EXPECT_EQ(read_dataset<int>(f.id, "/RotorMag/solver/cg_iterations_history", H5T_NATIVE_INT),
            (std::vector<int>{7, 9}));
}

}  // namespace

TEST(ResultsHdf, P1LayoutAndValues) {
  TempDir dir;
  const auto s = pp::testing::p1_square();
  pp::write_results_hdf(dir.file("p1.hdf"), s.mesh, s.fields, s.info);
  check_layout(dir.file("p1.hdf"), s);
  check_rotormag(dir.file("p1.hdf"), s);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"p1.hdf"});  // no temp file left behind
}

TEST(ResultsHdf, P2LayoutAndValues) {
  TempDir dir;
  const auto s = pp::testing::p2_triangle();
  pp::write_results_hdf(dir.file("p2.hdf"), s.mesh, s.fields, s.info);
  check_layout(dir.file("p2.hdf"), s);
  check_rotormag(dir.file("p2.hdf"), s);
}

TEST(ResultsHdf, MismatchedArrayThrowsAndLeavesNothing) {
  TempDir dir;
  auto s = pp::testing::p1_square();
  s.fields.B_T.pop_back();
  try {
    pp::write_results_hdf(dir.file("r.hdf"), s.mesh, s.fields, s.info);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("B_T"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(ResultsHdf, MismatchedPointArrayAndBadMeshThrow) {
  TempDir dir;
  auto s = pp::testing::p2_triangle();
  s.fields.A_Wb_per_m.push_back(0);
  EXPECT_THROW(pp::write_results_hdf(dir.file("r.hdf"), s.mesh, s.fields, s.info), std::invalid_argument);
  s = pp::testing::p2_triangle();
  s.mesh.triangles[5] = 6;  // not a node
  EXPECT_THROW(pp::write_results_hdf(dir.file("r.hdf"), s.mesh, s.fields, s.info), std::invalid_argument);
  s = pp::testing::p1_square();
  s.mesh.triangle_region[1] = 2;  // not a region index
  EXPECT_THROW(pp::write_results_hdf(dir.file("r.hdf"), s.mesh, s.fields, s.info), std::invalid_argument);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(ResultsHdf, FailedRewriteKeepsThePreviousFile) {
  TempDir dir;
  const auto good = pp::testing::p1_square();
  pp::write_results_hdf(dir.file("r.hdf"), good.mesh, good.fields, good.info);
  auto bad = good;
  bad.fields.Hm_A_per_m.clear();
  EXPECT_THROW(pp::write_results_hdf(dir.file("r.hdf"), bad.mesh, bad.fields, bad.info), std::invalid_argument);
  check_layout(dir.file("r.hdf"), good);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"r.hdf"});
}

TEST(ResultsHdf, MissingDirectoryThrowsNamingThePath) {
  TempDir dir;
  const std::string path = dir.file("no/such/dir/r.hdf");
  const auto s = pp::testing::p1_square();
  try {
    pp::write_results_hdf(path, s.mesh, s.fields, s.info);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
  try {
    pp::write_summary_json(dir.file("no/summary.json"), s.info);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.file("no/summary.json")), std::string::npos) << e.what();
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicFile, ErrorInsideWriterRemovesTempFile) {
  TempDir dir;
  const std::string path = dir.file("x.bin");
  try {
    pp::write_file_atomically(path, [](const std::string& tmp) {
      std::ofstream(tmp) << "half";
      throw std::runtime_error("disk on fire");
    });
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find("disk on fire"), std::string::npos) << msg;
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(AtomicFile, TempNameIsInTheSameDirectory) {
  const std::string tmp = pp::temp_path_for("/a/b/c.hdf");
  EXPECT_EQ(tmp.rfind("/a/b/c.hdf.tmp-", 0), 0u) << tmp;
}

TEST(SummaryJson, RoundTrip) {
  TempDir dir;
  const auto s = pp::testing::p2_triangle();
  pp::write_summary_json(dir.file("summary.json"), s.info);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"summary.json"});
  std::ifstream in(dir.file("summary.json"));
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("case"), "square");
  EXPECT_EQ(j.at("case_path"), "cases/examples/square.toml");
  EXPECT_EQ(j.at("backend"), "cpu");
  EXPECT_EQ(j.at("elements"), 1);
  EXPECT_EQ(j.at("dofs"), 1);
  EXPECT_EQ(j.at("order"), 2);
  EXPECT_EQ(j.at("newton_iterations"), 2);
  EXPECT_EQ(j.at("converged"), true);
  EXPECT_EQ(j.at("energy_J_per_m").get<double>(), 1.25);
  EXPECT_EQ(j.at("wall_s").get<double>(), 0.5);
  EXPECT_EQ(j.at("temperature_C").get<double>(), 80.0);
  EXPECT_EQ(j.at("residual_history").get<std::vector<double>>(), (std::vector<double>{1.0, 1e-3}));
  // Every numeric key has a unit.
  for (const auto& [key, value] : j.items())
    if (value.is_number() || value.is_array()) {
      EXPECT_TRUE(j.at("units").contains(key)) << key;
    }
  EXPECT_EQ(j.at("units").at("energy_J_per_m"), "J/m");
}

TEST(SummaryJson, FullPrecision) {
  TempDir dir;
  auto info = pp::testing::p1_square().info;
  info.energy_J_per_m = 0.1 + 0.2;  // needs 17 significant digits
  pp::write_summary_json(dir.file("s.json"), info);
  std::ifstream in(dir.file("s.json"));
  EXPECT_EQ(nlohmann::json::parse(in).at("energy_J_per_m").get<double>(), 0.1 + 0.2);
}

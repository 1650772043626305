// Writes sample results files for the read_results.py tests (ctest fixture):
//   DIR/p1.hdf, DIR/p2.hdf     through write_results_hdf
//   DIR/bad_uint64.hdf         a VTKHDF file with unsigned 64-bit Connectivity
//                              and Offsets, which VTK 9.1 silently reads as an
//                              empty grid: read_results.py must reject it.

#include <hdf5.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "tests/postproc/sample_results.hpp"

namespace {

void write_bad_uint64(const std::string& path) {
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t g = H5Gcreate2(f, "VTKHDF", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const std::int64_t version[2] = {1, 0};
  hsize_t two = 2;
  hid_t sp = H5Screate_simple(1, &two, nullptr);
  hid_t a = H5Acreate2(g, "Version", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, H5T_NATIVE_INT64, version);
  H5Aclose(a);
  H5Sclose(sp);
  hid_t st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, 16);
  H5Tset_strpad(st, H5T_STR_NULLPAD);
  sp = H5Screate(H5S_SCALAR);
  a = H5Acreate2(g, "Type", st, sp, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(a, st, "UnstructuredGrid");
  H5Aclose(a);
  H5Sclose(sp);
  H5Tclose(st);
  auto write = [&](hid_t parent, const char* name, hid_t ftype, hid_t mtype, const void* data, int rank,
                   const hsize_t* dims) {
    const hid_t s = H5Screate_simple(rank, dims, nullptr);
    const hid_t d = H5Dcreate2(parent, name, ftype, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(d);
    H5Sclose(s);
  };
  const std::int64_t np = 4, nc = 2, nids = 6;
  const hsize_t one[1] = {1}, pdims[2] = {4, 3}, four[1] = {4}, six[1] = {6}, three[1] = {3}, two1[1] = {2};
  const double pts[12] = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};
  const std::uint64_t conn[6] = {0, 1, 2, 0, 2, 3}, offs[3] = {0, 3, 6};
  const std::uint8_t types[2] = {5, 5};
  write(g, "NumberOfPoints", H5T_STD_I64LE, H5T_NATIVE_INT64, &np, 1, one);
  write(g, "NumberOfCells", H5T_STD_I64LE, H5T_NATIVE_INT64, &nc, 1, one);
  write(g, "NumberOfConnectivityIds", H5T_STD_I64LE, H5T_NATIVE_INT64, &nids, 1, one);
  write(g, "Points", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, pts, 2, pdims);
  write(g, "Connectivity", H5T_STD_U64LE, H5T_NATIVE_UINT64, conn, 1, six);
  write(g, "Offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, offs, 1, three);
  write(g, "Types", H5T_STD_U8LE, H5T_NATIVE_UINT8, types, 1, two1);
  const hid_t pd = H5Gcreate2(g, "PointData", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  const double A[4] = {0, 1, 3, 2};
  write(pd, "A", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, A, 1, four);
  H5Gclose(pd);
  H5Gclose(g);
  H5Fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  ::mkdir(dir.c_str(), 0777);  // may exist already
  try {
    namespace pp = rotormag::postproc;
    const auto p1 = pp::testing::p1_square();
    pp::write_results_hdf(dir + "/p1.hdf", p1.mesh, p1.fields, p1.info);
    pp::write_summary_json(dir + "/p1.summary.json", p1.info);
    const auto p2 = pp::testing::p2_triangle();
    pp::write_results_hdf(dir + "/p2.hdf", p2.mesh, p2.fields, p2.info);
    write_bad_uint64(dir + "/bad_uint64.hdf");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}

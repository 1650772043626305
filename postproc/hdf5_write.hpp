#pragma once
// Writing helpers on top of hdf5_handles.hpp, shared by the single-run and
// the motor results writers (internal to postproc/). Every failure throws
// std::runtime_error naming the object, so a caller can remove its temp file.
#include <hdf5.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "postproc/hdf5_handles.hpp"

namespace rotormag::postproc::hdf5 {

inline Handle create_group(hid_t parent, const char* name) {
  return Handle(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                fmt::format("cannot create group {}", name));
}

// Variable-length UTF-8 strings: h5py reads them as str, VTK never sees them.
inline Handle vlen_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "H5Tset_size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "H5Tset_cset");
  return t;
}

inline void string_attribute(hid_t obj, const char* name, const std::string& value) {
  Handle type = vlen_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              fmt::format("cannot create attribute {}", name));
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), fmt::format("cannot write attribute {}", name));
}

template <class T>
void numeric_attribute(hid_t obj, const char* name, const std::vector<T>& values, bool scalar = true) {
  const hsize_t n = values.size();
  Handle space(scalar && n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose,
               "H5Screate");
  Handle attr(H5Acreate2(obj, name, H5Types<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, fmt::format("cannot create attribute {}", name));
  check(H5Awrite(attr.get(), H5Types<T>::mem(), values.data()),
        fmt::format("cannot write attribute {}", name));
}

// A 1D (cols == 0) or 2D (rows x cols) dataset; `units` becomes an attribute.
// Returned open, for callers that add attributes of their own.
template <class T>
Handle dataset(hid_t parent, const char* name, const T* data, hsize_t rows, hsize_t cols = 0,
             const char* units = nullptr) {
  const hsize_t dims[2] = {rows, cols};
  Handle space(H5Screate_simple(cols == 0 ? 1 : 2, dims, nullptr), H5Sclose, "H5Screate_simple");
  Handle set(H5Dcreate2(parent, name, H5Types<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                        H5P_DEFAULT),
             H5Dclose, fmt::format("cannot create dataset {}", name));
  if (rows > 0)  // an empty dataset needs no write (and has no buffer)
    check(H5Dwrite(set.get(), H5Types<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          fmt::format("cannot write dataset {}", name));
  if (units) string_attribute(set.get(), "units", units);
  return set;
}

template <class T>
Handle dataset(hid_t parent, const char* name, const std::vector<T>& v, const char* units = nullptr) {
  return dataset(parent, name, v.data(), v.size(), 0, units);
}

// A scalar variable-length UTF-8 string dataset (long texts: the case TOML,
// the winding table).
inline void string_dataset(hid_t parent, const char* name, const std::string& text) {
  Handle type = vlen_string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle set(H5Dcreate2(parent, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
             fmt::format("cannot create dataset {}", name));
  const char* p = text.c_str();
  check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p),
        fmt::format("cannot write dataset {}", name));
}

}  // namespace rotormag::postproc::hdf5

#pragma once
// HDF5 C API plumbing shared by the results writer and reader (internal to
// postproc/): error silencing, error text, an owning handle, type mapping.
#include <hdf5.h>
#include <fmt/format.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace rotormag::postproc::hdf5 {

// ---------------------------------------------------------------- HDF5 plumbing

// The library prints its error stack to stderr by default; we report errors
// through exceptions instead, so silence it while we write (and restore the
// caller's handler afterwards, HDF5's state is global).
class SilenceHdf5Errors {
 public:
  SilenceHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~SilenceHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  SilenceHdf5Errors(const SilenceHdf5Errors&) = delete;
  SilenceHdf5Errors& operator=(const SilenceHdf5Errors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// The innermost message of the current error stack: that is the one carrying
// errno text ("No such file or directory") for file-system failures.
inline std::string hdf5_error_text() {
  std::string text;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
        if (n == 0 && e->desc) *static_cast<std::string*>(out) = e->desc;
        return 0;
      },
      &text);
  return text.empty() ? "unknown HDF5 error" : text;
}

[[noreturn]] inline void fail(const std::string& what) {
  throw std::runtime_error(fmt::format("{} ({})", what, hdf5_error_text()));
}

inline void check(herr_t rc, const std::string& what) {
  if (rc < 0) fail(what);
}

// Owns one hid_t. close() reports failure, the destructor cannot.
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), closer_(closer) {
    if (id_ < 0) fail(what);
  }
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle& operator=(Handle&&) = delete;
  hid_t get() const { return id_; }
  void close(const std::string& what) {
    const hid_t id = id_;
    id_ = -1;
    check(closer_(id), what);
  }

 private:
  hid_t id_;
  herr_t (*closer_)(hid_t);
};

template <class T> struct H5Types;
template <> struct H5Types<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
};
template <> struct H5Types<std::int64_t> {
  static hid_t file() { return H5T_STD_I64LE; }
  static hid_t mem() { return H5T_NATIVE_INT64; }
};
template <> struct H5Types<std::int32_t> {
  static hid_t file() { return H5T_STD_I32LE; }
  static hid_t mem() { return H5T_NATIVE_INT32; }
};
template <> struct H5Types<std::uint8_t> {
  static hid_t file() { return H5T_STD_U8LE; }
  static hid_t mem() { return H5T_NATIVE_UINT8; }
};

}  // namespace rotormag::postproc::hdf5

#pragma once
// Paths into the source tree and the shipped library, shared by the case tests.
#include <string>

#include "cases/case.hpp"

namespace rotormag::cases::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(ROTORMAG_SOURCE_DIR) + "/" + relative;
}

inline const MaterialLibrary& shipped_library() {
  static const MaterialLibrary library = MaterialLibrary::load(source_path("cases/materials"));
  return library;
}

}  // namespace rotormag::cases::testing

// libFuzzer target: bytes -> cases::load_case_text (TOML parse + schema
// validation + material lookup + resolved-TOML writer).
//
// Valid outcomes: a Case, or CaseError (every problem with its position).
// Any other exception escapes on purpose: std::terminate aborts and libFuzzer
// reports the input. Sanitizer reports (ASan, UBSan) abort the same way.
//
// Extra oracle: a case that loads must load again from its own resolved TOML
// (what `rotormag run` records) and give the same resolved TOML.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cases/case.hpp"

namespace rc = rotormag::cases;

namespace {

const rc::MaterialLibrary& library() {
  // Loaded once: the shipped library ($ROTORMAG_MATERIALS or the source tree).
  static const rc::MaterialLibrary lib = rc::MaterialLibrary::load(rc::default_library_directory());
  return lib;
}

// A folder that does not exist: relative mesh.file paths never resolve to a
// real file (absolute ones may; load_case only checks that they exist).
const std::string kVirtualPath = "/nonexistent-fuzz-dir/case.toml";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  rc::Case c;
  try {
    c = rc::load_case_text(text, kVirtualPath, library());
  } catch (const rc::CaseError& e) {
    // Documented outcome. Every issue must format without throwing.
    for (const auto& issue : e.issues()) (void)issue.format();
    return 0;
  }
  // Round trip of the resolved case.
  rc::Case again;
  try {
    again = rc::load_case_text(c.resolved_toml, kVirtualPath, library());
  } catch (const rc::CaseError& e) {
    std::fprintf(stderr, "fuzz_case_file: the resolved TOML of a valid case does not load:\n%s\n--- resolved:\n%s\n",
                 e.what(), c.resolved_toml.c_str());
    for (const auto& issue : e.issues()) std::fprintf(stderr, "  %s\n", issue.format().c_str());
    std::abort();
  }
  if (again.resolved_toml != c.resolved_toml) {
    std::fprintf(stderr, "fuzz_case_file: resolved TOML is not a fixed point:\n--- first:\n%s\n--- second:\n%s\n",
                 c.resolved_toml.c_str(), again.resolved_toml.c_str());
    std::abort();
  }
  return 0;
}

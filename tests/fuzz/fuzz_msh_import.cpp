// libFuzzer target: bytes -> a temporary .msh file -> mesh::read_msh
// (RotorMag's own .msh parser, mesh building, orientation and quality checks;
// Gmsh is not involved since it crashed on a fuzzed file, finding F6).
//
// Valid outcomes: a Mesh, or MeshError naming the file. Any other exception
// escapes on purpose (std::terminate -> libFuzzer reports the input); so do
// ASan/UBSan reports and crashes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mesh/mesh.hpp"
#include "mesh/templates.hpp"

namespace rm = rotormag::mesh;

namespace {

// One file per fuzzing process, rewritten for every input; removed at exit.
const std::string& temp_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/rotormag_fuzz_XXXXXX.msh";
    const int fd = mkstemps(tmpl.data(), 4);
    if (fd < 0) {
      std::perror("fuzz_msh_import: mkstemps");
      std::abort();
    }
    close(fd);
    return tmpl;
  }();
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() { std::remove(temp_path().c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Every input reaches read_msh, whatever its first bytes.
  static RemoveAtExit cleanup;
  const std::string& path = temp_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::perror("fuzz_msh_import: fopen");
    std::abort();
  }
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    const rm::Mesh m = rm::read_msh(path);
    (void)m;
  } catch (const rm::MeshError&) {
    // Documented outcome.
  }
  return 0;
}

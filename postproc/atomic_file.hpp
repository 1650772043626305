#pragma once
// Atomic replacement of a file: write to a temporary name in the same
// directory (so that rename(2) cannot cross a file system), fsync, rename.
// A reader therefore sees either the old file, the complete new one, or
// nothing -- never a half-written results file under its final name.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rotormag::postproc {

// The temporary name used for `path`: path + ".tmp-<pid>". The pid keeps two
// processes writing the same case from clobbering each other's temp file.
std::string temp_path_for(const std::string& path);

// Calls write(tmp) which must create the file `tmp`; then fsyncs it and
// renames it to `path`. On any error (from `write` or the file system) the
// temp file is removed and std::runtime_error naming `path` is thrown.
void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& tmp)>& write);

// write_file_atomically for a text/binary blob.
void write_text_atomically(const std::string& path, std::string_view text);

// The whole file as bytes; std::runtime_error naming `path` when it cannot be read.
std::string read_text_file(const std::string& path);

// Several files that belong together (a motor run: NAME.hdf, its step files,
// summary.json, the series file). Each is written and fsynced under its
// temporary name first; commit() then renames them in the order they were
// written, so the one written last (the series file, which makes the others
// visible to ParaView) appears last. Until commit() succeeds, no final name
// is created: on any failure, or when the group is destroyed uncommitted,
// the temporaries are removed, and so are the final names that a failed
// commit() had already renamed (a file of that name from an earlier run is
// then gone too: rename replaced it).
class AtomicFileGroup {
 public:
  AtomicFileGroup() = default;
  ~AtomicFileGroup();
  AtomicFileGroup(const AtomicFileGroup&) = delete;
  AtomicFileGroup& operator=(const AtomicFileGroup&) = delete;

  // Calls write(tmp) which must create `tmp`, then fsyncs it. On error removes
  // tmp and throws std::runtime_error naming `path`; files written before stay
  // pending (the destructor removes them).
  void write(const std::string& path, const std::function<void(const std::string& tmp)>& write);
  void write_text(const std::string& path, std::string_view text);

  // Renames every file to its final name. Throws std::runtime_error naming the
  // path that failed, after removing everything this group created.
  void commit();

 private:
  struct Pending {
    std::string path, tmp;
  };
  void discard() noexcept;
  std::vector<Pending> pending_;   // fsynced temporaries, in write order
  std::vector<std::string> renamed_;  // final names created by a commit in progress
};

}  // namespace rotormag::postproc

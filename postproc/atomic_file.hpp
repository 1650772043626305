#pragma once
// Atomic replacement of a file: write to a temporary name in the same
// directory (so that rename(2) cannot cross a file system), fsync, rename.
// A reader therefore sees either the old file, the complete new one, or
// nothing -- never a half-written results file under its final name.

#include <functional>
#include <string>
#include <string_view>

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

}  // namespace rotormag::postproc

#include "postproc/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace rotormag::postproc {
namespace {

std::string errno_text(const char* what, const std::string& file) {
  return fmt::format("{} {}: {}", what, file, std::strerror(errno));
}

// rename() only orders the directory entry; without fsync of the data first a
// crash can leave the final name pointing at an empty file (ext4 delalloc).
void fsync_file(const std::string& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(errno_text("cannot open", file));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) {
    errno = saved;
    throw std::runtime_error(errno_text("cannot fsync", file));
  }
}

// Makes the rename itself durable. Best effort: some file systems refuse
// fsync on a directory, and the file is already complete by then.
void fsync_parent_directory(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Creates `file` holding exactly `text`.
void write_text_file(const std::string& file, std::string_view text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error(errno_text("cannot create", file));
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      throw std::runtime_error(errno_text("cannot write", file));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw std::runtime_error(errno_text("cannot close", file));
}

// unlink, not std::remove: never rmdir a directory that happens to carry the
// name (it is not ours).
void remove_file(const std::string& file) noexcept { (void)::unlink(file.c_str()); }

}  // namespace

std::string temp_path_for(const std::string& path) {
  return path + ".tmp-" + std::to_string(static_cast<long>(::getpid()));
}

void write_file_atomically(const std::string& path,
                           const std::function<void(const std::string& tmp)>& write) {
  const std::string tmp = temp_path_for(path);
  try {
    write(tmp);
    fsync_file(tmp);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error(errno_text("cannot rename to", path) + " (from " + tmp + ")");
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());  // may not exist yet; nothing to report then
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, e.what()));
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  fsync_parent_directory(path);
}

void write_text_atomically(const std::string& path, std::string_view text) {
  write_file_atomically(path, [&](const std::string& tmp) { write_text_file(tmp, text); });
}

// ---------------------------------------------------------------- AtomicFileGroup

AtomicFileGroup::~AtomicFileGroup() { discard(); }

void AtomicFileGroup::write(const std::string& path, const std::function<void(const std::string& tmp)>& write) {
  for (const auto& p : pending_)
    if (p.path == path) throw std::logic_error("AtomicFileGroup: " + path + " written twice");
  const std::string tmp = temp_path_for(path);
  try {
    write(tmp);
    fsync_file(tmp);
  } catch (const std::exception& e) {
    remove_file(tmp);  // may not exist yet; nothing to report then
    throw std::runtime_error(fmt::format("cannot write {}: {}", path, e.what()));
  } catch (...) {
    remove_file(tmp);
    throw;
  }
  pending_.push_back({path, tmp});
}

void AtomicFileGroup::write_text(const std::string& path, std::string_view text) {
  write(path, [&](const std::string& tmp) { write_text_file(tmp, text); });
}

void AtomicFileGroup::commit() {
  for (const auto& p : pending_) {
    if (std::rename(p.tmp.c_str(), p.path.c_str()) != 0) {
      const int saved = errno;
      const std::string path = p.path;  // `p` dies in discard()
      errno = saved;
      const std::string why = errno_text("cannot rename to", path) + " (from " + p.tmp + ")";
      discard();
      throw std::runtime_error(fmt::format("cannot write {}: {}", path, why));
    }
    renamed_.push_back(p.path);
  }
  std::vector<std::string> done;
  done.swap(renamed_);
  pending_.clear();
  // The renames are in place; making them durable is best effort (as above).
  std::string last_dir;
  for (const auto& path : done) {
    const std::string dir = path.substr(0, path.find_last_of('/') + 1);
    if (dir != last_dir) fsync_parent_directory(path);
    last_dir = dir;
  }
}

void AtomicFileGroup::discard() noexcept {
  for (std::size_t i = renamed_.size(); i < pending_.size(); ++i) remove_file(pending_[i].tmp);
  for (const auto& path : renamed_) remove_file(path);
  pending_.clear();
  renamed_.clear();
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace rotormag::postproc

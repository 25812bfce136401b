// read_policy_file(): the POSIX part of policy_paths (openat without following links, modes).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/antivirus/policy_paths.hpp"

namespace warden::agent {

namespace {

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

}  // namespace

PolicyFile read_policy_file(const std::filesystem::path& root, const std::string& path) {
  if (auto why = policy_path_refusal(path, kPolicyPathPrefixes); !why.empty())
    return {std::nullopt, path + " " + why};
  Fd dir(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd < 0) return {std::nullopt, "cannot open " + root.string()};
  auto parts = policy_path_components(path);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = openat(dir.fd, parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      if (errno == ENOENT) return {};
      return {std::nullopt,
              path + ": " + parts[i] + " is not a plain directory (" + std::strerror(errno) + ")"};
    }
    Fd step(next);
    struct stat st {};
    if (fstat(step.fd, &st) != 0 || !S_ISDIR(st.st_mode))
      return {std::nullopt, path + ": " + parts[i] + " is not a directory"};
    if (!(st.st_mode & S_IXOTH))
      return {std::nullopt, path + ": directory " + parts[i] + " is closed to other users"};
    std::swap(dir.fd, step.fd);
  }
  int f = openat(dir.fd, parts.back().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (f < 0) {
    if (errno == ENOENT) return {};
    return {std::nullopt,
            path + " cannot be opened without following a link (" + std::strerror(errno) + ")"};
  }
  Fd file(f);
  struct stat st {};
  if (fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return {std::nullopt, path + " is not a regular file"};
  if (!(st.st_mode & S_IROTH)) return {std::nullopt, path + " is not readable by every user"};
  if (st.st_size > static_cast<off_t>(kMaxPolicyFileBytes))
    return {std::nullopt, path + " is larger than 1 MiB"};
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = read(file.fd, text.data() + got, text.size() - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  return {std::move(text), {}};
}

}  // namespace warden::agent

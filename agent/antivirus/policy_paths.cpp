#include "agent/antivirus/policy_paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string policy_path_refusal(std::string_view path,
                                const std::vector<std::string_view>& prefixes) {
  if (path.empty() || path.front() != '/') return "is not an absolute path";
  if (path.size() > 1024) return "is longer than 1024 bytes";
  if (path.find("//") != std::string_view::npos) return "is not normalised (//)";
  if (path.find('\0') != std::string_view::npos) return "contains a NUL byte";
  for (const auto& c : components(path))
    if (c == "." || c == "..") return "is not normalised (. or ..)";
  for (auto p : prefixes)
    if (path.size() > p.size() && path.substr(0, p.size()) == p) return {};
  std::string allowed;
  for (auto p : prefixes) allowed += (allowed.empty() ? "" : ", ") + std::string(p);
  return "is outside the places policy may name (" + allowed + ")";
}

PolicyFile read_policy_file(const std::filesystem::path& root, const std::string& path) {
  if (auto why = policy_path_refusal(path, kPolicyPathPrefixes); !why.empty())
    return {std::nullopt, path + " " + why};
  Fd dir(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd < 0) return {std::nullopt, "cannot open " + root.string()};
  auto parts = components(path);
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

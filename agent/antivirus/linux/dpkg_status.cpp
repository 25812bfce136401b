#include "agent/antivirus/dpkg_status.hpp"

#include <sstream>

#include "common/files.hpp"

namespace warden::agent {

std::map<std::string, std::string> installed_packages(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line, package, version, status;
  auto flush = [&] {
    if (!package.empty() && status == "install ok installed") out[package] = version;
    package.clear(), version.clear(), status.clear();
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
    } else if (line.rfind("Package: ", 0) == 0) {
      package = line.substr(9);
    } else if (line.rfind("Version: ", 0) == 0) {
      version = line.substr(9);
    } else if (line.rfind("Status: ", 0) == 0) {
      status = line.substr(8);
    }
  }
  flush();
  return out;
}

std::map<std::string, std::string> read_installed_packages(const std::filesystem::path& root) {
  auto text = files::read_if_exists(root / "var/lib/dpkg/status", 128u << 20);
  return text ? installed_packages(*text) : std::map<std::string, std::string>{};
}

}  // namespace warden::agent

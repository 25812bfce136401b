// Installed packages from dpkg's status database (a documented deb822 file, read directly so
// fixture roots work; the patches domain uses libapt-pkg for the full package state).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace warden::agent {

// package name -> version, for packages whose Status is "install ok installed".
std::map<std::string, std::string> installed_packages(const std::string& status_file_text);
std::map<std::string, std::string> read_installed_packages(const std::filesystem::path& root);

}  // namespace warden::agent

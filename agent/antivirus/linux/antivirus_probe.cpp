#include "agent/antivirus/antivirus_probe.hpp"

#include <algorithm>
#include <set>

#include "agent/antivirus/clamd_client.hpp"
#include "agent/antivirus/cvd_header.hpp"
#include "agent/antivirus/dpkg_status.hpp"
#include "agent/antivirus/policy_paths.hpp"
#include "common/duration.hpp"
#include "common/files.hpp"

namespace warden::agent {

namespace fs = std::filesystem;

std::vector<std::string> running_process_names(const fs::path& proc_dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(proc_dir, ec)) {
    const auto name = e.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    auto comm = files::read_if_exists(e.path() / "comm", 64);
    if (!comm) continue;
    while (!comm->empty() && comm->back() == '\n') comm->pop_back();
    out.push_back(*comm);
  }
  return out;
}

std::vector<AntivirusFacts> LinuxAntivirusProbe::collect(
    const std::vector<AntivirusProduct>& catalog) {
  auto packages = read_installed_packages(ctx_.root);
  // Processes are those of this machine unless the fixture root carries its own proc tree.
  fs::path proc =
      ctx_.root != "/" && fs::exists(ctx_.root / "proc") ? ctx_.root / "proc" : fs::path("/proc");
  auto procs = running_process_names(proc);
  std::set<std::string> running(procs.begin(), procs.end());
  std::vector<AntivirusFacts> out;
  for (const auto& p : catalog) {
    AntivirusFacts f;
    f.product = p.id;
    f.name = p.name;
    f.footprint = p.footprint;
    f.signature_format = p.signature_format;
    for (const auto& pkg : p.packages)
      if (auto it = packages.find(pkg); it != packages.end())
        f.installed_evidence.push_back("package " + pkg + " " + it->second);
    for (const auto& path : p.install_paths)
      if (fs::exists(ctx_.root / fs::path(path).relative_path()))
        f.installed_evidence.push_back("path " + path);
    f.installed = !f.installed_evidence.empty();
    for (const auto& name : p.processes)
      if (running.count(name)) f.running_processes.push_back(name);
    f.running = !f.running_processes.empty();
    for (const auto& name : p.updater_processes) f.updater_running |= running.count(name) > 0;

    std::string conf_text;
    if (!p.config_file.empty() && p.from_policy) {
      auto file = read_policy_file(ctx_.root, p.config_file);
      if (!file.refusal.empty()) f.refused.push_back("config_file " + file.refusal);
      conf_text = file.text.value_or("");
    } else if (!p.config_file.empty()) {
      conf_text =
          files::read_if_exists(ctx_.root / fs::path(p.config_file).relative_path(), 1 << 20)
              .value_or("");
    }
    if (!p.database_dir_key.empty())
      f.database_dir = clamd_conf_value(conf_text, p.database_dir_key);
    if (f.database_dir.empty() && !p.database_dirs.empty())
      f.database_dir = p.database_dirs.front();
    if (!p.database_dir_key.empty() && p.from_policy && !f.database_dir.empty())
      if (auto why = policy_path_refusal(f.database_dir, kPolicyPathPrefixes); !why.empty()) {
        f.refused.push_back("database directory " + f.database_dir + " " + why);
        f.database_dir.clear();
      }
    std::string socket = p.socket_key.empty() ? "" : clamd_conf_value(conf_text, p.socket_key);
    if (!socket.empty() && p.from_policy)
      if (auto why = policy_path_refusal(socket, kPolicySocketPrefixes); !why.empty()) {
        f.refused.push_back("socket " + socket + " " + why);
        socket.clear();
      }
    if (!p.socket_key.empty() && f.installed) {
      f.socket = socket;
      auto v = clamd_version(f.socket);
      f.daemon_answering = v.has_value();
      f.daemon_version = v.value_or("");
    }
    if (p.signature_format == "clamav-cvd" && !f.database_dir.empty()) {
      fs::path dir = ctx_.root / fs::path(f.database_dir).relative_path();
      for (const char* base : {"daily", "main", "bytecode"}) {
        for (const char* ext : {".cld", ".cvd"}) {
          auto head = files::read_if_exists(dir / (std::string(base) + ext), 512);
          if (!head) continue;
          auto h = parse_cvd_header(*head);
          if (!h) continue;
          f.databases.push_back(std::string(base) + ext);
          if (!f.signature_time || h->build_time > *f.signature_time)
            f.signature_time = h->build_time;
          if (std::string(base) == "daily")
            f.signature_version = std::max(f.signature_version, h->version);
          break;  // a .cld supersedes the .cvd it was built from
        }
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace warden::agent

#include "agent/patches/patch_probe.hpp"

#include <apt-pkg/cachefile.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/depcache.h>
#include <apt-pkg/error.h>
#include <apt-pkg/init.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/pkgsystem.h>
#include <apt-pkg/upgrade.h>
#include <apt-pkg/version.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <stdexcept>

#include "common/files.hpp"

namespace warden::agent {

namespace fs = std::filesystem;

namespace {

std::string apt_errors() {
  std::string all, msg;
  while (!_error->empty()) {
    _error->PopMessage(msg);
    if (!msg.empty()) all += (all.empty() ? "" : "; ") + msg;
  }
  return all.empty() ? "unknown error" : all;
}

std::optional<int64_t> mtime(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return std::nullopt;
  return static_cast<int64_t>(st.st_mtime);
}

std::string str(const char* s) {
  return s ? s : "";
}

// (host, suite) of deb lines in sources files (UOS marks its security source by file).
std::set<std::pair<std::string, std::string>> security_sources(
    const fs::path& root, const std::vector<std::string>& files) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& f : files) {
    std::istringstream in(
        files::read_if_exists(root / fs::path(f).relative_path(), 1 << 20).value_or(""));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream w(line);
      std::string type, uri, suite;
      if (!(w >> type) || type != "deb") continue;
      w >> uri;
      if (!uri.empty() && uri[0] == '[') {  // options: skip to the closing bracket
        while (uri.find(']') == std::string::npos && (w >> uri)) {
        }
        w >> uri;
      }
      w >> suite;
      auto scheme = uri.find("://");
      std::string host = scheme == std::string::npos ? uri : uri.substr(scheme + 3);
      host = host.substr(0, host.find('/'));
      if (!host.empty() && !suite.empty()) out.insert({host, suite});
    }
  }
  return out;
}

}  // namespace

PatchFacts DebianPatchProbe::collect(const PatchPolicy& policy) {
  // Fresh configuration each run: what the system says now, then the probe's overrides.
  _error->Discard();
  delete _config;
  _config = new Configuration;
  if (!pkgInitConfig(*_config)) throw std::runtime_error("apt configuration: " + apt_errors());
  for (const auto& [k, v] : options_.config) _config->Set(k.c_str(), v);
  if (!pkgInitSystem(*_config, _system)) throw std::runtime_error("apt system: " + apt_errors());

  PatchFacts f;
  auto sec_sources = security_sources(ctx_.root, policy.security_source_files);
  {
    pkgCacheFile cache;  // released at the end of this block: the cache is large
    if (!cache.Open(nullptr, false))
      throw std::runtime_error("cannot open the package cache: " + apt_errors());
    pkgDepCache* dep = cache.GetDepCache();
    if (!dep) throw std::runtime_error("cannot build the dependency cache: " + apt_errors());
    // What `apt-get upgrade` does: no removals, no new packages.
    if (!APT::Upgrade::Upgrade(
            *dep, APT::Upgrade::FORBID_REMOVE_PACKAGES | APT::Upgrade::FORBID_INSTALL_NEW_PACKAGES))
      _error->Discard();  // unresolvable upgrades are kept back, as apt-get reports them
    for (pkgCache::PkgIterator p = cache->PkgBegin(); !p.end(); ++p) {
      if (p->CurrentVer == 0) continue;
      ++f.installed;
      auto& st = (*dep)[p];
      bool held = p->SelectedState == pkgCache::State::Hold;
      if (held) f.held.push_back(p.FullName(true));
      if (st.NewInstall()) continue;
      if (st.Upgrade()) ++f.upgrade_now;
      if (!st.Upgradable()) continue;
      pkgCache::VerIterator cand = st.CandidateVerIter(*dep);
      if (cand.end()) continue;
      PendingUpgrade u;
      u.name = p.FullName(true);
      u.current = str(p.CurrentVer().VerStr());
      u.candidate = str(cand.VerStr());
      u.held = held;
      u.upgradable_now = st.Upgrade();
      for (pkgCache::VerFileIterator vf = cand.FileList(); !vf.end(); ++vf) {
        pkgCache::PkgFileIterator file = vf.File();
        if ((file->Flags & pkgCache::Flag::NotSource) != 0) continue;
        std::string origin = str(file.Origin()), label = str(file.Label()),
                    archive = str(file.Archive()), codename = str(file.Codename()),
                    site = str(file.Site());
        if (u.origin.empty()) u.origin = origin, u.label = label, u.archive = archive;
        bool sec = std::find(policy.security_origins.begin(), policy.security_origins.end(),
                             label) != policy.security_origins.end() ||
                   std::find(policy.security_origins.begin(), policy.security_origins.end(),
                             origin) != policy.security_origins.end();
        for (const auto& pat : policy.security_suite_patterns)
          sec |= (!archive.empty() && archive.find(pat) != std::string::npos) ||
                 (!codename.empty() && codename.find(pat) != std::string::npos);
        sec |= sec_sources.count({site, archive}) > 0 || sec_sources.count({site, codename}) > 0;
        if (sec) {
          u.security = true;
          u.origin = origin, u.label = label, u.archive = archive;
        }
      }
      f.upgrades.push_back(std::move(u));
    }
    f.not_upgraded = dep->KeepCount();
    // Kernels: the newest installed linux-image-<version> against the running one.
    for (pkgCache::PkgIterator p = cache->PkgBegin(); !p.end(); ++p) {
      if (p->CurrentVer == 0) continue;
      std::string name = p.Name();
      if (name.rfind("linux-image-", 0) != 0 || name.size() <= 12 ||
          !std::isdigit(static_cast<unsigned char>(name[12])))
        continue;
      std::string k = name.substr(12);
      if (f.newest_kernel.empty() || _system->VS->CmpVersion(k, f.newest_kernel) > 0)
        f.newest_kernel = k;
    }
  }
  f.pending = f.upgrades.size();
  for (const auto& u : f.upgrades) f.pending_security += u.security;

  f.running_kernel = options_.running_kernel;
  if (f.running_kernel.empty()) {
    struct utsname u {};
    if (uname(&u) == 0) f.running_kernel = u.release;
  }
  std::error_code ec;
  if (fs::exists(ctx_.root / "run/reboot-required", ec) ||
      fs::exists(ctx_.root / "var/run/reboot-required", ec)) {
    f.reboot_required = true;
    std::istringstream pk(
        files::read_if_exists(ctx_.root / "run/reboot-required.pkgs", 65536).value_or(""));
    std::string line;
    while (std::getline(pk, line) && f.reboot_required_pkgs.size() < 100)
      if (!line.empty()) f.reboot_required_pkgs.push_back(line);
  }
  if (!f.newest_kernel.empty() && !f.running_kernel.empty() &&
      _system->VS->CmpVersion(f.newest_kernel, f.running_kernel) > 0)
    f.reboot_required = true;

  fs::path lists = _config->FindDir("Dir::State::lists");
  f.lists_time = mtime(ctx_.root / "var/lib/apt/periodic/update-success-stamp");
  if (!f.lists_time)
    for (const auto& e : fs::directory_iterator(lists, ec)) {
      auto n = e.path().filename().string();
      if (n.size() > 7 && (n.ends_with("Release"))) {
        auto t = mtime(e.path());
        if (t && (!f.lists_time || *t > *f.lists_time)) f.lists_time = t;
      }
    }
  f.last_install_time = mtime(ctx_.root / "var/log/dpkg.log");
  if (!f.last_install_time) f.last_install_time = mtime(_config->FindFile("Dir::State::status"));
  return f;
}

}  // namespace warden::agent

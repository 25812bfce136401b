#include "collector/data_dir_backup.hpp"

#include <openssl/evp.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "collector/storage/schema.hpp"
#include "common/duration.hpp"
#include "common/files.hpp"
#include "common/sqlite.hpp"
#include "common/text.hpp"
#include "common/version.hpp"

namespace warden::collector {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "MANIFEST.json";
constexpr const char* kDatabase = "warden.db";

struct KeptFile {
  const char* name;
  unsigned mode;
};
// Everything besides the database a restored collector needs to keep its identity: agents pin
// this CA, and their certificates were signed by it.
constexpr KeptFile kKeptFiles[] = {
    {"ca.crt", 0644}, {"ca.key", 0600}, {"server.crt", 0644}, {"server.key", 0600}};
// Kept when present: the offline-exchange identity (peers pinned its certificate) and a unit's
// credentials with its level above (docs/exchange.md, docs/cascade.md).
constexpr KeptFile kOptionalFiles[] = {
    {"exchange/identity.crt", 0644}, {"exchange/identity.key", 0600},
    {"upstream/unit.crt", 0644},     {"upstream/unit.key", 0600},
    {"upstream/ca.crt", 0644},       {"upstream/upstream.json", 0600}};

// Copies a kept file, creating its folder (0700) first.
void copy_kept(const fs::path& from, const fs::path& to, const KeptFile& f) {
  auto target = to / f.name;
  if (target.parent_path() != to) files::ensure_dir(target.parent_path(), 0700);
  files::write_atomic(target, files::read(from / f.name), f.mode);
}

// Streams the file: databases are far bigger than anything worth reading into memory.
std::string sha256_of_file(const fs::path& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw std::runtime_error("cannot read " + path.string());
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || !EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr))
    throw std::runtime_error("SHA-256 failed");
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0)
    if (!EVP_DigestUpdate(ctx.get(), buf.data(), n)) throw std::runtime_error("SHA-256 failed");
  if (std::ferror(f.get())) throw std::runtime_error("cannot read " + path.string());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!EVP_DigestFinal_ex(ctx.get(), md, &len)) throw std::runtime_error("SHA-256 failed");
  return text::hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

// Copies the live database page by page with SQLite's online backup API. In WAL mode the
// collector keeps writing meanwhile; the copy is the database as of the moment the copy began.
void backup_database(const fs::path& from, const fs::path& to) {
  sqlite::Connection source(from.string(), true);
  sqlite3* dest = nullptr;
  if (sqlite3_open_v2(to.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string why = dest ? sqlite3_errmsg(dest) : "out of memory";
    sqlite3_close(dest);
    throw std::runtime_error("cannot create " + to.string() + ": " + why);
  }
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source.raw(), "main");
  if (!backup) {
    std::string why = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    throw std::runtime_error("cannot start the backup: " + why);
  }
  int rc;
  while ((rc = sqlite3_backup_step(backup, 4096)) == SQLITE_OK || rc == SQLITE_BUSY ||
         rc == SQLITE_LOCKED) {
    if (rc != SQLITE_OK) sqlite3_sleep(20);
  }
  sqlite3_backup_finish(backup);
  std::string why = sqlite3_errmsg(dest);
  // The copy carries the source's WAL mode in its header; a copy in rollback mode is one
  // self-contained file (reading it later leaves no -wal/-shm beside it). A collector opening it
  // switches it back to WAL.
  if (rc == SQLITE_DONE &&
      sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    why = sqlite3_errmsg(dest);
    rc = SQLITE_ERROR;
  }
  sqlite3_close(dest);
  if (rc != SQLITE_DONE) throw std::runtime_error("database backup failed: " + why);
}

int64_t scalar(sqlite::Connection& db, const char* sql) {
  auto st = db.prepare(sql);
  return st.step() ? st.column_int(0) : 0;
}

void check_database(const fs::path& path, BackupSummary& summary) {
  sqlite::Connection db(path.string(), true);
  auto st = db.prepare("PRAGMA integrity_check");
  std::string verdict = st.step() ? st.column_text(0) : "no answer";
  if (verdict != "ok") throw std::runtime_error("the database copy is damaged: " + verdict);
  summary.schema_version = static_cast<int>(scalar(db, "PRAGMA user_version"));
  summary.hosts = scalar(db, "SELECT count(*) FROM hosts");
  summary.database_bytes = static_cast<int64_t>(fs::file_size(path));
}

}  // namespace

BackupSummary create_backup(const DataDir& dir, const fs::path& out) {
  if (!fs::exists(dir.database())) throw std::runtime_error("no database in " + dir.root.string());
  if (fs::exists(out) && !fs::is_empty(out))
    throw std::runtime_error(out.string() + " exists and is not empty; give a new directory");
  files::ensure_dir(out, 0700);
  BackupSummary summary;
  summary.path = out;
  nlohmann::json manifest = {{"warden_version", kVersion},
                             {"created_at", format_time_utc(now_ms())},
                             {"source", fs::absolute(dir.root).string()}};
  backup_database(dir.database(), out / kDatabase);
  fs::permissions(out / kDatabase, static_cast<fs::perms>(0600));
  check_database(out / kDatabase, summary);
  manifest["schema_version"] = summary.schema_version;
  manifest["files"][kDatabase] = sha256_of_file(out / kDatabase);
  summary.files.push_back(kDatabase);
  for (const auto& f : kKeptFiles) {
    copy_kept(dir.root, out, f);
    manifest["files"][f.name] = sha256_of_file(out / f.name);
    summary.files.push_back(f.name);
  }
  for (const auto& f : kOptionalFiles) {
    if (!fs::exists(dir.root / f.name)) continue;
    copy_kept(dir.root, out, f);
    manifest["files"][f.name] = sha256_of_file(out / f.name);
    summary.files.push_back(f.name);
  }
  files::write_atomic(out / kManifest, manifest.dump(2) + "\n", 0600);
  return summary;
}

BackupSummary verify_backup(const fs::path& backup) {
  auto text = files::read_if_exists(backup / kManifest, 1 << 20);
  if (!text && fs::exists(backup / kDatabase)) {
    // A data directory itself: the one purge keeps in /var/backups, or one a restore moved aside.
    // No checksums to compare; every file must be there and the database sound.
    BackupSummary summary;
    summary.path = backup;
    summary.data_directory = true;
    for (const char* name : {kDatabase, "ca.crt", "ca.key", "server.crt", "server.key"}) {
      if (!fs::exists(backup / name))
        throw std::runtime_error(backup.string() + " lacks " + name +
                                 " (neither a Warden backup nor a whole data directory)");
      summary.files.push_back(name);
    }
    for (const auto& f : kOptionalFiles)
      if (fs::exists(backup / f.name)) summary.files.push_back(f.name);
    check_database(backup / kDatabase, summary);
    if (summary.schema_version > storage::schema_version())
      throw std::runtime_error(
          "the database's schema version " + std::to_string(summary.schema_version) +
          " is newer than this collector's (" + std::to_string(storage::schema_version()) +
          "); restore with a newer collector");
    return summary;
  }
  if (!text)
    throw std::runtime_error(backup.string() +
                             " is not a Warden backup (no MANIFEST.json) nor a data directory (no "
                             "warden.db)");
  nlohmann::json manifest = nlohmann::json::parse(*text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object())
    throw std::runtime_error((backup / kManifest).string() + " is not a valid manifest");
  BackupSummary summary;
  summary.path = backup;
  for (const char* name : {kDatabase, "ca.crt", "ca.key", "server.crt", "server.key"}) {
    auto expected = manifest["files"].value(name, std::string());
    if (expected.empty())
      throw std::runtime_error("the manifest does not list " + std::string(name));
    if (!fs::exists(backup / name))
      throw std::runtime_error("the backup lacks " + std::string(name));
    if (sha256_of_file(backup / name) != expected)
      throw std::runtime_error(std::string(name) + " does not match its checksum in the manifest");
    summary.files.push_back(name);
  }
  for (const auto& f : kOptionalFiles) {  // those the manifest lists must be there and match
    auto expected = manifest["files"].value(f.name, std::string());
    if (expected.empty()) continue;
    if (!fs::exists(backup / f.name))
      throw std::runtime_error("the backup lacks " + std::string(f.name));
    if (sha256_of_file(backup / f.name) != expected)
      throw std::runtime_error(std::string(f.name) +
                               " does not match its checksum in the manifest");
    summary.files.push_back(f.name);
  }
  check_database(backup / kDatabase, summary);
  if (summary.schema_version > storage::schema_version())
    throw std::runtime_error(
        "the backup's schema version " + std::to_string(summary.schema_version) +
        " is newer than this collector's (" + std::to_string(storage::schema_version()) +
        "); restore with a newer collector");
  return summary;
}

fs::path restore_backup(const fs::path& backup, const DataDir& dir, const std::string& owner_name) {
  verify_backup(backup);
  fs::path aside;
  // The restored files belong to: --owner if given, else the owner of the data directory being
  // replaced, else (a new directory) the owner of the backup - the collector's user, who made it.
  struct stat owner {};
  bool keep_owner = stat(dir.root.c_str(), &owner) == 0 || stat(backup.c_str(), &owner) == 0;
  if (!owner_name.empty()) {
    auto* pw = getpwnam(owner_name.c_str());
    if (!pw) throw std::runtime_error("--owner: no user named '" + owner_name + "'");
    owner.st_uid = pw->pw_uid;
    owner.st_gid = pw->pw_gid;
    keep_owner = true;
  }
  if (fs::exists(dir.root)) {
    { DataDirLock lock(dir); }  // throws while a collector is running on it
    aside = dir.root;
    aside += ".before-restore-" + format_time_utc(now_ms());
    fs::rename(dir.root, aside);
  }
  fs::path staging = dir.root;
  staging += ".restoring";
  fs::remove_all(staging);
  files::ensure_dir(staging, 0700);
  backup_database(backup / kDatabase, staging / kDatabase);  // page by page, any size
  fs::permissions(staging / kDatabase, static_cast<fs::perms>(0600));
  for (const auto& f : kKeptFiles) copy_kept(backup, staging, f);
  for (const auto& f : kOptionalFiles)
    if (fs::exists(backup / f.name)) copy_kept(backup, staging, f);
  if (keep_owner && (owner.st_uid != geteuid() || owner.st_gid != getegid())) {
    for (const auto& entry : fs::recursive_directory_iterator(staging))
      if (chown(entry.path().c_str(), owner.st_uid, owner.st_gid) != 0)
        throw std::runtime_error("cannot chown " + entry.path().string());
    if (chown(staging.c_str(), owner.st_uid, owner.st_gid) != 0)
      throw std::runtime_error("cannot chown " + staging.string());
  }
  fs::rename(staging, dir.root);
  return aside;
}

}  // namespace warden::collector

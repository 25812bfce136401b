// Online backup and offline restore of the collector's data directory.
//
// A backup is a directory: a consistent copy of the compliance database taken with SQLite's
// online backup API (the collector keeps running and ingesting), the CA and server keys and
// certificates, and MANIFEST.json (Warden version, schema version, time, SHA-256 of every file).
// Restore verifies the manifest and the database before touching anything, refuses while a
// collector holds the data directory, and moves the current directory aside instead of deleting.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "collector/data_dir.hpp"

namespace warden::collector {

struct BackupSummary {
  std::filesystem::path path;
  int schema_version = 0;
  int64_t hosts = 0;
  int64_t database_bytes = 0;
  std::vector<std::string> files;
  bool data_directory = false;  // a whole data directory (no manifest), not a backup
};

// Writes a backup of `dir` into `out`, which must not exist or be empty (created 0700).
BackupSummary create_backup(const DataDir& dir, const std::filesystem::path& out);

// Checks a backup: manifest present, every file's SHA-256, database integrity. Throws with the
// reason if anything is wrong. A whole data directory (what purge keeps in /var/backups, or a
// restore moved aside) is accepted too: all files present and the database sound.
BackupSummary verify_backup(const std::filesystem::path& backup);

// Restores `backup` into `dir` (collector stopped). An existing `dir` is renamed to
// `<dir>.before-restore-<UTC time>`; returns that path (empty if there was none). The restored
// files belong to `owner` (a user name, with its group) if given, else to the owner of the
// directory they replace, else to the owner of the backup.
std::filesystem::path restore_backup(const std::filesystem::path& backup, const DataDir& dir,
                                     const std::string& owner = {});

}  // namespace warden::collector

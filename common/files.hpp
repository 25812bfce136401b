// File helpers with explicit permissions: secrets are written 0600 atomically, never widened.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace warden::files {

// Whole file, or throws std::runtime_error naming the path and errno.
std::string read(const std::filesystem::path& path);
// Whole file if it exists and is readable; nullopt otherwise. Bounded by max_bytes.
std::optional<std::string> read_if_exists(const std::filesystem::path& path,
                                          size_t max_bytes = 16u << 20);
// Writes to a temporary file in the same directory with `mode`, fsyncs, renames over `path`.
void write_atomic(const std::filesystem::path& path, const std::string& data, unsigned mode);
// Creates the directory (and parents) if missing and sets its mode.
void ensure_dir(const std::filesystem::path& path, unsigned mode);
// Permission bits of an existing file.
unsigned mode_of(const std::filesystem::path& path);

}  // namespace warden::files

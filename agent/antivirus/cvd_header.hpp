// The 512-byte text header of ClamAV databases (daily/main/bytecode .cvd and .cld):
// ClamAV-VDB:<build time>:<version>:<signatures>:<flevel>:<md5>:<dsig>:<builder>[:<epoch>]
// Also used by products built on ClamAV's engine (Kylin's ksc-defender).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden::agent {

struct CvdHeader {
  int64_t build_time = 0;  // Unix seconds
  uint64_t version = 0;
  uint64_t signatures = 0;
  uint32_t flevel = 0;
  std::string builder;
};

// Pure; nullopt for anything that is not a well-formed header. Only the first 512 bytes are read.
std::optional<CvdHeader> parse_cvd_header(std::string_view bytes);

}  // namespace warden::agent

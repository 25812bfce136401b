// The 512-byte header of ClamAV signature databases read from disk by the antivirus probe
// (agent/antivirus/cvd_header.cpp). Invariants: only the first 512 bytes matter; a parsed header
// written back in ClamAV's format (with the epoch field) parses to the same values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/antivirus/cvd_header.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using warden::agent::CvdHeader;
using warden::agent::parse_cvd_header;

namespace {

bool same(const CvdHeader& a, const CvdHeader& b) {
  return a.build_time == b.build_time && a.version == b.version && a.signatures == b.signatures &&
         a.flevel == b.flevel && a.builder == b.builder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto h = parse_cvd_header(bytes);

  std::string longer(bytes.substr(0, 512));
  longer.resize(512, ' ');
  longer += "trailing database bytes";
  auto padded = parse_cvd_header(longer);
  if (bytes.size() <= 512) {
    // Space padding up to 512 bytes and anything after it change nothing.
    FUZZ_CHECK(h.has_value() == padded.has_value());
    if (h) FUZZ_CHECK(same(*h, *padded));
  }
  if (!h) return 0;

  FUZZ_CHECK(h->builder.size() <= 64);
  FUZZ_CHECK(h->builder.find(':') == std::string::npos);
  if (h->build_time <= 0) return 0;  // only a positive epoch field is authoritative
  std::string header = "ClamAV-VDB:01 Jan 1970 00-00 +0000:" + std::to_string(h->version) + ":" +
                       std::to_string(h->signatures) + ":" + std::to_string(h->flevel) +
                       ":0123456789abcdef0123456789abcdef:dsig:" + h->builder + ":" +
                       std::to_string(h->build_time);
  header.resize(512, ' ');
  auto again = parse_cvd_header(header);
  FUZZ_CHECK(again && same(*again, *h));
  return 0;
}

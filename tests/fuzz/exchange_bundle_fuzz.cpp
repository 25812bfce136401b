// Bytes in an exchange bundle file (docs/exchange.md), as `wardenctl exchange import` hands them to
// the collector: first as the sealed file (OpenSSL CMS: every malformed envelope must end in a
// Failure a person can read, never another exception or a crash), then as the decoded content
// (warden.v1.ExchangeBundle), its validation (collector/exchange/bundle_validator.cpp) and, for
// what passes, the store that records a peer's drives (a real SQLite file). Invariants: validation
// is deterministic and survives a round trip; a valid bundle's drives are recorded without an
// exception, and recording them again changes nothing.
#include <google/protobuf/stubs/logging.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "collector/exchange/bundle_seal.hpp"
#include "collector/exchange/bundle_validator.hpp"
#include "collector/exchange/exchange_store.hpp"
#include "common/error.hpp"
#include "common/pki.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace v1 = warden::v1;
using namespace warden;
using namespace warden::collector;

namespace {
void quiet(google::protobuf::LogLevel, const char*, int, const std::string&) {}
std::unique_ptr<ExchangeStore> store;
ExchangeKey own, peer;
int64_t peer_id = 0;
std::filesystem::path database;
void remove_database() {
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    std::filesystem::remove(database.string() + suffix, ec);
  }
}
ExchangeKey identity() {
  auto made = pki::create_exchange_identity("fuzz", std::chrono::days(1));
  return {made.certificate_pem, made.private_key_pem};
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(quiet);
  database = std::filesystem::temp_directory_path() /
             ("warden-exchange-bundle-fuzz-" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(database);
  std::atexit(remove_database);
  store = std::make_unique<ExchangeStore>(storage::Location(database.string()));
  own = identity();
  peer = identity();
  peer_id = store
                ->add_peer("办公网", pki::fingerprint(peer.certificate_pem), peer.certificate_pem,
                           "peer", "")
                .id;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    open_bundle(bytes, own, {peer.certificate_pem});
  } catch (const Failure&) {
    // refused with a reason: what must happen to nearly every input
  }

  v1::ExchangeBundle bundle;
  if (!bundle.ParseFromString(bytes)) return 0;
  const std::string verdict = validate_bundle(bundle);
  FUZZ_CHECK(validate_bundle(bundle) == verdict);
  v1::ExchangeBundle again;
  FUZZ_CHECK(again.ParseFromString(bundle.SerializeAsString()));
  FUZZ_CHECK(validate_bundle(again) == verdict);
  if (!verdict.empty()) return 0;

  std::vector<DriveRecord> drives;
  for (const auto& d : bundle.usb()) {
    DriveRecord r{d.vendor_id(),     d.product_id(),  d.serial(), d.registered_class(), {},
                  d.first_seen_ms(), d.last_seen_ms()};
    r.classes_seen.insert(d.classes_seen().begin(), d.classes_seen().end());
    drives.push_back(std::move(r));
  }
  // Throws on a refused row: a gap in the validator.
  auto first = store->record_import(peer_id, bundle.seq(), "digest", drives);
  auto second = store->record_import(peer_id, bundle.seq(), "digest", drives);
  FUZZ_CHECK(first.size() == second.size());
  return 0;
}

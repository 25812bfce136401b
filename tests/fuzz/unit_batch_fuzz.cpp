// Bytes a unit's collector forwards (CascadeService.Forward), as the level above sees them:
// protobuf decoding of warden.v1.UnitBatch, the validation layer
// (collector/cascade/unit_batch_validator.cpp), then, for what passes, the store that applies it
// (a real SQLite file). Invariants: validation is deterministic and survives a round trip; a batch
// that passes is applied without an exception, and applying it again changes nothing it reports.
#include <google/protobuf/stubs/logging.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "collector/cascade/cascade_store.hpp"
#include "collector/cascade/unit_batch_validator.hpp"
#include "collector/database/store.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace v1 = warden::v1;
using namespace warden::collector;

namespace {
void quiet(google::protobuf::LogLevel, const char*, int, const std::string&) {}
std::unique_ptr<CascadeStore> cascade;
UnitIdentity unit;
std::filesystem::path database;
void remove_database() {
  cascade.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    std::filesystem::remove(database.string() + suffix, ec);
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(quiet);
  database = std::filesystem::temp_directory_path() /
             ("warden-unit-batch-fuzz-" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(database);
  std::atexit(remove_database);
  warden::storage::Location location(database.string());
  Store store(location);
  cascade = std::make_unique<CascadeStore>(location);
  auto token = store.create_token({"Units", 3600, 1, "fuzz", domain::TokenKind::unit}).text;
  auto enrolled = cascade->enroll_unit(token, "county", [](const std::string&, const std::string&) {
    return IssuedCertificate{"certificate", "serial", 0};
  });
  unit = *cascade->find_unit(enrolled.unit_id);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::UnitBatch batch;
  if (!batch.ParseFromArray(data, static_cast<int>(size))) return 0;
  const std::string verdict = validate_unit_batch(batch);
  FUZZ_CHECK(validate_unit_batch(batch) == verdict);
  v1::UnitBatch again;
  FUZZ_CHECK(again.ParseFromString(batch.SerializeAsString()));
  FUZZ_CHECK(validate_unit_batch(again) == verdict);
  if (!verdict.empty()) return 0;

  auto first = cascade->apply(unit, batch);  // throws on a refused row: a validator gap
  FUZZ_CHECK(first.applied_seq() == batch.seq());
  auto units = cascade->list_units();
  auto second = cascade->apply(unit, batch);
  FUZZ_CHECK(second.applied_seq() == batch.seq());
  FUZZ_CHECK(second.duplicate_incidents() == static_cast<uint32_t>(batch.incidents_size()) ||
             batch.full());
  auto after = cascade->list_units();
  FUZZ_CHECK(after.size() == units.size());
  for (size_t i = 0; i < after.size(); ++i)
    FUZZ_CHECK(after[i].hosts == units[i].hosts && after[i].failing == units[i].failing);
  return 0;
}

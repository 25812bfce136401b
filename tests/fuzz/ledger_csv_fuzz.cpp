// The IP/MAC ledger CSV an administrator imports (collector/ledger/ledger_csv.cpp).
// Invariants: parsing is all-or-nothing; problems name a line inside the file; a ledger that
// parses exports (format_ledger_csv) and re-imports to the same rows; the normalisers are
// idempotent; RFC 4180 field quoting round-trips through split_csv_record.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "collector/ledger/ledger_csv.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace warden::collector;

namespace {

template <typename F>
void check_idempotent(F normalize, const std::string& text) {
  if (auto once = normalize(text)) {
    auto twice = normalize(*once);
    FUZZ_CHECK(twice && *twice == *once);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);

  LedgerParseResult r = parse_ledger_csv(bytes);
  FUZZ_CHECK(r.problems.empty() || r.entries.empty());
  const size_t lines = static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
  for (const auto& p : r.problems) {
    FUZZ_CHECK(p.line <= lines);
    FUZZ_CHECK(!p.message.empty());
  }
  if (r.problems.empty()) {
    FUZZ_CHECK(!r.encoding.empty());
    for (const auto& e : r.entries) {
      FUZZ_CHECK(valid_hostname(e.hostname));
      FUZZ_CHECK(normalize_ip(e.ip) == e.ip);
      FUZZ_CHECK(normalize_mac(e.mac) == e.mac);
      FUZZ_CHECK(e.classification == "general" || e.classification == "classified");
    }
    const std::string exported = format_ledger_csv(r.entries);
    LedgerParseResult again = parse_ledger_csv(exported);
    FUZZ_CHECK(again.problems.empty());
    FUZZ_CHECK(again.encoding == "UTF-8 with BOM");
    FUZZ_CHECK(again.entries == r.entries);
  }

  check_idempotent(normalize_mac, bytes);
  check_idempotent(normalize_ip, bytes);
  check_idempotent(normalize_classification, bytes);

  // Any fields survive csv_field quoting, formula neutralisation and splitting (the first line of
  // the input as a record is as good a source of awkward fields as any), and no written cell
  // starts with a character a spreadsheet would take for a formula.
  std::string record = bytes.substr(0, bytes.find('\n'));
  std::vector<std::string> fields = split_csv_record(record);
  std::string joined;
  for (size_t i = 0; i < fields.size(); ++i) joined += (i ? "," : "") + csv_field(fields[i]);
  auto back = split_csv_record(joined);
  FUZZ_CHECK(back.size() == fields.size());
  for (size_t i = 0; i < back.size() && i < fields.size(); ++i) {
    FUZZ_CHECK(back[i].empty() ||
               std::string_view("=+-@\t\r").find(back[i][0]) == std::string_view::npos);
    FUZZ_CHECK(unneutralize_csv_cell(back[i]) == fields[i]);
  }
  return 0;
}

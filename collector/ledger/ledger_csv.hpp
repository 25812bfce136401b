// The IP/MAC ledger as IT keeps it in spreadsheets: CSV with the header
// hostname,ip,mac,department,owner,classification (or 计算机名,IP地址,MAC地址,部门,责任人,密级),
// UTF-8 with or without BOM, or GB18030. Parsing is all-or-nothing: any bad row fails the whole
// file, and every problem is reported with its line number.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace warden::collector {

struct LedgerEntry {
  std::string hostname;
  std::string ip;   // canonical text form
  std::string mac;  // aa:bb:cc:dd:ee:ff
  std::string department;
  std::string owner;
  std::string classification = "general";  // general | classified
  bool operator==(const LedgerEntry&) const = default;
};

struct LedgerProblem {
  size_t line = 0;  // 1-based line in the file; 0 for whole-file problems
  std::string message;
};

struct LedgerParseResult {
  std::vector<LedgerEntry> entries;
  std::vector<LedgerProblem> problems;  // empty when the file is good
  std::string encoding;                 // "UTF-8", "UTF-8 with BOM" or "GB18030"
};

LedgerParseResult parse_ledger_csv(const std::string& bytes);
// UTF-8 with BOM (so spreadsheet programs open it correctly), English header.
std::string format_ledger_csv(const std::vector<LedgerEntry>& entries);

// Normalisers shared with `wardenctl ledger set` and the central checks; nullopt if invalid.
std::optional<std::string> normalize_mac(const std::string& text);
std::optional<std::string> normalize_ip(const std::string& text);
std::optional<std::string> normalize_classification(const std::string& text);
bool valid_hostname(const std::string& text);

// RFC 4180 field splitting of one logical record (quotes, doubled quotes).
std::vector<std::string> split_csv_record(const std::string& record);
// A CSV field, quoted when needed; a value starting with = + - @ tab or CR is written with a
// leading apostrophe so that a spreadsheet shows it as text instead of running it as a formula.
// Every CSV the collector writes (report, ledger export) goes through here.
std::string csv_field(const std::string& value);
// The inverse of that neutralisation, for cells read back (ledger import).
std::string unneutralize_csv_cell(const std::string& cell);

}  // namespace warden::collector

// One wardenctl subcommand: its options, what it asks the collector, and what it shows.
//
// A command is an object with a path ({"token", "create"}), a line of help, its options and a
// run() that calls the collector and returns an Output: the JSON value `--json` prints (stable
// English keys) and the text people see, both made from the same typed response. A failure is
// thrown as a Failure (common/error.hpp; call() turns a gRPC status into one) and becomes the exit
// code of its kind in main.cpp.
//
// Every command is listed in one table (commands.cpp) and lives in the file of its group
// (commands/*.cpp). A new command is a class in its group's file, a make_ function declared in
// commands/commands.hpp, and one row in the table.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "collector/wardenctl/admin_client.hpp"
#include "collector/wardenctl/output.hpp"
#include "collector/wardenctl/views.hpp"
#include "common/i18n/i18n.hpp"

namespace warden::ctl {

using i18n::N_;
using i18n::tr;
using i18n::trf;
using i18n::trnf;

// wardenctl's exit codes beyond exit_code(ErrorKind) (0 ok, 1 internal, 2 invalid, 3 not found,
// 4 conflict, 5 denied, 6 unavailable; usage errors are CLI11's own).
inline constexpr int kExitSweepTimedOut = 7;  // `sweep run --wait`: not every agent answered

struct Output {
  Output() = default;
  Output(nlohmann::json d, std::string t) : data(std::move(d)), text(std::move(t)) {}

  nlohmann::json data;      // what --json prints; null: no JSON form, the text is written as is
  std::string text;         // what people see
  std::string to_file;      // write the text here ("" or "-": standard output)
  std::string diagnostics;  // written to standard error first (warnings, problems)
  int exit_status = 0;      // an answer that is not a success (kExitSweepTimedOut, ...)

  // A document (CSV, JSON, HTML) written as is to `path`, or to standard output.
  static Output document(std::string text, std::string path) {
    Output out;
    out.text = std::move(text);
    out.to_file = std::move(path);
    return out;
  }
};

class Command {
 public:
  Command(std::vector<std::string> path, std::string help, bool has_json = true)
      : path_(std::move(path)), help_(std::move(help)), has_json_(has_json) {}
  virtual ~Command() = default;
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  const std::vector<std::string>& path() const { return path_; }
  const std::string& help() const { return help_; }
  // Whether the command takes --json (commands that write a file or CSV/JSON documents do not).
  bool has_json() const { return has_json_; }

  virtual void add_options(CLI::App&) {}
  virtual Output run(Context& ctx) = 0;

 private:
  std::vector<std::string> path_;
  std::string help_;
  bool has_json_;
};

// A list answer: one JSON object and one table row per item, or `if_empty` when there is none.
template <typename Items, typename ToJson, typename ToRow>
Output list_output(const Items& items, Table table, ToJson to_json, ToRow to_row,
                   std::string if_empty) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& item : items) {
    j.push_back(to_json(item));
    table.add(to_row(item));
  }
  return {std::move(j), table.empty() ? std::move(if_empty) : table.render()};
}

// A command's input file, or standard input for "-".
std::string read_input(const std::string& path);
// "2026-11-01" (local midnight in the machine's zone: TZ, else /etc/localtime) or
// "2026-11-01T08:30:00Z" (UTC) -> Unix ms.
int64_t date_arg(const std::string& text, const char* flag);
std::chrono::seconds duration_arg(const std::string& text, const char* flag);

}  // namespace warden::ctl

// Ingest throughput: findings committed per second through the collector's Ingestor (batched
// transactions, dedupe, transition detection, central checks, query summaries; the submitting
// thread validates each report first, as a session does), against the raw limit on the
// same machine in the same run: the same rows inserted with plain SQLite prepared statements in
// large transactions. The ratio is the result; absolute numbers vary with the machine.
//
// On PostgreSQL (--postgresql: a throwaway server started here, as the tests do), --collectors N
// runs N Ingestors on one database, as N collectors would, each fed its own share of the hosts
// by a thread of its own (validation included); the raw limit is the same rows inserted straight
// into PostgreSQL with prepared statements.
//
// ingest_bench [--hosts N] [--reports R] [--findings F] [--postgresql [--collectors N]] [--check]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "collector/database/store.hpp"
#include "collector/ingestor.hpp"
#include "collector/message_validator.hpp"
#include "collector/storage/database.hpp"
#include "tests/bench/bench_workload.hpp"
#include "tests/support/postgres_server.hpp"

using namespace warden;
using namespace warden::collector;
using Stopwatch = std::chrono::steady_clock;

namespace {

int64_t count(const storage::Location& db, const char* sql) {
  return storage::connect(db)->scalar_int(sql);
}

}  // namespace

int main(int argc, char** argv) {
  int hosts = 1000, reports = 10, findings = 15;
  bool check = false, postgresql = false;
  int collectors = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--hosts" && i + 1 < argc)
      hosts = std::atoi(argv[++i]);
    else if (a == "--reports" && i + 1 < argc)
      reports = std::atoi(argv[++i]);
    else if (a == "--findings" && i + 1 < argc)
      findings = std::atoi(argv[++i]);
    else if (a == "--check")
      check = true;
    else if (a == "--postgresql")
      postgresql = true;
    else if (a == "--collectors" && i + 1 < argc)
      collectors = std::max(1, std::atoi(argv[++i]));
  }
  auto dir = std::filesystem::temp_directory_path() / ("warden-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::unique_ptr<test::PostgresServer> server;
  if (postgresql) server = std::make_unique<test::PostgresServer>();
  if (!postgresql && collectors > 1) {
    std::fprintf(stderr, "--collectors: several collectors share a PostgreSQL database only\n");
    return 2;
  }
  const storage::Location db =
      postgresql ? storage::Location(server->create_database()) : (dir / "warden.db").string();
  std::vector<int64_t> ids;
  {
    Store store(db);
    for (int h = 0; h < hosts; ++h) {
      auto token = store.create_token({"Bench", 3600, 1, "bench"}).text;
      collector::domain::HostDescription info;
      info.hostname = "pc-" + std::to_string(h);
      auto e = store.enroll(token, info, [&](const std::string&, const std::string&) {
        return IssuedCertificate{"pem", "serial-" + std::to_string(h), 0};
      });
      ids.push_back(store.find_host(e.agent_id)->host_id);
    }
  }
  // Pre-build the messages so only ingest is timed.
  std::vector<std::string> facts;
  for (int h = 0; h < hosts; ++h) facts.push_back(bench::host_facts(h));
  std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>> msgs(static_cast<size_t>(reports));
  for (int r = 0; r < reports; ++r)
    for (int h = 0; h < hosts; ++h)
      msgs[static_cast<size_t>(r)].push_back(bench::make_report(
          static_cast<uint64_t>(r + 1), findings, facts[static_cast<size_t>(h)]));

  double ingest_s = 0;
  {
    std::vector<std::unique_ptr<Ingestor>> ingestors;
    for (int c = 0; c < collectors; ++c) ingestors.push_back(std::make_unique<Ingestor>(db));
    std::atomic<int64_t> done{0};
    std::atomic<bool> invalid{false};
    int64_t total = static_cast<int64_t>(hosts) * reports;
    auto t0 = Stopwatch::now();
    // Collector c serves hosts c, c + N, c + 2N...: what each session does on its own thread
    // before it submits (validate, take out the central checks' inputs), then the ingest path.
    auto serve = [&](int c) {
      for (int r = 0; r < reports; ++r)
        for (int h = c; h < hosts; h += collectors) {
          IngestItem item;
          item.host_id = ids[static_cast<size_t>(h)];
          item.message = msgs[static_cast<size_t>(r)][static_cast<size_t>(h)];
          item.received_ms = 1;
          nlohmann::json facts;
          if (auto err = validate_agent_message(*item.message, &facts); !err.empty()) {
            std::fprintf(stderr, "invalid bench report: %s\n", err.c_str());
            invalid = true;
            done.fetch_add(1);
            continue;
          }
          item.central = central_inputs_from_report(facts);
          item.on_commit = [&](uint64_t) { done.fetch_add(1, std::memory_order_relaxed); };
          ingestors[static_cast<size_t>(c)]->submit(std::move(item));
        }
    };
    std::vector<std::thread> sessions;
    for (int c = 0; c < collectors; ++c) sessions.emplace_back(serve, c);
    for (auto& t : sessions) t.join();
    while (done.load() < total) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ingest_s = std::chrono::duration<double>(Stopwatch::now() - t0).count();
    if (invalid) return 1;
  }
  int64_t n_findings = static_cast<int64_t>(hosts) * reports * findings;

  // Raw limit: the same rows with plain prepared statements, one transaction per round.
  double raw_s = postgresql ? bench::raw_database_seconds(server->create_database(), msgs)
                            : bench::raw_sqlite_seconds(dir / "raw.db", msgs);

  double ingest_rate = static_cast<double>(n_findings) / ingest_s,
         raw_rate = static_cast<double>(n_findings) / raw_s;
  const char* backend = postgresql ? "postgresql" : "sqlite";
  std::printf("%s collectors=%d hosts=%d reports/host=%d findings/report=%d findings=%lld\n",
              backend, collectors, hosts, reports, findings, static_cast<long long>(n_findings));
  std::printf(
      "ingestor: %.3f s, %.0f findings/s\nraw %s: %.3f s, %.0f findings/s\nratio ingestor/raw: "
      "%.2f\n",
      ingest_s, ingest_rate, backend, raw_s, raw_rate, ingest_rate / raw_rate);
  int rc = 0;
  if (check) {
    int64_t reports_rows = count(db, "SELECT count(*) FROM reports");
    // The agent's own results, plus the central verdicts the facts allow (IP binding, duplicate
    // addresses, USB cross-use), and the status counts summing to them.
    int64_t results = count(db, "SELECT count(*) FROM latest_results");
    int64_t central = count(db,
                            "SELECT count(*) FROM latest_results WHERE check_id IN "
                            "('net.ip_binding', 'net.duplicate_address', 'usb.cross_use')");
    int64_t counted = count(db, "SELECT sum(hosts) FROM result_counts");
    bool ok = reports_rows == static_cast<int64_t>(hosts) * reports &&
              results - central == static_cast<int64_t>(hosts) * findings &&
              central >= 2 * static_cast<int64_t>(hosts) && counted == results;
    std::printf("check: reports %lld, latest results %lld (%lld central), counted %lld: %s\n",
                static_cast<long long>(reports_rows), static_cast<long long>(results),
                static_cast<long long>(central), static_cast<long long>(counted),
                ok ? "ok" : "WRONG");
    rc = ok ? 0 : 1;
  }
  std::filesystem::remove_all(dir);
  return rc;
}

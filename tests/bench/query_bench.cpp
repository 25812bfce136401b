// Query speed on a big fleet: `status`, `hosts --failing CHECK` and the monthly report on a
// compliance database of N hosts (default 50,000) with 180 days of history (status transitions,
// reports, events), through the collector's own Store code. Baseline in the same run: one plain
// full scan of latest_results (SELECT status, count(*) ... GROUP BY status), the cheapest query
// that touches every current result; each query is reported as a multiple of it.
//
// Also: how long an agent's hello waits while a report runs (they used to share one lock).
//
// query_bench [--hosts N] [--days D] [--check] [--keep] [--postgresql | --database URI]
// (--keep: leave the database to explore; --postgresql: on a throwaway PostgreSQL server started
// here with the test settings, fsync off)
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "collector/database/store.hpp"
#include "collector/report/report_service.hpp"
#include "collector/storage/database.hpp"
#include "collector/storage/schema.hpp"
#include "collector/wardenctl/report_render.hpp"
#include "common/duration.hpp"
#include "tests/bench/bench_workload.hpp"
#include "tests/support/postgres_server.hpp"

using namespace warden;
using namespace warden::collector;
using Stopwatch = std::chrono::steady_clock;

namespace {

template <typename F>
double best_of(int runs, F&& f) {
  double best = 1e9;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Stopwatch::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(Stopwatch::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int hosts = 50000, days = 180;
  bool check = false, keep = false;
  std::string database;  // a PostgreSQL URI (an empty database); default: an SQLite file
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--hosts" && i + 1 < argc)
      hosts = std::atoi(argv[++i]);
    else if (a == "--days" && i + 1 < argc)
      days = std::atoi(argv[++i]);
    else if (a == "--check")
      check = true;
    else if (a == "--keep")
      keep = true;
    else if (a == "--database" && i + 1 < argc)
      database = argv[++i];
    else if (a == "--postgresql")
      database = "start";
  }
  auto dir = std::filesystem::temp_directory_path() / ("warden-qbench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "warden.db").string();
  // --postgresql: a throwaway server started here (as the tests do), on a fresh database.
  std::unique_ptr<test::PostgresServer> server;
  if (database == "start") {
    server = std::make_unique<test::PostgresServer>();
    database = server->create_database();
  }
  const storage::Location location = database.empty() ? storage::Location(path) : database;
  const int kChecks = 15;
  const char* departments[] = {"Finance", "Finance/Office 1", "HR", "IT", "Legal", "Archive"};
  auto t_build = Stopwatch::now();
  int64_t now = now_ms(), day = 86400000;
  {
    Store store(location);  // the real schema and indexes
    auto connection = storage::connect(location);
    auto& db = *connection;
    storage::Transaction tx(db);
    auto host = db.prepare(
        "INSERT INTO hosts (agent_id, hostname, department, os_name, cert_serial, cert_not_after, "
        "token_id, enrolled_at, last_seen, classification) VALUES (?,?,?,?,?,0,'t',?,?,?)");
    // Loaded a host at a time with one multi-row INSERT per table (a round trip per row would
    // take PostgreSQL a quarter of an hour for 10 million rows); only the queries are timed.
    auto quoted = [](const std::string& v) {
      std::string out = "'";
      for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
      return out + "'";
    };
    std::mt19937 rng(42);
    for (int h = 1; h <= hosts; ++h) {
      host.bind(1, "a-" + std::to_string(h))
          .bind(2, "pc-" + std::to_string(h))
          .bind(3, departments[h % 6])
          .bind(4, "Debian GNU/Linux 12")
          .bind(5, std::to_string(h))
          .bind(6, now - static_cast<int64_t>(days) * day)
          .bind(7, now - (h % 10 == 0 ? 9 * day : 0))
          .bind(8, h % 7 == 0 ? "classified" : "general");
      host.run();
      const std::string id = std::to_string(h);
      auto report = bench::make_report(static_cast<uint64_t>(h), kChecks);
      std::string latest =
          "INSERT INTO latest_results (host_id, check_id, status, severity, summary, "
          "evidence_json, since, updated_at) VALUES ";
      for (const auto& f : report->report().findings()) {
        bool fail = f.status() == v1::STATUS_FAIL;
        latest += (latest.back() == ' ' ? "(" : ",(") + id + "," + quoted(f.check()) + "," +
                  quoted(fail ? "fail" : "pass") + "," + quoted(fail ? "high" : "info") + "," +
                  quoted(f.summary()) + ",'{}'," + std::to_string(now - 3 * day) + "," +
                  std::to_string(now) + ")";
      }
      db.exec(latest);
      // 180 days: a report a day, and about four status transitions per host each month.
      std::string reports =
          "INSERT INTO reports (host_id, seq, started_at, finished_at, received_at, "
          "findings_count, failing_count) VALUES ";
      std::string history =
          "INSERT INTO status_history (host_id, check_id, from_status, to_status, at, summary) "
          "VALUES ";
      bool any_history = false;
      std::vector<bool> failing_now(kChecks, false);
      for (int d = 0; d < days; ++d) {
        int64_t at = now - static_cast<int64_t>(days - d) * day;
        std::string t = std::to_string(at);
        reports += (d ? ",(" : "(") + id + "," + std::to_string(d + 1) + "," + t + "," + t + "," +
                   t + ",15," + (d % 5 == 0 ? "1" : "0") + ")";
        if (rng() % 8 == 0) {  // a check flips: failures begin and get fixed
          int c = static_cast<int>(rng() % kChecks);
          bool was_failing = failing_now[static_cast<size_t>(c)];
          failing_now[static_cast<size_t>(c)] = !was_failing;
          history += (any_history ? ",(" : "(") + id + "," +
                     quoted(report->report().findings(c).check()) + "," +
                     quoted(was_failing ? "fail" : "pass") + "," +
                     quoted(was_failing ? "pass" : "fail") + "," + t + ",'')";
          any_history = true;
        }
      }
      db.exec(reports);
      if (any_history) db.exec(history);
    }
    storage::rebuild_query_summaries(db);  // what the Ingestor keeps as it writes
    tx.commit();
    db.exec("ANALYZE");
  }
  double build_s = std::chrono::duration<double>(Stopwatch::now() - t_build).count();

  Store store(location);
  std::set<std::string> online;
  auto raw_connection = storage::connect(location);
  auto& raw = *raw_connection;
  double baseline = best_of(5, [&] {
    auto st = raw.prepare("SELECT status, count(*) FROM latest_results GROUP BY status");
    while (st.step()) {
    }
  });
  size_t failing = 0;
  double status_ms = best_of(5, [&] { store.status(online); });
  double hosts_ms = best_of(5, [&] {
    collector::domain::HostFilter req;
    req.failing_check = "av.signatures_fresh";
    failing = store.list_hosts(req, online).size();
  });
  double dept_ms = best_of(5, [&] {
    collector::domain::HostFilter req;
    req.department = "Finance";
    store.list_hosts(req, online);
  });
  ReportService reports(store);
  v1::SelfCheckReport report;
  double report_ms = best_of(
      3, [&] { report = reports.build(ReportRequest::instants(now - 30 * day, now), online); });
  // What wardenctl then does with it for --format json (the old Store::report built JSON itself).
  double render_ms = best_of(3, [&] { ctl::render_report_json(report); });

  // Agents reconnecting while an admin's report runs: a hello (find_host + record_hello) timed
  // alone, then over and over while another thread builds the same report three times.
  std::string agent_id;
  {
    auto st = raw.prepare("SELECT agent_id FROM hosts LIMIT 1");
    if (st.step()) agent_id = st.column_text(0);
  }
  collector::domain::HostDescription info;
  info.hostname = "bench-pc";
  auto hello = [&] {
    auto t0 = Stopwatch::now();
    if (auto h = store.find_host(agent_id)) store.record_hello(h->host_id, info, "127.0.0.1");
    return std::chrono::duration<double, std::milli>(Stopwatch::now() - t0).count();
  };
  double hello_alone = best_of(20, hello);
  std::vector<double> waits;
  std::atomic<bool> reporting{true};
  std::thread reporter([&] {
    for (int i = 0; i < 3; ++i) reports.build(ReportRequest::instants(now - 30 * day, now), online);
    reporting = false;
  });
  while (reporting) waits.push_back(hello());
  reporter.join();
  std::sort(waits.begin(), waits.end());
  double hello_p50 = waits.empty() ? 0 : waits[waits.size() / 2];
  double hello_max = waits.empty() ? 0 : waits.back();

  double bytes =
      location.is_postgresql()
          ? static_cast<double>(raw.scalar_int("SELECT pg_database_size(current_database())"))
          : static_cast<double>(std::filesystem::file_size(path));
  std::printf("%s hosts=%d days=%d: database %.0f MB, built in %.1f s\n",
              location.is_postgresql() ? "postgresql" : "sqlite", hosts, days, bytes / 1e6,
              build_s);
  std::printf("baseline full scan of latest_results: %.1f ms\n", baseline);
  std::printf("status:                     %8.1f ms  (%.2f x baseline)\n", status_ms,
              status_ms / baseline);
  std::printf("hosts --failing (%zu hosts): %8.1f ms  (%.2f x baseline)\n", failing, hosts_ms,
              hosts_ms / baseline);
  std::printf("hosts --department Finance: %8.1f ms  (%.2f x baseline)\n", dept_ms,
              dept_ms / baseline);
  std::printf("report (30 days, all):      %8.1f ms  (%.2f x baseline)\n", report_ms,
              report_ms / baseline);
  std::printf("  rendered as JSON:         %8.1f ms\n", render_ms);
  std::printf("hello alone:                %8.2f ms\n", hello_alone);
  std::printf("hello during 3 reports:     %8.2f ms p50, %.1f ms max (%zu hellos)\n", hello_p50,
              hello_max, waits.size());
  int rc = 0;
  if (check) {
    auto s = store.status(online);
    bool ok = static_cast<int>(s.hosts_total) == hosts && failing > 0 &&
              report.trend_size() >= std::min(days, 30) - 1 && report.requirements_size() > 0;
    std::printf("check: %u hosts in status, %zu failing: %s\n", s.hosts_total, failing,
                ok ? "ok" : "WRONG");
    rc = ok ? 0 : 1;
  }
  if (keep)
    std::printf("database kept: %s\n", path.c_str());
  else
    std::filesystem::remove_all(dir);
  return rc;
}

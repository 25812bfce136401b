// Backup while the collector runs and ingests; restore into a stopped collector's data dir;
// agents keep working against the restored collector (same CA, same identities).
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "common/files.hpp"
#include "common/sqlite.hpp"
#include "tests/integration/fleet.hpp"

using namespace warden;
using namespace warden::test;
namespace fs = std::filesystem;

namespace {

v1::AgentMessage report(uint64_t seq) {
  v1::AgentMessage m;
  m.set_seq(seq);
  auto* f = m.mutable_report()->add_findings();
  f->set_check("av.running");
  f->set_status(seq % 2 ? v1::STATUS_FAIL : v1::STATUS_PASS);
  f->set_severity(v1::SEVERITY_HIGH);
  f->set_summary("clamd state " + std::to_string(seq));
  return m;
}

CommandResult collector_cmd(std::vector<std::string> args) {
  args.insert(args.begin(), binary("warden-collector").string());
  return run(args);
}

}  // namespace

// [sqlite]: `backup` and `restore` copy the embedded database; on PostgreSQL `backup` refuses and
// names pg_dump (tests/integration/postgresql_collectors_test.cpp).
TEST_CASE("a backup taken while agents report restores into a working collector",
          "[sqlite][backup]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  AgentProcess agent(dir / "a", collector);
  REQUIRE(agent.enroll(collector.create_token("Finance")).exit_code == 0);
  auto agent_id = agent.agent_id();
  // The offline-exchange identity isolated peers pinned: it must survive a restore.
  auto exchange_id = collector.ctl_json({"exchange", "identity"})["fingerprint"];

  // Reports stream in while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> sent{0};
  std::thread writer([&] {
    for (uint64_t seq = 1; !stop && seq < 100000; seq += 50) {
      std::vector<v1::AgentMessage> batch;
      for (uint64_t s = seq; s < seq + 50; ++s) batch.push_back(report(s));
      agent.speak(batch);
      sent = seq + 49;
    }
  });
  REQUIRE(wait_for([&] { return sent >= 200; }, std::chrono::seconds(30)));
  auto backup = dir / "backup";
  auto made = collector_cmd(
      {"backup", "--data-dir", collector.data_dir().string(), "--output", backup.string()});
  stop = true;
  writer.join();
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK(made.out.find("1 hosts") != std::string::npos);
  CHECK(files::mode_of(backup) == 0700);
  CHECK(files::mode_of(backup / "ca.key") == 0600);
  CHECK(files::mode_of(backup / "warden.db") == 0600);
  // Exactly what the manifest lists, and the manifest: no stray -wal/-shm beside the database.
  auto manifest = nlohmann::json::parse(files::read(backup / "MANIFEST.json"));
  std::set<std::string> listed = {"MANIFEST.json"}, present;
  for (const auto& [name, _] : manifest["files"].items()) listed.insert(name);
  for (const auto& e : fs::recursive_directory_iterator(backup))
    if (e.is_regular_file()) present.insert(fs::relative(e.path(), backup).string());
  CHECK(present == listed);
  CHECK(listed.count("exchange/identity.key") == 1);
  CHECK(files::mode_of(backup / "exchange" / "identity.key") == 0600);
  int64_t reports_at_end = collector.scalar("SELECT count(*) FROM reports");

  SECTION("a second backup into a non-empty directory is refused") {
    auto again = collector_cmd(
        {"backup", "--data-dir", collector.data_dir().string(), "--output", backup.string()});
    CHECK(again.exit_code != 0);
    CHECK(again.err.find("not empty") != std::string::npos);
  }

  SECTION("restore is refused while the collector runs, and works once it is stopped") {
    auto busy = collector_cmd(
        {"restore", "--data-dir", collector.data_dir().string(), "--from", backup.string()});
    CHECK(busy.exit_code != 0);
    CHECK(busy.err.find("another warden-collector is using") != std::string::npos);

    collector.stop();
    auto restored = collector_cmd(
        {"restore", "--data-dir", collector.data_dir().string(), "--from", backup.string()});
    INFO(restored.err);
    REQUIRE(restored.exit_code == 0);
    CHECK(restored.out.find("previous data directory is kept at") != std::string::npos);
    int kept = 0;
    for (const auto& e : fs::directory_iterator(dir.path()))
      if (e.path().filename().string().rfind("collector.before-restore-", 0) == 0) ++kept;
    CHECK(kept == 1);

    collector.start();
    // The copy holds a consistent prefix of what was committed: every report up to some seq.
    int64_t restored_reports = collector.scalar("SELECT count(*) FROM reports");
    CHECK(restored_reports >= 200);
    CHECK(restored_reports <= reports_at_end);
    CHECK(collector.scalar("SELECT max(seq) FROM reports") == restored_reports);
    CHECK(collector.scalar("SELECT last_seq FROM hosts") == restored_reports);

    // The agent's identity and pinned CA still work: it connects and its sweep lands.
    agent.start();
    REQUIRE(collector.wait_online(1));
    auto sweep = collector.ctl_json({"sweep", "run", "--wait", "--timeout", "60s"});
    CHECK(sweep["answered"] == 1);
    CHECK(collector.ctl_json({"host", agent_id})["agent_id"] == agent_id);
    CHECK(collector.ctl_json({"exchange", "identity"})["fingerprint"] == exchange_id);
  }

  SECTION("a damaged backup is refused before anything is touched") {
    auto key = files::read(backup / "ca.key");
    key[key.size() / 2] ^= 1;
    files::write_atomic(backup / "ca.key", key, 0600);
    collector.stop();
    auto refused = collector_cmd(
        {"restore", "--data-dir", collector.data_dir().string(), "--from", backup.string()});
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("ca.key does not match its checksum") != std::string::npos);
    CHECK(fs::exists(collector.data_dir() / "warden.db"));
    CHECK(collector.scalar("SELECT count(*) FROM reports") == reports_at_end);
  }
}

TEST_CASE("a second collector on the same data directory is refused", "[backup]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  std::vector<std::string> argv{binary("warden-collector").string(), "--data-dir",
                                collector.data_dir().string(), "--listen",
                                "127.0.0.1:" + std::to_string(free_port())};
  for (const auto& arg : collector.database_args()) argv.push_back(arg);
  auto second = run(argv);
  CHECK(second.exit_code != 0);
  CHECK(second.err.find("another warden-collector is using") != std::string::npos);
  CHECK(collector.running());
}

// [sqlite]: the SQLite file itself, streamed through backup and restore.
TEST_CASE("a database bigger than what fits a memory read backs up and restores",
          "[sqlite][backup]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  collector.stop();
  {
    // 300 MB of pages, beyond files::read's 256 MB bound: backup and restore must stream.
    sqlite::Connection db(collector.database().string());
    db.exec("CREATE TABLE ballast (b BLOB)");
    sqlite::Transaction tx(db);
    auto ins = db.prepare("INSERT INTO ballast VALUES (zeroblob(1048576))");
    for (int i = 0; i < 300; ++i) {
      ins.run();
      ins.reset();
    }
    tx.commit();
  }
  auto backup = dir / "backup";
  auto made = collector_cmd(
      {"backup", "--data-dir", collector.data_dir().string(), "--output", backup.string()});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK(fs::file_size(backup / "warden.db") > (300u << 20));
  auto restored = collector_cmd(
      {"restore", "--data-dir", collector.data_dir().string(), "--from", backup.string()});
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  sqlite::Connection db(collector.database().string(), true);
  auto st = db.prepare("SELECT count(*) FROM ballast");
  REQUIRE(st.step());
  CHECK(st.column_int(0) == 300);
}

// [sqlite]: the data directory holds the database only on SQLite.
TEST_CASE("a whole data directory (what purge keeps) restores into a new folder",
          "[sqlite][backup]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  auto fingerprint = collector.fingerprint();
  collector.stop();
  auto kept = dir / "kept";
  fs::rename(collector.data_dir(), kept);  // as the package's purge moves it to /var/backups
  auto target = dir / "new" / "collector";
  fs::create_directories(target.parent_path());
  auto restored =
      collector_cmd({"restore", "--data-dir", target.string(), "--from", kept.string()});
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK(fs::exists(target / "warden.db"));
  CHECK(files::mode_of(target) == 0700);
  CHECK(files::mode_of(target / "ca.key") == 0600);
  auto again =
      run({binary("warden-collector").string(), "ca-fingerprint", "--data-dir", target.string()});
  CHECK(again.out.find(fingerprint) != std::string::npos);
  auto nothing =
      collector_cmd({"restore", "--data-dir", target.string(), "--from", (dir / "new").string()});
  CHECK(nothing.exit_code != 0);
  CHECK(nothing.err.find("is not a Warden backup (no MANIFEST.json) nor a data directory") !=
        std::string::npos);
}

// [any-backend]: the server certificate in the data directory; no database is involved.
TEST_CASE("a name added to server_names in a drop-in is in the certificate after a restart",
          "[any-backend][backup]") {
  TempDir dir;
  auto conf = dir / "collector.conf";
  files::write_atomic(conf, "log_level = info\n", 0644);
  CollectorProcess collector(dir.path(), {"--config", conf.string()});
  auto fingerprint = collector.fingerprint();
  auto names = [&] {
    return run({"openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                (collector.data_dir() / "server.crt").string()})
        .out;
  };
  CHECK(names().find("warden.example.internal") == std::string::npos);
  collector.stop();
  fs::create_directories(dir / "collector.conf.d");
  files::write_atomic(dir / "collector.conf.d" / "50-site.conf",
                      "server_names = warden.example.internal, 10.9.8.7\n", 0644);
  collector.start();
  CHECK(names().find("DNS:warden.example.internal") != std::string::npos);
  CHECK(names().find("IP Address:10.9.8.7") != std::string::npos);
  CHECK(collector.fingerprint() == fingerprint);  // same CA: agents accept it at once
  CHECK(collector.log().find("issued a new one") != std::string::npos);
}

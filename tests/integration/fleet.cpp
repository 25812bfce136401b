#include "tests/integration/fleet.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/files.hpp"
#include "common/sqlite.hpp"
#include "common/tls.hpp"
#include "tests/support/postgres_server.hpp"
#include "warden/v1/agent.grpc.pb.h"

namespace warden::test {

v1::AgentMessage critical_av_report(uint64_t seq, bool failing) {
  v1::AgentMessage m;
  m.set_seq(seq);
  m.mutable_report()->set_facts_json("{}");
  auto* f = m.mutable_report()->add_findings();
  f->set_check("av.running");
  f->set_status(failing ? v1::STATUS_FAIL : v1::STATUS_PASS);
  f->set_severity(v1::SEVERITY_CRITICAL);
  f->set_summary(failing ? "the antivirus is not running" : "the antivirus runs");
  f->set_evidence_json("{}");
  return m;
}

TestBackend test_backend() {
  const char* name = std::getenv("WARDEN_TEST_BACKEND");
  std::string value = name ? name : "";
  if (value.empty() || value == "sqlite") return TestBackend::sqlite;
  if (value == "postgresql") return TestBackend::postgresql;
  throw std::invalid_argument("WARDEN_TEST_BACKEND=" + value + ": expected sqlite or postgresql");
}

namespace {

// A collector's database on the shared server, one per data directory: a collector built again
// on the same directory (a restart through a new object) finds its data where it left it.
std::string postgres_database_for(const std::filesystem::path& data_dir) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::string> databases;
  std::lock_guard lock(mutex);
  auto [it, added] = databases.try_emplace(data_dir);
  if (added) it->second = shared_postgres().create_database();
  return it->second;
}

std::string database_name(const std::string& uri) {
  return uri.substr(uri.rfind('/') + 1);
}

}  // namespace

CollectorProcess::CollectorProcess(std::filesystem::path dir, std::vector<std::string> extra_args,
                                   std::vector<std::string> launcher, std::string host)
    : dir_(std::move(dir)),
      data_dir_(dir_ / "collector"),
      port_(free_port()),
      extra_args_(std::move(extra_args)),
      launcher_(std::move(launcher)),
      host_(std::move(host)),
      database_uri_(test_backend() == TestBackend::postgresql ? postgres_database_for(data_dir_)
                                                              : std::string()) {
  std::filesystem::create_directories(dir_);  // else the log has nowhere to go
  start();
  // Tests start the sweeps they count; the built-in schedule (working days at 09:00) would make
  // them depend on the time of day they run. Tests of the schedule set their own.
  auto off = ctl({"policy", "set", "sweep.schedule=\"\""});
  INFO(off.err);
  REQUIRE(off.exit_code == 0);
}

void CollectorProcess::start() {
  std::vector<std::string> argv{binary("warden-collector").string(),
                                "--data-dir",
                                data_dir_.string(),
                                "--listen",
                                address(),
                                "--log-level",
                                "debug"};
  auto database = database_args();
  argv.insert(argv.end(), database.begin(), database.end());
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  argv.insert(argv.begin(), launcher_.begin(), launcher_.end());
  // A socket left by a collector that was killed must not pass for this one being up.
  std::error_code ec;
  std::filesystem::remove(socket(), ec);
  process_ = std::make_unique<Process>(argv, dir_ / "collector.log");
  bool up = wait_for([&] { return std::filesystem::exists(socket()) || !process_->running(); });
  INFO(log());
  REQUIRE(up);
  REQUIRE(process_->running());
  // The admin socket appears after the agent port is bound.
}

int CollectorProcess::stop(int sig, std::chrono::seconds grace) {
  return process_ ? process_->stop(sig, grace) : 0;
}

std::string CollectorProcess::fingerprint() const {
  auto r = run(
      {binary("warden-collector").string(), "ca-fingerprint", "--data-dir", data_dir_.string()});
  REQUIRE(r.exit_code == 0);
  std::string fp = r.out;
  while (!fp.empty() && (fp.back() == '\n' || fp.back() == ' ')) fp.pop_back();
  return fp;
}

std::string CollectorProcess::log() const {
  return files::read_if_exists(dir_ / "collector.log").value_or("");
}

CommandResult CollectorProcess::ctl(std::vector<std::string> args) const {
  args.insert(args.begin(), {binary("wardenctl").string(), "-s", socket().string()});
  return run(args);
}

nlohmann::json CollectorProcess::ctl_json(std::vector<std::string> args) const {
  args.insert(args.begin(), "--json");
  auto r = ctl(args);
  INFO("wardenctl stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

std::string CollectorProcess::create_token(const std::string& department, const std::string& ttl,
                                           int uses) const {
  auto j = ctl_json({"token", "create", "--department", department, "--ttl", ttl, "--uses",
                     std::to_string(uses)});
  return j["token"].get<std::string>();
}

bool CollectorProcess::wait_online(int hosts, std::chrono::milliseconds timeout) const {
  return wait_for([&] { return ctl_json({"status"})["hosts"]["online"] == hosts; }, timeout);
}

std::vector<std::string> CollectorProcess::database_args() const {
  if (database_uri_.empty()) return {};
  return {"--database", database_uri_};
}

int64_t CollectorProcess::scalar(const std::string& sql) const {
  int64_t value = -1;
  if (database_uri_.empty()) {
    value = test::scalar(database(), sql);
  } else {
    // psql -t -A prints no line for no row and an empty one for NULL (which SQLite reads as 0).
    auto out = shared_postgres().psql(sql, database_name(database_uri_));
    INFO(sql << " answered: " << out);
    if (!out.empty()) {
      auto first = out.substr(0, out.find('\n'));
      value = first == "t" ? 1 : first == "f" || first.empty() ? 0 : std::stoll(first);
    }
  }
  REQUIRE(value != -1);  // a query these tests make always returns a row
  return value;
}

void CollectorProcess::execute(const std::string& sql) const {
  if (database_uri_.empty()) {
    sqlite::Connection db(database().string());
    db.exec(sql);
  } else {
    shared_postgres().psql(sql, database_name(database_uri_));
  }
}

AgentProcess::AgentProcess(std::filesystem::path dir, const CollectorProcess& collector)
    : dir_(std::move(dir)), state_dir_(dir_ / "state"), collector_(collector) {
  std::filesystem::create_directories(dir_);
}

CommandResult AgentProcess::enroll(const std::string& token, const std::string& fingerprint) {
  return run({binary("warden-agent").string(), "enroll", "--collector",
              collector_addresses.empty() ? collector_.address() : collector_addresses, "--token",
              token, "--ca-fingerprint",
              fingerprint.empty() ? collector_.fingerprint() : fingerprint, "--state-dir",
              state_dir_.string()});
}

void AgentProcess::start(std::vector<std::string> extra) {
  std::vector<std::string> argv = {binary("warden-agent").string(),
                                   "run",
                                   "--state-dir",
                                   state_dir_.string(),
                                   "--reconnect-base",
                                   "100ms",
                                   "--reconnect-max",
                                   "1s"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.begin(), launcher.begin(), launcher.end());
  process_ = std::make_unique<Process>(argv, dir_ / "agent.log");
}

int AgentProcess::stop(int sig) {
  return process_ ? process_->stop(sig) : 0;
}

std::string AgentProcess::agent_id() const {
  auto j = nlohmann::json::parse(files::read(state_dir_ / "enrollment.json"));
  return j["agent_id"].get<std::string>();
}

int64_t AgentProcess::outbox_depth() const {
  if (!std::filesystem::exists(state_dir_ / "outbox.db")) return 0;
  sqlite::Connection db((state_dir_ / "outbox.db").string(), true);
  // The agent may have created the file but not yet its table: that is an empty outbox too.
  auto exists = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'");
  if (!exists.step() || exists.column_int(0) == 0) return 0;
  auto st = db.prepare("SELECT count(*) FROM outbox");
  return st.step() ? st.column_int(0) : 0;
}

std::vector<v1::CollectorMessage> AgentProcess::speak(const std::vector<v1::AgentMessage>& messages,
                                                      const std::string& hostname) {
  auto channel = tls::collector_channel(collector_.address(), files::read(state_dir_ / "ca.crt"),
                                        files::read(state_dir_ / "agent.crt"),
                                        files::read(state_dir_ / "agent.key"));
  auto stub = v1::AgentService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto stream = stub->Session(&ctx);
  v1::AgentMessage hello;
  hello.mutable_hello()->mutable_host()->set_hostname(hostname);
  hello.mutable_hello()->set_policy_version(~0ull);  // never equal: the collector pushes its policy
  uint64_t last = 0;
  for (const auto& m : messages) last = std::max<uint64_t>(last, m.seq());
  // Reads while writing: acknowledgements are seen as they come, even if the stream breaks
  // half-way through the writes (a collector killed mid-ingest).
  std::vector<v1::CollectorMessage> out;
  std::thread reader([&] {
    v1::CollectorMessage reply;
    while (stream->Read(&reply)) {
      out.push_back(reply);
      bool hello_acked = reply.has_hello_ack() && reply.hello_ack().committed_seq() >= last;
      bool acked = reply.has_ack() && reply.ack().committed_seq() >= last;
      if (acked || (last == 0 && hello_acked) || (hello_acked && messages.empty())) break;
    }
    ctx.TryCancel();
  });
  if (stream->Write(hello))
    for (const auto& m : messages)
      if (!stream->Write(m)) break;
  reader.join();
  stream->Finish();
  return out;
}

std::string AgentProcess::log() const {
  return files::read_if_exists(dir_ / "agent.log").value_or("");
}

}  // namespace warden::test

// Load generator: N simulated agents with real certificates (enrolled through the real Enroll
// RPC) on real mutual-TLS gRPC streams, all in this one process, against a real warden-collector
// process on loopback. Each agent says hello, then sends its reports (paced to a total offered
// rate, or as fast as flow control allows); sweep requests are answered with a report at once.
//
// Reports, in one run: findings committed per second, acknowledgement latency p50/p99 (from the
// moment a report is handed to its stream until the ack covering it arrives), the collector's CPU
// (cores) and RSS, the time from `wardenctl sweep run` until every agent's sweep report is
// committed, and the raw SQLite limit for the same rows, so the result is a ratio.
//
// With --attack SCRIPT (tests/integration/h2_preauth_load.py), the script attacks the agent port
// without a client certificate while the agents report: reports keep going at the offered rate
// until the script exits, and the collector's CPU seconds and peak RSS over that window are
// printed with the agents' acks (tests/bench/h2_preauth_bench.sh compares limits off and on).
// --conf "key = value" adds a line to the collector's config file (repeatable); --enroll-apart
// gives the collector an enrollment listener of its own (enroll_listen) and enrolls there.
//
// load_generator --agents N [--reports R] [--findings F] [--rate REPORTS_PER_S] [--no-sweep]
//                [--check] [--attack SCRIPT [--attack-args "ARGS"]] [--conf LINE]...
//                [--enroll-apart] [--port PORT]
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/files.hpp"
#include "common/grpc_runtime.hpp"
#include "common/pki.hpp"
#include "common/sqlite.hpp"
#include "common/tls.hpp"
#include "tests/bench/bench_workload.hpp"
#include "tests/support/test_support.hpp"
#include "warden/v1/agent.grpc.pb.h"

using namespace warden;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

struct Identity {
  std::string cert_pem, key_pem;
};

struct Totals {
  std::atomic<int> connected{0}, failed{0};
  std::atomic<int64_t> acked_reports{0}, sweep_answers{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
};

class SimAgent : public grpc::ClientBidiReactor<v1::AgentMessage, v1::CollectorMessage> {
 public:
  SimAgent(std::shared_ptr<grpc::Channel> channel, int index, int findings, Totals& totals)
      : stub_(v1::AgentService::NewStub(channel)),
        findings_(findings),
        facts_(bench::host_facts(index)),
        totals_(totals) {
    stub_->async()->Session(&ctx_, this);
    v1::AgentMessage hello;
    hello.mutable_hello()->mutable_host()->set_hostname("pc-" + std::to_string(index));
    hello.mutable_hello()->set_policy_version(~0ull);
    enqueue(std::move(hello), false);
    StartRead(&in_);
    StartCall();
  }
  ~SimAgent() override = default;

  void send_report(uint64_t sweep_id = 0) {
    auto m = *bench::make_report(0, findings_, facts_);
    m.mutable_report()->set_sweep_id(sweep_id);
    enqueue(std::move(m), true);
  }
  void finish() {
    ctx_.TryCancel();
    std::unique_lock lock(mu_);
    done_cv_.wait(lock, [&] { return done_; });
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    if (!ok || queue_.empty()) {
      writing_ = false;
      return;
    }
    current_ = std::move(queue_.front());
    queue_.pop_front();
    StartWrite(&current_);
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    auto now = Clock::now();
    if (in_.has_hello_ack()) totals_.connected++;
    if (in_.has_ack()) {
      std::vector<double> lat;
      int64_t sweep_answers = 0;
      {
        std::lock_guard lock(mu_);
        auto end = sent_.upper_bound(in_.ack().committed_seq());
        for (auto it = sent_.begin(); it != end; ++it) {
          lat.push_back(std::chrono::duration<double, std::milli>(now - it->second.at).count());
          if (it->second.sweep) ++sweep_answers;
        }
        sent_.erase(sent_.begin(), end);
      }
      totals_.acked_reports += static_cast<int64_t>(lat.size());
      totals_.sweep_answers += sweep_answers;
      std::lock_guard lock(totals_.mu);
      totals_.latencies_ms.insert(totals_.latencies_ms.end(), lat.begin(), lat.end());
    }
    if (in_.has_sweep()) send_report(in_.sweep().sweep_id());
    StartRead(&in_);
  }
  void OnDone(const grpc::Status& status) override {
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      totals_.failed++;
      std::fprintf(stderr, "stream ended: %s\n", status.error_message().c_str());
    }
    std::lock_guard lock(mu_);
    done_ = true;
    done_cv_.notify_all();
  }

 private:
  struct Sent {
    Clock::time_point at;
    bool sweep;
  };
  void enqueue(v1::AgentMessage m, bool durable) {
    std::lock_guard lock(mu_);
    if (durable) {
      m.set_seq(++seq_);
      sent_[seq_] = {Clock::now(), m.report().sweep_id() != 0};
    }
    if (writing_) {
      queue_.push_back(std::move(m));
      return;
    }
    writing_ = true;
    current_ = std::move(m);
    StartWrite(&current_);
  }

  std::unique_ptr<v1::AgentService::Stub> stub_;
  grpc::ClientContext ctx_;
  int findings_;
  std::string facts_;
  Totals& totals_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  bool done_ = false, writing_ = false;
  uint64_t seq_ = 0;
  std::deque<v1::AgentMessage> queue_;
  v1::AgentMessage current_;
  v1::CollectorMessage in_;
  std::map<uint64_t, Sent> sent_;
};

struct ProcStat {
  double cpu_s = 0;
  double rss_mb = 0, hwm_mb = 0;
};

ProcStat proc_stat(pid_t pid) {
  ProcStat out;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), {});
  auto close = content.rfind(')');
  std::istringstream rest(content.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  out.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) out.rss_mb = std::stod(line.substr(6)) / 1024;
    if (line.rfind("VmHWM:", 0) == 0) out.hwm_mb = std::stod(line.substr(6)) / 1024;
  }
  return out;
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

bool wait_until(const std::function<bool()>& done, std::chrono::seconds limit) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int agents = 100, reports = 10, findings = 15;
  double rate = 0;  // reports/s offered in total; 0: as fast as flow control allows
  bool sweep = true, check = false, enroll_apart = false;
  int port = 0;  // the collector's agent port; 0: a free one
  std::string attack, attack_args, extra_conf;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string("0"); };
    if (a == "--agents")
      agents = std::stoi(next());
    else if (a == "--reports")
      reports = std::stoi(next());
    else if (a == "--findings")
      findings = std::stoi(next());
    else if (a == "--rate")
      rate = std::stod(next());
    else if (a == "--no-sweep")
      sweep = false;
    else if (a == "--check")
      check = true;
    else if (a == "--attack")
      attack = next();
    else if (a == "--attack-args")
      attack_args = next();
    else if (a == "--port")
      port = std::stoi(next());
    else if (a == "--enroll-apart")
      enroll_apart = true;
    else if (a == "--conf")
      extra_conf += next() + "\n";
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (!attack.empty() && rate <= 0) {
    std::fprintf(stderr, "--attack needs --rate (reports go on until the attack ends)\n");
    return 2;
  }
  rlimit nofile{65536, 65536};
  setrlimit(RLIMIT_NOFILE, &nofile);  // 10,000 streams need the descriptors (inherited too)
  signal(SIGPIPE, SIG_IGN);
  configure_grpc_runtime();

  test::TempDir dir;
  bool port_given = port != 0;
  if (!port_given) port = test::free_port();
  std::string address = "127.0.0.1:" + std::to_string(port);
  std::string enroll_address = address;
  if (enroll_apart) {
    enroll_address = "127.0.0.1:" + std::to_string(port_given ? port + 1 : test::free_port());
    extra_conf += "enroll_listen = " + enroll_address + "\n";
  }
  files::write_atomic(dir / "collector.conf",
                      "agent_burst_messages = 1000000\nagent_messages_per_second = 1000000\n"
                      "log_level = warn\n" +
                          extra_conf,
                      0600);
  test::Process collector(
      {test::binary("warden-collector").string(), "--data-dir", (dir / "c").string(), "--listen",
       address, "--config", (dir / "collector.conf").string()},
      dir / "collector.log");
  auto socket = dir / "c" / "admin.sock";
  if (!wait_until([&] { return fs::exists(socket); }, std::chrono::seconds(20))) {
    std::fprintf(stderr, "collector did not start\n");
    return 1;
  }
  auto ctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(),
                {test::binary("wardenctl").string(), "-s", socket.string(), "--json"});
    auto r = test::run(args, {}, std::chrono::seconds(300));
    if (r.exit_code != 0) throw std::runtime_error("wardenctl failed: " + r.err);
    return nlohmann::json::parse(r.out);
  };
  std::string token = ctl({"token", "create", "--department", "Bench", "--uses",
                           std::to_string(agents), "--ttl", "1d"})["token"];
  std::string ca = files::read(dir / "c" / "ca.crt");

  // Enrollment: real keys, real CSRs, the real RPC.
  auto t_enroll = Clock::now();
  std::vector<Identity> ids(static_cast<size_t>(agents));
  {
    auto channel = tls::collector_channel(enroll_address, ca);
    std::atomic<int> next{0}, failures{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
      workers.emplace_back([&] {
        auto stub = v1::AgentService::NewStub(channel);
        for (int i; (i = next++) < agents;) {
          auto key = pki::generate_key();
          v1::EnrollRequest req;
          req.set_token(token);
          req.set_csr_pem(pki::create_csr(key.private_key_pem, "sim"));
          req.mutable_host()->set_hostname("pc-" + std::to_string(i));
          v1::EnrollResponse resp;
          grpc::ClientContext ctx;
          if (!stub->Enroll(&ctx, req, &resp).ok()) {
            failures++;
            continue;
          }
          ids[static_cast<size_t>(i)] = {resp.certificate_pem(), key.private_key_pem};
        }
      });
    for (auto& w : workers) w.join();
    if (failures > 0) {
      std::fprintf(stderr, "%d enrollments failed\n", failures.load());
      return 1;
    }
  }
  double enroll_s = std::chrono::duration<double>(Clock::now() - t_enroll).count();

  // Connect every agent: one channel (one TLS connection) each.
  Totals totals;
  auto before_connect = proc_stat(collector.pid());
  auto t_connect = Clock::now();
  std::vector<std::unique_ptr<SimAgent>> sims;
  for (int i = 0; i < agents; ++i) {
    auto channel = tls::collector_channel(address, ca, ids[static_cast<size_t>(i)].cert_pem,
                                          ids[static_cast<size_t>(i)].key_pem);
    sims.push_back(std::make_unique<SimAgent>(channel, i, findings, totals));
  }
  if (!wait_until([&] { return totals.connected + totals.failed >= agents; },
                  std::chrono::seconds(600)) ||
      totals.failed > 0) {
    std::fprintf(stderr, "only %d of %d agents connected\n", totals.connected.load(), agents);
    return 1;
  }
  double connect_s = std::chrono::duration<double>(Clock::now() - t_connect).count();
  auto connected = proc_stat(collector.pid());
  std::fprintf(stderr, "phase: ingest (collector pid %d)\n", static_cast<int>(collector.pid()));

  // Ingest: every agent sends its reports, paced to the offered rate if one was given.
  int64_t total_reports = static_cast<int64_t>(agents) * reports;
  auto t_ingest = Clock::now();
  auto cpu0 = proc_stat(collector.pid()).cpu_s;
  std::unique_ptr<test::Process> attacker;
  if (!attack.empty()) {
    std::vector<std::string> argv{attack, "--target", address, "--output",
                                  (dir / "attack.json").string()};
    std::istringstream words(attack_args);
    for (std::string w; words >> w;) argv.push_back(w);
    attacker = std::make_unique<test::Process>(argv, dir / "attack.log");
    std::fprintf(stderr, "phase: ingest under attack (%s)\n", attack.c_str());
  }
  int64_t sent = 0;
  for (; sent < total_reports || (attacker && attacker->running()); ++sent) {
    if (rate > 0) {
      auto due = t_ingest + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(static_cast<double>(sent) / rate));
      if (due > Clock::now()) std::this_thread::sleep_until(due);
    }
    sims[static_cast<size_t>(sent % agents)]->send_report();
  }
  total_reports = sent;
  int attack_status = attacker ? attacker->stop() : 0;
  bool all_acked =
      wait_until([&] { return totals.acked_reports >= total_reports; }, std::chrono::seconds(900));
  double ingest_s = std::chrono::duration<double>(Clock::now() - t_ingest).count();
  auto after_ingest = proc_stat(collector.pid());
  double ingest_cpu_cores = (after_ingest.cpu_s - cpu0) / ingest_s;
  std::vector<double> lat;
  {
    std::lock_guard lock(totals.mu);
    lat.swap(totals.latencies_ms);
  }
  double p50 = percentile(lat, 0.50), p99 = percentile(lat, 0.99);

  // A sweep over every agent: from `sweep run` until every answer is committed.
  double sweep_s = 0;
  if (sweep && all_acked) {
    std::fprintf(stderr, "phase: sweep\n");
    auto t_sweep = Clock::now();
    ctl({"sweep", "run"});
    if (!wait_until([&] { return totals.sweep_answers >= agents; }, std::chrono::seconds(600))) {
      std::fprintf(stderr, "sweep: only %lld of %d answers committed\n",
                   static_cast<long long>(totals.sweep_answers.load()), agents);
      return 1;
    }
    sweep_s = std::chrono::duration<double>(Clock::now() - t_sweep).count();
  }
  auto end = proc_stat(collector.pid());

  // The raw limit for the same rows, same machine, same run.
  std::fprintf(stderr, "phase: raw sqlite\n");
  std::vector<std::vector<std::shared_ptr<v1::AgentMessage>>> rounds(static_cast<size_t>(reports));
  for (int r = 0; r < reports; ++r)
    for (int h = 0; h < agents; ++h)
      rounds[static_cast<size_t>(r)].push_back(
          bench::make_report(static_cast<uint64_t>(r + 1), findings));
  double raw_s = bench::raw_sqlite_seconds(dir / "raw.db", rounds);

  double n_findings = static_cast<double>(total_reports) * findings;
  double ingest_rate = n_findings / ingest_s, raw_rate = n_findings / raw_s;
  std::printf("agents=%d reports/agent=%d findings/report=%d offered=%s\n", agents, reports,
              findings,
              rate > 0 ? (std::to_string(static_cast<int>(rate)) + " reports/s").c_str() : "max");
  std::printf("enroll: %.2f s (%.0f/s); connect: %.2f s\n", enroll_s, agents / enroll_s, connect_s);
  std::printf("ingest: %.2f s, %.0f findings/s committed%s; ack latency p50 %.1f ms, p99 %.1f ms\n",
              ingest_s, ingest_rate, all_acked ? "" : " (NOT ALL ACKED)", p50, p99);
  std::printf("raw sqlite: %.2f s, %.0f findings/s; ratio %.2f\n", raw_s, raw_rate,
              ingest_rate / raw_rate);
  std::printf(
      "collector: %.2f cores during ingest; RSS idle %.0f MB, with %d streams %.0f MB, "
      "end %.0f MB, peak %.0f MB\n",
      ingest_cpu_cores, before_connect.rss_mb, agents, connected.rss_mb, end.rss_mb, end.hwm_mb);
  if (sweep)
    std::printf("sweep over %d agents: %.2f s until every answer was committed\n", agents, sweep_s);
  if (attacker) {
    std::printf("attack: exit %d, %lld reports offered during it, %lld acked\n", attack_status,
                static_cast<long long>(total_reports), static_cast<long long>(lat.size()));
    std::printf("collector: %.2f CPU s during ingest+attack (%.2f s wall), peak RSS %.0f MB\n",
                after_ingest.cpu_s - cpu0, ingest_s, after_ingest.hwm_mb);
    auto result = files::read_if_exists(dir / "attack.json");
    std::printf("attack result: %s\n",
                result ? nlohmann::json::parse(*result).dump().c_str() : "(none)");
  }

  for (auto& s : sims) s->finish();
  int rc = all_acked ? 0 : 1;
  if (check) {
    sqlite::Connection db((dir / "c" / "warden.db").string(), true);
    auto st = db.prepare("SELECT count(*), count(DISTINCT host_id) FROM reports");
    st.step();
    int64_t expect = total_reports + (sweep ? agents : 0);
    bool ok = st.column_int(0) == expect && st.column_int(1) == agents;
    std::printf("check: %lld reports from %lld hosts (expected %lld from %d): %s\n",
                static_cast<long long>(st.column_int(0)), static_cast<long long>(st.column_int(1)),
                static_cast<long long>(expect), agents, ok ? "ok" : "WRONG");
    if (!ok) rc = 1;
  }
  return rc;
}

#include "collector/cluster/fleet_cluster.hpp"

#include <charconv>
#include <optional>
#include <random>

#include "collector/storage/database.hpp"
#include "collector/storage/postgres/postgres_listener.hpp"
#include "common/log.hpp"

namespace warden::collector {

namespace {

// The advisory lock key of the fleet's leader ("warden leader" folded into 63 bits).
constexpr int64_t kLeaderLock = 0x77617264656e4c44;

std::string random_id() {
  std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 16; ++i) id += hex[rd() % 16];
  return id;
}

// "KIND NUMBER COLLECTOR_ID" (sweep 12 3f9c…, policy 0 3f9c…): the sender skips its own.
struct Announcement {
  std::string kind;
  uint64_t number = 0;
  std::string from;
};
std::optional<Announcement> parse_announcement(const std::string& payload) {
  if (payload.size() > 128) return std::nullopt;
  auto first = payload.find(' ');
  auto second = first == std::string::npos ? first : payload.find(' ', first + 1);
  if (second == std::string::npos) return std::nullopt;
  Announcement a{payload.substr(0, first), 0, payload.substr(second + 1)};
  auto r = std::from_chars(payload.data() + first + 1, payload.data() + second, a.number);
  if (r.ec != std::errc() || r.ptr != payload.data() + second) return std::nullopt;
  return a;
}

}  // namespace

FleetCluster::FleetCluster(const storage::Location& database, Store& store,
                           FleetClusterOptions options, const Clock& clock)
    : database_(database),
      store_(store),
      options_(std::move(options)),
      clock_(clock),
      shared_(database.is_postgresql()),
      id_(random_id()) {
  if (!shared_) return;
  store_.register_collector(id_, options_.address);
}

FleetCluster::~FleetCluster() {
  stop();
}

void FleetCluster::start(Handlers handlers) {
  if (!shared_) return;
  handlers_ = std::move(handlers);
  thread_ = std::thread([this] { run(); });
}

void FleetCluster::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  leader_ = false;
}

void FleetCluster::agent_connected(int64_t host_id) {
  if (shared_) store_.record_session(host_id, id_);
}

void FleetCluster::agent_disconnected(int64_t host_id) {
  if (shared_) store_.end_session(host_id, id_);
}

std::set<std::string> FleetCluster::agents_elsewhere() {
  if (!shared_) return {};
  return store_.agents_on_other_collectors(id_, clock_.now_ms() - options_.alive_within.count());
}

std::vector<Store::CollectorRow> FleetCluster::members() {
  if (!shared_) return {};
  return store_.collectors(clock_.now_ms() - options_.alive_within.count());
}

void FleetCluster::announce(const std::string& what) {
  if (!shared_) return;
  std::lock_guard lock(announce_mu_);
  try {
    if (!announce_db_) announce_db_ = storage::connect(database_);
    announce_db_->prepare("SELECT pg_notify(?, ?)")
        .bind(1, kChannel)
        .bind(2, what + " " + id_)
        .run();
  } catch (const storage::Error& e) {
    // The others still find a sweep: their agents catch up on it when they next connect, and
    // each member delivers recent sweeps again whenever its listener reconnects. A policy
    // reaches their agents when these next connect.
    announce_db_.reset();
    LOG_WARN("cluster", "cannot announce " << what << ": " << e.what());
  }
}

void FleetCluster::handle(const std::string& payload) {
  auto a = parse_announcement(payload);
  if (!a) {
    LOG_WARN("cluster", "ignoring a malformed announcement on " << kChannel);
    return;
  }
  if (a->from == id_) return;
  try {
    if (a->kind == "sweep" && handlers_.sweep) handlers_.sweep(a->number);
    if (a->kind == "policy" && handlers_.policy) handlers_.policy();
  } catch (const std::exception& e) {
    LOG_WARN("cluster", "handling '" << a->kind << "' from another collector: " << e.what());
  }
}

void FleetCluster::run() {
  std::unique_ptr<storage::Connection> lock_db;
  std::unique_ptr<storage::PostgresListener> listener;
  int64_t listener_lost_ms = 0;  // 0: never lost (at start no agent is connected here yet)
  auto next_beat = std::chrono::steady_clock::now();
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= next_beat) {
      next_beat = now + options_.heartbeat;
      try {
        if (!lock_db) lock_db = storage::connect(database_);
        // Session level: held while this connection lives; taking it again is harmless.
        auto st = lock_db->prepare("SELECT pg_try_advisory_lock(?)");
        st.bind(1, kLeaderLock);
        bool got = st.step() && st.column_int(0) != 0;
        st.reset();
        if (got != leader_.exchange(got))
          LOG_INFO("cluster", (got ? "this collector now leads the fleet (scheduler, retention)"
                                   : "this collector no longer leads the fleet"));
        store_.heartbeat_collector(id_, got);
      } catch (const std::exception& e) {
        if (leader_.exchange(false))
          LOG_WARN("cluster", "lost the fleet's leadership: " << e.what());
        lock_db.reset();  // the lock went with the connection; the next beat starts afresh
      }
    }
    try {
      if (!listener) {
        listener = std::make_unique<storage::PostgresListener>(database_.target, kChannel);
        if (listener_lost_ms) {  // what was announced while nobody listened here
          for (uint64_t sweep : store_.sweeps_since(listener_lost_ms - 5000))
            if (handlers_.sweep) handlers_.sweep(sweep);
          if (handlers_.policy) handlers_.policy();
          listener_lost_ms = 0;
        }
      }
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          next_beat - std::chrono::steady_clock::now());
      for (const auto& payload : listener->wait(std::max(wait, std::chrono::milliseconds(1))))
        handle(payload);
    } catch (const std::exception& e) {
      LOG_WARN("cluster", "sweep listener: " << e.what() << "; listening again shortly");
      if (listener && !listener_lost_ms) listener_lost_ms = clock_.now_ms();
      listener.reset();
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
    }
  }
}

}  // namespace warden::collector

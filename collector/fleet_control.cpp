#include "collector/fleet_control.hpp"

#include "collector/schedule/cron_schedule.hpp"
#include "common/duration.hpp"
#include "common/log.hpp"

namespace warden::collector {

FleetControl::FleetControl(Store& store, SessionRegistry& registry, FleetOptions options,
                           const Clock& clock, FleetCluster* cluster)
    : clock_(clock), store_(store), registry_(registry), options_(options), cluster_(cluster) {}

std::set<std::string> FleetControl::online_agents() const {
  auto online = registry_.online();
  if (cluster_) online.merge(cluster_->agents_elsewhere());
  return online;
}

void FleetControl::deliver_sweep(uint64_t sweep_id) {
  auto sessions = registry_.snapshot();
  if (sessions.empty()) return;
  std::map<std::string, std::shared_ptr<SessionLink>> links;
  for (const auto& s : sessions) links[s.agent_id] = s.link;
  uint32_t delivered = 0;
  for (const auto& [host, agent] : store_.unanswered_targets(sweep_id)) {
    auto it = links.find(agent);
    if (it == links.end()) continue;
    v1::CollectorMessage msg;
    msg.mutable_sweep()->set_sweep_id(sweep_id);
    msg.mutable_sweep()->set_requested_at_ms(clock_.now_ms());
    it->second->send(msg);
    ++delivered;
  }
  if (delivered)
    LOG_INFO("fleet", "sweep " << sweep_id << " from another collector: asked " << delivered
                               << " agents connected here");
}

FleetControl::~FleetControl() {
  stop();
}

void FleetControl::start() {
  scheduler_ = std::thread([this] { scheduler_loop(); });
  retention_ = std::thread([this] { retention_loop(); });
}

void FleetControl::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  if (retention_.joinable()) retention_.join();
}

void FleetControl::on_agent_connected(int64_t host_id, uint64_t agent_policy_version,
                                      SessionLink& link) {
  if (auto p = store_.agent_policy_for(host_id); p && p->first != agent_policy_version) {
    v1::CollectorMessage msg;
    msg.mutable_policy()->set_version(p->first);
    msg.mutable_policy()->set_policy_json(p->second);
    link.send(msg);
  }
  for (uint64_t sweep :
       store_.pending_sweeps(host_id, clock_.now_ms() - options_.catch_up_window_ms)) {
    v1::CollectorMessage msg;
    msg.mutable_sweep()->set_sweep_id(sweep);
    msg.mutable_sweep()->set_requested_at_ms(clock_.now_ms());
    link.send(msg);
    LOG_INFO("fleet", "host " << host_id << " catches up on sweep " << sweep);
  }
}

void FleetControl::push_policy_to_all() {
  push_policy_here();
  if (cluster_) cluster_->announce_policy();
}

void FleetControl::push_policy_here() {
  for (const auto& s : registry_.snapshot()) {
    auto p = store_.agent_policy_for(s.host_id);
    if (!p) continue;
    v1::CollectorMessage msg;
    msg.mutable_policy()->set_version(p->first);
    msg.mutable_policy()->set_policy_json(p->second);
    s.link->send(msg);
  }
}

SweepStarted FleetControl::run_sweep(const std::string& requested_by, const std::string& kind,
                                     const std::string& department, int spread_seconds) {
  return start_sweep(requested_by, kind, department, store_.hosts_in(department), spread_seconds);
}

SweepStarted FleetControl::start_sweep(const std::string& requested_by, const std::string& kind,
                                       const std::string& department,
                                       const std::vector<std::pair<int64_t, std::string>>& hosts,
                                       int spread_seconds) {
  auto sessions = registry_.snapshot();
  std::map<std::string, std::shared_ptr<SessionLink>> links;
  for (const auto& s : sessions) links[s.agent_id] = s.link;
  // Agents connected to another collector on the same database are asked now too (by that
  // collector, told below), so the sweep expects their answers.
  std::set<std::string> elsewhere;
  if (cluster_) elsewhere = cluster_->agents_elsewhere();
  std::vector<int64_t> online, offline;
  for (const auto& [id, agent] : hosts)
    (links.count(agent) || elsewhere.count(agent) ? online : offline).push_back(id);
  SweepStarted started;
  started.sweep_id = store_.create_sweep(requested_by, kind, department, online, offline);
  started.asked = static_cast<uint32_t>(online.size());
  started.deferred = static_cast<uint32_t>(offline.size());
  std::uniform_int_distribution<uint32_t> spread(
      0, static_cast<uint32_t>(std::max(0, spread_seconds)) * 1000);
  for (const auto& [id, agent] : hosts) {
    auto it = links.find(agent);
    if (it == links.end()) continue;
    v1::CollectorMessage msg;
    msg.mutable_sweep()->set_sweep_id(started.sweep_id);
    msg.mutable_sweep()->set_requested_at_ms(clock_.now_ms());
    {
      std::lock_guard lock(mu_);
      msg.mutable_sweep()->set_start_delay_ms(spread_seconds > 0 ? spread(rng_) : 0);
    }
    it->second->send(msg);
  }
  if (cluster_ && !elsewhere.empty()) cluster_->announce_sweep(started.sweep_id);
  LOG_INFO("fleet", kind << " sweep " << started.sweep_id
                         << (department.empty() ? "" : " of " + department) << ": " << started.asked
                         << " asked now, " << started.deferred
                         << " offline (they run it when they return)");
  return started;
}

std::vector<uint64_t> FleetControl::run_due_schedules(std::time_t now) {
  // Group departments by their effective schedule; each schedule due this minute becomes one sweep
  // over exactly the hosts of those departments.
  std::map<std::string, std::pair<int, std::vector<std::string>>> by_cron;
  for (const auto& d : store_.departments_with_hosts()) {
    auto eff = store_.effective_policy_for(d);
    if (eff.sweep.cron.empty()) continue;
    auto& entry = by_cron[eff.sweep.cron];
    entry.first = std::max(entry.first, eff.sweep.spread_seconds);
    entry.second.push_back(d);
  }
  std::vector<uint64_t> started;
  std::time_t minute = now - now % 60;
  for (const auto& [cron, entry] : by_cron) {
    std::tm local{};
    localtime_r(&minute, &local);
    if (!CronSchedule::parse(cron).matches(local)) continue;
    {
      std::lock_guard lock(mu_);
      if (last_fired_[cron] == minute) continue;
      last_fired_[cron] = minute;
    }
    std::vector<std::pair<int64_t, std::string>> hosts;
    for (const auto& d : entry.second)
      for (const auto& h : store_.hosts_in(d))
        if (auto host = store_.resolve_host(h.second); host && host->department == d)
          hosts.push_back(h);
    started.push_back(start_sweep("scheduler", "scheduled", "", hosts, entry.first).sweep_id);
  }
  return started;
}

void FleetControl::scheduler_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      if (leads()) run_due_schedules(std::time(nullptr));
    } catch (const std::exception& e) {
      LOG_WARN("fleet", "scheduler: " << e.what());
    } catch (...) {
      LOG_WARN("fleet", "scheduler: failure of unknown type");
    }
    lock.lock();
    cv_.wait_for(lock, options_.scheduler_tick, [&] { return stopping_; });
  }
}

void FleetControl::retention_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      if (leads()) prune();  // else the collector leading the fleet prunes the shared database
    } catch (const std::exception& e) {
      LOG_WARN("fleet", "retention: " << e.what());
    } catch (...) {
      LOG_WARN("fleet", "retention: failure of unknown type");
    }
    lock.lock();
    cv_.wait_for(lock, options_.retention_interval, [&] { return stopping_; });
  }
}

void FleetControl::prune() {
  int64_t cutoff = clock_.now_ms() - static_cast<int64_t>(options_.retention_days) * kDayMs;
  int64_t total = 0, n = 0;
  do {  // small batches so ingest never waits long for the write lock
    n = store_.prune_before(cutoff, 2000);
    total += n;
  } while (n > 0 && !stopping_);
  if (total)
    LOG_INFO("fleet", "retention: pruned " << total << " rows older than "
                                           << options_.retention_days << " days");
}

}  // namespace warden::collector

#include "collector/notify/incident_notifier.hpp"

#include <algorithm>

#include "collector/notify/incident_message.hpp"
#include "common/clock.hpp"
#include "common/entry_point.hpp"
#include "common/log.hpp"

namespace warden::collector {

namespace {
constexpr const char* kCursor = "notify_incident_cursor";
constexpr int kPerPass = 50;
}  // namespace

IncidentNotifier::IncidentNotifier(Store& store, NotifyOptions options, std::function<bool()> leads)
    : store_(store), options_(std::move(options)), leads_(std::move(leads)) {
  options_.transport.abort = &abort_;
}

IncidentNotifier::~IncidentNotifier() {
  stop();
}

void IncidentNotifier::start() {
  // The first start begins after the incidents already recorded (not the whole history).
  if (store_.setting(kCursor).empty())
    store_.set_setting(kCursor, std::to_string(store_.last_history_id()));
  thread_ = std::thread([this] { guarded("notify", [this] { loop(); }); });
}

void IncidentNotifier::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  abort_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string IncidentNotifier::deliver(const domain::Incident& incident) {
  std::string failed;
  if (!options_.webhook_url.empty()) {
    auto e = post_webhook(options_.webhook_url,
                          incident_webhook_json(incident, options_.unit_name, options_.zone),
                          options_.transport);
    if (!e.empty()) failed += "webhook: " + e;
  }
  if (!options_.smtp_url.empty()) {
    auto message =
        incident_mail(incident, {options_.mail_from, options_.mail_to, options_.unit_name},
                      options_.zone, system_clock().now_ms());
    auto e = send_mail(options_.smtp_url, options_.mail_from, options_.mail_to, message,
                       options_.smtp_user, options_.smtp_password, options_.transport);
    if (!e.empty()) failed += (failed.empty() ? "" : "; ") + std::string("e-mail: ") + e;
  }
  return failed;
}

void IncidentNotifier::loop() {
  using clock = std::chrono::steady_clock;
  std::chrono::milliseconds backoff{2000};
  auto next_attempt = clock::now();
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, options_.poll, [this] { return stopping_; })) return;
    }
    if (clock::now() < next_attempt || (leads_ && !leads_())) continue;
    try {
      int64_t at = std::stoll(store_.setting(kCursor, "0"));
      for (const auto& incident : store_.incidents_after(at, kPerPass)) {
        {
          std::lock_guard lock(mu_);
          if (stopping_) return;
        }
        if (auto failed = deliver(incident); !failed.empty()) {
          LOG_WARN("notify", "incident " << incident.id << " not sent yet (retry in "
                                         << backoff.count() / 1000 << " s): " << failed);
          next_attempt = clock::now() + backoff;
          backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::minutes(5));
          break;
        }
        backoff = std::chrono::milliseconds(2000);
        store_.set_setting(kCursor, std::to_string(incident.id));
        LOG_INFO("notify", "incident " << incident.id << " on " << incident.hostname << " ("
                                       << incident.check << ") sent");
      }
    } catch (const std::exception& e) {
      LOG_WARN("notify", "cannot read incidents: " << e.what());
    }
  }
}

}  // namespace warden::collector

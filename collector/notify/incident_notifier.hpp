// Pushes each critical incident out as it happens (docs/cascade.md, "Incidents go up at once"):
// to a webhook and by e-mail, where collector.conf names them (notify_webhook, notify_smtp, ...).
//
// One thread. Every `poll` it takes the incidents after its cursor (kept in the database's
// settings, so a restart neither loses nor repeats one) and sends each in order; the cursor moves
// past an incident once every configured channel took it. A channel that fails is retried with
// backoff (2 s doubling to 5 min), and the incident is sent to every channel again then: delivery
// is at least once (a receiver dedupes by the incident's `id`). The first start begins after the
// incidents already recorded. Among collectors sharing a database only the leader sends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collector/database/store.hpp"
#include "collector/notify/curl_transport.hpp"
#include "common/time_zone.hpp"

namespace warden::collector {

struct NotifyOptions {
  std::string webhook_url;  // http(s)://...; "" none
  std::string smtp_url;     // smtp://HOST:PORT (STARTTLS required) or smtps://; "" none
  std::string mail_from;
  std::vector<std::string> mail_to;
  std::string smtp_user;
  std::string smtp_password;  // read from notify_smtp_password_file, never logged
  TransportOptions transport;
  std::string unit_name;
  TimeZone zone = TimeZone::utc();
  std::chrono::milliseconds poll{std::chrono::seconds(2)};
  bool enabled() const { return !webhook_url.empty() || !smtp_url.empty(); }
};

class IncidentNotifier {
 public:
  IncidentNotifier(Store& store, NotifyOptions options, std::function<bool()> leads);
  ~IncidentNotifier();
  void start();
  void stop();

 private:
  void loop();
  std::string deliver(const domain::Incident& incident);  // "" or what failed

  Store& store_;
  NotifyOptions options_;
  std::function<bool()> leads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<bool> abort_{false};  // ends a delivery under way at stop()
  std::thread thread_;
};

}  // namespace warden::collector

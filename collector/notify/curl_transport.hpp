// Sending a notification out: an HTTP(S) POST to a webhook and an e-mail over SMTP, both with
// libcurl (Debian's libcurl4-openssl). SMTP is `smtp://HOST:PORT` with STARTTLS required (the
// message never goes in the clear) or `smtps://` (TLS from the start); server certificates are
// verified against `ca_file`, or the system's store when it is empty. No redirects; only the
// protocols named are allowed. Each call returns "" on success, else what went wrong.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace warden::collector {

struct TransportOptions {
  std::string ca_file;
  std::chrono::seconds timeout{20};
  const std::atomic<bool>* abort = nullptr;  // set: the transfer under way stops (shutdown)
};

// Once per process, before any thread sends.
void init_curl();

std::string post_webhook(const std::string& url, const std::string& json_body,
                         const TransportOptions& options);

std::string send_mail(const std::string& smtp_url, const std::string& from,
                      const std::vector<std::string>& to, const std::string& message,
                      const std::string& user, const std::string& password,
                      const TransportOptions& options);

}  // namespace warden::collector

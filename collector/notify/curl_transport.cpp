#include "collector/notify/curl_transport.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>

namespace warden::collector {

namespace {

struct Reader {
  const std::string* text;
  size_t offset = 0;
};

size_t read_message(char* buf, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  size_t n = std::min(size * count, r->text->size() - r->offset);
  std::memcpy(buf, r->text->data() + r->offset, n);
  r->offset += n;
  return n;
}

int check_abort(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using List = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

Easy easy(const std::string& url, const char* protocols, const TransportOptions& o, char* error) {
  Easy c(curl_easy_init(), curl_easy_cleanup);
  if (!c) return c;
  curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(c.get(), CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c.get(), CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_file.empty()) curl_easy_setopt(c.get(), CURLOPT_CAINFO, o.ca_file.c_str());
  curl_easy_setopt(c.get(), CURLOPT_ERRORBUFFER, error);
  if (o.abort) {
    curl_easy_setopt(c.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c.get(), CURLOPT_XFERINFOFUNCTION, check_abort);
    curl_easy_setopt(c.get(), CURLOPT_XFERINFODATA, o.abort);
  }
  return c;
}

std::string failure(CURLcode code, const char* error) {
  return std::string(curl_easy_strerror(code)) + (error[0] ? std::string(": ") + error : "");
}

}  // namespace

void init_curl() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

std::string post_webhook(const std::string& url, const std::string& json_body,
                         const TransportOptions& options) {
  char error[CURL_ERROR_SIZE] = "";
  auto c = easy(url, "http,https", options, error);
  if (!c) return "cannot create a connection handle";
  List headers(curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8"),
               curl_slist_free_all);
  curl_easy_setopt(c.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDS, json_body.c_str());
  curl_easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(json_body.size()));
  curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, discard);
  auto code = curl_easy_perform(c.get());
  if (code != CURLE_OK) return failure(code, error);
  long status = 0;
  curl_easy_getinfo(c.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) return "the webhook answered HTTP " + std::to_string(status);
  return {};
}

std::string send_mail(const std::string& smtp_url, const std::string& from,
                      const std::vector<std::string>& to, const std::string& message,
                      const std::string& user, const std::string& password,
                      const TransportOptions& options) {
  char error[CURL_ERROR_SIZE] = "";
  auto c = easy(smtp_url, "smtp,smtps", options, error);
  if (!c) return "cannot create a connection handle";
  curl_easy_setopt(c.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c.get(), CURLOPT_MAIL_FROM, ("<" + from + ">").c_str());
  List rcpt(nullptr, curl_slist_free_all);
  for (const auto& r : to) rcpt.reset(curl_slist_append(rcpt.release(), ("<" + r + ">").c_str()));
  curl_easy_setopt(c.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  if (!user.empty()) {
    curl_easy_setopt(c.get(), CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(c.get(), CURLOPT_PASSWORD, password.c_str());
  }
  Reader reader{&message};
  curl_easy_setopt(c.get(), CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(c.get(), CURLOPT_READDATA, &reader);
  curl_easy_setopt(c.get(), CURLOPT_UPLOAD, 1L);
  auto code = curl_easy_perform(c.get());
  if (code != CURLE_OK) return failure(code, error);
  return {};
}

}  // namespace warden::collector

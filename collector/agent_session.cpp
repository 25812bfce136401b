#include "collector/agent_session.hpp"

#include "collector/admin/host_messages.hpp"
#include "collector/enrollment_throttle.hpp"
#include "collector/message_validator.hpp"
#include "common/duration.hpp"
#include "common/entry_point.hpp"
#include "common/log.hpp"
#include "common/pki.hpp"

namespace warden::collector {

AgentSession::AgentSession(SessionDeps deps, grpc::CallbackServerContext* ctx)
    : deps_(deps),
      peer_(peer_address(ctx->peer())),
      link_(std::make_shared<AgentStreamLink>(static_cast<AgentStream*>(this))) {
  if (!guarded("session", [&] { authenticate(ctx); })) close_internal();
}

void AgentSession::close_internal() {
  link_->close(grpc::Status(grpc::StatusCode::INTERNAL, "the collector failed; see its log"));
}

void AgentSession::authenticate(grpc::CallbackServerContext* ctx) {
  auto fail = [&](grpc::StatusCode code, const std::string& why) {
    LOG_WARN("session", "refused stream from " << peer_ << ": " << why);
    link_->close(grpc::Status(code, why));
  };
  auto auth = ctx->auth_context();
  auto certs = auth ? auth->FindPropertyValues("x509_pem_cert") : std::vector<grpc::string_ref>{};
  if (certs.empty()) {
    fail(grpc::StatusCode::UNAUTHENTICATED, "a client certificate is required");
    return;
  }
  pki::CertInfo cert;
  try {
    cert = pki::inspect_certificate(std::string(certs.front().data(), certs.front().size()));
  } catch (const std::exception&) {
    {
      fail(grpc::StatusCode::UNAUTHENTICATED, "unreadable client certificate");
      return;
    }
  }
  std::optional<HostIdentity> host;
  try {
    host = deps_.store.find_host(cert.subject_cn);
  } catch (const std::exception& e) {
    fail(grpc::StatusCode::UNAVAILABLE, std::string("the database is unavailable: ") + e.what());
    return;
  }
  if (!host) {
    fail(grpc::StatusCode::PERMISSION_DENIED, "unknown agent " + cert.subject_cn);
    return;
  }
  if (host->revoked) {
    fail(grpc::StatusCode::PERMISSION_DENIED, "agent " + host->agent_id + " is revoked");
    return;
  }
  if (!host->next_cert_serial.empty() && host->next_cert_serial == cert.serial_hex) {
    // First session with a renewed certificate: it becomes the current one, the old one is dead.
    try {
      deps_.store.promote_next_certificate(host->host_id);
    } catch (const std::exception& e) {
      fail(grpc::StatusCode::UNAVAILABLE, std::string("the database is unavailable: ") + e.what());
      return;
    }
    host->cert_serial = cert.serial_hex;
    host->next_cert_serial.clear();
    LOG_INFO("session",
             "agent " << host->agent_id << " now uses its renewed certificate " << cert.serial_hex);
  }
  if (host->cert_serial != cert.serial_hex) {
    fail(grpc::StatusCode::PERMISSION_DENIED,
         "certificate serial " + cert.serial_hex + " is not the current one for " + host->agent_id);
    return;
  }
  host_ = *host;
  cert_serial_ = cert.serial_hex;
  // From here on a revocation closes this stream, hello or not.
  deps_.registry.attach(host_.agent_id, link_);
  attached_ = true;
  LOG_DEBUG("session", "stream from " << peer_ << " for " << host_.agent_id
                                      << " opened; waiting for its hello");
  read_next();
}

void AgentSession::read_next() {
  in_ = std::make_unique<v1::AgentMessage>();
  StartRead(in_.get());
}

void AgentSession::OnReadDone(bool ok) {
  if (!ok) {  // the agent closed its side, or the stream broke
    link_->close(grpc::Status::OK);
    return;
  }
  std::shared_ptr<v1::AgentMessage> msg(in_.release());
  if (!guarded("session", [&] { handle(std::move(msg)); })) close_internal();
}

void AgentSession::handle(std::shared_ptr<v1::AgentMessage> msg) {
  nlohmann::json body;
  std::string err = validate_agent_message(*msg, &body);
  if (msg->has_hello()) {
    if (!err.empty()) {
      link_->close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "hello: " + err));
      return;
    }
    // Checked again at hello: the agent may have been revoked, or its certificate replaced, since
    // the stream was opened (a stream can sit silent before its hello).
    std::optional<HostIdentity> fresh;
    try {
      fresh = deps_.store.find_host(host_.agent_id);
    } catch (const std::exception& e) {
      LOG_WARN("session", "cannot check " << host_.agent_id << " at hello: " << e.what());
      link_->close(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                "the collector's database is unavailable; try again later"));
      return;
    }
    if (!fresh || fresh->revoked) {
      link_->close(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                "agent " + host_.agent_id + " is revoked"));
      return;
    }
    if (fresh->cert_serial != cert_serial_) {
      link_->close(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                "certificate serial " + cert_serial_ +
                                    " is no longer the current one for " + host_.agent_id));
      return;
    }
    hello_seen_ = true;
    deps_.ingestor.forget(host_.host_id);  // before any message of this session is submitted
    try {
      deps_.store.record_hello(host_.host_id, from_message(msg->hello().host()), peer_);
    } catch (const std::exception& e) {
      // A full disk or a locked database must not keep agents out: their data waits in their
      // outboxes until the ingest path can commit again.
      LOG_WARN("session", "cannot record the hello of " << host_.agent_id << ": " << e.what());
    }
    v1::CollectorMessage ack;
    ack.mutable_hello_ack()->set_agent_id(host_.agent_id);
    ack.mutable_hello_ack()->set_committed_seq(fresh ? fresh->last_seq : 0);
    ack.mutable_hello_ack()->set_server_time_ms(now_ms());
    link_->send(ack);
    deps_.registry.add({host_.host_id, host_.agent_id, link_});
    if (deps_.on_hello) {
      try {
        deps_.on_hello(host_.host_id, msg->hello().policy_version(), *link_);
      } catch (const std::exception& e) {
        LOG_WARN("session", "after hello of " << host_.agent_id << ": " << e.what());
      }
    }
    LOG_INFO("session", "agent " << host_.agent_id << " (" << msg->hello().host().hostname()
                                 << ") connected from " << peer_);
    read_next();
    return;
  }
  if (!hello_seen_) {
    link_->close(
        grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the first message must be a hello"));
    return;
  }
  if (msg->has_heartbeat()) {
    read_next();
    return;
  }
  if (msg->has_renew_certificate()) {
    if (!err.empty()) {
      link_->close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, err));
      return;
    }
    if (renewed_) {
      link_->close(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                "one certificate renewal per session"));
      return;
    }
    renewed_ = true;
    renew_certificate(msg->renew_certificate());
    read_next();
    return;
  }
  if (deps_.rate_limiter) {
    if (auto over = deps_.rate_limiter->admit(host_.host_id, msg->ByteSizeLong()); !over.empty()) {
      LOG_WARN("session", "agent " << host_.agent_id << ": " << over);
      link_->close(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, over));
      return;
    }
  }
  if (!err.empty() && msg->seq() == 0) {
    link_->close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, err));
    return;
  }
  if (!err.empty()) {
    LOG_WARN("session",
             "agent " << host_.agent_id << " seq " << msg->seq() << " rejected: " << err);
    v1::CollectorMessage rej;
    rej.mutable_rejected()->set_seq(msg->seq());
    rej.mutable_rejected()->set_reason(err);
    link_->send(rej);
  }
  IngestItem item;
  item.host_id = host_.host_id;
  item.rejected_reason = err;
  item.received_ms = now_ms();
  item.peer = peer_;
  if (err.empty() && msg->has_report()) item.central = central_inputs_from_report(body);
  if (err.empty() && msg->has_event())
    item.central = central_inputs_from_event(msg->event().kind(), body);
  item.message = std::move(msg);
  size_t max_inflight = deps_.max_inflight;
  std::weak_ptr<AgentStreamLink> weak = link_;
  item.on_commit = [weak, max_inflight](uint64_t seq) {
    if (auto link = weak.lock()) link->committed(seq, max_inflight);
  };
  bool keep_reading = link_->submitted(max_inflight);
  deps_.ingestor.submit(std::move(item));
  if (keep_reading) read_next();
}

void AgentSession::renew_certificate(const v1::RenewCertificate& request) {
  if (!deps_.renew_certificate) {
    link_->close(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no certificate authority here"));
    return;
  }
  try {
    auto issued = deps_.renew_certificate(request.csr_pem(), host_);
    deps_.store.set_next_certificate(host_.host_id, issued);
    v1::CollectorMessage out;
    out.mutable_certificate()->set_certificate_pem(issued.pem);
    out.mutable_certificate()->set_not_after_ms(issued.not_after_s * 1000);
    link_->send(out);
    LOG_INFO("session", "renewed the certificate of "
                            << host_.agent_id << ": serial " << issued.serial_hex << " until "
                            << format_time_utc(issued.not_after_s * 1000));
  } catch (const std::invalid_argument& e) {
    LOG_WARN("session", "agent " << host_.agent_id << " sent a bad renewal request: " << e.what());
    link_->close(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              std::string("certificate request: ") + e.what()));
  } catch (const std::exception& e) {
    // The database refused (locked, read-only, full): the agent keeps its certificate and asks
    // again on a later session.
    LOG_WARN("session", "cannot renew the certificate of " << host_.agent_id << ": " << e.what());
    link_->close(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              "the collector cannot store a renewed certificate now; try later"));
  }
}

void AgentSession::OnWriteDone(bool ok) {
  guarded("session", [&] { link_->on_write_done(ok); });
}

void AgentSession::OnCancel() {
  // The agent went away or the server is shutting down. A pending read or write would end the
  // call too, but not while reading is paused with nothing to write.
  guarded("session", [&] { link_->close(grpc::Status::CANCELLED); });
}

void AgentSession::start_write(const v1::CollectorMessage* msg) {
  StartWrite(msg);
}

void AgentSession::finish(const grpc::Status& status) {
  Finish(status);
}

void AgentSession::OnDone() {
  guarded("session", [&] {
    link_->detach();
    if (attached_) deps_.registry.remove(host_.agent_id, link_.get());
    if (hello_seen_) {
      try {
        deps_.store.record_seen(host_.host_id);
      } catch (const std::exception& e) {
        LOG_WARN("session", "cannot record last_seen: " << e.what());
      }
      if (deps_.on_disconnect) {
        try {
          deps_.on_disconnect(host_.host_id, host_.agent_id);
        } catch (const std::exception& e) {
          LOG_WARN("session", "after the session of " << host_.agent_id << ": " << e.what());
        }
      }
      LOG_INFO("session", "agent " << host_.agent_id << " disconnected");
    }
  });
  delete this;
}

}  // namespace warden::collector

// Process-wide settings for the gRPC runtime, applied once at the start of every program that
// speaks gRPC (collector, agent, load generator).
#pragma once

namespace warden {

// TLS 1.3 only (tls::enforce_tls13), and abseil's mutex deadlock detector off: Debian builds
// abseil without NDEBUG, which leaves that debugging aid on, and under load it cost a sixth of the
// collector's CPU (GraphCycles bookkeeping on every absl::Mutex::Lock inside gRPC). Idempotent.
void configure_grpc_runtime();

}  // namespace warden

#include "common/grpc_runtime.hpp"

#include <absl/synchronization/mutex.h>

#include <mutex>

#include "common/tls.hpp"

namespace warden {

void configure_grpc_runtime() {
  static std::once_flag once;
  std::call_once(once, [] {
    tls::enforce_tls13();
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  });
}

}  // namespace warden

#include "agent/backoff.hpp"

#include <algorithm>

namespace warden::agent {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, uint64_t seed)
    : base_(base), cap_(cap), rng_(seed) {}

std::chrono::milliseconds Backoff::ceiling() const {
  int64_t c = base_.count();
  for (int i = 0; i < attempt_ && c < cap_.count(); ++i) c *= 2;
  return std::chrono::milliseconds(std::min(c, static_cast<int64_t>(cap_.count())));
}

std::chrono::milliseconds Backoff::next() {
  auto ceil = ceiling();
  ++attempt_;
  std::uniform_int_distribution<int64_t> dist(ceil.count() / 10, ceil.count());
  return std::chrono::milliseconds(dist(rng_));
}

}  // namespace warden::agent

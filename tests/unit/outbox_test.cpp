#include <catch2/catch.hpp>

#include "agent/backoff.hpp"
#include "agent/outbox.hpp"
#include "tests/support/test_support.hpp"

using namespace warden;
using namespace warden::agent;

namespace {
v1::AgentMessage report(v1::Status status) {
  v1::AgentMessage m;
  auto* f = m.mutable_report()->add_findings();
  f->set_check("x.y");
  f->set_status(status);
  return m;
}
}  // namespace

TEST_CASE(
    "the outbox numbers messages, survives reopening and forgets only what was acknowledged") {
  test::TempDir dir;
  auto path = (dir / "outbox.db").string();
  {
    Outbox box(path);
    CHECK(box.append(report(v1::STATUS_PASS)) == 1);
    CHECK(box.append(report(v1::STATUS_PASS)) == 2);
    CHECK(box.append(report(v1::STATUS_PASS)) == 3);
    box.acknowledge(2);
    CHECK(box.depth() == 1);
  }
  Outbox box(path);  // "restart"
  CHECK(box.last_acked() == 2);
  auto pending = box.pending_after(box.last_acked(), 10);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].seq() == 3);
  box.acknowledge(3);
  box.acknowledge(1);  // stale acks change nothing
  CHECK(box.depth() == 0);
  CHECK(box.append(report(v1::STATUS_PASS)) == 4);  // numbers are never reused
  CHECK(box.next_seq() == 5);
}

TEST_CASE("a full outbox drops the oldest messages without violations first, and counts drops") {
  test::TempDir dir;
  Outbox box((dir / "outbox.db").string(), OutboxLimits{3, 1 << 20});
  box.append(report(v1::STATUS_FAIL));  // 1: a violation
  box.append(report(v1::STATUS_PASS));  // 2
  box.append(report(v1::STATUS_PASS));  // 3
  box.append(report(v1::STATUS_PASS));  // 4: pushes out 2
  box.append(report(v1::STATUS_FAIL));  // 5: pushes out 3
  auto left = box.pending_after(0, 10);
  REQUIRE(left.size() == 3);
  CHECK(left[0].seq() == 1);
  CHECK(left[1].seq() == 4);
  CHECK(left[2].seq() == 5);
  CHECK(box.dropped() == 2);
}

TEST_CASE("backoff grows to its cap, with jitter, and resets") {
  Backoff b(std::chrono::milliseconds(100), std::chrono::milliseconds(1000), 42);
  std::vector<int64_t> delays;
  for (int i = 0; i < 8; ++i) {
    auto ceiling = b.ceiling().count();
    auto d = b.next().count();
    CHECK(d <= ceiling);
    CHECK(d >= ceiling / 10);
    delays.push_back(d);
  }
  CHECK(b.ceiling().count() == 1000);
  Backoff other(std::chrono::milliseconds(100), std::chrono::milliseconds(1000), 43);
  bool differs = false;
  for (int i = 0; i < 8; ++i) differs |= other.next().count() != delays[static_cast<size_t>(i)];
  CHECK(differs);  // two agents do not retry in step
  b.reset();
  CHECK(b.ceiling().count() == 100);
}

TEST_CASE("an outbox behind the collector's mark renumbers its pending messages after it") {
  test::TempDir dir;
  Outbox box((dir / "outbox.db").string());
  box.append(report(v1::STATUS_FAIL));
  box.append(report(v1::STATUS_PASS));
  CHECK_FALSE(box.resync(2));  // in step: nothing to do
  CHECK_FALSE(box.resync(1));
  CHECK(box.depth() == 2);

  // The collector has committed up to 500 from this identity (the state dir was restored).
  CHECK(box.resync(500));
  CHECK(box.last_acked() == 500);
  auto pending = box.pending_after(500, 10);
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].seq() == 501);
  CHECK(pending[0].report().findings(0).status() == v1::STATUS_FAIL);
  CHECK(pending[1].seq() == 502);
  CHECK(box.next_seq() == 503);
  CHECK(box.append(report(v1::STATUS_PASS)) == 503);
  box.acknowledge(500);  // what the session does next: keeps the renumbered messages
  CHECK(box.depth() == 3);
}

#include "collector/admin/sweep_messages.hpp"

#include "collector/admin/finding_messages.hpp"

namespace warden::collector {

v1::SweepSummary to_message(const domain::SweepSummary& sweep) {
  v1::SweepSummary out;
  out.set_sweep_id(sweep.id);
  out.set_requested_at_ms(sweep.requested_at_ms);
  out.set_requested_by(sweep.requested_by);
  out.set_kind(sweep.kind);
  out.set_department(sweep.department);
  out.set_expected(sweep.expected);
  out.set_answered(sweep.answered);
  out.set_deferred(sweep.deferred);
  return out;
}

v1::GetSweepResponse to_message(const domain::SweepProgress& progress) {
  const auto& s = progress.sweep;
  v1::GetSweepResponse out;
  out.set_sweep_id(s.id);
  out.set_requested_at_ms(s.requested_at_ms);
  out.set_requested_by(s.requested_by);
  out.set_kind(s.kind);
  out.set_department(s.department);
  out.set_expected(s.expected);
  out.set_answered(s.answered);
  out.set_deferred(s.deferred);
  out.set_deferred_answered(progress.deferred_answered);
  for (const auto& h : progress.answered_hosts) out.add_answered_hosts(h);
  for (const auto& h : progress.missing) out.add_missing(h);
  for (const auto& f : progress.failures) *out.add_failures() = to_message(f);
  return out;
}

}  // namespace warden::collector

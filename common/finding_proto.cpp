#include "common/finding_proto.hpp"
#include "common/json_text.hpp"
#include "common/text.hpp"
#include "common/validate.hpp"

namespace warden {

v1::Status to_proto(Status s) {
  switch (s) {
    case Status::pass:
      return v1::STATUS_PASS;
    case Status::fail:
      return v1::STATUS_FAIL;
    case Status::error:
      return v1::STATUS_ERROR;
    case Status::not_applicable:
      return v1::STATUS_NOT_APPLICABLE;
  }
  return v1::STATUS_UNSPECIFIED;
}

v1::Severity to_proto(Severity s) {
  return static_cast<v1::Severity>(static_cast<int>(s) + 1);
}

void to_proto(const Finding& f, v1::Finding* out) {
  out->set_check(f.check);
  out->set_status(to_proto(f.status));
  out->set_severity(to_proto(f.severity));
  // Summaries quote device and host strings; the collector takes printable UTF-8 only.
  out->set_summary(text::printable(f.summary, validate::kMaxSummaryBytes));
  out->set_evidence_json(json_text(f.evidence));
  out->set_summary_key(f.summary_key);
}

Status from_proto(v1::Status s) {
  switch (s) {
    case v1::STATUS_PASS:
      return Status::pass;
    case v1::STATUS_FAIL:
      return Status::fail;
    case v1::STATUS_NOT_APPLICABLE:
      return Status::not_applicable;
    default:
      return Status::error;
  }
}

Severity from_proto(v1::Severity s) {
  int v = static_cast<int>(s);
  if (v < 1 || v > 5) return Severity::info;
  return static_cast<Severity>(v - 1);
}

}  // namespace warden

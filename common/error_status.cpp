#include "common/error_status.hpp"

namespace warden {

grpc::Status to_status(const Error& e) {
  using C = grpc::StatusCode;
  switch (e.kind) {
    case ErrorKind::invalid:
      return {C::INVALID_ARGUMENT, e.message};
    case ErrorKind::not_found:
      return {C::NOT_FOUND, e.message};
    case ErrorKind::conflict:
      return {C::FAILED_PRECONDITION, e.message};
    case ErrorKind::denied:
      return {C::PERMISSION_DENIED, e.message};
    case ErrorKind::unavailable:
      return {C::UNAVAILABLE, e.message};
    case ErrorKind::internal:
      return {C::INTERNAL, e.message};
  }
  return {C::INTERNAL, e.message};
}

Error from_status(const grpc::Status& s) {
  using C = grpc::StatusCode;
  switch (s.error_code()) {
    case C::INVALID_ARGUMENT:
    case C::OUT_OF_RANGE:
      return invalid(s.error_message());
    case C::NOT_FOUND:
      return not_found(s.error_message());
    case C::FAILED_PRECONDITION:
    case C::ALREADY_EXISTS:
    case C::ABORTED:
      return conflict(s.error_message());
    case C::PERMISSION_DENIED:
    case C::UNAUTHENTICATED:
      return denied(s.error_message());
    case C::UNAVAILABLE:
    case C::DEADLINE_EXCEEDED:
    case C::RESOURCE_EXHAUSTED:
    case C::CANCELLED:
      return unavailable(s.error_message());
    default:
      return internal(s.error_message());
  }
}

}  // namespace warden

// Where error kinds (common/error.hpp) meet gRPC status codes: the only mapping, both ways.
#pragma once

#include <grpcpp/support/status.h>

#include "common/error.hpp"

namespace warden {

grpc::Status to_status(const Error& e);
// A status a peer sent, as an Error (OK is not an error: internal, empty message).
Error from_status(const grpc::Status& s);

}  // namespace warden

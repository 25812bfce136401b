// Admin sockets: the admin socket is its owner's only; the auditor socket answers every query
// and refuses every change, including methods added later (checked over the whole service).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "common/files.hpp"
#include "tests/integration/fleet.hpp"
#include "warden/v1/admin.grpc.pb.h"
#include "warden/v1/admin.pb.h"

using namespace warden;
using namespace warden::test;
namespace fs = std::filesystem;

namespace {

bool is_query(const std::string& method) {
  return method.rfind("Get", 0) == 0 || method.rfind("List", 0) == 0 || method == "UsbHistory";
}

grpc::Status call_raw(const std::shared_ptr<grpc::Channel>& channel, const std::string& method) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice empty("", 0);  // an empty message: every field at its default
  grpc::ByteBuffer request(&empty, 1), response;
  grpc::Status status;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  stub.UnaryCall(&ctx, "/warden.v1.AdminService/" + method, grpc::StubOptions(), &request,
                 &response, [&](grpc::Status s) {
                   std::lock_guard lock(mu);
                   status = s;
                   done = true;
                   cv.notify_one();
                 });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  return status;
}

}  // namespace

TEST_CASE("the auditor socket answers queries and refuses every change", "[auditor]") {
  TempDir dir;
  auto audit = dir / "audit.sock";
  CollectorProcess collector(dir.path(), {"--audit-socket", audit.string()});
  REQUIRE(wait_for([&] { return std::filesystem::exists(audit); }));
  CHECK(files::mode_of(audit) == 0600);  // no audit_group configured: owner only

  auto as_auditor = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {binary("wardenctl").string(), "-s", audit.string()});
    return run(args);
  };
  auto status = as_auditor({"--json", "status"});
  CHECK(status.exit_code == 0);
  CHECK(as_auditor({"hosts"}).exit_code == 0);
  CHECK(as_auditor({"audit"}).exit_code == 0);
  auto refused = as_auditor({"token", "create", "--department", "Finance"});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("read-only auditor socket") != std::string::npos);
  CHECK(collector.scalar("SELECT count(*) FROM enrollment_tokens") == 0);

  // Every method of the service: queries are allowed, anything else is refused.
  auto channel = grpc::CreateChannel("unix:" + audit.string(), grpc::InsecureChannelCredentials());
  const auto* service =
      v1::GetStatusRequest::descriptor()->file()->FindServiceByName("AdminService");
  REQUIRE(service);
  int queries = 0, changes = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    std::string name = service->method(i)->name();
    auto s = call_raw(channel, name);
    INFO(name << ": " << s.error_code() << " " << s.error_message());
    if (is_query(name)) {
      ++queries;
      CHECK(s.error_code() != grpc::StatusCode::PERMISSION_DENIED);
    } else {
      ++changes;
      CHECK(s.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    }
  }
  CHECK(queries >= 10);
  CHECK(changes >= 10);
  // The same changes work on the admin socket.
  CHECK(!collector.create_token("Finance").empty());
}

// [any-backend]: the socket's permissions, checked before any call reaches the database.
TEST_CASE("only the admin socket's owner can use it", "[any-backend][auditor]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  CHECK(files::mode_of(collector.socket()) == 0600);
  // Let another user reach the directory: the socket's own mode must still keep them out.
  std::filesystem::permissions(collector.data_dir(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  auto other = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    binary("wardenctl").string(), "-s", collector.socket().string(), "status"});
  CHECK(other.exit_code != 0);
  CHECK(collector.ctl({"status"}).exit_code == 0);
}

TEST_CASE("audit entries name the caller the kernel reports, not the one the client claims",
          "[security]") {
  TempDir dir;
  CollectorProcess collector(dir.path());
  auto channel = grpc::CreateChannel("unix:" + collector.socket().string(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  v1::CreateTokenRequest req;
  req.set_department("Finance");
  req.set_created_by("mallory");  // a name the client asserts
  v1::CreateTokenResponse resp;
  REQUIRE(stub->CreateToken(&ctx, req, &resp).ok());

  // Another local user, let in by mode bits only for this test (the socket is 0600 normally).
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_exec);
  fs::permissions(collector.data_dir(), fs::perms::owner_all | fs::perms::others_exec);
  fs::permissions(collector.socket(), fs::perms::all);
  auto as_nobody = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        binary("wardenctl").string(), "-s", collector.socket().string(), "token",
                        "create", "--department", "Finance"});
  INFO(as_nobody.err);
  REQUIRE(as_nobody.exit_code == 0);

  std::vector<std::string> actors;
  for (const auto& a : collector.ctl_json({"audit"}))
    if (a["action"] == "token.create") actors.push_back(a["actor"].get<std::string>());
  REQUIRE(actors.size() == 2);
  CHECK(std::count(actors.begin(), actors.end(), "root (uid 0)") == 1);
  CHECK(std::count(actors.begin(), actors.end(), "nobody (uid 65534)") == 1);
  for (const auto& a : actors) CHECK(a.find("mallory") == std::string::npos);
}

// Windows cross-build smoke test: links every heavy dependency of the agent from the
// build-deps.sh prefix and exercises each a little. Run under wine by smoke.sh.
#include <chrono>
#include <cstdio>
#include <string>

#include <grpcpp/grpcpp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "smoke.grpc.pb.h"
#include "smoke.pb.h"

namespace {

const char* state_name(grpc_connectivity_state s) {
  switch (s) {
    case GRPC_CHANNEL_IDLE:
      return "IDLE";
    case GRPC_CHANNEL_CONNECTING:
      return "CONNECTING";
    case GRPC_CHANNEL_READY:
      return "READY";
    case GRPC_CHANNEL_TRANSIENT_FAILURE:
      return "TRANSIENT_FAILURE";
    case GRPC_CHANNEL_SHUTDOWN:
      return "SHUTDOWN";
  }
  return "?";
}

int failures = 0;
void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAIL: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // CLI11 and nlohmann-json (header-only, found through their CMake packages in the prefix).
  CLI::App app{"Warden Windows smoke test"};
  std::string target = "127.0.0.1:9";
  app.add_option("--target", target, "gRPC address where nothing listens");
  CLI11_PARSE(app, argc, argv);
  const nlohmann::json info = {{"cli11", CLI11_VERSION}, {"target", target}};
  std::printf("nlohmann-json %d.%d.%d: %s\n", NLOHMANN_JSON_VERSION_MAJOR,
              NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH, info.dump().c_str());

  // protobuf: round trip a message.
  warden::smoke::Ping ping;
  ping.set_text("hello from mingw");
  ping.set_seq(42);
  std::string wire;
  check(ping.SerializeToString(&wire), "protobuf serialize");
  warden::smoke::Ping back;
  check(back.ParseFromString(wire) && back.seq() == 42, "protobuf parse");
  std::printf("protobuf %s: %zu bytes on the wire, seq %llu, text \"%s\"\n",
              google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION).c_str(),
              wire.size(), static_cast<unsigned long long>(back.seq()), back.text().c_str());

  // OpenSSL: version and a digest.
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  check(EVP_Digest("warden", 6, md, &md_len, EVP_sha256(), nullptr) == 1, "openssl sha256");
  std::printf("%s: sha256(\"warden\") starts %02x%02x%02x%02x\n", OpenSSL_version(OPENSSL_VERSION),
              md[0], md[1], md[2], md[3]);

  // SQLite: in-memory database.
  sqlite3* db = nullptr;
  check(sqlite3_open(":memory:", &db) == SQLITE_OK, "sqlite open");
  check(sqlite3_exec(db,
                     "CREATE TABLE outbox(seq INTEGER PRIMARY KEY, body BLOB);"
                     "INSERT INTO outbox(body) VALUES (x'00'),(x'01');",
                     nullptr, nullptr, nullptr) == SQLITE_OK,
        "sqlite exec");
  sqlite3_stmt* st = nullptr;
  check(sqlite3_prepare_v2(db, "SELECT count(*), sqlite_version() FROM outbox", -1, &st, nullptr) ==
            SQLITE_OK,
        "sqlite prepare");
  if (sqlite3_step(st) == SQLITE_ROW) {
    std::printf("sqlite %s: :memory: outbox has %d rows\n",
                reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                sqlite3_column_int(st, 0));
  } else {
    check(false, "sqlite step");
  }
  sqlite3_finalize(st);
  sqlite3_close(db);

  // Boost.Asio: a posted handler and a timer on an io_context.
  boost::asio::io_context io;
  int handlers = 0;
  boost::asio::post(io, [&] { ++handlers; });
  boost::asio::steady_timer timer(io, std::chrono::milliseconds(20));
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) ++handlers;
  });
  const auto ran = io.run();
  check(handlers == 2, "asio handlers");
  std::printf("boost.asio %d.%d.%d: io_context ran %zu handlers\n", BOOST_VERSION / 100000,
              BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100, static_cast<size_t>(ran));

  // gRPC: TLS channel to an address where nothing listens; the call must fail cleanly.
  auto creds = grpc::SslCredentials(grpc::SslCredentialsOptions{});
  auto channel = grpc::CreateChannel(target, creds);
  std::printf("grpc %s: channel state %s\n", grpc::Version().c_str(),
              state_name(channel->GetState(true)));
  auto stub = warden::smoke::Echo::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  warden::smoke::Pong pong;
  const grpc::Status status = stub->Say(&ctx, ping, &pong);
  check(!status.ok(), "grpc call to nowhere must fail");
  std::printf("grpc call: code %d (%s), channel state %s\n", static_cast<int>(status.error_code()),
              status.error_message().c_str(), state_name(channel->GetState(false)));

  std::printf(failures == 0 ? "smoke: OK\n" : "smoke: %d FAILURES\n", failures);
  return failures == 0 ? 0 : 1;
}

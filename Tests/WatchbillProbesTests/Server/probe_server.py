#!/usr/bin/env python3
"""A loopback HTTP and HTTPS server for the probe tests, with controllable delay, status
and body. Prints one line, `PLAIN <port> TLS <port> CERT <path> PID <pid>`, then serves
until its parent exits.

  /delay/<ms>     200 "ok" after <ms> milliseconds
  /status/<code>  that status, body "status <code>"
  /body/<text>    200 with <text> as the body
  /endless        200 with a body that never ends
  /hang           sleeps 60 s before answering
"""
import os, ssl, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.strip("/").split("/", 1)
        head, arg = parts[0], parts[1] if len(parts) > 1 else ""
        try:
            if head == "delay":
                time.sleep(int(arg) / 1000)
                self.send(200, "ok")
            elif head == "status":
                self.send(int(arg), "status " + arg)
            elif head == "body":
                self.send(200, arg)
            elif head == "endless":
                self.send_response(200)
                self.end_headers()
                chunk = b"x" * 65536
                while True:
                    self.wfile.write(chunk)
            elif head == "hang":
                time.sleep(60)
                self.send(200, "late")
            else:
                self.send(200, "ok")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    do_HEAD = do_GET


def main():
    # Started by popen from a test process that may hold other tests' pipes open at that
    # moment: let go of every inherited descriptor but stdin, stdout and stderr, so those
    # pipes still reach end of file when their own processes exit.
    os.closerange(3, 65536)
    workdir = tempfile.mkdtemp(prefix="wb-probe-")
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    plain = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    secure = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    secure.socket = context.wrap_socket(secure.socket, server_side=True)
    for server in (plain, secure):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PLAIN {plain.server_address[1]} TLS {secure.server_address[1]} CERT {cert} PID {os.getpid()}", flush=True)
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Loopback exporters for the fleet tests and benchmarks. Prints `PORTS <p1> <p2> ...`
then serves until its parent exits. Every port serves:

  /metrics        the node_exporter fixture (scrape-a.txt), its counters moved on by the
                  seconds since start, so rates are real and steady
  /negotiated     the same, in OpenMetrics when the Accept header asks for it first (as
                  client_golang answers with EnableOpenMetrics), in the text format otherwise;
                  the answer's Content-Type says which
  /status/<code>  that status
  /hang           no answer for 60 s
  /stall          a 200's headers, then nothing for 60 s
  /trickle        a 200's headers, then a byte of a page every 0.2 s for 60 s
  /slow-after/<s> /metrics for the first <s> seconds of the server's life, then no answer
                  for 60 s (a host that turns slow)
  /half           a Content-Length of 100000 and 1000 bytes, then the connection closes
  /garbage        200 with text that is not the exposition format
  /auth/<token>   /metrics for `Authorization: Bearer <token>`, 401 otherwise

Usage: exporter_server.py [COUNT] [--tls]   (COUNT ports, default 1)

With --tls, one more port serves the same over TLS with a fresh self-signed certificate
for localhost and 127.0.0.1: `PORTS <p1> ... TLS <port> CERT <path>`.
"""
import os, re, socket, ssl, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = open(os.path.join(HERE, "..", "Fixtures", "scrape-a.txt")).read().splitlines()
START = time.time()
COUNTER = re.compile(r"^(node_(cpu_seconds|network_(receive|transmit)_bytes|disk_(read|written)_bytes|disk_io_time_seconds)_total)(\{[^}]*\})? (\S+)$")


def metrics(port):
    """The fixture with counters advanced: CPU about 25% busy, 10 kB/s in and out, a disk
    writing 1 MB/s; the hostname is the port, so every exporter is its own host."""
    elapsed = time.time() - START
    out = []
    for line in FIXTURE:
        m = COUNTER.match(line)
        if m:
            name, labels, value = m.group(1), m.group(5) or "", float(m.group(6))
            if name == "node_cpu_seconds_total":
                mode = re.search(r'mode="(\w+)"', labels).group(1)
                value += elapsed * {"idle": 0.75, "user": 0.2, "system": 0.05}.get(mode, 0)
            elif "network" in name:
                value += elapsed * 10000
            elif name == "node_disk_written_bytes_total":
                value += elapsed * 1000000
            line = f"{name}{labels} {value}"
        elif line.startswith("node_uname_info"):
            line = re.sub(r'nodename="[^"]*"', f'nodename="host-{port}"', line)
        elif line.startswith("node_time_seconds "):
            line = f"node_time_seconds {time.time()}"
        out.append(line)
    return ("\n".join(out) + "\n").encode()


def openmetrics(text):
    """A text-format page as OpenMetrics: a counter's family named without `_total`,
    untyped as unknown, `# EOF` at the end (what client_golang writes for the same registry)."""
    counters = set()
    out = []
    for line in text.decode().splitlines():
        m = re.match(r"^# (HELP|TYPE) (\S+) ?(.*)$", line)
        if m:
            keyword, name, rest = m.groups()
            if keyword == "TYPE" and rest == "counter" and name.endswith("_total"):
                counters.add(name)
            if name in counters or (keyword == "HELP" and name.endswith("_total")):
                name = name[: -len("_total")]
            rest = "unknown" if keyword == "TYPE" and rest == "untyped" else rest
            line = f"# {keyword} {name} {rest}"
        out.append(line)
    return ("\n".join(out) + "\n# EOF\n").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, data, kind="text/plain; version=0.0.4"):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        port = self.server.server_address[1]
        parts = self.path.strip("/").split("/", 1)
        head, arg = parts[0], parts[1] if len(parts) > 1 else ""
        try:
            if head == "metrics":
                self.send(200, metrics(port))
            elif head == "negotiated":
                if self.headers.get("Accept", "").startswith("application/openmetrics-text"):
                    self.send(200, openmetrics(metrics(port)), "application/openmetrics-text; version=1.0.0; charset=utf-8")
                else:
                    self.send(200, metrics(port))
            elif head == "status":
                self.send(int(arg), f"status {arg}\n".encode())
            elif head == "hang":
                time.sleep(60)
            elif head == "stall":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.flush()
                time.sleep(60)
            elif head == "trickle":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.end_headers()
                for b in metrics(port)[:300]:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(0.2)
            elif head == "slow-after":
                if time.time() - START < float(arg):
                    self.send(200, metrics(port))
                else:
                    time.sleep(60)
            elif head == "half":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(metrics(port)[:1000])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            elif head == "garbage":
                self.send(200, b"<html><body>Welcome to nginx!</body></html>\n")
            elif head == "auth":
                if self.headers.get("Authorization") == f"Bearer {arg}":
                    self.send(200, metrics(port))
                else:
                    self.send(401, b"unauthorized\n")
            else:
                self.send(404, b"not found\n")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass


def main():
    # Started by popen from a test process that may hold other tests' pipes open: let go
    # of every inherited descriptor but stdin, stdout and stderr.
    os.closerange(3, 65536)
    args = [a for a in sys.argv[1:] if a != "--tls"]
    count = int(args[0]) if args else 1
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(count)]
    line = "PORTS " + " ".join(str(s.server_address[1]) for s in servers)
    if "--tls" in sys.argv:
        workdir = tempfile.mkdtemp(prefix="wb-exporter-")
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        secure = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        secure.socket = context.wrap_socket(secure.socket, server_side=True)
        servers.append(secure)
        line += f" TLS {secure.server_address[1]} CERT {cert}"
    for s in servers:
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print(line, flush=True)
    # Exit with the parent (the test process, or the benchmark script).
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Serves the files of one directory on loopback for Prometheus to scrape, as an exporter
would: GET /NAME answers the file's bytes, as OpenMetrics (`application/openmetrics-text`)
when NAME ends in .om and as the text format otherwise. Prints `PORT <port>`, then serves
until its parent exits (or for 300 s at most).

Usage: pages_server.py DIRECTORY
"""
import os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = sys.argv[1]
OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"
TEXT = "text/plain; version=0.0.4; charset=utf-8"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = os.path.basename(self.path.split("?")[0])
        path = os.path.join(ROOT, name)
        if not name or not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", OPENMETRICS if name.endswith(".om") else TEXT)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("PORT", server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
# The parent holds our stdin open; its end (or 300 s) ends the server.
threading.Timer(300, lambda: os._exit(0)).start()
sys.stdin.read()
os._exit(0)

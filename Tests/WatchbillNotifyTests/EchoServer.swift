import Foundation

/// A loopback HTTP server in Python that records every POST (path, Authorization,
/// Content-Type, body) as a JSON line in a file, and answers by path:
/// `.../status/<code>` with that status, `.../echo` echoing the Authorization header back
/// in the body, `.../slow/<seconds>` after sleeping, anything else 200. One per test process,
/// shared by tests that each use their own paths; it exits, removing its directory, when
/// the test process does.
final class EchoServer: @unchecked Sendable {
    let port: Int
    let recordPath: String
    private let process: ChildProcess

    static let shared: EchoServer? = try? EchoServer()
    static let python = "/usr/bin/python3"

    private init() throws {
        let dir = try temporaryDirectory("wb-echo")
        let script = dir + "/echo_server.py"
        let portFile = dir + "/port"
        recordPath = dir + "/requests.jsonl"
        try EchoServer.source.write(toFile: script, atomically: true, encoding: .utf8)
        process = try ChildProcess([EchoServer.python, script, recordPath, portFile], output: dir + "/server.log")
        var found: Int?
        _ = eventually(timeout: 10) {
            found = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            return found != nil
        }
        guard let found else {
            process.stop()
            throw CocoaError(.fileReadNoSuchFile)
        }
        port = found
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    struct Request {
        var path: String
        var authorization: String?
        var contentType: String?
        var body: String
    }

    /// The requests received so far whose path starts with `prefix`.
    func requests(under prefix: String) -> [Request] {
        let text = (try? String(contentsOfFile: recordPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let r = try? json(String(line)) as? [String: Any], let path = r["path"] as? String,
                  path.hasPrefix(prefix) else { return nil }
            return Request(path: path, authorization: r["authorization"] as? String,
                           contentType: r["contentType"] as? String, body: r["body"] as? String ?? "")
        }
    }

    static let source = #"""
import http.server, json, os, shutil, sys, threading, time

record_path, port_path = sys.argv[1], sys.argv[2]
parent = os.getppid()
lock = threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8", "replace")
        parts = self.path.strip("/").split("/")
        if "slow" in parts:
            time.sleep(float(parts[parts.index("slow") + 1]))
        status = int(parts[parts.index("status") + 1]) if "status" in parts else 200
        reply = b"ok"
        if "echo" in parts:
            reply = ("you sent Authorization: " + self.headers.get("Authorization", "")).encode()
        record = {"path": self.path, "authorization": self.headers.get("Authorization"),
                  "contentType": self.headers.get("Content-Type"), "body": body}
        with lock, open(record_path, "a") as f:
            f.write(json.dumps(record) + "\n")
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_path + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_path + ".tmp", port_path)

def watchdog():
    started = time.time()
    while os.getppid() == parent and time.time() - started < 600:
        time.sleep(0.5)
    shutil.rmtree(os.path.dirname(record_path), ignore_errors=True)
    os._exit(0)

threading.Thread(target=watchdog, daemon=True).start()
server.serve_forever()
"""#
}

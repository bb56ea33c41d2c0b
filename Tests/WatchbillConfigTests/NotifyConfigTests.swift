import Testing
import WatchbillCore
@testable import WatchbillConfig

@Suite struct NotifyConfigTests {
    func parse(_ yaml: String, environment: [String: String] = [:]) throws -> NotifySettings {
        try ConfigFile.parse(yaml, file: "c.yaml", environment: environment).notify
    }

    func error(_ yaml: String, environment: [String: String] = [:]) -> String {
        do {
            _ = try ConfigFile.parse(yaml, file: "c.yaml", environment: environment)
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    @Test func alertmanagerAndWebhooksWithTokensFromTheEnvironmentOrAFile() throws {
        let n = try parse("""
            notify:
              external_url: http://oncall-box/
              alertmanager:
                url: http://127.0.0.1:9093
                token: ${AM_TOKEN}
                timeout: 3s
              webhooks:
                - name: chat
                  url: https://hooks.example.com/w
                  token_file: /run/secrets/hook
                - url: http://127.0.0.1:8080/hook
            """, environment: ["AM_TOKEN": "s3cret"])
        #expect(n.externalURL == "http://oncall-box/")
        #expect(n.targets.map(\.name) == ["alertmanager", "chat", "webhook2"])
        #expect(n.targets.map(\.kind) == [.alertmanager, .webhook, .webhook])
        #expect(n.targets[0].token?.revealed == "s3cret" && n.targets[0].timeout == 3)
        #expect(n.targets[1].tokenFile == "/run/secrets/hook" && n.targets[1].token == nil)
        // The token never shows in a description of the settings.
        #expect(!"\(n)".contains("s3cret"))
    }

    @Test func aLiteralTokenIsRefusedWithItsPosition() {
        let e = error("notify:\n  alertmanager:\n    url: http://127.0.0.1:9093\n    token: abc123\n")
        #expect(e == "c.yaml:4:12: token must come from the environment, as token: ${VAR}, or from token_file:")
        #expect(!e.contains("abc123") || e.contains("as token"))
    }

    @Test func badTargetsNameTheLine() {
        #expect(error("notify:\n  alertmanager:\n    url: ftp://x\n") == "c.yaml:3:10: bad url: the URL must start with http:// or https://")
        #expect(error("notify:\n  alertmanager:\n    timeout: 5s\n") == "c.yaml:3:5: alertmanager needs a url")
        #expect(error("notify:\n  alertmanager:\n    url: http://a\n    token: ${T}\n", environment: [:])
                == "c.yaml:4:12: header 'token': environment variable 'T' is not set")
        #expect(error("notify:\n  webhooks: {url: http://a}\n").hasPrefix("c.yaml:2:13: webhooks must be a list"))
        #expect(error("notify:\n  webhooks:\n    - {name: a, url: http://a}\n    - {name: a, url: http://b}\n")
                == "c.yaml:4:7: a notify target named 'a' is already defined")
        #expect(error("notify:\n  pagerduty: {}\n").hasPrefix("c.yaml:2:3: unknown key 'pagerduty' in notify"))
        #expect(error("notify:\n  webhooks:\n    - {name: alertmanager, url: http://a}\n  alertmanager:\n    url: http://b\n")
                == "c.yaml:5:5: a notify target named 'alertmanager' is already defined")
        #expect(error("notify:\n  alertmanager: {url: http://a, timeout: 10m}\n") == "c.yaml:2:42: timeout must be at most 5m")
    }

    @Test func incidentsAutoOpenIsOffUnlessAsked() throws {
        #expect(try ConfigFile.parse("probes: []\n", file: "c.yaml", environment: [:]).autoOpenIncidents == false)
        #expect(try ConfigFile.parse("incidents:\n  auto_open: true\n", file: "c.yaml", environment: [:]).autoOpenIncidents)
        #expect(error("incidents:\n  auto_open: maybe\n") == "c.yaml:2:14: auto_open must be true or false")
        #expect(error("incidents:\n  open: true\n").hasPrefix("c.yaml:2:3: unknown key 'open' in incidents"))
    }
}

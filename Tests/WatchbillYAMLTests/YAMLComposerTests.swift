import Testing
import WatchbillYAML

@Suite struct YAMLComposerTests {
    @Test func aDocumentBecomesATreeWithMarks() throws {
        let root = try #require(try YAML.compose("""
            groups:
              - name: node
                rules:
                  - alert: Down
                    expr: up == 0
                    for: 5m
            """))
        let groups = try #require(root.mapping?["groups"]?.sequence)
        #expect(groups.count == 1)
        let rule = try #require(groups[0].mapping?["rules"]?.sequence?.first?.mapping)
        #expect(rule.map { $0.key.string } == ["alert", "expr", "for"])
        #expect(rule["expr"]?.string == "up == 0")
        #expect(rule["expr"]?.mark == Node.Mark(line: 5, column: 15))
        #expect(rule[0].key.mark == Node.Mark(line: 4, column: 9))
    }

    @Test func scalarsKeepTheirStyleAndText() throws {
        let root = try #require(try YAML.compose("""
            plain: yes
            single: 'it''s'
            double: "tab\\there"
            literal: |
              line one
              line two
            folded: >
              one
              two
            empty:
            """))
        let m = try #require(root.mapping)
        #expect(m["plain"]?.scalar?.style == .plain && m["plain"]?.bool == true)
        #expect(m["single"]?.string == "it's" && m["single"]?.scalar?.style == .singleQuoted)
        #expect(m["double"]?.string == "tab\there" && m["double"]?.scalar?.style == .doubleQuoted)
        #expect(m["literal"]?.string == "line one\nline two\n" && m["literal"]?.scalar?.style == .literal)
        #expect(m["folded"]?.string == "one two\n" && m["folded"]?.scalar?.style == .folded)
        #expect(m["empty"]?.string == "" && m["empty"]?.scalar?.style == .plain)
        #expect(m["missing"] == nil)
    }

    @Test func emptyTextAndCommentsAreNoDocument() throws {
        #expect(try YAML.compose("") == nil)
        #expect(try YAML.compose("# only a comment\n\n") == nil)
    }

    @Test func aliasesStandForWhatTheyName() throws {
        let root = try #require(try YAML.compose("""
            base: &labels {team: sre, severity: P2}
            rule: *labels
            """))
        #expect(root.mapping?["rule"]?.mapping?["team"]?.string == "sre")
        #expect(root.mapping?["rule"]?.mapping?["severity"]?.string == "P2")
        #expect(throws: YAMLError.self) { try YAML.compose("a: *nowhere\n") }
    }

    @Test func errorsSayWhatAndWhere() {
        func error(_ text: String) -> YAMLError? {
            do { _ = try YAML.compose(text); return nil } catch { return error as? YAMLError }
        }
        let bad = error("slo:\n  window: 5s\n  bad: value: x\n")
        #expect(bad?.kind == .scanner && bad?.mark == Node.Mark(line: 3, column: 13))
        #expect(bad?.problem == "mapping values are not allowed in this context")
        let open = error("a: \"unterminated\n")
        #expect(open?.description == "found unexpected end of stream (while scanning a quoted scalar from line 1)")
        let twice = error("slo:\n  window: 5s\n  window: 6s\n")
        #expect(twice?.kind == .duplicateKey && twice?.key == "window" && twice?.mark == Node.Mark(line: 2, column: 3))
        #expect(twice?.description == "key 'window' appears more than once in one mapping")
        let second = error("a: 1\n---\nb: 2\n")
        #expect(second?.kind == .composer && second?.mark == Node.Mark(line: 2, column: 1))
    }

    /// A character YAML does not allow is reported at its line and column, counted in
    /// characters (the reader itself counts bytes).
    @Test func aForbiddenCharacterIsAReaderErrorAtItsPlace() {
        do {
            _ = try YAML.compose("name: café\nbad: \u{1}\n")
            Issue.record("a control character was taken")
        } catch let e as YAMLError {
            #expect(e.kind == .reader && e.mark == Node.Mark(line: 2, column: 6), "\(e.mark)")
        } catch {
            Issue.record("\(error)")
        }
    }

    /// Nesting deeper than the bound is an error, not a stack overflow in the readers (which
    /// walk the tree recursively) or when the tree is freed.
    @Test func deepNestingIsRefusedAtTheBound() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try YAML.compose(deep)
            Issue.record("100,000 levels taken")
        } catch let e as YAMLError {
            #expect(e.kind == .tooDeep && e.mark == Node.Mark(line: 1, column: YAML.maxDepth + 1))
        }
        let fine = String(repeating: "[", count: YAML.maxDepth) + String(repeating: "]", count: YAML.maxDepth)
        #expect(try YAML.compose(fine) != nil)
    }
}

/// Applies keys.toml's binding requests to the defaults under the keymap rules
/// (docs/keys.md): nothing that changes the inbox on a navigation key, only free keys in the
/// composer, one action per key in a context. A request that breaks a rule is dropped whole,
/// so its action keeps its default keys; a binding that works but is hidden somewhere gets a
/// warning.
struct KeymapResolver {
    let file: String
    let table: ActionTable
    private(set) var problems: [KeymapProblem] = []

    init(file: String, table: ActionTable) {
        self.file = file
        self.table = table
    }

    mutating func resolve(_ requests: [BindingRequest]) -> Keymap {
        var accepted: [BindingRequest] = []
        for request in requests where isAllowed(request) { accepted.append(request) }
        var keymap = Keymap(table: table)
        // Dropping a request gives its action back its defaults, which can clash with another
        // request; so repeat until no clash is left. Defaults never clash with each other
        // (tested), so each round drops a request and the loop ends.
        while true {
            keymap = Keymap(table: table)
            for request in accepted { keymap.bind(request.action, to: request.keys, in: request.context) }
            guard let clash = firstConflict(in: keymap), let dropped = culprit(of: clash, among: accepted) else { break }
            accepted.removeAll { $0 == dropped }
            let names = clash.actions.map(\.rawValue)
            let others = names.filter { $0 != dropped.action.rawValue }.joined(separator: " and ")
            report(dropped.line, "\"\(clash.key.name)\" is bound to both \(names.joined(separator: " and ")) in [\(clash.context.rawValue)]; pick another key for one of them (or rebind \(others) too); \(Self.keepsDefaults(dropped.action, dropped.context, table: table))")
        }
        for request in accepted { warnAboutHiddenKeys(request, in: keymap) }
        return keymap
    }

    /// The rules one request must follow on its own.
    private mutating func isAllowed(_ request: BindingRequest) -> Bool {
        let name = request.action.rawValue
        let context = request.context.rawValue
        let keeps = Self.keepsDefaults(request.action, request.context, table: table)
        for key in request.keys {
            if request.context == .composer && !key.isAllowedInComposer {
                let why = key.isPrintable ? "there it types text" : TextEditor.usesKey(key) ? "the editor uses it" : "only Ctrl keys, function keys and Esc are free there"
                report(request.line, "\"\(key.name)\" cannot be bound in [composer]: \(why); use a Ctrl key such as C-s, a function key such as F2, or Esc; \(keeps)")
                return false
            }
            if table.entry(for: request.action).changesState && key.isNavigation {
                report(request.line, "\(name) cannot be on \"\(key.name)\" in [\(context)]: it is a navigation key, and one stray press would change the inbox; pick a letter or a Ctrl key; \(keeps)")
                return false
            }
        }
        return true
    }

    private func firstConflict(in keymap: Keymap) -> (context: KeyContext, key: Key, actions: [ActionID])? {
        for context in KeyContext.allCases {
            if let first = keymap.conflicts(in: context).first { return (context, first.key, first.actions) }
        }
        return nil
    }

    /// Which request to drop for a clash: the one written last (a default never is one).
    private func culprit(of clash: (context: KeyContext, key: Key, actions: [ActionID]), among requests: [BindingRequest]) -> BindingRequest? {
        requests
            .filter { $0.context == clash.context && clash.actions.contains($0.action) && $0.keys.contains(clash.key) }
            .max { ($0.line ?? Int.max) < ($1.line ?? Int.max) }
    }

    /// Generic keys a context binds to something else do nothing there, and a context key hides
    /// the generic action on it: both are allowed (that is how contexts work) but are likely
    /// surprises after a rebinding, so they are reported as warnings.
    private mutating func warnAboutHiddenKeys(_ request: BindingRequest, in keymap: Keymap) {
        let name = request.action.rawValue
        for key in request.keys {
            if request.context == .generic {
                var hiddenIn: [String] = []
                var winners: [String] = []
                for context in KeyContext.allCases where context != .generic {
                    // Printable keys never act in the composer: expected, not a surprise.
                    if context == .composer && TextEditor.usesKey(key) { continue }
                    if let other = keymap.actionBound(to: key, in: context), other != request.action {
                        hiddenIn.append("[\(context.rawValue)]")
                        if !winners.contains(other.rawValue) { winners.append(other.rawValue) }
                    }
                }
                guard !hiddenIn.isEmpty else { continue }
                report(request.line, "\"\(key.name)\" for \(name) in [generic] does nothing in \(hiddenIn.joined(separator: " and ")), where it is \(winners.joined(separator: " and ")); pick another key if \(name) should work there too", severity: .warning)
            } else if let hidden = keymap.actionBound(to: key, in: .generic), hidden != request.action {
                let left = keymap.effectiveKeys(for: hidden, in: request.context).map(\.name)
                let rest = left.isEmpty ? "\(hidden.rawValue) has no key left there" : "\(hidden.rawValue) is left with \(left.joined(separator: " ")) there"
                report(request.line, "\"\(key.name)\" for \(name) in [\(request.context.rawValue)] hides \(hidden.rawValue) from [generic]; \(rest)", severity: .warning)
            }
        }
    }

    /// "claim keeps its default keys (c)", for the end of a message about a dropped binding.
    static func keepsDefaults(_ action: ActionID, _ context: KeyContext, table: ActionTable) -> String {
        let defaults = table.entry(for: action).defaults[context] ?? []
        if defaults.isEmpty { return "\(action.rawValue) stays without a key in [\(context.rawValue)]" }
        return "\(action.rawValue) keeps its default keys (\(defaults.map(\.name).joined(separator: " ")))"
    }

    private mutating func report(_ line: Int?, _ message: String, severity: KeymapProblem.Severity = .error) {
        problems.append(KeymapProblem(file: file, line: line, message: message, severity: severity))
    }
}

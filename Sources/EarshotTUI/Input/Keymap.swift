/// Which key runs which action, per context: the action table's defaults, then the user's
/// keys.toml (``KeymapLoader``). A value type, so the app keeps it in its state and tests build
/// their own.
///
/// Lookup: the focused context first, then `generic`. In the composer a key that types or
/// edits text (``TextEditor/usesKey(_:)``) never runs an action, whatever is bound to it, so
/// `q` (back) types a q there while Ctrl-C still quits. The app asks the keymap first and
/// gives the key to the ``TextEditor`` when the keymap returns nil.
public struct Keymap: Sendable, Equatable {
    /// The table the bindings started from; help takes names and summaries from it.
    public let table: ActionTable
    /// Keys per action per context, in the order they were given (help shows the first first).
    private var bindings: [KeyContext: [ActionID: [Key]]]
    /// The reverse index, rebuilt on every change.
    private var lookup: [KeyContext: [Key: ActionID]]

    /// The defaults of `table`.
    public init(table: ActionTable = .standard) {
        self.table = table
        var bindings: [KeyContext: [ActionID: [Key]]] = [:]
        for entry in table.entries {
            for (context, keys) in entry.defaults { bindings[context, default: [:]][entry.action] = keys }
        }
        self.bindings = bindings
        lookup = [:]
        rebuildLookup()
    }

    /// The standard defaults.
    public static let standard = Keymap()

    /// The action `key` runs when `context` has the focus, or nil (in the composer: let the
    /// editor have it).
    public func action(for key: Key, in context: KeyContext) -> ActionID? {
        if context == .composer && TextEditor.usesKey(key) { return nil }
        if let action = lookup[context]?[key] { return action }
        return context == .generic ? nil : lookup[.generic]?[key]
    }

    /// The action bound to `key` in exactly this context (no fallback to `generic`).
    public func actionBound(to key: Key, in context: KeyContext) -> ActionID? {
        lookup[context]?[key]
    }

    /// The keys bound to `action` in exactly this context, as help lists them.
    public func keys(for action: ActionID, in context: KeyContext) -> [Key] {
        bindings[context]?[action] ?? []
    }

    /// The keys that run `action` when `context` has the focus: its own bindings plus the
    /// generic ones the context does not hide. For hints such as "F1 help" in the composer.
    public func effectiveKeys(for action: ActionID, in context: KeyContext) -> [Key] {
        var keys = keys(for: action, in: context)
        if context != .generic {
            keys += self.keys(for: action, in: .generic).filter { !keys.contains($0) && actionBound(to: $0, in: context) == nil }
        }
        return keys.filter { self.action(for: $0, in: context) == action }
    }

    /// Replaces the keys of `action` in `context` (an empty list unbinds it there). A key
    /// already bound to another action in the context keeps running the one earlier in the
    /// table; ``KeymapLoader`` refuses such bindings before they get here.
    public mutating func bind(_ action: ActionID, to keys: [Key], in context: KeyContext) {
        var unique: [Key] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        bindings[context, default: [:]][action] = unique
        rebuildLookup()
    }

    /// Keys bound to more than one action in `context`, with those actions in table order.
    public func conflicts(in context: KeyContext) -> [(key: Key, actions: [ActionID])] {
        var seen: [Key: [ActionID]] = [:]
        var order: [Key] = []
        for entry in table.entries {
            for key in keys(for: entry.action, in: context) {
                if seen[key] == nil { order.append(key) }
                seen[key, default: []].append(entry.action)
            }
        }
        return order.compactMap { key in
            let actions = seen[key]!
            return actions.count > 1 ? (key, actions) : nil
        }
    }

    public static func == (lhs: Keymap, rhs: Keymap) -> Bool {
        lhs.table == rhs.table && lhs.bindings == rhs.bindings
    }

    private mutating func rebuildLookup() {
        lookup = [:]
        // Table order, first binding wins: deterministic even if a conflict slipped through.
        for entry in table.entries {
            for (context, actions) in bindings {
                for key in actions[entry.action] ?? [] where lookup[context]?[key] == nil {
                    lookup[context, default: [:]][key] = entry.action
                }
            }
        }
    }
}

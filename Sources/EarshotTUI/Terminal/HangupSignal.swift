import Foundation
import Synchronization

/// SIGHUP as a flag the app loop reads, so a hangup ends the inbox the way a terminal that
/// went away does (the draft saved, the connection closed) instead of killing it between two
/// draft saves. A SIGHUP that was ignored when the process started (`nohup`, a parent that
/// handles it) stays ignored; end of input on the terminal catches those cases.
enum HangupSignal {
    private static let flag = Atomic<Bool>(false)

    /// Whether a SIGHUP arrived since ``install()``.
    static var received: Bool { flag.load(ordering: .relaxed) }

    /// Handles SIGHUP unless it is ignored. No `SA_RESTART`: the signal also ends a wait for a key.
    static func install() {
        _ = received  // the static is initialized here, never first inside the handler
        var current = sigaction()
        guard sigaction(SIGHUP, nil, &current) == 0,
              unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self)
        else { return }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in HangupSignal.flag.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGHUP, &action, nil)
    }
}

import Dispatch

/// Runs the live accounts' async work on Dispatch threads of their own instead of Swift's
/// cooperative pool (one thread per core): a caller elsewhere in the process that blocks that
/// pool (a synchronous wait on a 2-core box) must never hold a mention or a reply back.
final class AccountExecutor: TaskExecutor {
    static let shared = AccountExecutor()
    private let queue = DispatchQueue(label: "earshot.accounts", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The operations of the inbox, one type each (see `InboxRequest`). Their wire names and
/// params are listed in docs/protocol.md, whose examples come from `ProtocolExampleTests`.
public enum Inbox {
    /// Every operation, by the name the daemon knows it by.
    public static let requests: [any InboxRequest.Type] = [
        WhoAmI.self,
        Claim.self, Assign.self, Release.self, Resolve.self, Reopen.self, Snooze.self,
        SetPriority.self, SetClass.self, Label.self, AddNote.self,
        SaveDraft.self, GetDraft.self, SendReply.self, CancelReply.self, RetryReply.self, GetReply.self, Outbox.self,
        Queue.self, GetThread.self, Summary.self, Events.self, Stats.self, Forecast.self, Supervisor.self, ResponderLogin.self,
        SetPresence.self, GetPresence.self, ReportActivity.self, Route.self,
        AddResponder.self, UpdateResponder.self, RemoveResponder.self, ListResponders.self,
        ListAccounts.self,
        Waves.self, GetWave.self, OpenWave.self, MergeWaves.self, TakeOutOfWave.self, AnswerWave.self,
    ]

    static let byMethod: [String: any InboxRequest.Type] = Dictionary(uniqueKeysWithValues: requests.map { ($0.method, $0) })
}

import Foundation

/// The Erlang C model of a team answering a queue (docs/forecast.md): arrivals at random
/// (Poisson) at a steady rate, handling times exponential around their mean, `agents`
/// responders taking the longest-waiting conversation first, nobody giving up.
public enum ErlangC {
    /// The offered load in erlangs: how many responders would be busy all the time.
    public static func traffic(arrivalsPerHour: Double, handlingSeconds: Double) -> Double {
        max(0, arrivalsPerHour) / 3_600 * max(0, handlingSeconds)
    }

    /// The probability that an arrival waits at all. Computed through the Erlang B recursion,
    /// which stays finite where the textbook form's factorials overflow (hundreds of agents).
    public static func waitProbability(agents: Int, traffic: Double) -> Double {
        guard traffic > 0 else { return 0 }
        guard agents > 0, Double(agents) > traffic else { return 1 }
        var blocking = 1.0
        for k in 1...agents { blocking = traffic * blocking / (Double(k) + traffic * blocking) }
        let n = Double(agents)
        return n * blocking / (n - traffic * (1 - blocking))
    }

    /// The share of arrivals answered within `targetSeconds` of arriving.
    public static func serviceLevel(agents: Int, traffic: Double, handlingSeconds: Double, targetSeconds: Double) -> Double {
        guard traffic > 0 else { return 1 }
        guard agents > 0, Double(agents) > traffic, handlingSeconds > 0 else { return 0 }
        let waits = waitProbability(agents: agents, traffic: traffic)
        return 1 - waits * exp(-(Double(agents) - traffic) * targetSeconds / handlingSeconds)
    }

    /// The fewest responders that answer `goal` (0 to 1) of arrivals within the target; 0 when
    /// nothing arrives.
    public static func agentsNeeded(arrivalsPerHour: Double, handlingSeconds: Double, targetSeconds: Double, goal: Double) -> Int {
        let load = traffic(arrivalsPerHour: arrivalsPerHour, handlingSeconds: handlingSeconds)
        guard load > 0 else { return 0 }
        var agents = Int(load.rounded(.down)) + 1
        // The service level rises towards 1 with each responder, so this ends for any goal below 1.
        while serviceLevel(agents: agents, traffic: load, handlingSeconds: handlingSeconds, targetSeconds: targetSeconds) < min(goal, 0.999_999) {
            agents += 1
        }
        return agents
    }
}

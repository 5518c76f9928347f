import Foundation
import HubDoctorCore
import HubDoctorSimulator

/// A running simulator with a connection file beside it, in a folder of its own.
public final class SimulatorHarness: @unchecked Sendable {
    public let simulator: ProviderSimulator
    public let files: DemoConnection.Files
    public let home: URL

    public init(scenario: Scenario, credentials: SimulatorCredentials = SimulatorCredentials(), methods: Set<AuthType> = Set(AuthType.allCases), admin: Bool = true) throws {
        simulator = ProviderSimulator(scenario: scenario, credentials: credentials)
        try simulator.start()
        home = try Fixtures.temporaryDirectory("hubdoctor-sim")
        files = try DemoConnection.write(for: simulator, scenario: scenario, into: home.appendingPathComponent("connection"), methods: methods, admin: admin)
    }

    public convenience init(_ name: String) throws {
        guard let scenario = Scenario.named(name) else { throw SimulatorError("no scenario \(name)") }
        try self.init(scenario: scenario)
    }

    deinit { simulator.stop() }

    /// The environment for a hubdoctor run: its own HOME, cache and state folders.
    public var environment: [String: String] {
        ["HOME": home.path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path, "XDG_STATE_HOME": home.appendingPathComponent("state").path]
    }

    public func diagnose(_ extra: [String] = []) throws -> CommandRunner.Result {
        try CommandRunner.run(["diagnose", files.connection.path] + extra, environment: environment, directory: home)
    }
}

public struct SimulatorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

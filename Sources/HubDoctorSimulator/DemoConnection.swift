import Foundation
import HubDoctorCore
import HubDoctorTransport

/// A connection file for a simulator, with every auth method, its secrets in 0600 files beside it
/// (so a rotated refresh token is written back to its file). Used by `hubdoctor demo` and the tests.
public enum DemoConnection {
    public struct Files: Sendable {
        public var connection: URL
        public var refreshTokenFile: URL
    }

    /// Host names for scenarios that must not reach the simulator.
    public static let invalidHost = "api.hubdoctor-demo.invalid"

    /// Writes `connection.yaml` and its secret files into `directory`.
    public static func write(
        for simulator: ProviderSimulator, scenario: Scenario, into directory: URL, methods: Set<AuthType> = Set(AuthType.allCases),
        admin: Bool = true
    ) throws -> Files {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secrets = directory.appendingPathComponent("secrets", isDirectory: true)
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let credentials = simulator.credentials
        func secret(_ name: String, _ value: String) throws -> String {
            try SecretFile.write(Data((value + "\n").utf8), to: secrets.appendingPathComponent(name))
            return "${file:secrets/\(name)}"
        }
        var base = simulator.baseURL
        switch scenario.network {
        case .closedPort: base = "http://127.0.0.1:\(try closedPort())"
        case .invalidHost: base = "https://\(invalidHost)"
        default: break
        }
        var yaml = """
            # A connection to the hubdoctor provider simulator (scenario: \(scenario.name): \(scenario.summary)).
            name: demo-\(scenario.name)
            base_url: \(base)
            probe:
              method: GET
              path: \(ProviderSimulator.apiPath)

            """
        if admin { yaml += "  admin_path: \(ProviderSimulator.adminPath)\n" }
        yaml += "required_scopes: [read:employees]\n"
        if let pem = simulator.tls?.caPEM {
            let ca = directory.appendingPathComponent("simulator-ca.pem")
            try Data(pem.utf8).write(to: ca)
            yaml += "tls:\n  ca_file: \(ca.path)\n"
        }
        yaml += "auth:\n"
        if methods.contains(.apiKey) {
            yaml += "  - type: api_key\n    key: \(try secret("api_key", credentials.apiKey))\n"
        }
        if methods.contains(.basic) {
            yaml += "  - type: basic\n    username: \(credentials.username)\n    password: \(try secret("password", credentials.password))\n"
        }
        if methods.contains(.serviceUser) {
            yaml += """
                  - type: service_user
                    headers:
                      X-Service-User-ID: \(try secret("service_user_id", credentials.serviceUserID))
                      X-Service-User-Token: \(try secret("service_user_token", credentials.serviceUserToken))

                """
        }
        let clientSecret = try secret("client_secret", credentials.clientSecret)
        if methods.contains(.oauth2ClientCredentials) {
            yaml += """
                  - type: oauth2_client_credentials
                    token_url: \(base)/oauth/token
                    client_id: \(credentials.clientID)
                    client_secret: \(clientSecret)
                    scopes: [read:employees]
                    client_auth: basic

                """
        }
        let refresh = secrets.appendingPathComponent("refresh_token")
        if methods.contains(.oauth2AuthorizationCode) {
            yaml += """
                  - type: oauth2_authorization_code
                    authorize_url: \(base)/oauth/authorize
                    token_url: \(base)/oauth/token
                    client_id: \(credentials.clientID)
                    client_secret: \(clientSecret)
                    redirect_uri: \(credentials.redirectURI)
                    scopes: [read:employees, offline_access]
                    refresh_token: \(try secret("refresh_token", credentials.refreshToken))
                    client_auth: post

                """
        }
        let connection = directory.appendingPathComponent("connection.yaml")
        try Data(yaml.utf8).write(to: connection)
        return Files(connection: connection, refreshTokenFile: refresh)
    }

    /// A loopback port nobody listens on: bound, then released.
    public static func closedPort() throws -> Int {
        let server = try LoopbackServer { _ in ServerResponse(status: 503) }
        let port = server.port
        server.stop()
        return port
    }
}

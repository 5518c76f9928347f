import Foundation

/// The outcome for one auth method, as the report and the JSON show it.
public struct MethodDiagnosis: Encodable, Sendable {
    public enum Status: String, Codable, Sendable {
        case works, fails, skipped
    }

    public struct ExchangeSummary: Codable, Sendable, Equatable {
        public var stage: Stage
        public var method: String
        public var url: String
        public var status: Int?
        public var error: String?
        public var timingsMs: Timings

        enum CodingKeys: String, CodingKey {
            case stage, method, url, status, error
            case timingsMs = "timings_ms"
        }
    }

    public var id: String
    public var type: AuthType
    public var status: Status
    public var finding: Finding
    public var credential: String?
    public var notes: [String]
    public var exchanges: [ExchangeSummary]
    /// The full redacted exchanges, for the HAR and the verbose trace (not in the JSON).
    public var records: [Exchange]

    /// The finding's own keys sit beside these in the same object (see `Finding`'s coding).
    enum CodingKeys: String, CodingKey {
        case id, type, status, credential, notes, exchanges
    }

    public init(id: String, type: AuthType, status: Status, finding: Finding, credential: String?, notes: [String], records: [Exchange]) {
        self.id = id
        self.type = type
        self.status = status
        self.finding = finding
        self.credential = credential
        self.notes = notes
        self.records = records
        self.exchanges = records.map {
            ExchangeSummary(stage: $0.stage, method: $0.request.method, url: $0.request.url, status: $0.status, error: $0.failure?.code, timingsMs: $0.timings)
        }
    }

    public func encode(to encoder: Encoder) throws {
        try finding.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(credential, forKey: .credential)
        try container.encode(notes, forKey: .notes)
        try container.encode(exchanges, forKey: .exchanges)
    }
}

/// A whole diagnosis: one result per probed method, and what comparing them says.
public struct Diagnosis: Encodable, Sendable {
    public struct ConnectionInfo: Codable, Sendable {
        public var name: String
        public var baseURL: String
        public var file: String
        public var provider: String?

        enum CodingKeys: String, CodingKey {
            case name, file, provider
            case baseURL = "base_url"
        }
    }

    public var schema = "hubdoctor.diagnosis/v1"
    public var connection: ConnectionInfo
    public var methods: [MethodDiagnosis]
    /// Conclusions from comparing methods ("the API key works but OAuth lacks a scope").
    public var differentials: [String]
    public var warnings: [String]
    public var bundle: String?
    public var generatedAt: Date
    public var hubdoctor = HubDoctorVersion.current

    enum CodingKeys: String, CodingKey {
        case schema, connection, methods, differentials, warnings, bundle, hubdoctor
        case generatedAt = "generated_at"
    }

    public init(connection: ConnectionInfo, methods: [MethodDiagnosis], differentials: [String], warnings: [String], generatedAt: Date) {
        self.connection = connection
        self.methods = methods
        self.differentials = differentials
        self.warnings = warnings
        self.generatedAt = generatedAt
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(connection, forKey: .connection)
        try container.encode(methods, forKey: .methods)
        try container.encode(differentials, forKey: .differentials)
        try container.encode(warnings, forKey: .warnings)
        // `bundle` is always present: a path or null.
        if let bundle { try container.encode(bundle, forKey: .bundle) } else { try container.encodeNil(forKey: .bundle) }
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(hubdoctor, forKey: .hubdoctor)
    }

    public var exitCode: Int32 { ExitStatus.forClasses(methods.map(\.finding.failureClass)) }
}

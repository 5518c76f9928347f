import CSQLite
import Foundation

/// A SQLite connection: the little of the C API the index needs, with errors as Swift values.
final class SQLiteDatabase {
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        let message: String
        var description: String { "SQLite error \(code): \(message)" }
    }

    private(set) var handle: OpaquePointer?

    /// Opens (or with `create`, creates) the database at `path`; ":memory:" for an in-memory one.
    init(path: String, create: Bool, readOnly: Bool = false) throws {
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        if status != SQLITE_OK {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw Failure(code: status, message: message)
        }
    }

    deinit { sqlite3_close(handle) }

    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "unknown"
            sqlite3_free(errorMessage)
            throw Failure(code: status, message: message)
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw Failure(code: status, message: String(cString: sqlite3_errmsg(handle)))
        }
        return Statement(statement, database: self)
    }

    var lastError: Failure { Failure(code: sqlite3_errcode(handle), message: String(cString: sqlite3_errmsg(handle))) }

    /// A prepared statement; finalized when released.
    final class Statement {
        private let statement: OpaquePointer
        private let database: SQLiteDatabase

        fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase) {
            self.statement = statement
            self.database = database
        }

        deinit { sqlite3_finalize(statement) }

        func reset() {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }

        func bind(_ index: Int32, _ text: String) {
            sqlite3_bind_text(statement, index, text, -1, hd_sqlite_transient())
        }

        func bind(_ index: Int32, _ value: Int64) {
            sqlite3_bind_int64(statement, index, value)
        }

        /// Steps once: true when a row is ready, false when done.
        func step() throws -> Bool {
            let status = sqlite3_step(statement)
            if status == SQLITE_ROW { return true }
            if status == SQLITE_DONE { return false }
            throw database.lastError
        }

        /// Runs a statement that returns no rows.
        func run() throws {
            while try step() {}
            reset()
        }

        func text(_ column: Int32) -> String {
            guard let pointer = sqlite3_column_text(statement, column) else { return "" }
            return String(cString: pointer)
        }

        func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    }
}

import ArgumentParser
import Foundation
import HubDoctorCore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented connection file template.",
        discussion: "Without --output the template is printed. Providers with a template: see `hubdoctor kb list --kind provider`.")

    @Option(help: ArgumentHelp("Start from this provider's template (hibob, workday, bamboohr, greenhouse, salesforce, microsoft-entra, google, ...).", valueName: "NAME"))
    var provider: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the template to FILE instead of printing it.", valueName: "FILE"))
    var output: String?

    @Flag(help: "Replace FILE when it exists.")
    var force = false

    @OptionGroup var knowledge: KnowledgeOptions

    func run() async throws {
        var template = Self.generic
        if let provider {
            let base = try knowledge.fullBase()
            guard let note = base.provider(named: provider) else {
                let names = base.providers.map(\.id)
                let suggestion = Spelling.suggestion(for: provider, in: names)
                throw HubDoctorError(.usage, "no provider note is named '\(provider)'.\(suggestion) Known: \(names.joined(separator: ", ")).")
            }
            guard let yaml = note.connectionTemplate else {
                throw HubDoctorError(.dataError, "the provider note \(note.path) has no connection file template.")
            }
            template = "# Connection file for \(note.title)\n# From hubdoctor's provider note (hubdoctor kb show \(note.id)); sources:\n"
                + note.sources.map { "#   \($0)\n" }.joined() + "#\n" + yaml
        }
        guard let output else {
            Console.standard.output(template.hasSuffix("\n") ? String(template.dropLast()) : template)
            return
        }
        let url = URL(fileURLWithPath: output)
        if FileManager.default.fileExists(atPath: url.path), !force {
            throw HubDoctorError(.usage, "\(output) exists; choose another --output or add --force to replace it.")
        }
        do {
            try Data(template.utf8).write(to: url, options: .atomic)
        } catch {
            throw HubDoctorError(.usage, "cannot write \(output): \(error.localizedDescription).")
        }
        Console.standard.output("Wrote \(output). Fill in the values, put the secrets where the ${env:...} and ${file:...} references point, then run `hubdoctor diagnose \(output)`.")
    }

    static let generic = """
        # hubdoctor connection file. Keep only the auth methods you use; each is probed once.
        # Secrets are references: ${env:NAME} reads an environment variable, ${file:PATH} a file
        # (keep it chmod 600). A literal secret works but draws a warning.
        name: acme-hris                        # used in reports and bundle names
        base_url: https://api.example.com      # scheme and host of the API
        # provider: bamboohr                   # optional: a provider note (hubdoctor kb list --kind provider)
        probe:                                 # the request every method is tried with
          method: GET
          path: /api/v1/employees              # an endpoint that really needs the credential
          # admin_path: /api/v1/admin/settings # optional: an endpoint that needs admin rights
        # required_scopes: [read:employees]    # optional: scopes the integration needs
        # tls:
        #   ca_file: /etc/ssl/private-ca.pem   # trust this CA as well (verification is never skipped)
        auth:
          - type: api_key
            key: ${env:ACME_API_KEY}
            header: Authorization              # default Authorization
            scheme: Bearer                     # default Bearer; "" sends the bare key (custom headers such as X-API-Key)

          - type: basic
            username: ops@example.com
            password: ${env:ACME_PASSWORD}     # or an API key, for user:apikey systems

          - type: service_user
            headers:
              X-Service-User-ID: ${env:ACME_SU_ID}
              X-Service-User-Token: ${env:ACME_SU_TOKEN}

          - type: oauth2_client_credentials
            token_url: https://accounts.example.com/oauth/token
            client_id: my-client
            client_secret: ${file:~/.config/acme/secret}
            scopes: [read:employees]
            client_auth: basic                 # basic (client_secret_basic) or post (client_secret_post)

          - type: oauth2_authorization_code
            authorize_url: https://accounts.example.com/oauth/authorize
            token_url: https://accounts.example.com/oauth/token
            client_id: my-client
            client_secret: ${env:ACME_CLIENT_SECRET}
            redirect_uri: http://127.0.0.1:8765/callback   # register exactly this URI with the provider
            scopes: [read:employees, offline_access]
            refresh_token: ${file:~/.config/acme/refresh_token}   # `hubdoctor login` writes it; diagnose refreshes it
            # Any method may carry its own probe: (same keys as above).

        """
}

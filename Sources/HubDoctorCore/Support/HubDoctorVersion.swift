/// The version printed by `hubdoctor --version` and written into bundles.
public enum HubDoctorVersion {
    public static let current = "0.1.0"
}

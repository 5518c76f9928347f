import HubDoctorCLI

/// The `hubdoctor` executable: everything lives in HubDoctorCLI and the libraries below it.
@main
enum EntryPoint {
    static func main() async {
        await HubDoctorMain.run()
    }
}

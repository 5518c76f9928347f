// swift-tools-version: 6.0
import PackageDescription

/// hubdoctor: a thin command-line layer over libraries that each own one concern.
/// libcurl, libxml2, SQLite and OpenSSL are reached through system-library targets.
let package = Package(
    name: "hubdoctor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hubdoctor", targets: ["hubdoctor"]),
        .executable(name: "hubdoctor-bench", targets: ["hubdoctor-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C libraries, one per module. `providers` documents the Debian package; .ci/run installs it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // What Core and the build-time knowledge embedder share: SHA-256 and the knowledge folder layout.
        .target(name: "HubDoctorShared"),
        // The model and every decision; Foundation and Yams only.
        .target(
            name: "HubDoctorCore",
            dependencies: [
                "HubDoctorShared", .product(name: "Yams", package: "Yams"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            plugins: ["EmbedKnowledgePlugin"]
        ),
        .target(name: "HubDoctorTransport", dependencies: ["HubDoctorCore", "CCurl"]),
        .target(name: "HubDoctorMarkup", dependencies: ["HubDoctorCore", "CLibXML2"]),
        .target(name: "HubDoctorSearch", dependencies: ["HubDoctorCore", "CSQLite"]),
        .target(name: "HubDoctorSimulator", dependencies: ["HubDoctorCore", "HubDoctorTransport", "COpenSSL"]),
        .target(
            name: "HubDoctorCLI",
            dependencies: [
                "HubDoctorCore", "HubDoctorTransport", "HubDoctorMarkup", "HubDoctorSearch", "HubDoctorSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "hubdoctor", dependencies: ["HubDoctorCLI"]),
        .executableTarget(
            name: "hubdoctor-bench",
            dependencies: ["HubDoctorCore", "HubDoctorSearch", "HubDoctorMarkup", "HubDoctorTransport", "HubDoctorSimulator", "HubDoctorTestSupport"]
        ),

        // Build-time embedding of knowledge/ so the binary works when copied anywhere.
        .executableTarget(name: "KnowledgeEmbedder", dependencies: ["HubDoctorShared"]),
        .plugin(name: "EmbedKnowledgePlugin", capability: .buildTool(), dependencies: ["KnowledgeEmbedder"]),

        .target(
            name: "HubDoctorTestSupport",
            dependencies: [
                "HubDoctorCore", "HubDoctorMarkup", "HubDoctorSimulator", "HubDoctorTransport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Tests/HubDoctorTestSupport"
        ),
        .testTarget(
            name: "HubDoctorTests",
            dependencies: [
                "HubDoctorCore", "HubDoctorTransport", "HubDoctorMarkup", "HubDoctorSearch", "HubDoctorSimulator",
                "HubDoctorCLI", "HubDoctorTestSupport", "hubdoctor",
            ],
            path: "Tests/HubDoctorTests"
        ),
    ]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Grensverkeer",
    products: [
        .executable(name: "grensverkeer", targets: ["grensverkeer"]),
        .library(name: "GrensCore", targets: ["GrensCore"]),
    ],
    targets: [
        // System SQLite (libsqlite3-dev); no third-party packages.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteWrap", dependencies: ["CSQLite"]),
        // Pure code: CSV, codes, layouts, reference data, masking arithmetic, analysis, report model.
        .target(name: "GrensCore"),
        // Stages over the SQLite store: ingest, status, loading facts for analysis.
        .target(name: "GrensPipeline", dependencies: ["GrensCore", "SQLiteWrap"]),
        // Renderers: report model in, text out. No files, no database.
        .target(name: "GrensRender", dependencies: ["GrensCore"]),
        .target(name: "GrensCLI", dependencies: ["GrensCore", "GrensPipeline", "GrensRender"]),
        // The synthetic sample in DUO's layouts (data/sample is made by it); used by tests, not by the tool.
        .target(name: "GrensSample"),
        .executableTarget(name: "grensverkeer", dependencies: ["GrensCLI"]),
        // Shared by the test targets: paths of the repository and ../shared, golden files with a record mode.
        .target(name: "GrensTestSupport", dependencies: ["GrensCore"], path: "Tests/GrensTestSupport"),
        .testTarget(name: "GrensCoreTests", dependencies: ["GrensCore", "GrensTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GrensSampleTests", dependencies: ["GrensSample", "GrensCore", "GrensTestSupport"]),
        .testTarget(name: "GrensPipelineTests", dependencies: ["GrensPipeline", "GrensCore", "GrensRender", "SQLiteWrap", "GrensTestSupport"]),
        .testTarget(name: "GrensRenderTests", dependencies: ["GrensRender", "GrensCore", "GrensTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "GrensCLITests", dependencies: ["GrensCLI", "GrensCore", "GrensPipeline", "SQLiteWrap", "GrensTestSupport"], exclude: ["Golden"]),
    ]
)

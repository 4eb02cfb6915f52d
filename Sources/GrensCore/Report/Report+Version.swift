extension Report {
    /// A short name for the exact input files behind the report: the first 12 hex digits of the SHA-256 of their
    /// sorted SHA-256 values. Printed on every page, so two printouts can be told apart when the data differ.
    public var dataVersion: String {
        let hashes = sources.map(\.sha256).sorted().joined(separator: "\n")
        return String(sha256Hex(Array(hashes.utf8)).prefix(12))
    }
}

import Foundation

/// The running program, for what is derived once and kept: a rebuilt binary is another program, even at the same
/// path, so what it derived is derived again (`run`'s key, the homes staged against the reference data).
public enum Program {
    /// Path, device, inode, size and modification time of the executable; a fresh random text when it cannot be
    /// read, so that nothing is taken as current.
    public static let identity: String = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? "?"
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path) onbekend \(UUID().uuidString)" }
        return "\(path) \(st.st_dev) \(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }()
}

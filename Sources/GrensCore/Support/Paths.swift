/// The folder part of a file path, as `NSString.deletingLastPathComponent` gives it: "" for a bare name, "/" for a
/// name at the root, trailing and doubled slashes dropped ("data/x.sqlite" → "data", "/x" → "/", "a//b/" → "a").
/// Written here because Foundation on Linux traps on some paths (a one-character name such as "a", "a/" or
/// "./"), so `--db a` or `--uit u` would crash the program instead of working.
public func folderPath(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    var head = p[..<slash]
    while head.hasSuffix("/") { head = head.dropLast() }
    return head.isEmpty ? "/" : String(head)
}

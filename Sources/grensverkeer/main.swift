import GrensCLI

#if os(Linux)
/// glibc's `mallopt` (malloc.h, which Swift's Glibc module does not import).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
// At most two malloc arenas, one per core (M_ARENA_MAX, -8): memory one thread frees is reused by the next instead
// of staying in an arena of its own (glibc makes up to eight per core).
_ = mallopt(-8, 2)
#endif
GrensCLI.main()

import GrensCLI
#if os(Linux)
import Glibc
#endif

#if os(Linux)
/// glibc's `mallopt` (malloc.h, which Swift's Glibc module does not import).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
// One malloc arena per core (M_ARENA_MAX, -8; two on the 2-core machines measured): memory one thread frees is
// reused by the next instead of staying in an arena of its own (glibc makes up to eight per core).
_ = mallopt(-8, Int32(clamping: max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
#endif
GrensCLI.main()

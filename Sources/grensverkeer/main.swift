import Foundation
import GrensCLI

#if os(Linux)
/// glibc's `mallopt` (malloc.h, which Swift's Glibc module does not import).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
// One malloc arena per core (M_ARENA_MAX, -8; two on the 2-core machines measured), counted as the analysis and the
// ingest count them: memory one thread frees is reused by the next instead of staying in an arena of its own (glibc
// makes up to eight per core).
_ = mallopt(-8, Int32(clamping: max(1, ProcessInfo.processInfo.activeProcessorCount)))
#endif
GrensCLI.main()

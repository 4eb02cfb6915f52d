import Foundation

/// `body(0) … body(count - 1)` worked out on all cores, the results in index order. Each index is worked out by
/// exactly one worker, so `body` must not share mutable state between indices.
public func concurrentMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
    return slots.values.map { $0! }
}

/// Result slots written by concurrent workers, each index by exactly one worker.
private final class Slots<Value>: @unchecked Sendable {
    private(set) var values: [Value?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Value) {
        lock.lock(); values[i] = value; lock.unlock()
    }
}

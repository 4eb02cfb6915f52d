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

/// `produce(0) … produce(count - 1)` worked out ahead on `workers` other threads, at most `window` indices ahead
/// of the consumer, and handed to `consume` in index order on the calling thread: work that must be done in order
/// (writing) overlaps with work that need not (parsing), and only a window of results is held at a time. With a
/// `weight` per index (a file's size), the indices ahead also weigh at most `budget` together, but the first one
/// ahead is always worked out: many small indices can be far ahead, a heavy one alone. When `consume` throws, the
/// workers stop claiming indices and the error is rethrown once they are done.
public func orderedPipeline<T>(_ count: Int, workers: Int, window: Int, weight: [Int]? = nil, budget: Int = .max,
                               produce: @escaping @Sendable (Int) -> T, consume: (Int, T) throws -> Void) throws {
    precondition(weight.map { $0.count == count } ?? true, "a weight per index")
    let pipe = Pipe<T>(count: count, window: max(1, window), weight: weight ?? Array(repeating: 0, count: count), budget: budget)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(workers, count)) {
        DispatchQueue.global().async(group: group) {
            while let i = pipe.claim() { pipe.put(i, produce(i)) }
        }
    }
    defer { pipe.stop(); group.wait() }
    for i in 0..<count { try consume(i, pipe.take(i)) }
}

/// The shared state of `orderedPipeline`: the next index to claim, the results not yet taken, and how far the
/// consumer is.
private final class Pipe<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int, window: Int, weight: [Int], budget: Int
    /// `ahead`: the weight of the indices claimed and not yet taken (`taken ..< next`).
    private var next = 0, taken = 0, ahead = 0, stopped = false
    private var results: [Int: T] = [:]

    init(count: Int, window: Int, weight: [Int], budget: Int) {
        (self.count, self.window, self.weight, self.budget) = (count, window, weight, budget)
    }

    /// Whether index `next` must wait: the window is full, or it would take the indices ahead over the budget
    /// (unless none is ahead).
    private var full: Bool { next >= taken + window || (next > taken && ahead + weight[next] > budget) }

    /// The next index to work out, waiting while it must; nil when there is none left or the consumer stopped.
    func claim() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !stopped && next < count && full { condition.wait() }
        guard !stopped && next < count else { return nil }
        ahead += weight[next]
        next += 1
        return next - 1
    }

    func put(_ i: Int, _ value: T) {
        condition.lock(); results[i] = value; condition.broadcast(); condition.unlock()
    }

    /// The result of index `i`, waiting until it is there (every index below `next` is being worked out).
    func take(_ i: Int) -> T {
        condition.lock(); defer { condition.unlock() }
        while results.index(forKey: i) == nil { condition.wait() }
        taken = i + 1
        ahead -= weight[i]
        condition.broadcast()
        return results.removeValue(forKey: i)!
    }

    func stop() {
        condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
    }
}

/// `body` worked out on another thread from the moment this is made, while the caller goes on; `value` waits for
/// it (and may be asked again).
public final class Background<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Value?

    public init(_ body: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            self.result = body()
            self.done.signal()
        }
    }

    public var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}

/// The binary form of a peildatum's part of the report (`Report.Year`), kept between runs by the analysis cache.
/// Every quantity keeps its joint draws, so a part read back combines draw by draw with the other parts as a part
/// worked out in the same run does (a change between two years keeps its interval).
extension ByteWriter {
    public mutating func quantity(_ q: Quantity) {
        int(q.bounds.min)
        int(q.bounds.max)
        double(q.estimate)
        optionalBounds(q.interval90)
        bool(q.draws != nil)
        if let draws = q.draws { int32s(draws.values) }
    }

    mutating func optionalBounds(_ b: Bounds?) {
        bool(b != nil)
        if let b { int(b.min); int(b.max) }
    }

    mutating func change(_ c: Change) {
        int(c.min)
        int(c.max)
        double(c.estimate)
        optionalBounds(c.interval90)
    }

    mutating func quantities(_ list: [Quantity]) {
        int(list.count)
        for q in list { quantity(q) }
    }
}

extension ByteReader {
    /// A quantity; its draws (if it had any) belong to `source` and must be as many as `source` draws.
    public mutating func quantity(source: DrawSource) throws(ByteFormatError) -> Quantity {
        let bounds = try self.bounds()
        let estimate = try double()
        guard estimate.isFinite, Double(bounds.min) <= estimate, estimate <= Double(bounds.max) else {
            throw ByteFormatError("schatting \(estimate) buiten [\(bounds.min), \(bounds.max)]")
        }
        var q = Quantity(bounds: bounds, estimate: estimate)
        q.interval90 = try optionalBounds()
        if try bool() {
            let values = try int32s()
            guard values.count == source.count else { throw ByteFormatError("\(values.count) trekkingen; verwacht \(source.count)") }
            q.draws = DrawVector(values: values, source: source)
        }
        return q
    }

    mutating func bounds() throws(ByteFormatError) -> Bounds {
        let min = try int(), max = try int()
        guard min <= max else { throw ByteFormatError("grenzen \(min) > \(max)") }
        return Bounds(min: min, max: max)
    }

    mutating func optionalBounds() throws(ByteFormatError) -> Bounds? {
        try bool() ? try bounds() : nil
    }

    mutating func change() throws(ByteFormatError) -> Change {
        var c = Change(.zero, minus: .zero)
        (c.min, c.max, c.estimate, c.interval90) = (try int(), try int(), try double(), try optionalBounds())
        return c
    }

    mutating func quantities(source: DrawSource) throws(ByteFormatError) -> [Quantity] {
        try fixed(try count(), source: source)
    }

    /// `n` quantities written one after the other (without their count).
    mutating func fixed(_ n: Int, source: DrawSource) throws(ByteFormatError) -> [Quantity] {
        var list: [Quantity] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try quantity(source: source)) }
        return list
    }

    mutating func list<T>(_ element: (inout ByteReader) throws(ByteFormatError) -> T) throws(ByteFormatError) -> [T] {
        let n = try count()
        var list: [T] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try element(&self)) }
        return list
    }
}

extension Report.Year {
    public func write(to w: inout ByteWriter) {
        w.string(peildatum.iso)
        w.bool(exact)
        w.strings(codes.sorted())
        w.int(matrices.count)
        for m in matrices {
            w.string(m.peildatum.iso)
            w.string(m.soort.rawValue)
            w.strings(m.groups)
            w.int(m.cells.count)
            for row in m.cells { w.quantities(row) }
            w.quantities(m.homeTotals)
            w.quantities(m.schoolTotals)
            w.quantity(m.total)
            w.int(m.memberFlags.count)
            for flag in m.memberFlags { w.bool(flag) }
        }
        // Gemeente and swv shares alike: code, soort, five counts and the balance (a gemeente has four more).
        func shares(_ code: String, _ soort: SoortSelection, _ counts: [Quantity], _ net: Change) {
            w.string(code)
            w.string(soort.rawValue)
            for q in counts { w.quantity(q) }
            w.change(net)
        }
        w.int(gemeenteShares.count)
        for g in gemeenteShares {
            shares(g.code, g.soort, [g.living, g.atSchool, g.own, g.outflow, g.inflow], g.net)
            for q in [g.ownSwv, g.otherSwv, g.inRegion, g.outRegion] { w.quantity(q) }
        }
        w.int(swvShares.count)
        for s in swvShares { shares(s.swv, s.soort, [s.living, s.atSchool, s.own, s.outflow, s.inflow], s.net) }
        w.bool(schools != nil)
        if let schools {
            w.int(schools.count)
            for s in schools {
                w.string(s.id)
                w.string(s.name)
                w.string(s.gemeente)
                w.strings(s.soorten.map(\.rawValue))
                w.quantity(s.total)
                w.int(s.homes.count)
                for h in s.homes { w.string(h.code); w.quantity(h.pupils) }
            }
        }
    }

    public static func read(from r: inout ByteReader, source: DrawSource) throws(ByteFormatError) -> Report.Year {
        func date(_ r: inout ByteReader) throws(ByteFormatError) -> Peildatum {
            let text = try r.string()
            guard let d = Peildatum(iso: text) else { throw ByteFormatError("'\(text)' is geen peildatum") }
            return d
        }
        var part = Report.Year(peildatum: try date(&r))
        part.exact = try r.bool()
        part.codes = Set(try r.strings())
        part.matrices = try r.list { (r: inout ByteReader) throws(ByteFormatError) in
            let peildatum = try date(&r), soort = try r.raw(SoortSelection.self), groups = try r.strings()
            let cells = try r.list { (r: inout ByteReader) throws(ByteFormatError) in try r.quantities(source: source) }
            let homeTotals = try r.quantities(source: source), schoolTotals = try r.quantities(source: source)
            let total = try r.quantity(source: source)
            let flags = try r.list { (r: inout ByteReader) throws(ByteFormatError) in try r.bool() }
            let n = groups.count
            guard cells.count == n, cells.allSatisfy({ $0.count == n }), homeTotals.count == n, schoolTotals.count == n, flags.count == n else {
                throw ByteFormatError("matrix \(peildatum) \(soort.rawValue): afmetingen kloppen niet")
            }
            return Matrix(peildatum: peildatum, soort: soort, groups: groups, cells: cells, homeTotals: homeTotals,
                          schoolTotals: schoolTotals, total: total, memberFlags: flags)
        }
        part.gemeenteShares = try r.list { (r: inout ByteReader) throws(ByteFormatError) in
            let code = try r.string(), soort = try r.raw(SoortSelection.self)
            let a = try r.fixed(5, source: source), net = try r.change(), b = try r.fixed(4, source: source)
            return GemeenteShares(code: code, soort: soort, living: a[0], atSchool: a[1], own: a[2], outflow: a[3], inflow: a[4],
                                  net: net, ownSwv: b[0], otherSwv: b[1], inRegion: b[2], outRegion: b[3])
        }
        part.swvShares = try r.list { (r: inout ByteReader) throws(ByteFormatError) in
            let swv = try r.string(), soort = try r.raw(SoortSelection.self)
            let a = try r.fixed(5, source: source)
            return SwvShares(swv: swv, soort: soort, living: a[0], atSchool: a[1], own: a[2], outflow: a[3], inflow: a[4], net: try r.change())
        }
        if try r.bool() {
            part.schools = try r.list { (r: inout ByteReader) throws(ByteFormatError) in
                let id = try r.string(), name = try r.string(), gemeente = try r.string()
                let soorten = try r.list { (r: inout ByteReader) throws(ByteFormatError) in try r.raw(Soort.self) }
                let total = try r.quantity(source: source)
                let homes = try r.list { (r: inout ByteReader) throws(ByteFormatError) in
                    Report.Home(code: try r.string(), pupils: try r.quantity(source: source))
                }
                return Report.School(id: id, name: name, gemeente: gemeente, soorten: soorten, total: total, homes: homes)
            }
        }
        return part
    }
}

/// The cost splits of a peildatum in binary form, with their draws; the item itself is not written: a split is
/// read back for the item it was made for (the analysis cache's entry keeps the items' text and compares it).
extension ByteWriter {
    public mutating func costSplit(_ result: Result<CostSplit, InputError>) {
        switch result {
        case .failure(let error):
            bool(false)
            string(error.file)
            optionalInt(error.line)
            optionalString(error.column)
            string(error.message)
        case .success(let split):
            bool(true)
            strings(split.schools)
            int(split.schoolNames.count)
            for (code, name) in split.schoolNames.sorted(by: { $0.key < $1.key }) { string(code); string(name) }
            int(split.lines.count)
            for line in split.lines {
                string(line.gemeente)
                quantity(line.pupils)
                bool(line.pupilShare != nil)
                if let share = line.pupilShare {
                    for v in [share.min, share.max, share.estimate] { double(v) }
                    bool(share.interval90 != nil)
                    if let range = share.interval90 { double(range.lowerBound); double(range.upperBound) }
                }
                double(line.weight)
                for v in [line.keyUnits, line.cents, line.minCents, line.maxCents] { int(v) }
                bool(line.interval90Cents != nil)
                if let range = line.interval90Cents { int(range.lowerBound); int(range.upperBound) }
            }
            int(split.totalCents)
            quantity(split.chargeable)
            int(split.uncharged.count)
            for u in split.uncharged { string(u.code); quantity(u.pupils) }
        }
    }

    mutating func optionalInt(_ value: Int?) {
        bool(value != nil)
        if let value { int(value) }
    }
}

extension ByteReader {
    mutating func optionalInt() throws(ByteFormatError) -> Int? {
        try bool() ? try int() : nil
    }

    public mutating func costSplit(for item: CostItem, source: DrawSource) throws(ByteFormatError) -> Result<CostSplit, InputError> {
        guard try bool() else {
            return .failure(InputError(file: try string(), line: try optionalInt(), column: try optionalString(), message: try string()))
        }
        let schools = try strings()
        var names: [String: String] = [:]
        for _ in 0..<(try count()) { names[try string()] = try string() }
        let lines = try list { (r: inout ByteReader) throws(ByteFormatError) -> CostSplit.Line in
            let gemeente = try r.string(), pupils = try r.quantity(source: source)
            var share: Share? = nil
            if try r.bool() {
                let min = try r.double(), max = try r.double(), estimate = try r.double()
                var range: ClosedRange<Double>? = nil
                if try r.bool() {
                    let lo = try r.double(), hi = try r.double()
                    guard lo <= hi else { throw ByteFormatError("aandeel \(lo) > \(hi)") }
                    range = lo...hi
                }
                share = Share(min: min, max: max, estimate: estimate, interval90: range)
            }
            let weight = try r.double()
            let keyUnits = try r.int(), cents = try r.int(), minCents = try r.int(), maxCents = try r.int()
            var interval: ClosedRange<Int>? = nil
            if try r.bool() {
                let lo = try r.int(), hi = try r.int()
                guard lo <= hi else { throw ByteFormatError("bedrag \(lo) > \(hi)") }
                interval = lo...hi
            }
            return CostSplit.Line(gemeente: gemeente, pupils: pupils, pupilShare: share, weight: weight, keyUnits: keyUnits, cents: cents,
                                  minCents: minCents, maxCents: maxCents, interval90Cents: interval)
        }
        let total = try int(), chargeable = try quantity(source: source)
        let uncharged = try list { (r: inout ByteReader) throws(ByteFormatError) in
            CostSplit.Uncharged(code: try r.string(), pupils: try r.quantity(source: source))
        }
        return .success(CostSplit(item: item, schools: schools, schoolNames: names, lines: lines, totalCents: total,
                                  chargeable: chargeable, uncharged: uncharged))
    }
}

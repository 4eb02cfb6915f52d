import Foundation
import Testing
import GrensTestSupport
@testable import GrensCore

/// The map outlines in `data/reference/geo` and the rules that pick a report's map from them.
@Suite("Map outlines and the region map")
struct MapTests {
    static let folder = TestPaths.repo + "/data/reference"

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))) }

    static func reference() throws -> Reference {
        try Reference.load(ReferenceTexts(gemeenten: bytes("gemeenten.csv"), aliases: bytes("gemeente_aliases.csv"), regions: bytes("regions.csv"),
                                          swv: bytes("swv.csv"), swvAreas: bytes("swv_gebied.csv"),
                                          maps: ["geo/gemeenten-2017.csv", "geo/gemeenten-2024.csv"].map { ($0, try bytes($0)) }))
    }

    @Test("each boundary year has an outline for exactly the gemeenten of its peildatum, with the attribution")
    func shippedFiles() throws {
        let ref = try Self.reference()
        #expect(ref.maps.map(\.year) == [2017, 2024])
        for (shapes, date) in zip(ref.maps, [Peildatum(iso: "2017-10-01")!, Peildatum(iso: "2024-10-01")!]) {
            let existing = Set(ref.gemeenten.values.filter { $0.exists(on: date) }.map(\.code))
            #expect(Set(shapes.shapes.keys) == existing, "\(shapes.year)")
            #expect(shapes.attribution.contains("CBS / PDOK") && shapes.attribution.contains("CC BY 4.0"))
            for s in shapes.shapes.values {
                // The label point lies in the box; the box is not empty.
                #expect(s.minX < s.maxX && s.minY < s.maxY && (s.minX...s.maxX).contains(s.labelX) && (s.minY...s.maxY).contains(s.labelY), "\(s.code)")
            }
        }
    }

    @Test("the region map frames the region with a margin, draws what reaches into the frame, largest first")
    func regionFrame() throws {
        let ref = try Self.reference()
        let date = Peildatum(iso: "2024-10-01")!
        let members = ref.members(of: "haaglanden", on: date)
        let shapes = try #require(ref.mapShapes(for: date))
        let map = try #require(RegionMap.make(shapes, members: members))
        #expect(map.year == 2024 && map.missing.isEmpty)
        let codes = Set(map.shapes.map(\.code))
        #expect(Set(members).isSubset(of: codes))
        #expect(codes.contains("0546") && codes.contains("0599"), "Leiden and Rotterdam are in the frame")
        #expect(!codes.contains("0014"), "Groningen is not")
        for s in map.shapes where members.contains(s.code) {
            #expect(s.minX > map.minX && s.maxX < map.minX + map.width && s.minY > map.minY && s.maxY < map.minY + map.height, "\(s.code)")
        }
        let areas = map.shapes.map { ($0.maxX - $0.minX) * ($0.maxY - $0.minY) }
        #expect(areas == areas.sorted(by: >))
        // A region without outlines gives no map; a member without one is listed as missing.
        #expect(RegionMap.make(shapes, members: ["9999"]) == nil)
        #expect(RegionMap.make(shapes, members: ["0503", "9999"])?.missing == ["9999"])
    }

    @Test("the outlines of a peildatum: the newest boundary year not after it, else the oldest")
    func boundaryYear() throws {
        let ref = try Self.reference()
        #expect(ref.mapShapes(for: Peildatum(iso: "2024-10-01")!)?.year == 2024)
        #expect(ref.mapShapes(for: Peildatum(iso: "2020-10-01")!)?.year == 2017)
        #expect(ref.mapShapes(for: Peildatum(iso: "2015-10-01")!)?.year == 2017)
    }

    @Test("a damaged outline file is refused with file, line and column")
    func refusals() {
        let header = "code;name;year;min_x;min_y;max_x;max_y;label_x;label_y;path;source\n"
        #expect(throws: InputError(file: "g.csv", line: 2, column: "path", message: "verwacht SVG-padgegevens met alleen M, l, z en gehele getallen")) {
            try GemeenteShapes.parse(Array((header + "0503;Delft;2024;0;0;10;10;5;5;M0 0<script>;bron\n").utf8), file: "g.csv")
        }
        #expect(throws: InputError(file: "g.csv", line: 2, column: "min_x", message: "'a' is geen geheel getal; verwacht kaarteenheden (10 m)")) {
            try GemeenteShapes.parse(Array((header + "0503;Delft;2024;a;0;10;10;5;5;M0 0l1 1z;bron\n").utf8), file: "g.csv")
        }
    }
}

import Foundation
import GrensCore
import SQLiteWrap

/// Which region to analyse and how to group the rest: reference data names, not code.
public struct AnalysisSettings: Sendable {
    public var region: String
    /// A region whose members are shown one by one as neighbours (nil: everything outside is "rest").
    public var neighbours: String?
    public var estimatorPath: String
    /// Folder with cost items (`*.txt`); nil for none.
    public var costFolder: String?
    /// A cost item that does not fit the store stops the run (true, `grensverkeer kosten`) or becomes a note
    /// in the report (false, the dashboard).
    public var strictCosts: Bool
    public var teamThreshold: Int

    public init(region: String = "haaglanden", neighbours: String? = "buren-haaglanden", estimatorPath: String = "data/estimator/masked-cells.csv",
                costFolder: String? = "data/kosten", strictCosts: Bool = false, teamThreshold: Int = 10) {
        self.region = region
        self.neighbours = neighbours
        self.estimatorPath = estimatorPath
        self.costFolder = costFolder
        self.strictCosts = strictCosts
        self.teamThreshold = teamThreshold
    }
}

public enum ReportBuilder {
    /// The estimator's parameters from the file, or the naive midpoint when there is none (the report says so).
    public static func loadModel(_ path: String) throws -> (MaskedCellModel, String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.naive, "geen geleerde parameters gevonden (\(path)); elke <5 geschat op 2,5")
        }
        let model = try MaskedCellModel.parse([UInt8](data), file: path)
        let firstLine = String(decoding: data.prefix(while: { $0 != 0x0A }), as: UTF8.self)
        let source = firstLine.hasPrefix("#") ? String(firstLine.dropFirst().drop(while: { $0 == " " })) : path
        return (model, "\(path): \(source)")
    }

    public static func build(db: Database, reference: Reference, settings: AnalysisSettings) throws -> Report {
        let (model, modelSource) = try loadModel(settings.estimatorPath)
        var rows = try Facts.flowRows(db)
        guard let latest = rows.map(\.peildatum).max() else {
            throw StoreError("de database bevat geen leerlingstromen; lees eerst DUO-bestanden in (grensverkeer ingest <map>)")
        }
        let members = reference.members(of: settings.region, on: latest)
        guard !members.isEmpty else {
            throw StoreError("regio '\(settings.region)' heeft geen leden op \(latest) in data/reference/regions.csv")
        }
        let neighbours = settings.neighbours.map { reference.members(of: $0, on: latest) } ?? []
        let grouping = Grouping(region: settings.region, members: members, neighbours: neighbours, reference: reference)
        var notes: [String] = []
        let mapped = Analysis.mapToGemeenten(of: latest, rows: rows, reference: reference, grouping: grouping)
        rows = mapped.rows
        if !mapped.unassignable.isEmpty {
            notes.append("Gesplitste gemeenten die niet eenduidig op de indeling van \(latest) passen (als 'niet herkend' geteld): \(mapped.unassignable.sorted().joined(separator: ", ")).")
        }
        let unresolved = try db.scalar("SELECT coalesce(sum(rows), 0) FROM stg_home WHERE home_code IS NULL")?.int ?? 0
        if unresolved > 0 {
            notes.append("\(unresolved) rijen met een woonplaats die niet tot een gemeente te herleiden is; ze tellen mee onder buitenland/onbekend.")
        }
        // Draws (for the 90% intervals) only for the rows the report aggregates: homes in or near the region and
        // every row of a school that has pupils from there or stands there.
        let near = Set(members + neighbours)
        let schoolsNear = Set(rows.filter { near.contains($0.homeCode) || near.contains($0.schoolGemeente) }.map(\.schoolID))
        let data = EstimatedRows(rows: rows, model: model, margins: try Facts.margins(db),
                                 drawsFor: { near.contains($0.homeCode) || schoolsNear.contains($0.schoolID) })
        if !data.inconsistentMargins.isEmpty {
            notes.append("\(data.inconsistentMargins.count) schooltotalen spreken de stroombestanden tegen: ze zijn begrensd gebruikt voor de schatting, niet voor de grenzen.")
        }
        if data.schoolsWithMargins > 0 {
            notes.append("Voor \(data.schoolsWithMargins) schoolvestigingen zijn schooltotalen gebruikt om grenzen en schatting aan te scherpen.")
        }
        var splits: [CostSplit] = []
        var refusals: [InputError] = []
        for item in try settings.costFolder.map { try CostItems.load(folder: $0, reference: reference) } ?? [] {
            do throws(InputError) {
                splits.append(try CostSplit.compute(item, data: data, reference: reference))
            } catch {
                refusals.append(error)
            }
        }
        if settings.strictCosts && !refusals.isEmpty { throw CostRefusal(errors: refusals) }
        return Report.build(data: data, reference: reference, grouping: grouping,
                            regionName: reference.regionName(settings.region), sources: try Facts.sources(db),
                            estimatorSource: modelSource, notes: notes, costSplits: splits, refusedCostItems: refusals,
                            teamThreshold: settings.teamThreshold)
    }
}

/// Cost items that do not fit the data in the store.
public struct CostRefusal: Error, CustomStringConvertible {
    public let errors: [InputError]
    public var description: String {
        "Kostenposten geweigerd (\(errors.count)):\n" + errors.map { "- \($0)" }.joined(separator: "\n")
    }
}

/// Reads the cost item files (`*.txt`, sorted by name) of a folder. A missing folder means no items.
public enum CostItems {
    public static func load(folder: String, reference: Reference) throws -> [CostItem] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
        var errors: [InputError] = []
        var items: [CostItem] = []
        for name in names {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do throws(InputError) {
                items.append(try CostItem.parse([UInt8](data), file: path, reference: reference))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw CostRefusal(errors: errors) }
        return items
    }
}

import Foundation
import GrensCore
import SQLiteWrap

/// Which region to analyse and how to group the rest: reference data names, not code.
public struct AnalysisSettings: Sendable {
    public var region: String
    /// A region whose members are shown one by one as neighbours (nil: everything outside is "rest").
    public var neighbours: String?
    public var estimatorPath: String

    public init(region: String = "haaglanden", neighbours: String? = "buren-haaglanden", estimatorPath: String = "data/estimator/masked-cells.csv") {
        self.region = region
        self.neighbours = neighbours
        self.estimatorPath = estimatorPath
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
        let data = EstimatedRows(rows: rows, model: model, margins: try Facts.margins(db))
        if !data.inconsistentMargins.isEmpty {
            notes.append("\(data.inconsistentMargins.count) schooltotalen spreken de stroombestanden tegen en zijn niet gebruikt.")
        }
        if data.groups.count > 0 {
            notes.append("Voor \(data.groups.count) schoolvestigingen zijn exacte totalen gebruikt om grenzen en schatting aan te scherpen.")
        }
        return Report.build(data: data, reference: reference, grouping: grouping,
                            regionName: reference.regionName(settings.region), sources: try Facts.sources(db),
                            estimatorSource: modelSource, notes: notes)
    }
}

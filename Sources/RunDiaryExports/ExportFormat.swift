/// The formats of an export.
package enum ExportFormat: String, CaseIterable, Sendable {
    /// A FHIR R4 document Bundle.
    case fhir
    /// One CSV file per entity in a ZIP archive.
    case csv
    /// The printable HTML report.
    case html
    /// The same report as an A4 PDF.
    case pdf
    /// All of the above in one ZIP archive.
    case zip

    package var contentType: String {
        switch self {
        case .fhir: "application/fhir+json; charset=utf-8"
        case .csv, .zip: "application/zip"
        case .html: "text/html; charset=utf-8"
        case .pdf: "application/pdf"
        }
    }

    /// The file name offered for download; the HTML report is shown inline.
    package var fileName: String? {
        switch self {
        case .fhir: "rundiary-fhir.json"
        case .csv: "rundiary-csv.zip"
        case .zip: "rundiary-export.zip"
        case .pdf: "rundiary-report.pdf"
        case .html: nil
        }
    }
}

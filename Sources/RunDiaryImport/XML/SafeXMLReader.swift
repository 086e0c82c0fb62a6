import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Receives the elements of an XML document by local name (namespace prefixes ignored).
protocol XMLElementHandler: AnyObject {
    func start(_ name: String, attributes: [String: String])
    /// `text` is the element's own character data, trimmed.
    func end(_ name: String, text: String)
}

/// Runs Foundation's XMLParser over a document only after refusing what makes XML dangerous: a document type
/// declaration (the only place entities can be declared, so no entity — internal, external or nested as in the
/// "billion laughs" bomb — is ever expanded), encodings other than UTF-8 (so the check sees the bytes the parser
/// reads), and nesting deeper than ``maximumDepth``. External entities are never resolved.
enum SafeXMLReader {
    /// Deeper nesting than any GPX or TCX file needs.
    static let maximumDepth = 64
    /// The longest character data kept for one element; longer text is cut off at this point (no value we read is
    /// near it).
    static let maximumTextBytes = 16_384

    static func read(_ data: Data, into handler: any XMLElementHandler) throws(ImportIssue) {
        let bytes = [UInt8](data.prefix(4))
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard let first = data.dropFirst(start).first(where: { !Self.isXMLSpace($0) }), first == UInt8(ascii: "<") else {
            throw ImportIssue(.unsupportedFormat, "The file is not UTF-8 XML.")
        }
        if contains(data, Array("<!DOCTYPE".utf8)) || contains(data, Array("<!ENTITY".utf8)) {
            throw ImportIssue(.unsafeXML, "The XML declares a document type or entities, which are refused (no entity is ever expanded).")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let delegate = Delegate(handler: handler)
        parser.delegate = delegate
        let parsed = parser.parse()
        if let refusal = delegate.refusal { throw refusal }
        guard parsed, !delegate.failed, delegate.texts.isEmpty else {
            let line = parser.lineNumber
            throw ImportIssue(.corrupt, "The XML does not parse (line \(line)).")
        }
    }

    private static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func contains(_ data: Data, _ needle: [UInt8]) -> Bool {
        data.withUnsafeBytes { buffer in
            let bytes = buffer.bindMemory(to: UInt8.self)
            guard bytes.count >= needle.count else { return false }
            var index = 0
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == needle[0] {
                    var matched = 1
                    while matched < needle.count && bytes[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// Not Sendable: created, used and dropped inside one call of ``read(_:into:)``.
    private final class Delegate: NSObject, XMLParserDelegate {
        let handler: any XMLElementHandler
        var texts: [[UInt8]] = []
        var refusal: ImportIssue?
        /// libxml2 may report a fatal error and still end the parse "successfully".
        var failed = false

        init(handler: any XMLElementHandler) {
            self.handler = handler
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            guard texts.count < SafeXMLReader.maximumDepth else {
                refusal = ImportIssue(.corrupt, "The XML nests deeper than \(SafeXMLReader.maximumDepth) elements.")
                parser.abortParsing()
                return
            }
            texts.append([])
            handler.start(Self.localName(elementName), attributes: attributeDict)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !texts.isEmpty, texts[texts.count - 1].count < SafeXMLReader.maximumTextBytes else { return }
            texts[texts.count - 1].append(contentsOf: string.utf8.prefix(SafeXMLReader.maximumTextBytes))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            let text = String(decoding: texts.popLast() ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            handler.end(Self.localName(elementName), text: text)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            failed = true
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            refuse(parser)
            return nil
        }

        private func refuse(_ parser: XMLParser) {
            refusal = ImportIssue(.unsafeXML, "The XML declares entities, which are refused.")
            parser.abortParsing()
        }

        private static func localName(_ name: String) -> String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }
    }
}

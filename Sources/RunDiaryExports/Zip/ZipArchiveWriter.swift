import Foundation

/// Writes a ZIP archive to a sink as its entries are produced, without knowing their sizes in advance.
///
/// Entries are stored (method 0, no compression) and each is followed by a data descriptor (general-purpose flag
/// bit 3) carrying its CRC-32 and sizes, which are only known at the end; the central directory repeats them. So
/// only the directory (a few dozen bytes per entry) is kept in memory. Archives and entries are limited to 4 GiB
/// (no ZIP64), far beyond any diary.
final class ZipArchiveWriter {
    private struct Entry {
        let name: [UInt8]
        let offset: UInt32
        let crc: UInt32
        let size: UInt32
    }

    private let sink: any ByteSink
    private let dosTime: UInt16
    private let dosDate: UInt16
    private var entries: [Entry] = []
    private var offset: UInt32 = 0

    /// Entries are stamped with `modified` (in UTC).
    init(sink: any ByteSink, modified: Date = Date()) {
        self.sink = sink
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        dosTime = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        dosDate = UInt16(max(0, (parts.year ?? 1980) - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
    }

    /// Adds an entry named `name` whose content `body` writes to the sink it is given.
    func addEntry(named name: String, _ body: (ZipEntrySink) async throws -> Void) async throws {
        let nameBytes = Array(name.utf8)
        let start = offset
        var header: [UInt8] = []
        header.appendLittleEndian(UInt32(0x0403_4B50))
        header.appendLittleEndian(UInt16(20))  // version needed: 2.0
        header.appendLittleEndian(Self.flags)
        header.appendLittleEndian(UInt16(0))  // stored
        header.appendLittleEndian(dosTime)
        header.appendLittleEndian(dosDate)
        header.appendLittleEndian(UInt32(0))  // CRC, sizes: in the data descriptor
        header.appendLittleEndian(UInt32(0))
        header.appendLittleEndian(UInt32(0))
        header.appendLittleEndian(UInt16(nameBytes.count))
        header.appendLittleEndian(UInt16(0))
        header += nameBytes
        try await emit(header)

        let entrySink = ZipEntrySink(archive: self)
        try await body(entrySink)
        let crc = entrySink.crc.value
        let size = entrySink.size

        var descriptor: [UInt8] = []
        descriptor.appendLittleEndian(UInt32(0x0807_4B50))
        descriptor.appendLittleEndian(crc)
        descriptor.appendLittleEndian(size)
        descriptor.appendLittleEndian(size)
        try await emit(descriptor)
        entries.append(Entry(name: nameBytes, offset: start, crc: crc, size: size))
    }

    /// Writes the central directory; the archive is complete afterwards.
    func finish() async throws {
        let directoryStart = offset
        var directory: [UInt8] = []
        for entry in entries {
            directory.appendLittleEndian(UInt32(0x0201_4B50))
            directory.appendLittleEndian(UInt16(0x0314))  // made by: Unix, 2.0
            directory.appendLittleEndian(UInt16(20))
            directory.appendLittleEndian(Self.flags)
            directory.appendLittleEndian(UInt16(0))
            directory.appendLittleEndian(dosTime)
            directory.appendLittleEndian(dosDate)
            directory.appendLittleEndian(entry.crc)
            directory.appendLittleEndian(entry.size)
            directory.appendLittleEndian(entry.size)
            directory.appendLittleEndian(UInt16(entry.name.count))
            directory.appendLittleEndian(UInt16(0))  // extra
            directory.appendLittleEndian(UInt16(0))  // comment
            directory.appendLittleEndian(UInt16(0))  // disk
            directory.appendLittleEndian(UInt16(0))  // internal attributes
            directory.appendLittleEndian(UInt32(0o100644) << 16)  // external: regular file, rw-r--r--
            directory.appendLittleEndian(entry.offset)
            directory += entry.name
        }
        try await emit(directory)
        var end: [UInt8] = []
        end.appendLittleEndian(UInt32(0x0605_4B50))
        end.appendLittleEndian(UInt16(0))
        end.appendLittleEndian(UInt16(0))
        end.appendLittleEndian(UInt16(entries.count))
        end.appendLittleEndian(UInt16(entries.count))
        end.appendLittleEndian(UInt32(directory.count))
        end.appendLittleEndian(directoryStart)
        end.appendLittleEndian(UInt16(0))
        try await emit(end)
    }

    /// Bit 3: sizes follow in a data descriptor; bit 11: names are UTF-8.
    private static let flags: UInt16 = 0x0808

    fileprivate func emit(_ bytes: [UInt8]) async throws {
        guard UInt64(offset) + UInt64(bytes.count) <= UInt64(UInt32.max) else { throw ZipArchiveError.tooLarge }
        offset += UInt32(bytes.count)
        try await sink.write(bytes)
    }
}

/// The content of one ZIP entry: counts and checksums what passes through to the archive.
final class ZipEntrySink: ByteSink {
    private let archive: ZipArchiveWriter
    fileprivate var crc = CRC32()
    fileprivate var size: UInt32 = 0

    fileprivate init(archive: ZipArchiveWriter) {
        self.archive = archive
    }

    func write(_ bytes: [UInt8]) async throws {
        guard UInt64(size) + UInt64(bytes.count) <= UInt64(UInt32.max) else { throw ZipArchiveError.tooLarge }
        crc.update(bytes)
        size += UInt32(bytes.count)
        try await archive.emit(bytes)
    }
}

/// Why an archive could not be written.
enum ZipArchiveError: Error {
    /// An entry or the archive would exceed 4 GiB, the limit without ZIP64.
    case tooLarge
}

extension [UInt8] {
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

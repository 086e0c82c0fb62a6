import Foundation
import NIOConcurrencyHelpers

/// Caps how many exports run at once per account and per share link, so that a burst of opens of one link (or one
/// account's exports from many devices) cannot take the server's memory, database connections or CPU.
///
/// A slot is taken before the response starts and given back when its body has been written, or when the response
/// is dropped without being written (the ``ExportSlot`` gives it back when released). In memory, per server
/// instance.
final class ExportSlots: Sendable {
    enum Key: Hashable, Sendable {
        case account(UUID)
        case share(UUID)
    }

    private let running = NIOLockedValueBox([Key: Int]())
    let perAccount: Int
    let perShare: Int

    init(perAccount: Int, perShare: Int) {
        self.perAccount = perAccount
        self.perShare = perShare
    }

    /// Takes a slot of the account (and of the share link, for a share), or none when either is at its cap.
    func acquire(account: UUID, share: UUID? = nil) -> ExportSlot? {
        let keys = [Key.account(account)] + (share.map { [Key.share($0)] } ?? [])
        let taken = running.withLockedValue { running -> Bool in
            for key in keys where running[key, default: 0] >= limit(key) { return false }
            for key in keys { running[key, default: 0] += 1 }
            return true
        }
        return taken ? ExportSlot(slots: self, keys: keys) : nil
    }

    /// How many exports of `key` are running.
    func count(_ key: Key) -> Int {
        running.withLockedValue { $0[key, default: 0] }
    }

    fileprivate func release(_ keys: [Key]) {
        running.withLockedValue { running in
            for key in keys {
                let left = running[key, default: 1] - 1
                running[key] = left > 0 ? left : nil
            }
        }
    }

    private func limit(_ key: Key) -> Int {
        switch key {
        case .account: perAccount
        case .share: perShare
        }
    }
}

/// One running export's hold on its slots; given back once, by ``release()`` or when the last reference goes.
final class ExportSlot: Sendable {
    private let slots: ExportSlots
    private let keys: [ExportSlots.Key]
    private let released = NIOLockedValueBox(false)

    fileprivate init(slots: ExportSlots, keys: [ExportSlots.Key]) {
        self.slots = slots
        self.keys = keys
    }

    func release() {
        let first = released.withLockedValue { released in
            defer { released = true }
            return !released
        }
        if first { slots.release(keys) }
    }

    deinit {
        release()
    }
}

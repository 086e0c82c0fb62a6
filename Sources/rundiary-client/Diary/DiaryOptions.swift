import ArgumentParser
import Foundation
import RunDiarySync

/// Options every command takes: where the diary lives, and how to print.
struct DiaryOptions: ParsableArguments {
    @Option(help: "Folder of the local diaries (default: $XDG_DATA_HOME/rundiary, else ~/.local/share/rundiary).")
    var dataDir: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    var folder: DiaryFolder {
        DiaryFolder(path: dataDir ?? DiaryFolder.defaultPath)
    }

    /// The engine of the signed-in account's diary.
    func openEngine() throws -> SyncEngine {
        try folder.openCurrent()
    }
}

import CCurl
import CLazyLibrary
import CLibPQ
import Foundation
import Testing
@testable import TradeoffKit

/// libcurl and libpq are opened when first needed (`CLazyLibrary`), so a library that cannot
/// be opened is an error at that moment, saying which library, why, and what to install.
struct MissingLibraryTests {
    /// Opens `name` and looks up `symbols` as libcurl's and libpq's loaders do.
    private func open(_ name: String, _ symbols: [String]) -> (status: Int32, slots: [UnsafeMutableRawPointer?], failure: String) {
        var slots = [UnsafeMutableRawPointer?](repeating: nil, count: symbols.count)
        var failure = [CChar](repeating: 0, count: 512)
        let cStrings = symbols.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let status = cStrings.map { UnsafePointer($0) }.withUnsafeBufferPointer { names in
            slots.withUnsafeMutableBufferPointer { slots in
                tradeoff_lazy_library_open(name, names.baseAddress, slots.baseAddress, Int32(symbols.count), &failure, 512)
            }
        }
        return (status, slots, String(decoding: failure.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    @Test func aLibraryThatIsNotInstalledSaysWhichFile() {
        let opened = open("libtradeoff-not-installed.so.9", ["strlen"])
        #expect(opened.status == -1)
        #expect(opened.failure.contains("libtradeoff-not-installed.so.9"))
        #expect(opened.failure.contains("No such file"))
    }

    @Test func aSymbolTheLibraryLacksIsNamed() {
        let opened = open("libc.so.6", ["strlen", "tradeoff_no_such_function"])
        #expect(opened.status == -1)
        #expect(opened.failure.contains("tradeoff_no_such_function"))
    }

    @Test func everySymbolIsLookedUpInOrder() throws {
        let opened = open("libc.so.6", ["strlen", "abs"])
        #expect(opened.status == 0 && opened.failure.isEmpty)
        let strlen = unsafeBitCast(try #require(opened.slots[0]), to: (@convention(c) (UnsafePointer<CChar>) -> Int).self)
        let abs = unsafeBitCast(try #require(opened.slots[1]), to: (@convention(c) (Int32) -> Int32).self)
        #expect(strlen("tradeoff") == 8)
        #expect(abs(-3) == 3)
    }

    /// The libraries this machine has open: the loaders reach every function they name.
    @Test func libcurlAndLibpqOpenWithEveryFunctionTradeoffCalls() {
        #expect(tradeoff_curl_load() == nil)
        #expect(tradeoff_pq_load() == nil)
        #expect(String(cString: tradeoff_curl_easy_strerror(CURLE_OK)) == "No error")
    }

    @Test func theMessageSaysWhatToInstall() {
        let error = MissingLibraryError(library: "libcurl", reason: "libcurl.so.4: cannot open shared object file: No such file or directory",
                                        package: "libcurl4-openssl-dev")
        #expect(error.description == "libcurl could not be loaded (libcurl.so.4: cannot open shared object file: No such file or directory); "
                    + "install it, on Debian or Ubuntu: apt-get install libcurl4-openssl-dev")
    }
}

/// A shared library Tradeoff opens when first needed (libcurl for calls, libpq for PostgreSQL)
/// could not be opened: what the loader said, and what to install.
public struct MissingLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The library, as people know it: "libcurl".
    public var library: String
    /// The dynamic loader's reason, naming the file or the missing symbol.
    public var reason: String
    /// The Debian package that provides it.
    public var package: String

    /// The error for `library`, which could not be opened for `reason`; `package` provides it.
    public init(library: String, reason: String, package: String) {
        self.library = library
        self.reason = reason
        self.package = package
    }

    public var description: String {
        "\(library) could not be loaded (\(reason)); install it, on Debian or Ubuntu: apt-get install \(package)"
    }
}

/// Tradeoff's version, recorded with every run.
public enum ToolVersion {
    public static let current = "0.1.0"
}

public enum GrensCLI { public static func main() {} }

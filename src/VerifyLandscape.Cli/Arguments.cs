using System.CommandLine;

namespace VerifyLandscape.Cli;

/// <summary>Usage error: one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// One command's parsed command line as the commands read it: positionals, and the options given (by name, with their
/// text; switches without). System.CommandLine parses (unknown options, missing values, help); the commands validate
/// the values themselves, so every bad value is one line naming the option, exit code 2.
/// </summary>
public sealed class Arguments
{
    public IReadOnlyList<string> Positional { get; }
    private readonly Dictionary<string, string?> _flags;

    public Arguments(IReadOnlyList<string> positional, Dictionary<string, string?> flags) { Positional = positional; _flags = flags; }

    /// <summary>The options and positionals of <paramref name="command"/> that <paramref name="result"/> holds.</summary>
    public static Arguments From(ParseResult result, Command command)
    {
        var flags = new Dictionary<string, string?>();
        foreach (var option in command.Options)
        {
            if (result.GetResult(option) is not { Implicit: false }) continue;
            if (option is Option<bool> isSwitch) { if (result.GetValue(isSwitch)) flags[option.Name] = null; }
            else if (option is Option<string> valued) flags[option.Name] = result.GetValue(valued);
        }
        var positional = command.Arguments.SelectMany(a => a switch
        {
            Argument<string[]> many => result.GetValue(many) ?? [],
            Argument<string> one => result.GetValue(one) is { } v ? [v] : [],
            _ => Array.Empty<string>(),
        }).ToList();
        if (positional.FirstOrDefault(p => p.StartsWith('-') && p.Length > 1) is { } unknown)
            throw new UsageException($"unknown option {unknown} (try vl {command.Name} --help)");
        return new Arguments(positional, flags);
    }

    public bool Has(string flag) => _flags.ContainsKey(flag);

    /// <summary>The full path an output-file option names, validated before any work (never a directory, link or device).</summary>
    public string? OutputFile(string flag) => Get(flag) is { } p ? Reports.OutputFiles.ValidateFile(p, flag) : null;

    /// <summary>The full path an output-folder option names, created and checked writable before any work.</summary>
    public string? OutputFolder(string flag) => Get(flag) is { } p ? Reports.OutputFiles.ValidateFolder(p, flag) : null;
    public string? Get(string flag) => _flags.TryGetValue(flag, out var v) ? v : null;

    /// <summary>--format's value, one of <paramref name="allowed"/> (the first is the default).</summary>
    public string Format(params string[] allowed)
    {
        var format = Get("--format") ?? allowed[0];
        return allowed.Contains(format) ? format : throw new UsageException($"--format must be {string.Join(", ", allowed[..^1])} or {allowed[^1]}, got '{format}'");
    }

    public int GetInt(string flag, int fallback, int min, int max)
    {
        var v = Get(flag);
        if (v is null) return fallback;
        if (!int.TryParse(v, out int n) || n < min || n > max) throw new UsageException($"{flag} must be an integer from {min} to {max}, got '{v}'");
        return n;
    }

    /// <summary>A finite number in (min, max] (exclusive below, so that "positive" is min = 0, max = ∞).</summary>
    public double GetDouble(string flag, double fallback, double min, double max) =>
        Get(flag) is { } v ? ParseDouble(flag, v, min, max) : fallback;

    /// <summary>A comma-separated list of numbers in (min, max].</summary>
    public double[]? GetDoubles(string flag, double min, double max) =>
        Get(flag) is { } v ? v.Split(',').Select(part => ParseDouble(flag, part.Trim(), min, max)).ToArray() : null;

    private static double ParseDouble(string flag, string v, double min, double max) =>
        double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d > min && d <= max
            ? d : throw new UsageException($"{flag} must be {(min == 0 && double.IsPositiveInfinity(max) ? "a positive number" : $"a number in ({min}, {max}]")}, got '{v}'");

    /// <summary>--seed as a non-negative 64-bit integer.</summary>
    public ulong GetSeed(ulong fallback) =>
        Get("--seed") is { } s ? (ulong.TryParse(s, out var v) ? v : throw new UsageException($"--seed must be a non-negative integer, got '{s}'")) : fallback;
}

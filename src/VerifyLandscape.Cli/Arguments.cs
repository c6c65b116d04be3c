namespace VerifyLandscape.Cli;

/// <summary>Usage error: one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A command's arguments: positionals and --flags (with or without a value), checked against what the command accepts.</summary>
public sealed class Arguments
{
    public List<string> Positional { get; } = [];
    private readonly Dictionary<string, string?> _flags = [];

    public static Arguments Parse(IEnumerable<string> args, ISet<string> valued, ISet<string> switches)
    {
        var result = new Arguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (a.StartsWith("--"))
            {
                var eq = a.IndexOf('=');
                var name = eq > 0 ? a[..eq] : a;
                if (switches.Contains(name)) { result._flags[name] = null; continue; }
                if (!valued.Contains(name)) throw new UsageException($"unknown option {name}");
                string value = eq > 0 ? a[(eq + 1)..] : e.MoveNext() ? e.Current : throw new UsageException($"{name} needs a value");
                result._flags[name] = value;
            }
            else result.Positional.Add(a);
        }
        return result;
    }

    public bool Has(string flag) => _flags.ContainsKey(flag);

    /// <summary>The full path an output-file option names, validated before any work (never a directory, link or device).</summary>
    public string? OutputFile(string flag) => Get(flag) is { } p ? Reports.OutputFiles.ValidateFile(p, flag) : null;

    /// <summary>The full path an output-folder option names, created and checked writable before any work.</summary>
    public string? OutputFolder(string flag) => Get(flag) is { } p ? Reports.OutputFiles.ValidateFolder(p, flag) : null;
    public string? Get(string flag) => _flags.TryGetValue(flag, out var v) ? v : null;

    public int GetInt(string flag, int fallback, int min, int max)
    {
        var v = Get(flag);
        if (v is null) return fallback;
        if (!int.TryParse(v, out int n) || n < min || n > max) throw new UsageException($"{flag} must be an integer from {min} to {max}, got '{v}'");
        return n;
    }

    /// <summary>--seed as a non-negative 64-bit integer.</summary>
    public ulong GetSeed(ulong fallback) =>
        Get("--seed") is { } s ? (ulong.TryParse(s, out var v) ? v : throw new UsageException($"--seed must be a non-negative integer, got '{s}'")) : fallback;
}

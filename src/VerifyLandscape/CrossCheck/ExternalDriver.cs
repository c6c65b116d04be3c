using System.Diagnostics;
using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Reports;

namespace VerifyLandscape.CrossCheck;

/// <summary>What the external command is asked for: the gradient always, the Hessian and H v on request.</summary>
[Flags]
public enum Requested { Gradient = 1, Hessian = 2, Hvp = 4 }

/// <summary>One instance handed to the external command: a network with its data, a point θ and a direction v (for H v).</summary>
public sealed record DriverCase(NetworkSpec Spec, Rational[] Point, Rational[] Direction);

/// <summary>What the command wrote (null where it was not asked), or why it failed.</summary>
public sealed record DriverOutput(NumericArray? Gradient, NumericArray? Hessian, NumericArray? Hvp, string? Failure);

/// <summary>Someone's derivative code, run on one case in its folder <c>dir</c> (which holds the case's files).</summary>
public interface IDerivativeDriver
{
    /// <summary>The command line the report's reproduce lines run.</summary>
    string Command { get; }
    DriverOutput Run(string dir, DriverCase c, Requested want);
}

/// <summary>
/// Runs someone's derivative code on one instance through files, so any language or framework can take part.
///
/// The protocol (docs/CROSSCHECK.md). vl makes a case folder and runs COMMAND there with /bin/sh -c; the folder holds
///   spec.json     the network and its data (vl's spec format, exact rationals as strings)
///   point.json    θ by parameter name, exact ("W1[0,0]": "1/2"); point.npy: θ as float64 in vl's order (vl derive's)
///   vector.json   the direction v, by name; vector.npy: v as float64
/// and the environment names them: VL_SPEC, VL_POINT (the .npy), VL_POINT_JSON, VL_VECTOR (the .npy), VL_VECTOR_JSON,
/// VL_OUT (the folder out/ to write into) and VL_WANT (e.g. "gradient,hessian,hvp"). The command writes, as .npy
/// (float64 or float32, the precision it computed in), out/gradient.npy (P), and out/hessian.npy (P×P) and out/hvp.npy
/// (P) when asked. A non-zero exit, a missing file or running past the time limit is a failure of the command.
/// </summary>
public sealed class ExternalDriver(string command, TimeSpan timeout) : IDerivativeDriver
{
    public string Command { get; } = command;

    /// <summary>Writes the case folder's input files (also used for the report's reproducible copy).</summary>
    public static void WriteCase(string dir, DriverCase c)
    {
        Directory.CreateDirectory(dir);
        var layout = c.Spec.Layout;
        File.WriteAllText(Path.Combine(dir, "spec.json"), SpecWriter.ToJson(c.Spec).ToJsonString(JsonText.Pretty) + "\n");
        File.WriteAllText(Path.Combine(dir, "point.json"), ByName(layout, c.Point).ToJsonString() + "\n");
        File.WriteAllText(Path.Combine(dir, "vector.json"), ByName(layout, c.Direction).ToJsonString() + "\n");
        File.WriteAllBytes(Path.Combine(dir, "point.npy"), Npy.Format(c.Point.Select(q => q.ToDouble()).ToArray(), [c.Point.Length]));
        File.WriteAllBytes(Path.Combine(dir, "vector.npy"), Npy.Format(c.Direction.Select(q => q.ToDouble()).ToArray(), [c.Direction.Length]));
    }

    private static JsonObject ByName(ParameterLayout layout, Rational[] values)
    {
        var o = new JsonObject();
        for (int q = 0; q < values.Length; q++) o[layout.Name(q)] = values[q].ToString();
        return o;
    }

    /// <summary>The environment the command sees in <paramref name="dir"/>, also printed in the report's reproduce line.</summary>
    public static IReadOnlyList<(string Name, string Value)> Environment(string dir, Requested want) =>
    [
        ("VL_SPEC", Path.Combine(dir, "spec.json")), ("VL_POINT", Path.Combine(dir, "point.npy")), ("VL_POINT_JSON", Path.Combine(dir, "point.json")),
        ("VL_VECTOR", Path.Combine(dir, "vector.npy")), ("VL_VECTOR_JSON", Path.Combine(dir, "vector.json")), ("VL_OUT", Path.Combine(dir, "out")),
        ("VL_WANT", Names(want)),
    ];

    public static string Names(Requested want) =>
        string.Join(",", new[] { (Requested.Gradient, "gradient"), (Requested.Hessian, "hessian"), (Requested.Hvp, "hvp") }.Where(x => want.HasFlag(x.Item1)).Select(x => x.Item2));

    /// <summary>Runs the command in the case folder <paramref name="dir"/> (<see cref="WriteCase"/> made it) and reads what it wrote.</summary>
    public DriverOutput Run(string dir, DriverCase c, Requested want)
    {
        var outDir = Path.Combine(dir, "out");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
        Directory.CreateDirectory(outDir);
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Command);
        foreach (var (name, value) in Environment(dir, want)) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new(null, null, null, $"ran past the time limit of {timeout.TotalSeconds:G} s");
        }
        process.WaitForExit();
        File.WriteAllText(Path.Combine(dir, "out", "stdout.txt"), stdout.Result);
        File.WriteAllText(Path.Combine(dir, "out", "stderr.txt"), stderr.Result);
        if (process.ExitCode != 0)
        {
            var last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";
            return new(null, null, null, $"exited with {process.ExitCode}: {last}");
        }
        NumericArray? Read(Requested what, string file)
        {
            if (!want.HasFlag(what)) return null;
            var path = Path.Combine(outDir, file);
            if (!File.Exists(path)) throw new DriverFailed($"wrote no out/{file} (asked for {Names(want)})");
            return Npy.Read(path);
        }
        try { return new(Read(Requested.Gradient, "gradient.npy"), Read(Requested.Hessian, "hessian.npy"), Read(Requested.Hvp, "hvp.npy"), null); }
        catch (DriverFailed e) { return new(null, null, null, e.Message); }
        catch (InputException e) { return new(null, null, null, "wrote an unreadable array: " + e.Message); }
    }

    private sealed class DriverFailed(string message) : Exception(message);
}

using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Audit;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.CrossCheck;

public enum OutcomeKind { Matches, Mismatch, Inconclusive, Kink, CommandFailed }

/// <summary>One instance judged: the audit of what the command wrote (null where there was nothing to audit) and why not.</summary>
public sealed record Outcome(OutcomeKind Kind, AuditResult? Audit, string? Message)
{
    public string Word => Kind switch
    {
        OutcomeKind.Matches => "matches", OutcomeKind.Mismatch => "MISMATCH",
        OutcomeKind.Inconclusive => "inconclusive (" + string.Join("; ", Audit!.Parts.Where(p => p.Undecidable > 0).Select(p =>
            $"{p.What}: {p.Undecidable} entries whose enclosure is wider than the error allowed, e.g. {p.Offending[0].Name}: width {p.Offending[0].ReferenceHi - p.Offending[0].ReferenceLo:G2} > {p.Offending[0].Allowed:G2}")) + ")",
        OutcomeKind.Kink => "not compared (a kink: no derivative at this point)", _ => "command failed: " + Message,
    };
}

/// <summary>The first mismatch: as found (trial number), as shrunk, and what shrinking cost.</summary>
public sealed record Counterexample(int Trial, NetworkCase Found, NetworkCase Shrunk, Outcome Outcome, int ShrinkSteps, int CommandRuns);

public sealed record CrossCheckResult(ulong Seed, int Trials, int Run, IReadOnlyDictionary<OutcomeKind, int> Counts, Counterexample? Counterexample,
                                      (int Trial, NetworkCase Case, string Message)? CommandFailure);

/// <summary>
/// vl crosscheck: someone's derivative code (<see cref="ExternalDriver"/>) against vl's exact or rigorous derivatives
/// (<see cref="DerivativeAudit"/>, the same error model as vl audit) on seeded random instances; the first mismatch is
/// shrunk greedily with the property tests' own shrinker (<see cref="NetworkCases.Shrink"/>: fewer samples, layers and
/// units, simpler activations and numbers, point seed 0) while it stays a mismatch. Points at a kink (a relu
/// pre-activation exactly 0) have no derivative and are counted apart, never as agreement.
/// </summary>
public sealed class CrossCheckRun(IDerivativeDriver driver, Requested want, string workDir, double? tolerance = null)
{
    public int CommandRuns { get; private set; }

    /// <summary>The instance a generated case hands over: its point, and a direction v drawn with the next seed.</summary>
    public static DriverCase CaseOf(NetworkCase c) => new(c.Spec, c.Point, Point.RandomRationals(c.Spec.ParameterCount, c.PointSeed + 1));

    /// <summary>The generated instances: plain layered networks, or (wiring "all") also skip outputs, layered DAGs and tied parameters.</summary>
    public static Gen<NetworkCase> Cases(Gen<Activation> activations, int maxDepth, int maxWidth, int maxSamples, bool allWirings)
    {
        var plain = NetworkCases.Generator(activations, maxDepth, maxWidth, maxSamples, [LossKind.Sse, LossKind.HalfMse, LossKind.Mse, LossKind.CrossEntropy]);
        return allWirings ? Gen.OneOf(plain, NetworkCases.WithSkip(plain), NetworkCases.WithDagAndTies(plain)) : plain;
    }

    public Outcome Evaluate(DriverCase c, string dir)
    {
        CommandRuns++;
        ExternalDriver.WriteCase(dir, c);
        var output = driver.Run(dir, c, want);
        if (output.Failure is { } failure) return new(OutcomeKind.CommandFailed, null, failure);
        try
        {
            var audit = DerivativeAudit.Run(c.Spec, c.Point, output.Gradient!, output.Hessian, tolerance, "out/gradient.npy", "out/hessian.npy", "spec.json",
                                            output.Hvp, output.Hvp is null ? null : c.Direction, "out/hvp.npy");
            return new(audit.Verdict switch { "matches" => OutcomeKind.Matches, "mismatch" => OutcomeKind.Mismatch, _ => OutcomeKind.Inconclusive }, audit, null);
        }
        catch (Scalars.NonSmoothPointException e) { return new(OutcomeKind.Kink, null, e.Message); }
        catch (InputException e) { return new(OutcomeKind.CommandFailed, null, "wrote an array vl cannot audit: " + e.Message); }
    }

    /// <summary>Runs the trials (stopping at the first mismatch or command failure), shrinking a mismatch; <paramref name="say"/> gets one line per instance.</summary>
    public CrossCheckResult Run(Gen<NetworkCase> cases, int trials, ulong seed, Action<string> say)
    {
        var instances = cases.Sample(trials, new Rnd(seed), 20); // arguments: count, seed, size
        var counts = Enum.GetValues<OutcomeKind>().ToDictionary(k => k, _ => 0);
        for (int t = 0; t < instances.Length; t++)
        {
            var c = instances[t];
            var outcome = Evaluate(CaseOf(c), Path.Combine(workDir, $"trial-{t + 1}"));
            counts[outcome.Kind]++;
            say($"  instance {t + 1}/{trials}: {c.Spec.Describe()}: {outcome.Word}");
            if (outcome.Kind == OutcomeKind.CommandFailed)
                return new(seed, trials, t + 1, counts, null, (t + 1, c, outcome.Message!));
            if (outcome.Kind == OutcomeKind.Mismatch)
            {
                int runsBefore = CommandRuns;
                var (small, smallOutcome, steps) = Shrink(c, outcome, say);
                return new(seed, trials, t + 1, counts, new Counterexample(t + 1, c, small, smallOutcome, steps, CommandRuns - runsBefore), null);
            }
        }
        return new(seed, trials, instances.Length, counts, null, null);
    }

    /// <summary>Greedy: take the first smaller case that is still a mismatch, until none is.</summary>
    private (NetworkCase, Outcome, int) Shrink(NetworkCase found, Outcome outcome, Action<string> say)
    {
        var current = found;
        int steps = 0;
        for (; steps < 200; steps++)
        {
            bool progressed = false;
            int step = steps + 1;
            foreach (var candidate in NetworkCases.Shrink(current))
            {
                var o = Evaluate(CaseOf(candidate), Path.Combine(workDir, "shrink"));
                if (o.Kind != OutcomeKind.Mismatch) continue;
                (current, outcome, progressed) = (candidate, o, true);
                say($"  shrink step {step}: {current.Spec.Describe()}, point seed {current.PointSeed}");
                break;
            }
            if (!progressed) break;
        }
        return (current, outcome, steps);
    }
}

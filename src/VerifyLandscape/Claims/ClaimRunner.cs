using FsCheck;
using FsCheck.Fluent;

namespace VerifyLandscape.Claims;

/// <summary>One decided instance: where it came from, its verdict, and (for failures and counterexamples) its shrunk form.</summary>
public sealed record CaseResult(Claim Claim, string Origin, ClaimInstance Instance, Verdict Verdict, bool Expected,
                                ClaimInstance? Shrunk = null, Verdict? ShrunkVerdict = null);

/// <summary>Runs a claim on its shipped instances and on seeded random trials, shrinking what fails or refutes.</summary>
public static class ClaimRunner
{
    /// <summary>The instances shipped in proofs-data/instances/CLAIM/ (none when proofsData is null).</summary>
    public static List<(string File, ClaimInstance Instance)> ShippedInstances(string? proofsData, Claim claim)
    {
        var dir = proofsData is null ? null : Path.Combine(proofsData, "instances", claim.Id);
        if (dir is null || !Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(f => (f, InstanceReader.ReadFile(f))).ToList();
    }

    public static Verdict Decide(Claim claim, ClaimInstance instance)
    {
        try { return claim.Check(instance); }
        catch (Exception e) when (e is Scalars.UndecidedException or Scalars.NotExactException or Scalars.NonSmoothPointException or ArgumentException)
        {
            return Verdict.Inconclusive(e.Message);
        }
    }

    public static List<CaseResult> Run(Claim claim, int trials, ulong seed, IEnumerable<(string File, ClaimInstance Instance)> shipped, Action? onCase = null)
    {
        var results = new List<CaseResult>();
        foreach (var (file, instance) in shipped)
        {
            var v = Decide(claim, instance);
            results.Add(new CaseResult(claim, Path.GetRelativePath(Directory.GetCurrentDirectory(), file), instance, v, claim.IsExpected(instance, v)));
            onCase?.Invoke();
        }
        if (trials > 0)
        {
            var instances = claim.Generator.Sample(trials, new Rnd(seed), 20); // arguments: count, seed, size
            bool shrunkOneRefutation = false;
            for (int t = 0; t < instances.Length; t++)
            {
                var instance = instances[t] with { ClaimId = claim.Id };
                var v = Decide(claim, instance);
                bool expected = claim.IsExpected(instance, v);
                var result = new CaseResult(claim, $"trial {t + 1} of {trials}, seed {seed}", instance, v, expected);
                // Shrink every unexpected verdict, and the first refutation of a known-false claim (its smallest counterexample).
                if (!expected || (v.Kind == VerdictKind.Refuted && !shrunkOneRefutation))
                {
                    shrunkOneRefutation |= v.Kind == VerdictKind.Refuted;
                    var (small, sv) = ShrinkWhile(claim, instance, v.Kind);
                    result = result with { Shrunk = small, ShrunkVerdict = sv };
                }
                results.Add(result);
                onCase?.Invoke();
            }
        }
        return results;
    }

    /// <summary>Greedy shrinking: take the first smaller instance with the same verdict kind, until none is left.</summary>
    public static (ClaimInstance, Verdict) ShrinkWhile(Claim claim, ClaimInstance instance, VerdictKind kind)
    {
        var current = instance;
        var verdict = Decide(claim, instance);
        for (int step = 0; step < 500; step++)
        {
            bool progressed = false;
            foreach (var candidate in claim.Shrink(current))
            {
                var v = Decide(claim, candidate);
                if (v.Kind != kind) continue;
                (current, verdict, progressed) = (candidate, v, true);
                break;
            }
            if (!progressed) break;
        }
        return (current, verdict);
    }
}

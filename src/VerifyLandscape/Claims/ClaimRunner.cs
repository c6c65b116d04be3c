using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Budgets;

namespace VerifyLandscape.Claims;

/// <summary>One decided instance: where it came from, its verdict, and (for failures and counterexamples) its shrunk form.</summary>
public sealed record CaseResult(Claim Claim, string Origin, ClaimInstance Instance, Verdict Verdict, bool Expected,
                                ClaimInstance? Shrunk = null, Verdict? ShrunkVerdict = null);

/// <summary>How a claim's run ended; the CLI maps it to exit codes 0, 3 and 1.</summary>
public enum RunOutcome { AsExpected, Inconclusive, Failed }

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

    /// <summary>
    /// Decides one instance under a size and time budget (default <see cref="Budget.Default"/>). Running out of it, or an
    /// undecided comparison, is "inconclusive" with the reason; a budget verdict carries the instance for reproduction.
    /// </summary>
    public static Verdict Decide(Claim claim, ClaimInstance instance, Budget? budget = null)
    {
        using var scope = (budget ?? Budget.Default).Enter();
        try { return claim.Check(instance); }
        catch (Exception e) when (Unwrap(e) is BudgetExceededException b)
        {
            return new Verdict(VerdictKind.Inconclusive, $"{b.Message} (instance: {instance})", new System.Text.Json.Nodes.JsonObject { ["instance"] = instance.ToJson(), ["budget"] = b.Which });
        }
        catch (Exception e) when (Unwrap(e) is Scalars.UndecidedException or Scalars.NotExactException or Scalars.NonSmoothPointException or ArgumentException)
        {
            return Verdict.Inconclusive(Unwrap(e).Message);
        }
    }

    /// <summary>The Hessian's columns run in Parallel.For, which wraps what a column throws.</summary>
    private static Exception Unwrap(Exception e) => e is AggregateException a && a.InnerExceptions.Count > 0 ? Unwrap(a.InnerExceptions[0]) : e;

    /// <summary>
    /// How a claim's run went, for exit codes and reports: as the catalog expects; inconclusive (nothing unexpected was
    /// decided, but some verdicts are inconclusive); or failed (an unexpected verdict, a known-false claim whose
    /// counterexample was not found, or no instance at all).
    /// </summary>
    public static (RunOutcome Outcome, List<string> Problems) Judge(Claim claim, IReadOnlyList<CaseResult> results)
    {
        var problems = new List<string>();
        if (results.Count == 0) problems.Add("no instance was checked");
        foreach (var r in results.Where(r => !r.Expected && r.Verdict.Kind != VerdictKind.Inconclusive))
            problems.Add($"unexpected {r.Verdict.Word} on {r.Origin}: {(r.ShrunkVerdict ?? r.Verdict).Reason}\n     instance: {r.Shrunk ?? r.Instance}");
        if (claim.Expected == Expectation.KnownFalse && results.Count > 0 && !results.Any(r => r.Verdict.Kind == VerdictKind.Refuted))
            problems.Add("the known counterexample was not found (a known-false claim must be refuted)");
        if (problems.Count > 0) return (RunOutcome.Failed, problems);
        if (claim.Expected == Expectation.Open)
        {
            // A search: candidates and starts that did not converge are its findings, listed (first five of each), not a failed run.
            foreach (var r in results.Where(r => r.Verdict.Kind == VerdictKind.FailsToTolerance).Take(5))
                problems.Add($"candidate on {r.Origin}: {r.Verdict.Reason}\n     instance: {r.Instance}");
            foreach (var r in results.Where(r => r.Verdict.Kind == VerdictKind.Inconclusive).Take(5))
                problems.Add($"no finding on {r.Origin}: {r.Verdict.Reason}");
            return (RunOutcome.AsExpected, problems);
        }
        var inconclusive = results.Where(r => !r.Expected).ToList();
        foreach (var r in inconclusive) problems.Add($"inconclusive on {r.Origin}: {r.Verdict.Reason}");
        return (inconclusive.Count > 0 ? RunOutcome.Inconclusive : RunOutcome.AsExpected, problems);
    }

    /// <summary>
    /// Decides the shipped instances and the random trials. With a shard i/n only trials t (1-based) with
    /// (t − 1) mod n = i − 1 are decided: the same instances as the whole run (they are drawn from the same seed), split
    /// disjointly across n jobs. Shipped instances run in every shard (few, and they hold the known counterexamples).
    /// </summary>
    public static List<CaseResult> Run(Claim claim, int trials, ulong seed, IEnumerable<(string File, ClaimInstance Instance)> shipped, Action? onCase = null, Budget? budget = null, Shard? shard = null)
    {
        var results = new List<CaseResult>();
        foreach (var (file, instance) in shipped)
        {
            var v = Decide(claim, instance, budget);
            results.Add(new CaseResult(claim, Path.GetRelativePath(Directory.GetCurrentDirectory(), file), instance, v, claim.IsExpected(instance, v)));
            onCase?.Invoke();
        }
        if (trials > 0)
        {
            var instances = claim.Generator.Sample(trials, new Rnd(seed), 20); // arguments: count, seed, size
            bool shrunkOneRefutation = false;
            for (int t = 0; t < instances.Length; t++)
            {
                if (shard is { } part && !part.Takes(t)) continue;
                var instance = instances[t] with { ClaimId = claim.Id };
                var v = Decide(claim, instance, budget);
                bool expected = claim.IsExpected(instance, v);
                var result = new CaseResult(claim, $"trial {t + 1} of {trials}, seed {seed}", instance, v, expected);
                // Shrink every unexpected verdict, and the first refutation of a known-false claim (its smallest counterexample).
                if (!expected || (v.Kind == VerdictKind.Refuted && !shrunkOneRefutation))
                {
                    shrunkOneRefutation |= v.Kind == VerdictKind.Refuted;
                    var (small, sv) = ShrinkWhile(claim, instance, v.Kind, budget);
                    result = result with { Shrunk = small, ShrunkVerdict = sv };
                }
                results.Add(result);
                onCase?.Invoke();
            }
        }
        return results;
    }

    /// <summary>Greedy shrinking: take the first smaller instance with the same verdict kind, until none is left.</summary>
    public static (ClaimInstance, Verdict) ShrinkWhile(Claim claim, ClaimInstance instance, VerdictKind kind, Budget? budget = null)
    {
        var current = instance;
        var verdict = Decide(claim, instance, budget);
        for (int step = 0; step < 500; step++)
        {
            bool progressed = false;
            foreach (var candidate in claim.Shrink(current))
            {
                var v = Decide(claim, candidate, budget);
                if (v.Kind != kind) continue;
                (current, verdict, progressed) = (candidate, v, true);
                break;
            }
            if (!progressed) break;
        }
        return (current, verdict);
    }
}

/// <summary>Shard Index of Count (1-based, as CI matrices number jobs): trial t (0-based) belongs to it when t mod Count = Index − 1.</summary>
public readonly record struct Shard(int Index, int Count)
{
    public bool Takes(int trial) => trial % Count == Index - 1;
    public int TrialsOf(int trials) => trials / Count + (trials % Count >= Index ? 1 : 0);
    public override string ToString() => $"{Index}/{Count}";

    public static Shard? Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 1 && i <= n ? new Shard(i, n) : null;
    }
}

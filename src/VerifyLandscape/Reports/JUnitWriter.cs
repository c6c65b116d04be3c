using System.Xml.Linq;
using VerifyLandscape.Claims;

namespace VerifyLandscape.Reports;

/// <summary>JUnit XML: one test suite per claim, one test case per decided instance, so any CI shows them.</summary>
public static class JUnitWriter
{
    /// <summary>
    /// Agrees with `vl check`'s exit code: a case is a failure when its verdict was unexpected and decided, skipped when it
    /// was inconclusive; a claim whose known counterexample was not found, or that checked nothing, gets a failing case.
    /// </summary>
    public static string Write(IEnumerable<ClaimRun> runs)
    {
        var suites = runs.Select(run =>
        {
            var cases = run.Results;
            bool claimLevel = run.Outcome == RunOutcome.Failed && cases.All(r => r.Expected || r.Verdict.Kind == VerdictKind.Inconclusive);
            var elements = cases.Select(r => new XElement("testcase",
                new XAttribute("classname", run.Claim.Id),
                new XAttribute("name", $"{r.Origin}: {r.Verdict.Word}"),
                r.Expected ? null
                : r.Verdict.Kind == VerdictKind.Inconclusive ? new XElement("skipped", new XAttribute("message", r.Verdict.Reason))
                : new XElement("failure", new XAttribute("message", r.Verdict.Reason), (r.Shrunk ?? r.Instance).ToString()))).ToList();
            if (claimLevel)
                elements.Add(new XElement("testcase", new XAttribute("classname", run.Claim.Id), new XAttribute("name", "catalog expectation"),
                    new XElement("failure", new XAttribute("message", string.Join("; ", run.Problems)))));
            return new XElement("testsuite",
                new XAttribute("name", run.Claim.Id),
                new XAttribute("tests", elements.Count),
                new XAttribute("failures", elements.Count(e => e.Element("failure") is not null)),
                new XAttribute("skipped", elements.Count(e => e.Element("skipped") is not null)),
                elements);
        });
        return new XDocument(new XElement("testsuites", suites)).ToString() + "\n";
    }
}

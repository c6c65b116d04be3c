using System.Xml.Linq;
using VerifyLandscape.Claims;

namespace VerifyLandscape.Reports;

/// <summary>JUnit XML: one test suite per claim, one test case per decided instance, so any CI shows them.</summary>
public static class JUnitWriter
{
    public static string Write(IEnumerable<CaseResult> results)
    {
        var suites = results.GroupBy(r => r.Claim.Id).Select(g => new XElement("testsuite",
            new XAttribute("name", g.Key),
            new XAttribute("tests", g.Count()),
            new XAttribute("failures", g.Count(r => !r.Expected)),
            g.Select(r => new XElement("testcase",
                new XAttribute("classname", g.Key),
                new XAttribute("name", $"{r.Origin}: {r.Verdict.Word}"),
                r.Expected ? null : new XElement("failure", new XAttribute("message", r.Verdict.Reason), (r.Shrunk ?? r.Instance).ToString())))));
        return new XDocument(new XElement("testsuites", suites)).ToString() + "\n";
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace VerifyLandscape.Reports;

/// <summary>How vl writes JSON files and documents: indented, with Unicode (σ, ∇, ≤) left readable.</summary>
public static class JsonText
{
    public static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.TensorUsage;

namespace StaticGrad.Analyzers.Tests.Docs;

/// <summary>Every rule has a docs page, its help link points to that page, and release tracking lists it.</summary>
public class DiagnosticDocsTests
{
    private static IEnumerable<DiagnosticDescriptor> AllRules() =>
        new TensorUsageAnalyzer().SupportedDiagnostics.Concat(new TrainingLoopAnalyzer().SupportedDiagnostics);

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AllRules())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    private static DiagnosticDescriptor Descriptor(string id) => AllRules().Single(d => d.Id == id);

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Has_a_docs_page_with_the_sections_a_user_needs(string id)
    {
        var page = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), "missing " + page);
        var text = File.ReadAllText(page);
        Assert.StartsWith("# " + id + ": " + Descriptor(id).Title, text, StringComparison.Ordinal);
        foreach (var section in new[] { "## Problem", "## PyTorch's run-time message", "## Violating code", "## Fixed code", "## When it is not reported" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Help_link_points_to_the_docs_page(string id)
    {
        var descriptor = Descriptor(id);
        Assert.Equal(HelpLinks.For(id), descriptor.HelpLinkUri);
        Assert.EndsWith("/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Release_tracking_lists_the_rule_with_its_severity(string id)
    {
        var descriptor = Descriptor(id);
        // A released rule is listed in Shipped, a new one in Unshipped: exactly one of the two files lists it.
        var folder = Path.Combine(RepositoryRoot.Path, "analyzers", "StaticGrad.Analyzers");
        var lines = File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Shipped.md")).Concat(File.ReadAllLines(Path.Combine(folder, "AnalyzerReleases.Unshipped.md")));
        var line = Assert.Single(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        var cells = line.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    /// <summary>
    /// Each rule checks both libraries, so each page shows code in both: a C# block written with StaticGrad's names and
    /// one written with TorchSharp's (snake_case members, <c>torch.</c> factories and scopes).
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Shows_code_in_both_libraries(string id)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", id + ".md"));
        var blocks = System.Text.RegularExpressions.Regex.Matches(text, "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).ToList();
        var torchSharp = new System.Text.RegularExpressions.Regex(@"torch\.|\.(backward|requires_grad_?|zero_grad|detach_?|retain_grad|grad|step|parameters|add_|mul_|sum|exp)\b");
        var staticGrad = new System.Text.RegularExpressions.Regex(@"Tensor\.|Autograd\.|\.(Backward|RequiresGrad|ZeroGrad|Detach|DetachInPlace|RetainGrad|Grad|Step|Parameters|AddInPlace|MulInPlace|Sum|Exp)\b");
        Assert.Contains("TorchSharp", text, StringComparison.Ordinal);
        Assert.Contains(blocks, block => torchSharp.IsMatch(block) && !staticGrad.IsMatch(block));
        Assert.Contains(blocks, block => staticGrad.IsMatch(block) && !torchSharp.IsMatch(block));
    }

    [Fact]
    public void Every_page_in_the_tensor_usage_range_belongs_to_a_rule()
    {
        var ids = AllRules().Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics"), "SG0*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, page => Assert.Contains(page!, ids));
    }
}

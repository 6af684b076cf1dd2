using StaticGrad.Analyzers.Tests.Docs;
using StaticGrad.Compiler.Diagnostics;

namespace StaticGrad.Analyzers.Tests.Differentiability;

/// <summary>Every SG1xxx diagnostic has a docs page with the sections a user needs, and its help link points there.</summary>
public sealed class DifferentiabilityDocsTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Has_a_docs_page_with_the_sections_a_user_needs(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var page = Path.Combine(RepositoryRoot.Path, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), "missing " + page);
        var text = File.ReadAllText(page);
        Assert.StartsWith("# " + id + ": " + descriptor.Title, text, StringComparison.Ordinal);
        Assert.Contains("| Severity | " + descriptor.DefaultSeverity + " |", text, StringComparison.Ordinal);
        foreach (var section in new[] { "## Problem", "## Why", "## Violating code", "## Fixed code", "## When it is not reported" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_to_the_docs_page(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        Assert.Equal(HelpLinks.For(id), descriptor.HelpLinkUri);
        Assert.EndsWith("/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_page_in_the_differentiability_range_belongs_to_a_diagnostic()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs", "diagnostics"), "SG1*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.All(pages, page => Assert.Contains(page!, ids));
    }
}

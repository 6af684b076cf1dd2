using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace StaticGrad.Compiler.Model;

/// <summary>A source location as plain data: a <see cref="Location"/> would keep a compilation alive in the pipeline.</summary>
public sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
}

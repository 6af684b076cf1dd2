namespace StaticGrad.Compiler.Model;

/// <summary>A diagnostic as data: the id of a descriptor in <c>Diagnostics.DiagnosticDescriptors</c>, where, and the message arguments.</summary>
public sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(string id, LocationInfo? location, params string[] arguments) =>
        new(id, location, arguments.ToEquatableArray());
}

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// One generated [Differentiable] method and, when Detach or NoGrad is used, its lockstep reference; <see cref="Uses"/>
/// are the productions it was built with (those the generator records).
/// </summary>
public sealed record RandomProgram(string Name, int Seed, string Source, bool IsHelper, bool NeedsReference, IReadOnlyCollection<Production> Uses);

/// <summary>A helper the generated programs may call (a generated [Differentiable] method itself).</summary>
public sealed record RandomHelper(string Name, int Arity, bool NeedsReference);

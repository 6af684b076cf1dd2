using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace StaticGrad.Compiler.Analysis;

/// <summary>Identity comparison: IR records are equal by value, but two equal statements at different places are different sites.</summary>
public sealed class ReferenceComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}

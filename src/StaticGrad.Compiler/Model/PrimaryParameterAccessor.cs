namespace StaticGrad.Compiler.Model;

/// <summary>
/// A primary-constructor parameter of the containing type read by a [Differentiable] body. C# scopes such a parameter
/// to the declaration that has the parameter list, so the generated part of the type cannot name it; it reads the
/// field the compiler captured it in through a .NET 8 <c>[UnsafeAccessor]</c> method declared with the method's backward.
/// </summary>
/// <param name="Name">The accessor's name: free in the containing type.</param>
/// <param name="FieldName">The capture field's metadata name, Roslyn's <c>&lt;{parameter}&gt;P</c>.</param>
/// <param name="FieldType">The parameter's type, fully qualified.</param>
/// <param name="InstanceType">The containing type, fully qualified.</param>
/// <param name="IsStruct">The containing type is a struct: the accessor takes the instance by reference.</param>
public sealed record PrimaryParameterAccessor(string Name, string FieldName, string FieldType, string InstanceType, bool IsStruct);

using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// Declares the <c>[UnsafeAccessor]</c> methods through which generated code reads the containing type's
/// primary-constructor parameters (Lowering/PrimaryConstructorParameters): one per parameter the body reads, written
/// once, in the file of the method's backward, which every other generated file of the method goes with.
/// </summary>
public static class PrimaryParameterAccessors
{
    public static void Write(IndentedWriter w, DifferentiableMethodSpec spec)
    {
        foreach (var accessor in spec.PrimaryParameters)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>Reads the primary-constructor parameter '" + accessor.FieldName.Substring(1, accessor.FieldName.Length - 3) + "', which this part of the type cannot name, from the field the compiler keeps it in.</summary>");
            w.WriteLine("[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Field, Name = \"" + accessor.FieldName + "\")]");
            w.WriteLine("private static extern ref " + accessor.FieldType + " " + accessor.Name + "(" + (accessor.IsStruct ? "ref " : string.Empty) + accessor.InstanceType + " instance);");
        }
    }
}

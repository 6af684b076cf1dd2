using System.Globalization;

namespace StaticGrad.Optim;

/// <summary>PyTorch 2.11's optimizer error and warning texts (SPEC R37, message catalogue M27–M33).</summary>
internal static class OptimizerMessages
{
    public const string NonLeaf = "can't optimize a non-leaf Tensor";

    public const string EmptyParameterList = "optimizer got an empty parameter list";

    public const string SetInGroup = "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.";

    public const string SharedAcrossGroups = "some parameters appear in more than one parameter group";

    public const string DuplicateInGroup = "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information";

    public const string NesterovRequirements = "Nesterov momentum requires a momentum and zero dampening";

    /// <summary>M33, where .NET's only non-tensor element of an <c>IEnumerable&lt;Tensor&gt;</c> is null.</summary>
    public const string NullParameter = "optimizer can only optimize Tensors, but one of the params is null";

    public static string Invalid(string what, double value) => $"Invalid {what}: {PythonFloat(value)}";

    /// <summary>A double as Python's <c>repr</c> prints it in these messages (<c>-1.0</c>, not <c>-1</c>).</summary>
    public static string PythonFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return text.Contains('e', StringComparison.Ordinal) || text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }
}

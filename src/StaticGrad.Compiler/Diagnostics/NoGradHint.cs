namespace StaticGrad.Compiler.Diagnostics;

/// <summary>
/// What SG1011 tells the user to do. A scalar or array argument can be detached, or the callee's assembly can ship
/// the backward that includes its [NoGrad] parameters; a struct for a [NoGrad] parameter is passed whole and never
/// gets an adjoint, so IncludingNoGrad does not help there: the user either drops [NoGrad] (the struct then gets an
/// adjoint of its own type) or builds it from detached fields.
/// </summary>
internal static class NoGradHint
{
    public static string Scalar(string callee) =>
        "wrap the argument in Autograd.Detach to say so, remove [NoGrad], or let the derivative flow by setting [Differentiable(IncludingNoGrad = true)] on '" + callee + "' in its assembly";

    public static string Struct(string callee, string parameter) =>
        "a struct passed to a [NoGrad] parameter is data, whatever the callee's settings; remove [NoGrad] from '" + parameter + "' of '" + callee
        + "' so that its fields get their derivatives, or build the argument from fields wrapped in Autograd.Detach to say they are constants";
}

using StaticGrad;

// The generated IdentityBackward returns the value and adds seed·∂f/∂x to dx.
var dx = 0.0;
var value = Functions.IdentityBackward(3.0, ref dx);
Console.WriteLine($"f(3) = {value}, df/dx = {dx}");

internal static partial class Functions
{
    [Differentiable]
    public static double Identity(double x) => x;
}

namespace StaticGrad.Package.Tests;

/// <summary>The programs the consumer projects are built from: what a user would write.</summary>
internal static class ConsumerPrograms
{
    public const string Working = """
        using System.Globalization;
        using StaticGrad;

        namespace Consumer;

        public static partial class Functions
        {
            [Differentiable]
            public static double Square(double x) => x;
        }

        public static class Program
        {
            public static void Main()
            {
                var dx = 0.0;
                var value = Functions.SquareBackward(3.0, ref dx);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"identity: value={value} grad={dx}"));
            }
        }
        """;
}

namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// LSTM's hidden state (session 18): in a for loop, a local set to a factor times a library call of its own old
    /// value, <c>v = e · tanh(v + e′)</c>, so the call is a factor whose value the statement's reverse reads and the
    /// compiler pushes it after the statement instead of calling again. Tanh, Sin, Cos, Atan: bounded, so the local stays
    /// in range. Drawn from a stream of its own, so every other program's text is unchanged.
    /// </summary>
    private void KeptFactor()
    {
        if (_keptFactors.NextDouble() >= 0.3 || !Allowed(Production.KeptFactor) || _assignable.Count == 0)
        {
            return;
        }

        Use(Production.KeptFactor);
        var target = _assignable[_keptFactors.Next(_assignable.Count)];
        var function = new[] { "Tanh", "Sin", "Cos", "Atan" }[_keptFactors.Next(4)];
        Assign(target, "=", Fragment.Combine("{0} * " + M + "." + function + "({1} + {2})", Expression(1), Fragment.Variable(target), Expression(1)));
    }
}

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Which values the reverse sweep visits: those that depend on a differentiable parameter (active) and that the
/// result depends on (useful). Everything else gets no adjoint, so the backward does no work for it.
/// </summary>
internal static class TensorActivity
{
    public static bool[] Useful(TensorMethodSpec spec)
    {
        var values = spec.Values;
        var active = new bool[values.Count];
        var parameter = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value.Op == TensorOp.Parameter)
            {
                while (!spec.Parameters[parameter].IsTensor)
                {
                    parameter++;
                }

                active[i] = spec.Parameters[parameter++].Differentiable;
                continue;
            }

            if (value.Op == TensorOp.Detach)
            {
                continue;
            }

            foreach (var operand in value.Operands)
            {
                active[i] |= active[operand];
            }
        }

        var useful = new bool[values.Count];
        useful[spec.Result] = active[spec.Result];
        for (var i = values.Count - 1; i >= 0; i--)
        {
            if (!useful[i] || values[i].Op == TensorOp.Detach)
            {
                continue;
            }

            foreach (var operand in values[i].Operands)
            {
                useful[operand] |= active[operand];
            }
        }

        return useful;
    }
}

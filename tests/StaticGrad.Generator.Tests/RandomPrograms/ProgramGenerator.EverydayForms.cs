namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>The enum the <see cref="Production.EnumCast"/> statements convert a loop counter to (declared once per batch).</summary>
    public const string ModeEnum = "public enum RpMode { First, Second, Third }";

    /// <summary>
    /// Session 20's everyday forms, in a for loop, drawn from a stream of their own (so every other program's text is
    /// unchanged): the loop counter read as an enum in a local and switched on (<c>var m = (RpMode)(i % 3);</c>,
    /// <see cref="Production.EnumCast"/>), a <c>foreach</c> over a static readonly table (<see cref="Production.TableForeach"/>),
    /// or a local array of tuples written element by element and read by a deconstructing <c>foreach</c>
    /// (<see cref="Production.TupleArray"/>).
    /// </summary>
    private void EverydayForm(string counter)
    {
        if (_everydayForms.NextDouble() >= 0.35 || _assignable.Count == 0)
        {
            return;
        }

        var target = _assignable[_everydayForms.Next(_assignable.Count)];
        switch (_everydayForms.Next(3))
        {
            case 0 when Allowed(Production.EnumCast):
                {
                    Use(Production.EnumCast);
                    var mode = Fresh("em");
                    _w.Both($"var {mode} = (RpMode)({counter} % 3);");
                    Assign(target, "=", Fragment.Combine(
                        "(" + mode + " switch {{ RpMode.First => {0}, RpMode.Second => " + M + ".Sin({1}), _ => {1} * " + Literal(0.5) + " }})",
                        Expression(1),
                        Fragment.Variable(target)));
                    break;
                }

            // The tables are members of Programs, which helpers (in Helpers) cannot read.
            case 1 when Allowed(Production.TableForeach) && !_isHelper:
                Use(Production.TableForeach);
                ForeachElements(SpreadTableName, SpreadTableName, grid: false, w =>
                    Assign(target, "+=", Fragment.Combine("{0} * " + M + ".Sin({1})", w, Expression(1))));
                break;

            case 2 when Allowed(Production.TupleArray):
                TupleArray(target);
                break;
        }
    }

    private void TupleArray(string target)
    {
        Use(Production.TupleArray);
        var (pairs, a, b, q) = (Fresh("tp"), Fresh("ta"), Fresh("tb"), Fresh("tq"));
        var tupleType = $"({T} A, {T} B)";
        _w.Src($"var {pairs} = new {tupleType}[2];");
        _w.Ref($"var {pairs} = new {tupleType}[2];");
        _w.Ref($"var {pairs}_0 = new {tupleType}[2];");
        var (first, second, third) = (Expression(1), Expression(1), Expression(1));
        var current = Fragment.Variable(target);
        WriteTuple(pairs, 0, first, second);
        WriteTuple(pairs, 1, third, current);

        _w.Src($"foreach (var ({a}, {b}) in {pairs})");
        _w.Ref($"for (int {q} = 0; {q} < {pairs}.Length; {q}++)");
        _w.Both("{");
        _w.Ref($"    var {a} = {pairs}[{q}].A;");
        _w.Ref($"    var {a}_0 = {pairs}_0[{q}].A;");
        _w.Ref($"    var {b} = {pairs}[{q}].B;");
        _w.Ref($"    var {b}_0 = {pairs}_0[{q}].B;");
        using (new Indent(_w))
        {
            Assign(target, "+=", Fragment.Combine("{0} * {1} * " + Literal(0.25), Fragment.Variable(a), Fragment.Variable(b)));
        }

        _w.Both("}");
    }

    private void WriteTuple(string pairs, int index, Fragment first, Fragment second)
    {
        _w.Src($"{pairs}[{index}] = ({first.Src}, {second.Src});");
        _w.Ref($"{pairs}[{index}] = ({first.Ref}, {second.Ref});");
        _w.Ref($"{pairs}_0[{index}] = ({first.Shadow}, {second.Shadow});");
    }
}

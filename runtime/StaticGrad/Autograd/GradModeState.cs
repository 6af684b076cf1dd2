namespace StaticGrad;

/// <summary>
/// The grad and inference mode of the current logical flow of control. The mode lives in an
/// <see cref="AsyncLocal{T}"/>, so it follows <c>await</c> continuations and <c>Task.Run</c> onto whatever thread runs
/// them and never stays behind on a thread-pool thread (<c>using (Autograd.NoGrad()) { await …; }</c> is no-grad on
/// both sides of the <c>await</c>, and the pool thread is back in grad mode once the continuation leaves it).
/// A dedicated <see cref="Thread"/> starts in grad mode, as a new thread does in PyTorch, even when it was started
/// inside another thread's scope: threads that do not share a flow are isolated.
/// </summary>
/// <remarks>
/// Every tensor operation reads the mode, so reads go to a <see cref="ThreadStaticAttribute">thread-static</see>
/// mirror (a plain field load) that the async-local's change callback keeps equal to the flow's value: the runtime
/// calls it whenever it switches execution contexts on a thread, the mechanism that makes
/// <c>CultureInfo.CurrentCulture</c> flow. Each setting is a new object, so that the one a dedicated thread inherited
/// when it started can be recognised and ignored there.
/// </remarks>
internal static class GradModeState
{
    public const int GradDisabled = 1;
    public const int Inference = 2;

    private static readonly AsyncLocal<Setting?> s_flow = new(OnFlowChanged);

    [ThreadStatic]
    private static int t_mirror;

    [ThreadStatic]
    private static bool t_seenContext;

    [ThreadStatic]
    private static Setting? t_inheritedAtStart;

    public static int Current => t_mirror;

    public static void Set(int modes) => s_flow.Value = modes == 0 ? null : new Setting(modes);

    private static void OnFlowChanged(AsyncLocalValueChangedArgs<Setting?> args)
    {
        var setting = args.CurrentValue;
        if (args.ThreadContextChanged && !t_seenContext && args.PreviousValue is null && !Thread.CurrentThread.IsThreadPoolThread)
        {
            // The first context a dedicated thread ever runs is the one captured by Thread.Start.
            t_inheritedAtStart = setting;
        }

        t_seenContext = true;
        t_mirror = setting is null || ReferenceEquals(setting, t_inheritedAtStart) ? 0 : setting.Modes;
    }

    private sealed class Setting
    {
        public Setting(int modes) => Modes = modes;

        public int Modes { get; }
    }
}

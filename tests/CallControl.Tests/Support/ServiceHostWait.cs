namespace CallControl.Tests.Support;

/// <summary>Polls a condition until it holds or a generous deadline passes (a loaded 2-core machine is slow).</summary>
public static class ServiceHostWait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Default);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), ok => ok, what, timeout);
}

namespace CallControl.Tests.Support;

/// <summary>A fresh Hangfire schema name per in-process service host: its own queue, its own servers.</summary>
public static class JobsSchema
{
    public static string Unique() => "hangfire_t" + Guid.NewGuid().ToString("N")[..12];
}

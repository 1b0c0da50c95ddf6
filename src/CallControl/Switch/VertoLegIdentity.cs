namespace CallControl.Switch;

/// <summary>
/// Which verto login placed a leg. mod_verto builds an inbound leg's caller profile with username
/// <c>&lt;login&gt;@&lt;domain&gt;</c> of the authenticated login (jsock-&gt;uid) and source <c>mod_verto</c>; events
/// carry them as <c>Caller-Username</c> and <c>Caller-Source</c>. Channel variables such as <c>user_name</c> or
/// <c>verto_user</c> are no proof: mod_verto copies the browser's login <c>userVariables</c> onto every channel of the
/// connection after setting them, so a browser can name any login there.
/// </summary>
public static class VertoLegIdentity
{
    /// <summary>The mod_verto caller profile source.</summary>
    public const string VertoSource = "mod_verto";

    /// <summary>The login (the user part of <paramref name="callerUsername"/>), or null when the leg is not a verto
    /// leg or names no user.</summary>
    public static string? Login(string? callerUsername, string? callerSource)
    {
        if (!string.Equals(callerSource, VertoSource, StringComparison.Ordinal) || string.IsNullOrEmpty(callerUsername))
        {
            return null;
        }

        var at = callerUsername.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? callerUsername : callerUsername[..at];
        return user.Length > 0 ? user : null;
    }
}

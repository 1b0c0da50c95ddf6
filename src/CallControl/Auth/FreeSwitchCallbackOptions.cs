namespace CallControl.Auth;

/// <summary>
/// Configuration section <c>FreeSwitch</c>: the HTTP basic-auth credentials FreeSWITCH's mod_xml_curl and
/// mod_json_cdr send to <c>/fs/directory</c> and <c>/fs/cdr</c> (their <c>gateway-credentials</c>/<c>cred</c>).
/// </summary>
public sealed class FreeSwitchCallbackOptions
{
    public const string SectionName = "FreeSwitch";

    /// <summary>The basic-auth user name, e.g. <c>fs</c>.</summary>
    public string CallbackUser { get; set; } = "";

    /// <summary>The basic-auth password.</summary>
    public string CallbackSecret { get; set; } = "";

    internal bool IsConfigured =>
        !string.IsNullOrEmpty(CallbackUser) && !string.IsNullOrEmpty(CallbackSecret) && !CallbackUser.Contains(':', StringComparison.Ordinal);
}

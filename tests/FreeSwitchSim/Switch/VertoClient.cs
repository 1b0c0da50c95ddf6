namespace FreeSwitchSim.Switch;

/// <summary>A browser connected to mod_verto (one WebSocket, a jsock), logged in or not.</summary>
internal sealed class VertoClient
{
    public required string User { get; init; }
    public required string JsockUuid { get; init; }
    public required int Port { get; init; }
    public string SessId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>
    /// The <c>userVariables</c> the browser sent in <c>verto.login</c> (jsock-&gt;user_vars): mod_verto sets them on
    /// every channel this client creates, after switch_ivr_set_user, so they override user_name, verto_user, anything.
    /// Only the caller profile's username (<c>Caller-Username</c>, the authenticated login) is out of their reach.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserVariables { get; init; } = [];
    public bool LoggedIn { get; set; }
    public long LoginUs { get; set; }
    public string LoginDateLocal { get; set; } = "";
    public string LoginDateGmt { get; set; } = "";
    public string LoginSequence { get; set; } = "";

    /// <summary>Whether it answers by itself when rung, and after how long (CallOptions of the last login).</summary>
    public int? AutoAnswerMs { get; set; }

    public string Address => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

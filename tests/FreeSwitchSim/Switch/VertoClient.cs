namespace FreeSwitchSim.Switch;

/// <summary>A browser connected to mod_verto (one WebSocket, a jsock), logged in or not.</summary>
internal sealed class VertoClient
{
    public required string User { get; init; }
    public required string JsockUuid { get; init; }
    public required int Port { get; init; }
    public string SessId { get; init; } = Guid.NewGuid().ToString();
    public bool LoggedIn { get; set; }
    public long LoginUs { get; set; }
    public string LoginDateLocal { get; set; } = "";
    public string LoginDateGmt { get; set; } = "";
    public string LoginSequence { get; set; } = "";

    /// <summary>Whether it answers by itself when rung, and after how long (CallOptions of the last login).</summary>
    public int? AutoAnswerMs { get; set; }

    public string Address => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

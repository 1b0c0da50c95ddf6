using System.Globalization;
using System.Security;
using CallControl.Data;

namespace CallControl.Auth;

/// <summary>
/// Answers mod_xml_curl's <c>directory</c> lookups. For a verto login (<c>action=jsonrpc-authenticate</c>,
/// <c>user=&lt;login&gt;</c>, <c>domain=&lt;domain&gt;</c>) that is a valid one-time room login: the user document
/// with its password, which FreeSWITCH then compares with what the browser sent. Everything else (start-up lookups
/// for gateways and network lists, unknown or expired logins): FreeSWITCH's "not found" document.
/// The documents are byte-for-byte the shapes in <c>esl-captures/xml_curl/*.response.xml</c>.
/// </summary>
public sealed class DirectoryResponder(VertoLoginStore logins)
{
    /// <summary>The content type mod_xml_curl reads.</summary>
    public const string ContentType = "text/xml";

    /// <summary>The dialplan context verto legs run in; the public context parks <c>room-&lt;id&gt;</c>.</summary>
    public const string UserContext = "public";

    /// <summary>FreeSWITCH's "not found" document: it then treats the user as unknown (verto: Login Incorrect).</summary>
    public const string NotFound = """
        <document type="freeswitch/xml">
          <section name="result">
            <result status="not found" />
          </section>
        </document>

        """;

    /// <summary>The document for the POSTed form fields.</summary>
    public async Task<string> RespondAsync(IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (form.GetValueOrDefault("section") != "directory" ||
            form.GetValueOrDefault("user") is not { } user || !IsToken(user) ||
            form.GetValueOrDefault("domain") is not { } domain || !IsToken(domain))
        {
            return NotFound;
        }

        var login = await logins.FindValidAsync(user, cancellationToken).ConfigureAwait(false);
        return login is null ? NotFound : RenderUser(domain, login.Login, login.Password, login.RoomId);
    }

    /// <summary>The user document (see <c>xml_curl/004.response.xml</c>). Values are XML-escaped.</summary>
    public static string RenderUser(string domain, string userId, string password, string roomId) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        <document type="freeswitch/xml">
          <section name="directory">
            <domain name="{Escape(domain)}">
              <user id="{Escape(userId)}">
                <params>
                  <param name="password" value="{Escape(password)}"/>
                </params>
                <variables>
                  <variable name="user_context" value="{UserContext}"/>
                  <variable name="room_id" value="{Escape(roomId)}"/>
                </variables>
              </user>
            </domain>
          </section>
        </document>

        """);

    private static string Escape(string value) => SecurityElement.Escape(value);

    // Logins we issue and domains FreeSWITCH names are plain tokens; anything else cannot be ours.
    private static bool IsToken(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}

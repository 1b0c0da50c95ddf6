namespace FreeSwitchSim.Switch;

/// <summary>
/// switch_url_encode (switch_utils.c) with double encoding off: bytes below space or above '~' and the characters
/// of SWITCH_URL_UNSAFE are written %XX, except a '%' already followed by two upper-case hex digits. The switch
/// (json_cdr values, xml_curl requests, uuid_dump) and the event socket use the same function, so there is one
/// implementation: <see cref="Esl.FsUrlEncoder"/>.
/// </summary>
internal static class UrlEncoding
{
    public static string Encode(string value) => Esl.FsUrlEncoder.Encode(value);
}

namespace CallControl.Webhooks;

/// <summary>Webhook URLs (the deployment's and a room's): absolute http or https, with a host, no user info.</summary>
public static class WebhookUrlValidation
{
    public const int MaxLength = 2048;

    /// <summary>Why <paramref name="url"/> is not a webhook URL, or null when it is one.</summary>
    public static string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength)
        {
            return $"must be an absolute http or https URL of at most {MaxLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute http or https URL.";
        }

        // Credentials in the URL would be stored and shown in the admin view; the signature authenticates us instead.
        return uri.UserInfo.Length > 0 ? "must not carry user credentials." : null;
    }
}

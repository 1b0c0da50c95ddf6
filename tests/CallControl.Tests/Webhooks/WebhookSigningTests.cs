using CallControl.Webhooks;

namespace CallControl.Tests.Webhooks;

public sealed class WebhookSigningTests
{
    private const string Secret = "whsec-test-0123456789";
    private const string Body = """{"id":"x"}""";

    [Fact]
    public void The_signature_is_hmac_sha256_of_timestamp_dot_body_in_lowercase_hex()
    {
        // Computed independently (Python's hmac module) for this secret, timestamp and body.
        Assert.Equal(
            "t=1700000000,v1=58d28fbf086fbde99f454837fdfb2969fcf8a373b8c67bbf7e0c796c15ba40bf",
            WebhookSignature.Sign(Secret, 1700000000, Body));
    }

    [Fact]
    public void Verify_accepts_the_signed_body_and_refuses_a_changed_body_key_or_stale_time()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var header = WebhookSignature.Sign(Secret, now.ToUnixTimeSeconds(), Body);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify(header, Secret, Body, now.AddMinutes(4), tolerance));
        Assert.False(WebhookSignature.Verify(header, Secret, Body + " ", now, tolerance));
        Assert.False(WebhookSignature.Verify(header, Secret + "x", Body, now, tolerance));
        Assert.False(WebhookSignature.Verify(header, Secret, Body, now.AddMinutes(6), tolerance));
        Assert.False(WebhookSignature.Verify("v1=" + header.Split("v1=")[1], Secret, Body, now, tolerance));
        Assert.False(WebhookSignature.Verify(null, Secret, Body, now, tolerance));
    }

    [Fact]
    public void Backoff_doubles_from_the_first_delay_up_to_the_cap_with_jitter_in_the_upper_quarter()
    {
        var options = new WebhookOptions { FirstRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(60) };

        Assert.Equal(TimeSpan.FromSeconds(7.5), WebhookBackoff.Delay(1, options, 0));
        Assert.Equal(TimeSpan.FromSeconds(8.75), WebhookBackoff.Delay(1, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(17.5), WebhookBackoff.Delay(2, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(35), WebhookBackoff.Delay(3, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(52.5), WebhookBackoff.Delay(4, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(45), WebhookBackoff.Delay(50, options, 0));
        Assert.InRange(WebhookBackoff.Delay(50, options, 0.999999), TimeSpan.FromSeconds(59.9), TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("https://app.example.com/hooks/callcontrol", true)]
    [InlineData("http://127.0.0.1:8080/hook?x=1", true)]
    [InlineData("ftp://example.com/hook", false)]
    [InlineData("/relative/hook", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://user:pass@example.com/hook", false)]
    [InlineData("", false)]
    [InlineData("not a url", false)]
    public void Webhook_urls_are_absolute_http_or_https_without_credentials(string url, bool valid) =>
        Assert.Equal(valid, WebhookUrlValidation.Problem(url) is null);

    [Fact]
    public void Options_need_a_secret_for_a_url_a_long_enough_secret_and_sane_retries()
    {
        Assert.Null(new WebhookOptions().Problem());
        Assert.False(new WebhookOptions().Enabled);
        Assert.Contains("Secret", new WebhookOptions { Url = new Uri("https://example.com/h") }.Problem(), StringComparison.Ordinal);
        Assert.Contains("Secret", new WebhookOptions { Secret = "short" }.Problem(), StringComparison.Ordinal);
        Assert.Contains("Url", new WebhookOptions { Url = new Uri("ftp://example.com/h"), Secret = "0123456789abcdef0" }.Problem(), StringComparison.Ordinal);
        Assert.NotNull(new WebhookOptions { Secret = "0123456789abcdef0", MaxAttempts = 0 }.Problem());
        Assert.Null(new WebhookOptions { Url = new Uri("https://example.com/h"), Secret = "0123456789abcdef0" }.Problem());
    }
}

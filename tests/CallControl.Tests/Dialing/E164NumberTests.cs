using CallControl.Dialing;

namespace CallControl.Tests.Dialing;

public sealed class E164NumberTests
{
    [Theory]
    [InlineData("+15551230001")]
    [InlineData("+4420794600")]      // 10 digits
    [InlineData("+12345678")]        // 8 digits: the shortest accepted
    [InlineData("+123456789012345")] // 15 digits: E.164's maximum
    public void TryParse_accepts_plus_and_8_to_15_ascii_digits(string text)
    {
        Assert.True(E164Number.TryParse(text, out var number));
        Assert.Equal(text, number.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("15551230001")]          // no plus
    [InlineData("+05551230001")]         // leading zero
    [InlineData("+1234567")]             // 7 digits
    [InlineData("+1234567890123456")]    // 16 digits
    [InlineData("+1 555 123 0001")]      // spaces
    [InlineData("+1-555-123-0001")]      // separators
    [InlineData("+1(555)1230001")]
    [InlineData("+1.555.123.0001")]
    [InlineData(" +15551230001")]
    [InlineData("+15551230001 ")]
    [InlineData("++15551230001")]
    [InlineData("+１５５５１２３０００１")]  // fullwidth digits
    [InlineData("+١٥٥٥١٢٣٠٠٠١")]         // Arabic-Indic digits
    [InlineData("+۱۵۵۵۱۲۳۰۰۰۱")]         // extended Arabic-Indic digits
    [InlineData("+1555123000١")]         // one non-ASCII digit at the end
    [InlineData("+15551230001\n")]
    [InlineData("+1555%0A1230001")]
    [InlineData("+15551230001,sofia/gateway/evil/+1900")]
    [InlineData("+1555123000a")]
    public void TryParse_rejects_everything_else(string? text)
    {
        Assert.False(E164Number.TryParse(text, out var number));
        Assert.Null(number);
    }

    [Fact]
    public void HasPrefix_compares_ordinally_from_the_plus()
    {
        Assert.True(E164Number.TryParse("+19005551234", out var n));
        Assert.True(n.HasPrefix("+1900"));
        Assert.False(n.HasPrefix("+1901"));
    }
}

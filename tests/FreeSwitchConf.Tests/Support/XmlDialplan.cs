using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FreeSwitchConf.Tests.Support;

/// <summary>An application the dialplan runs, with <c>$1</c>.. already replaced by the captures.</summary>
public sealed record DialplanAction(string Application, string? Data);

/// <summary>Which extension a destination hit and what it runs.</summary>
public sealed record DialplanHit(string Extension, IReadOnlyList<DialplanAction> Actions);

/// <summary>
/// mod_dialplan_xml's routing for the shapes this configuration uses: extensions are tried in order; an extension
/// matches when each of its conditions' regular expressions matches its field; the first match wins (no
/// <c>continue</c>); its actions run with <c>$1</c>..<c>$9</c> taken from the last condition's captures.
/// Anything this model does not cover (other fields, anti-actions, continue) fails the test rather than being guessed.
/// </summary>
public sealed class XmlDialplan(XDocument document)
{
    /// <summary>The extension <paramref name="destination"/> hits in <paramref name="context"/>, or null (no route).</summary>
    public DialplanHit? Route(string context, string destination)
    {
        var ctx = document.Root!.Elements("section").Single(s => (string?)s.Attribute("name") == "dialplan")
            .Elements("context").Single(c => (string?)c.Attribute("name") == context);
        foreach (var extension in ctx.Elements("extension"))
        {
            if (extension.Attribute("continue") is not null)
            {
                throw new NotSupportedException("continue= is outside this model");
            }

            Match? last = null;
            var matched = true;
            foreach (var condition in extension.Elements("condition"))
            {
                if ((string?)condition.Attribute("field") != "destination_number" || condition.Elements("anti-action").Any())
                {
                    throw new NotSupportedException("only destination_number conditions without anti-actions are modelled");
                }

                last = Regex.Match(destination, (string)condition.Attribute("expression")!, RegexOptions.CultureInvariant);
                if (!last.Success)
                {
                    matched = false;
                    break;
                }
            }

            if (matched && last is not null)
            {
                var actions = extension.Elements("condition").Last().Elements("action")
                    .Select(a => new DialplanAction((string)a.Attribute("application")!, Substitute((string?)a.Attribute("data"), last)))
                    .ToArray();
                return new DialplanHit((string)extension.Attribute("name")!, actions);
            }
        }

        return null;
    }

    private static string? Substitute(string? data, Match match) => data is null
        ? null
        : Regex.Replace(data, @"\$([1-9])", m => match.Groups[m.Groups[1].Value[0] - '0'].Value);
}

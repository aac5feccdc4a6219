using System.Diagnostics;
using System.Reflection;
using Cassette.TestSupport;

namespace Cassette.LocalEngine.Tests;

/// <summary>cassette-engine --help: every option of EngineOptions, its default and its meaning, without starting the server.</summary>
public class CommandLineHelpTests
{
    [Fact]
    public void Help_lists_every_option_with_its_default_and_meaning()
    {
        var lines = CommandLineHelp.Text().Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var defaults = new EngineOptions();
        foreach (var property in typeof(EngineOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var line = Assert.Single(lines, l => l.StartsWith($"--{property.Name} <", StringComparison.Ordinal));
            var columns = line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(columns.Length == 3, $"'{line}' should hold an option, its default and its meaning (a <summary> on EngineOptions.{property.Name}).");
            string expectedDefault = property.GetValue(defaults) switch
            {
                null => "none",
                bool b => b ? "true" : "false",
                TimeSpan span => span.ToString("c"),
                var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
            };
            Assert.Equal(expectedDefault, columns[1]);
        }
        Assert.Single(lines, l => l.StartsWith("--urls <", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task The_help_switch_prints_the_options_and_exits_without_listening(string helpSwitch)
    {
        using var process = Process.Start(EngineProcess.StartInfo(null, helpSwitch))!;
        using var patience = new CancellationTokenSource(EngineProcess.Patience);
        string output = await process.StandardOutput.ReadToEndAsync(patience.Token);
        await process.WaitForExitAsync(patience.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("--Workers <count>", output);
        Assert.Contains("CASSETTE_ENGINE_<Option>", output);
        Assert.DoesNotContain("listening on http", output);
    }
}

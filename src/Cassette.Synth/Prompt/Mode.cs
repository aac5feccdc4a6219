namespace Cassette.Synth.Prompt;

/// <summary>The two modes listeners and key detectors tell apart; church modes fold into the nearer one.</summary>
public enum Mode
{
    Major,
    Minor,
}

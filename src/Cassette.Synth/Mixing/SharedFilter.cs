using Cassette.Synth.Effects;
using Cassette.Synth.Instruments;

namespace Cassette.Synth.Mixing;

/// <summary>The low-pass (with its slow LFO) of a subtractive patch, run once on a whole part's stereo sum.</summary>
internal sealed class SharedFilter(SubtractivePatch patch)
{
    private const int ControlInterval = 32;
    private StateVariableFilter _left, _right;
    private long _frame;

    public void Process(Span<float> left, Span<float> right)
    {
        for (int start = 0; start < left.Length; start += ControlInterval)
        {
            float seconds = _frame / Voice.SampleRate;
            float octaves = patch.FilterLfoHz > 0 ? patch.FilterLfoOctaves * SineTable.Sin(patch.FilterLfoHz * seconds + 0.25f) : 0f;
            float cutoff = patch.SharedCutoffHz * MathF.Pow(2f, octaves);
            _left.SetCutoff(cutoff, patch.Resonance, Voice.SampleRate);
            _right.SetCutoff(cutoff, patch.Resonance, Voice.SampleRate);
            int end = Math.Min(left.Length, start + ControlInterval);
            for (int i = start; i < end; i++)
            {
                left[i] = _left.LowPass(left[i]);
                right[i] = _right.LowPass(right[i]);
            }
            _frame += end - start;
        }
    }
}

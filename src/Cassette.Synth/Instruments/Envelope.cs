namespace Cassette.Synth.Instruments;

/// <summary>
/// Attack-decay-sustain-release with a linear attack and exponential decay and release. The decay is a time
/// constant; the release is the time to fall 60 dB, as synthesizers label it. Release starts from the current
/// level, so a note cut short never jumps.
/// </summary>
internal struct Envelope
{
    private readonly float _attackStep, _decayCoefficient, _sustain, _releaseCoefficient;
    private float _level;
    private bool _attacking, _releasing;

    public Envelope(float attackSeconds, float decaySeconds, float sustain, float releaseSeconds, float sampleRate)
    {
        _attackStep = 1f / MathF.Max(1f, attackSeconds * sampleRate);
        _decayCoefficient = decaySeconds <= 0 ? 0f : MathF.Exp(-1f / (decaySeconds * sampleRate));
        _sustain = sustain;
        _releaseCoefficient = MathF.Exp(-6.9f / (MathF.Max(0.01f, releaseSeconds) * sampleRate));
        _level = 0f;
        _attacking = true;
        _releasing = false;
    }

    public readonly float Level => _level;
    public readonly bool Releasing => _releasing;

    /// <summary>
    /// Quiet enough (-80 dB) to stop the voice: inaudible under any mix, and it keeps voices (and their cost) from
    /// lingering for seconds after they stop mattering.
    /// </summary>
    public readonly bool Finished => !_attacking && _level < 1e-4f && (_releasing || _sustain < 1e-4f);

    public void Release() => _releasing = true;

    public float Next()
    {
        if (_releasing)
        {
            _attacking = false;
            _level *= _releaseCoefficient;
        }
        else if (_attacking)
        {
            _level += _attackStep;
            if (_level >= 1f)
            {
                _level = 1f;
                _attacking = false;
            }
        }
        else
        {
            _level = _sustain + (_level - _sustain) * _decayCoefficient;
        }
        return _level;
    }
}

namespace Inferd.Processing.Steps.Text;

/// <summary>
/// A hashed bag of words, shared by the <c>text_hash</c> step and the zoo's spam trainer.
/// <list type="number">
/// <item>Truncate to <see cref="MaxChars"/> UTF-16 code units.</item>
/// <item>Tokens: maximal runs of letters and digits (<see cref="char.IsLetterOrDigit(char)"/>), lower-cased with
/// <see cref="char.ToLowerInvariant"/>; each <c>$</c> and <c>!</c> is a token of its own (strong spam cues). Every other
/// character separates tokens, so a URL yields its scheme, host words and path words.</item>
/// <item>Features: every unigram and, with <see cref="Ngrams"/> 2, every bigram (the two tokens joined by one space).</item>
/// <item>Bucket: FNV-1a 32-bit (<see cref="Fnv1a"/>) of the feature's UTF-8 bytes, masked to <see cref="Dimensions"/>.</item>
/// <item>Counts become log(1 + count), then the vector is scaled to unit L2 norm (all zeros for text without tokens).</item>
/// </list>
/// </summary>
internal sealed class HashedTextFeaturizer
{
    /// <summary>Default bucket count.</summary>
    public const int DefaultDimensions = 4096;

    /// <summary>Default truncation.</summary>
    public const int DefaultMaxChars = 100_000;

    private readonly uint _mask;

    /// <summary>Creates a featurizer; <paramref name="dimensions"/> must be a power of two.</summary>
    public HashedTextFeaturizer(int dimensions = DefaultDimensions, int ngrams = 2, int maxChars = DefaultMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 2);
        ArgumentOutOfRangeException.ThrowIfNotEqual(dimensions & (dimensions - 1), 0, nameof(dimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(ngrams, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ngrams, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        Dimensions = dimensions;
        Ngrams = ngrams;
        MaxChars = maxChars;
        _mask = (uint)dimensions - 1;
    }

    /// <summary>Buckets (output width).</summary>
    public int Dimensions { get; }

    /// <summary>1: unigrams; 2: unigrams and bigrams.</summary>
    public int Ngrams { get; }

    /// <summary>Longest text read; the rest is ignored.</summary>
    public int MaxChars { get; }

    /// <summary>Writes the <see cref="Dimensions"/> features of <paramref name="text"/>.</summary>
    public void Featurize(string text, Span<float> destination) => Featurize(text.AsSpan(), destination);

    /// <summary>Writes the <see cref="Dimensions"/> features of <paramref name="text"/>.</summary>
    public void Featurize(ReadOnlySpan<char> text, Span<float> destination)
    {
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"destination holds {destination.Length} floats, expected {Dimensions}", nameof(destination));
        }

        destination.Clear();
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        var previous = 0u;
        var hasPrevious = false;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (char.IsLetterOrDigit(text[i]))
            {
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    i++;
                }
            }
            else if (text[i] is '$' or '!')
            {
                i++;
            }
            else
            {
                i++;
                continue;
            }

            var token = text[start..i];
            var hash = Fnv1a.OffsetBasis;
            foreach (var c in token)
            {
                hash = Fnv1a.Append(hash, char.ToLowerInvariant(c));
            }

            destination[(int)(hash & _mask)]++;
            if (Ngrams == 2 && hasPrevious)
            {
                // "a b" continues the hash of "a" with a space and b's bytes (FNV is a byte stream).
                var bigram = Fnv1a.Append(previous, (byte)' ');
                foreach (var c in token)
                {
                    bigram = Fnv1a.Append(bigram, char.ToLowerInvariant(c));
                }

                destination[(int)(bigram & _mask)]++;
            }

            previous = hash;
            hasPrevious = true;
        }

        var sum = 0.0;
        for (var d = 0; d < destination.Length; d++)
        {
            if (destination[d] != 0)
            {
                destination[d] = MathF.Log(1 + destination[d]);
                sum += destination[d] * destination[d];
            }
        }

        if (sum > 0)
        {
            var scale = (float)(1 / Math.Sqrt(sum));
            for (var d = 0; d < destination.Length; d++)
            {
                destination[d] *= scale;
            }
        }
    }
}

using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Steps.Post;
using Inferd.Processing.Tensors;
using Microsoft.ML.Tokenizers;

namespace Inferd.Processing.Steps.Text;

/// <summary>
/// <c>wordpiece</c>: UTF-8 <c>text</c> [N] → INT64 <c>input_ids</c>, <c>attention_mask</c> and <c>token_type_ids</c>
/// [N,L], BERT style: <c>[CLS] tokens [SEP]</c>, truncated to <c>max_length</c> (the special tokens are kept), padded
/// with the vocabulary's <c>[PAD]</c> to the longest row (<c>padding</c> "longest") or to <c>max_length</c>.
/// Tokenization is <see cref="BertTokenizer"/> (basic tokenization, optional lowercasing, greedy longest-match pieces).
/// </summary>
internal sealed class WordPieceStep : IPipelineStep
{
    private readonly BertTokenizer _tokenizer;
    private readonly int _maxLength;
    private readonly bool _padToMax;

    private WordPieceStep(BertTokenizer tokenizer, int maxLength, bool padToMax)
    {
        _tokenizer = tokenizer;
        _maxLength = maxLength;
        _padToMax = padToMax;
        long length = padToMax ? maxLength : -1;
        Outputs =
        [
            new TensorSignature("input_ids", DataType.Int64, [-1, length]),
            new TensorSignature("attention_mask", DataType.Int64, [-1, length]),
            new TensorSignature("token_type_ids", DataType.Int64, [-1, length]),
        ];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the options and the vocabulary.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        options.CheckKnown("vocab", "lowercase", "max_length", "padding");
        var vocab = context.ResolveFile("vocab", options.GetString("vocab"));
        var lowercase = options.GetBool("lowercase", true);
        var maxLength = options.GetInt("max_length", 128, min: 2, max: 512);
        var padding = options.GetString("padding", "longest");
        if (padding is not ("longest" or "max_length"))
        {
            throw options.Error($"option 'padding' must be \"longest\" or \"max_length\", got \"{StepOptions.Clip(padding)}\"");
        }

        StepChecks.Input(context, "text", DataType.Bytes, 1);
        BertTokenizer tokenizer;
        try
        {
            tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = lowercase });
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or IOException)
        {
            throw options.Error($"option 'vocab': the file cannot be read as a WordPiece vocabulary ({ex.Message})");
        }

        return ValueTask.FromResult<IPipelineStep>(new WordPieceStep(tokenizer, maxLength, padding == "max_length"));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var text = inputs[0];
        StepChecks.Check(text, DataType.Bytes, 1);
        var elements = TensorData.Elements(text);
        var rows = new IReadOnlyList<int>[elements.Length];
        var longest = 2;
        for (var r = 0; r < elements.Length; r++)
        {
            var s = TensorData.Utf8(elements[r], text.Name, r);
            rows[r] = _tokenizer.EncodeToIds(s, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
            longest = Math.Max(longest, Math.Min(rows[r].Count + 2, _maxLength));
        }

        var length = _padToMax ? _maxLength : longest;
        long[] shape = [elements.Length, length];
        var ids = TensorData.NewInt64s("input_ids", shape, out var idValues);
        var mask = TensorData.NewInt64s("attention_mask", shape, out var maskValues);
        var types = TensorData.NewInt64s("token_type_ids", [elements.Length, length], out _);
        idValues.Fill(_tokenizer.PaddingTokenId);
        for (var r = 0; r < rows.Length; r++)
        {
            var row = idValues.Slice(r * length, length);
            var tokens = rows[r];
            var kept = Math.Min(tokens.Count, length - 2);
            row[0] = _tokenizer.ClassificationTokenId;
            for (var t = 0; t < kept; t++)
            {
                row[t + 1] = tokens[t];
            }

            row[kept + 1] = _tokenizer.SeparatorTokenId;
            maskValues.Slice(r * length, kept + 2).Fill(1);
        }

        // token_type_ids stay zero: one sentence per row.
        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([ids, mask, types]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

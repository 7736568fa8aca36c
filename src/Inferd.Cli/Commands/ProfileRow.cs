using Inferd.Abstractions.Backends;

namespace Inferd.Cli.Commands;

/// <summary>A model input and the column of the data file that fills it.</summary>
/// <param name="Signature">The input as the model's metadata declares it.</param>
/// <param name="Column">Index of its column.</param>
/// <param name="RowDims">Its shape without the batch dimension.</param>
internal sealed record ProfileInput(TensorSignature Signature, int Column, long[] RowDims);

/// <summary>One converted row.</summary>
/// <param name="RowNumber">Its number in the file, from 1.</param>
/// <param name="Values">One entry per input.</param>
internal sealed record ProfileRow(long RowNumber, ProfileValues[] Values);

/// <summary>One input's values of a row.</summary>
/// <param name="Shape">The row's shape for this input.</param>
/// <param name="Numbers">Numeric values (BOOL as 0 and 1), or null for BYTES.</param>
/// <param name="Strings">BYTES values, or null.</param>
internal sealed record ProfileValues(long[] Shape, double[]? Numbers, string[]? Strings);

using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Formats.Gguf;
using LlmSuite.Engine.Formats.HuggingFace;
using LlmSuite.Engine.Formats.SafeTensors;
using LlmSuite.Engine.Tensors;

namespace LlmSuite.Engine.Models;

/// <summary>Loads a model from a Hugging Face directory (config.json + safetensors) or a .gguf file.</summary>
public static class ModelLoader
{
    /// <summary>
    /// Loads <paramref name="path"/> (a model directory or a .gguf file). Weights are copied out of the mapping into
    /// kernel layout (and quantized when <see cref="ModelLoadOptions.Quantize"/> is "q8_0"); files are closed after.
    /// Unsupported architectures or dtypes, missing tensors, wrong shapes and truncated files throw with the name.
    /// </summary>
    public static TransformerModel Load(string path, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        if (options.MaxBatchTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxBatchTokens must be positive, got {options.MaxBatchTokens}");
        }
        if (Directory.Exists(path))
        {
            return LoadHuggingFace(path, options);
        }
        if (File.Exists(path) && path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            return LoadGguf(path, options);
        }
        throw new FileNotFoundException(File.Exists(path)
            ? $"{path}: expected a model directory (config.json + safetensors) or a .gguf file"
            : $"model path not found: {path}", path);
    }

    private static TransformerModel LoadHuggingFace(string dir, ModelLoadOptions options)
    {
        ModelConfig config = HfConfig.Load(Path.Combine(dir, HfConfig.FileName));
        ArchitectureTraits arch = ArchitectureTraits.For(config, dir);
        ModelFiles files = ModelFiles.ForDirectory(dir);
        using SafeTensorsCheckpoint ckpt = SafeTensorsCheckpoint.Open(dir);
        TransformerWeights weights = LoadWeights(new WeightLoader(ckpt, options), WeightNames.HuggingFace, config, arch, permuteQk: false);
        var eos = config.EosTokenIds.Concat(files.Generation?.EosTokenIds ?? Array.Empty<int>()).Distinct().ToArray();
        return Create(config, arch, weights, files, eos, options, ckpt.GetInfo(WeightNames.HuggingFace.Proj(0, 'q')).DType);
    }

    private static TransformerModel LoadGguf(string path, ModelLoadOptions options)
    {
        using GgufFile gguf = GgufFile.Open(path);
        ModelConfig config = GgufModelConfig.From(gguf);
        ArchitectureTraits arch = ArchitectureTraits.For(config, path);
        ModelFiles files = ModelFiles.ForGguf(gguf);
        TransformerWeights weights = LoadWeights(new WeightLoader(gguf, options), WeightNames.Gguf, config, arch, permuteQk: arch.GgufPermutesQk);
        return Create(config, arch, weights, files, config.EosTokenIds, options, gguf.GetInfo(WeightNames.Gguf.Proj(0, 'q')).DType);
    }

    private static TransformerModel Create(ModelConfig config, ArchitectureTraits arch, TransformerWeights weights, ModelFiles files, IReadOnlyList<int> eos, ModelLoadOptions options,
        TensorDType checkpointDType)
    {
        int context = config.MaxPositionEmbeddings;
        if (config.SlidingWindow is int window && window > 0 && window < context)
        {
            context = window;   // full attention equals sliding-window attention only up to the window
        }
        if (options.MaxContext is int cap)
        {
            context = Math.Min(context, cap);
        }
        return new TransformerModel(config, arch, weights, files, eos, options.MaxBatchTokens, context) { CheckpointDType = checkpointDType };
    }

    private static TransformerWeights LoadWeights(WeightLoader w, WeightNames n, ModelConfig c, ArchitectureTraits arch, bool permuteQk)
    {
        arch.Validate(c, n.Embedding);
        int d = c.HiddenSize, h = c.NumHeads, g = c.NumKvHeads, e = c.HeadDim, f = c.IntermediateSize;
        var layers = new List<LayerWeights>();
        WeightMatrix embedding, lmHead;
        try
        {
            embedding = w.Matrix(n.Embedding, c.VocabSize, d);
            for (int l = 0; l < c.NumLayers; l++)
            {
                bool qkvBias = arch.QkvBias || c.AttentionBias;
                layers.Add(new LayerWeights
                {
                    AttnNorm = w.Vector(n.AttnNorm(l), d),
                    Wq = w.Matrix(n.Proj(l, 'q'), h * e, d, permuteQk ? h : 0),
                    Wk = w.Matrix(n.Proj(l, 'k'), g * e, d, permuteQk ? g : 0),
                    Wv = w.Matrix(n.Proj(l, 'v'), g * e, d),
                    Wo = w.Matrix(n.Proj(l, 'o'), d, h * e),
                    Bq = qkvBias ? w.Vector(n.ProjBias(l, 'q'), h * e, permuteQk ? h : 0) : Array.Empty<float>(),
                    Bk = qkvBias ? w.Vector(n.ProjBias(l, 'k'), g * e, permuteQk ? g : 0) : Array.Empty<float>(),
                    Bv = qkvBias ? w.Vector(n.ProjBias(l, 'v'), g * e) : Array.Empty<float>(),
                    Bo = c.AttentionBias ? w.Vector(n.ProjBias(l, 'o'), d) : Array.Empty<float>(),
                    QNorm = arch.QkNorm ? w.Vector(n.QNorm(l), e) : null,
                    KNorm = arch.QkNorm ? w.Vector(n.KNorm(l), e) : null,
                    FfnNorm = w.Vector(n.FfnNorm(l), d),
                    Gate = w.Matrix(n.Gate(l), f, d),
                    Up = w.Matrix(n.Up(l), f, d),
                    Down = w.Matrix(n.Down(l), d, f),
                });
            }
            float[] finalNorm = w.Vector(n.FinalNorm, d);
            lmHead = c.TieWordEmbeddings ? embedding : w.Matrix(n.LmHead, c.VocabSize, d);
            return new TransformerWeights { Embedding = embedding, Layers = layers.ToArray(), FinalNorm = finalNorm, LmHead = lmHead };
        }
        catch
        {
            w.DisposeCreated();   // frees every matrix made so far, including those of a half-built layer
            throw;
        }
    }
}

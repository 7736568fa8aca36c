using Inferd.Core.Inference;
using Inferd.Explain;
using Inferd.Explain.Background;
using Inferd.Explain.Lime;
using Inferd.Explain.Shap;
using Inferd.Explain.Trees;
using Inferd.Monitoring.PredictionLog;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Explain;

/// <summary>Registers the explanation service, its methods and its routes.</summary>
internal static class ExplainRegistration
{
    public static IServiceCollection AddInferdExplain(this IServiceCollection services, InferdHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var explain = options.Explain with { RepositoryRoot = Path.GetFullPath(options.ModelRepository) };
        if (options.Monitoring.PredictionLog is not null)
        {
            services.AddSingleton<IBackgroundLogSource>(sp => new PredictionLogBackground(sp.GetRequiredService<IPredictionLogStore>()));
        }

        services.AddSingleton<IExplainer, KernelShapExplainer>();
        services.AddSingleton<IExplainer, TreeShapExplainer>();
        services.AddSingleton<IExplainer, LimeExplainer>();
        services.AddSingleton(sp => new ExplanationService(
            sp.GetRequiredService<IInferenceService>(),
            explain,
            sp.GetServices<IExplainer>(),
            sp.GetService<IBackgroundLogSource>()));
        return services;
    }

    public static WebApplication MapInferdExplain(this WebApplication app)
    {
        ExplainEndpoints.Map(app);
        return app;
    }
}

using System.CommandLine;
using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Hosting;
using Microsoft.Extensions.Logging;

namespace Inferd.Cli;

/// <summary><c>inferd serve</c>, with Triton's flag names where they exist.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var repository = new Option<string>("--model-repository") { Description = "Model repository folder: <repo>/<model>/<version>/model.onnx, optional <repo>/<model>/config.json.", Required = true };
        var host = new Option<string>("--host") { Description = "Address to bind. Loopback by default; use 0.0.0.0 in a container.", DefaultValueFactory = _ => "127.0.0.1" };
        var http = new Option<int>("--http-port") { Description = "REST port (HTTP/1.1 and HTTP/2); -1 disables REST.", DefaultValueFactory = _ => 8000 };
        var grpc = new Option<int>("--grpc-port") { Description = "gRPC port (HTTP/2, plaintext); -1 disables gRPC.", DefaultValueFactory = _ => 8001 };
        var metrics = new Option<int>("--metrics-port") { Description = "Metrics port (reserved for the metrics feature); -1 disables.", DefaultValueFactory = _ => 8002 };
        var mode = new Option<string>("--model-control-mode") { Description = "none: load everything at start, no load/unload API; explicit: load on request (and --load-model); poll: load everything and watch the folder.", DefaultValueFactory = _ => "none" };
        mode.AcceptOnlyFromAmong("none", "explicit", "poll");
        var load = new Option<string[]>("--load-model") { Description = "Explicit mode: a model to load at start (repeatable); '*' loads all." };
        var strict = new Option<bool>("--strict-readiness") { Description = "Ready only when every model that should load is ready.", DefaultValueFactory = _ => true };
        var exit = new Option<int>("--exit-timeout-secs") { Description = "Seconds to let in-flight requests finish on shutdown.", DefaultValueFactory = _ => 30 };
        var poll = new Option<int>("--repository-poll-secs") { Description = "Poll mode: seconds between scans of the repository.", DefaultValueFactory = _ => 15 };
        var maxInput = new Option<long>("--http-max-input-size") { Description = "Largest request body and gRPC message, in bytes.", DefaultValueFactory = _ => new RequestLimits().MaxRequestBytes };

        var command = new Command("serve", "Run the inference server: REST on --http-port, gRPC on --grpc-port.")
        {
            repository, host, http, grpc, metrics, mode, load, strict, exit, poll, maxInput,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new InferdHostOptions
            {
                ModelRepository = parse.GetValue(repository)!,
                Host = parse.GetValue(host)!,
                HttpPort = parse.GetValue(http),
                GrpcPort = parse.GetValue(grpc),
                MetricsPort = parse.GetValue(metrics),
                ModelControlMode = Enum.Parse<ModelControlMode>(parse.GetValue(mode)!, ignoreCase: true),
                StartupModels = parse.GetValue(load) ?? [],
                StrictReadiness = parse.GetValue(strict),
                ExitTimeoutSecs = parse.GetValue(exit),
                RepositoryPollSecs = parse.GetValue(poll),
                Limits = new RequestLimits { MaxRequestBytes = parse.GetValue(maxInput) },
            };
            var problems = options.Validate();
            if (options.Limits.MaxRequestBytes < 1024)
            {
                problems = [.. problems, "--http-max-input-size must be at least 1024 bytes"];
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync("inferd serve: " + problem);
                }

                return 2;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));
            var backend = new OnnxRuntimeBackend(loggers.CreateLogger<OnnxRuntimeBackend>());
            await InferdHost.RunAsync(options, backend, cancellationToken);
            return 0;
        });
        return command;
    }
}

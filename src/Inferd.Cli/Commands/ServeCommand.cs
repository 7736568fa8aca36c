using System.CommandLine;
using System.Net;
using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Hosting;
using Inferd.Processing.Pipelines;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd serve</c>: runs the server with Triton's flag names.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new InferdHostOptions { ModelRepository = "" };
        var repository = new Option<string>("--model-repository")
        {
            Description = "Model repository folder: <repo>/<model>/[config.pbtxt|config.json] and <repo>/<model>/<version>/model.onnx.",
            Required = true,
            HelpName = "DIR",
        };
        var httpPort = new Option<int>("--http-port")
        {
            HelpName = "PORT",
            Description = "REST port (HTTP/1.1 and HTTP/2). 0 picks a free port; -1 disables REST.",
            DefaultValueFactory = _ => defaults.HttpPort,
        };
        var grpcPort = new Option<int>("--grpc-port")
        {
            HelpName = "PORT",
            Description = "gRPC port (HTTP/2 cleartext, h2c). 0 picks a free port; -1 disables gRPC.",
            DefaultValueFactory = _ => defaults.GrpcPort,
        };
        var metricsPort = new Option<int>("--metrics-port")
        {
            HelpName = "PORT",
            Description = "Metrics port (/metrics in the Prometheus text format, on the --host address). 0 picks a free port; -1 disables.",
            DefaultValueFactory = _ => defaults.MetricsPort,
        };
        var controlMode = new Option<string>("--model-control-mode")
        {
            HelpName = "none|explicit|poll",
            Description = "none: load every model at start, load/unload API refused. explicit: load only --load-model and API requests. poll: load all and reload on changes.",
            DefaultValueFactory = _ => "none",
        };
        controlMode.AcceptOnlyFromAmong("none", "explicit", "poll");
        var loadModel = new Option<string[]>("--load-model")
        {
            Description = "In explicit mode, a model to load at start; repeat for more. '*' loads every model.",
            HelpName = "MODEL",
        };
        var strict = new Option<bool>("--strict-readiness")
        {
            HelpName = "true|false",
            Description = "Server readiness requires every model that should load to be ready. Default: true.",
            DefaultValueFactory = _ => defaults.StrictReadiness,
        };
        var exitTimeout = new Option<int>("--exit-timeout-secs")
        {
            HelpName = "SECONDS",
            Description = "Seconds to wait for in-flight requests on shutdown (Ctrl+C, SIGTERM).",
            DefaultValueFactory = _ => defaults.ExitTimeoutSecs,
        };
        var pollSecs = new Option<int>("--repository-poll-secs")
        {
            HelpName = "SECONDS",
            Description = "In poll mode, seconds between repository scans.",
            DefaultValueFactory = _ => defaults.RepositoryPollSecs,
        };
        var host = new Option<string>("--host")
        {
            HelpName = "ADDRESS",
            Description = "Address to bind: an IP address or 'localhost'. Use 0.0.0.0 to listen on every interface.",
            DefaultValueFactory = _ => defaults.Host,
        };
        var maxInput = new Option<long>("--http-max-input-size")
        {
            Description = "Largest request body or gRPC message, in bytes.",
            DefaultValueFactory = _ => defaults.Limits.MaxRequestBytes,
            HelpName = "BYTES",
        };
        var cacheSize = new Option<long>("--cache-size")
        {
            Description = "Bytes of the response cache used by models whose config sets response_cache { enable: true }; 0 (default) turns it off.",
            HelpName = "BYTES",
        };

        var dataDir = new Option<string>("--data-dir")
        {
            HelpName = "DIR",
            Description = "Folder of the batch job API (/v2/inferd/jobs, /v2/inferd/schedules): job input and output paths are relative to it and never leave it. Without it the job API is off.",
        };
        var jobsDb = new Option<string>("--jobs-db")
        {
            HelpName = "PATH",
            Description = "SQLite file that keeps jobs and schedules across restarts. Default: DIR/.inferd/jobs.db.",
        };
        var maxJobs = new Option<int>("--max-concurrent-jobs")
        {
            HelpName = "N",
            Description = "Batch jobs that run at the same time; the rest wait in submission order.",
            DefaultValueFactory = _ => defaults.MaxConcurrentJobs,
        };
        var minFileAge = new Option<int>("--schedule-min-file-age-secs")
        {
            HelpName = "SECONDS",
            Description = "A schedule takes a file only once it has been unchanged this long (so half-copied files wait for the next run).",
            DefaultValueFactory = _ => defaults.ScheduleMinFileAgeSecs,
        };

        var command = new Command("serve", "Run the inference server (REST and gRPC) over a model repository. Ctrl+C or SIGTERM stops it gracefully.")
        {
            repository, httpPort, grpcPort, metricsPort, controlMode, loadModel, strict, exitTimeout, pollSecs, host, maxInput, cacheSize,
            dataDir, jobsDb, maxJobs, minFileAge,
        };
        var monitoring = new ServeMonitoringOptions();
        monitoring.AddTo(command);
        var explain = new ServeExplainOptions();
        explain.AddTo(command);

        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var mode = parseResult.GetValue(controlMode) switch
            {
                "explicit" => ModelControlMode.Explicit,
                "poll" => ModelControlMode.Poll,
                _ => ModelControlMode.None,
            };
            var options = new InferdHostOptions
            {
                ModelRepository = parseResult.GetValue(repository) ?? "",
                HttpPort = parseResult.GetValue(httpPort),
                GrpcPort = parseResult.GetValue(grpcPort),
                MetricsPort = parseResult.GetValue(metricsPort),
                ModelControlMode = mode,
                StartupModels = parseResult.GetValue(loadModel) ?? [],
                StrictReadiness = parseResult.GetValue(strict),
                ExitTimeoutSecs = parseResult.GetValue(exitTimeout),
                RepositoryPollSecs = parseResult.GetValue(pollSecs),
                Host = parseResult.GetValue(host) ?? defaults.Host,
                ResponseCacheBytes = parseResult.GetValue(cacheSize),
                Limits = defaults.Limits with { MaxRequestBytes = parseResult.GetValue(maxInput) },
                DataDirectory = parseResult.GetValue(dataDir),
                JobsDatabase = parseResult.GetValue(jobsDb),
                MaxConcurrentJobs = parseResult.GetValue(maxJobs),
                ScheduleMinFileAgeSecs = parseResult.GetValue(minFileAge),
            };

            var flagProblems = new List<string>();
            options = monitoring.Apply(parseResult, options, flagProblems);
            options = explain.Apply(parseResult, options);
            var problems = Problems(options);
            problems.InsertRange(0, flagProblems);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine("inferd serve: " + problem);
                }

                return Cli.UsageExitCode;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));
            var backend = new PipelineBackend(new OnnxRuntimeBackend(loggers.CreateLogger<OnnxRuntimeBackend>()));
            try
            {
                // The host's own "failed to start" log (a stack trace) is silenced:
                // the exception reaches Cli.RunAsync, which prints one line, e.g. for a port already in use.
                await InferdHost.RunAsync(options, backend, logging => logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped during start-up by Ctrl+C or SIGTERM: a normal end.
            }

            return Cli.SuccessExitCode;
        }));
        return command;
    }

    /// <summary>Everything wrong with the options, in the order of the flags.</summary>
    private static List<string> Problems(InferdHostOptions options)
    {
        var problems = options.Validate().ToList();
        if (options.Host != "localhost" && !IPAddress.TryParse(options.Host, out _))
        {
            problems.Add($"--host '{options.Host}' must be an IP address or 'localhost'");
        }

        if (options.HttpPort == -1 && options.GrpcPort == -1)
        {
            problems.Add("--http-port and --grpc-port are both -1; enable at least one endpoint");
        }

        if (options.HttpPort > 0 && options.HttpPort == options.GrpcPort)
        {
            problems.Add($"--http-port and --grpc-port are both {options.HttpPort}; use two ports");
        }

        if (options.StartupModels.Count > 0 && options.ModelControlMode != ModelControlMode.Explicit)
        {
            problems.Add("--load-model needs --model-control-mode explicit (other modes load every model)");
        }

        if (options.Limits.MaxRequestBytes <= 0)
        {
            problems.Add("--http-max-input-size must be a positive number of bytes");
        }

        return problems;
    }
}

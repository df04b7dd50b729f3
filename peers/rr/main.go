// Command rr is RoadRunner v2025.1.15 as the tests and the example of roadrunner-runtime run it:
// the plugins of that release, at the versions its go.mod pins, in an endure container.
//
// Why our own main: the Go module proxy that this project's machines reach refuses the root module
// github.com/roadrunner-server/roadrunner/v2025 (and the Temporal plugin), while it serves every
// plugin. So this small program, written for this project, does what `rr serve`, `rr stop`,
// `rr reset` and `rr workers` do with those plugins. `rr jobs` is left out (call the jobs.* RPC
// methods), and so is the Temporal plugin (the Temporal bridge uses the official TypeScript SDK,
// not rr's plugin).
//
//	rr serve   [-c .rr.yaml] [-w dir] [-p] [-s] [-o key=value ...] [--dotenv file]
//	rr stop    [-w dir] [-f] [-s]
//	rr reset   [-c .rr.yaml] [-w dir] [-o rpc.listen=...] [plugin ...]   (default: every plugin with workers)
//	rr workers [-c .rr.yaml] [-w dir] [-o rpc.listen=...] [plugin ...]
//	rr --version
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	netrpc "net/rpc"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/joho/godotenv"
	"github.com/roadrunner-server/amqp/v5"
	appLogger "github.com/roadrunner-server/app-logger/v5"
	"github.com/roadrunner-server/beanstalk/v5"
	"github.com/roadrunner-server/boltdb/v5"
	"github.com/roadrunner-server/centrifuge/v5"
	configPlugin "github.com/roadrunner-server/config/v5"
	"github.com/roadrunner-server/endure/v2"
	"github.com/roadrunner-server/fileserver/v5"
	googlePubSub "github.com/roadrunner-server/google-pub-sub/v5"
	goridgeRPC "github.com/roadrunner-server/goridge/v3/pkg/rpc"
	grpcPlugin "github.com/roadrunner-server/grpc/v5"
	"github.com/roadrunner-server/gzip/v5"
	"github.com/roadrunner-server/headers/v5"
	httpPlugin "github.com/roadrunner-server/http/v5"
	"github.com/roadrunner-server/informer/v5"
	"github.com/roadrunner-server/jobs/v5"
	"github.com/roadrunner-server/kafka/v5"
	"github.com/roadrunner-server/kv/v5"
	"github.com/roadrunner-server/lock/v5"
	"github.com/roadrunner-server/logger/v5"
	"github.com/roadrunner-server/memcached/v5"
	"github.com/roadrunner-server/memory/v5"
	"github.com/roadrunner-server/metrics/v5"
	"github.com/roadrunner-server/nats/v5"
	"github.com/roadrunner-server/otel/v5"
	"github.com/roadrunner-server/pool/state/process"
	"github.com/roadrunner-server/prometheus/v5"
	proxyIP "github.com/roadrunner-server/proxy_ip_parser/v5"
	"github.com/roadrunner-server/redis/v5"
	"github.com/roadrunner-server/resetter/v5"
	rpcPlugin "github.com/roadrunner-server/rpc/v5"
	"github.com/roadrunner-server/send/v5"
	"github.com/roadrunner-server/server/v5"
	"github.com/roadrunner-server/service/v5"
	"github.com/roadrunner-server/sqs/v5"
	"github.com/roadrunner-server/static/v5"
	"github.com/roadrunner-server/status/v5"
	"github.com/roadrunner-server/tcp/v5"
	"github.com/spf13/viper"
)

// version is the RoadRunner release whose plugin set this builds; scripts/rr.sh may set it with -X.
var version = "2025.1.15"

const pidFile = ".pid"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rr:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("no command: use `rr serve`, `rr stop`, `rr reset`, `rr workers` or `rr --version`")
	}
	switch args[0] {
	case "--version", "-v", "version":
		fmt.Printf("rr version %s (roadrunner-runtime's build of the v%s plugins, %s), OS: %s, arch: %s\n", version, version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return nil
	case "serve":
		return serve(args[1:])
	case "stop":
		return stop(args[1:])
	case "reset":
		return reset(args[1:])
	case "workers":
		return workers(args[1:])
	case "jobs":
		return errors.New("`rr jobs` is not part of this build: call the jobs.* RPC methods on rpc.listen instead")
	default:
		return fmt.Errorf("unknown command %q: use `rr serve`, `rr stop`, `rr reset`, `rr workers` or `rr --version`", args[0])
	}
}

// parseInterspersed parses flags wherever they stand among the arguments, as rr's own CLI does
// (`rr workers http -c .rr.yaml`); the positional arguments end up in flags.Args().
func parseInterspersed(flags *flag.FlagSet, args []string) error {
	var rest []string
	for {
		if err := flags.Parse(args); err != nil {
			return err
		}
		if flags.NArg() == 0 {
			break
		}
		rest = append(rest, flags.Arg(0))
		args = flags.Args()[1:]
	}
	return flags.Parse(append([]string{"--"}, rest...))
}

// repeated collects every value of a flag given more than once (-o a=1 -o b=2).
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// stringFlag and boolFlag register a flag under its short and its long name, as rr spells them.
func stringFlag(flags *flag.FlagSet, target *string, short, long, value, usage string) {
	flags.StringVar(target, short, value, usage)
	flags.StringVar(target, long, value, usage)
}

func boolFlag(flags *flag.FlagSet, target *bool, short, long, usage string) {
	flags.BoolVar(target, short, false, usage)
	flags.BoolVar(target, long, false, usage)
}

// configFlags are what every command that reads the config file takes: -c, -w and -o.
type configFlags struct {
	config, workDir string
	overrides       repeated
}

func (c *configFlags) register(flags *flag.FlagSet) {
	stringFlag(flags, &c.config, "c", "config", ".rr.yaml", "config file")
	stringFlag(flags, &c.workDir, "w", "WorkDir", "", "working directory (default: the config file's directory)")
	flags.Var(&c.overrides, "o", "override a config value (dot.notation=value), repeatable")
	flags.Var(&c.overrides, "override", "override a config value (dot.notation=value), repeatable")
}

type serveOptions struct {
	configFlags
	dotenv                    string
	pid, silent, experimental bool
}

func serve(args []string) error {
	var opts serveOptions
	flags := flag.NewFlagSet("rr serve", flag.ContinueOnError)
	opts.register(flags)
	boolFlag(flags, &opts.pid, "p", "pid", "write the process id to .pid in the working directory")
	boolFlag(flags, &opts.silent, "s", "silent", "do not print the start-up line")
	boolFlag(flags, &opts.experimental, "e", "enable-experimental", "enable experimental features")
	flags.StringVar(&opts.dotenv, "dotenv", os.Getenv("DOTENV_PATH"), "dotenv file to load first [$DOTENV_PATH]")
	if err := parseInterspersed(flags, args); err != nil {
		return err
	}

	configFile, err := enterWorkDir(opts.config, opts.workDir)
	if err != nil {
		return err
	}
	if opts.dotenv != "" {
		if err := godotenv.Load(opts.dotenv); err != nil {
			return fmt.Errorf("dotenv %s: %w", opts.dotenv, err)
		}
	}
	if opts.pid {
		if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", pidFile, err)
		}
	}

	settings, err := readEndureSettings(configFile)
	if err != nil {
		return err
	}
	container := endure.New(settings.logLevel, endure.GracefulShutdownTimeout(settings.gracePeriod))
	config := &configPlugin.Plugin{
		Path:                 configFile,
		Timeout:              settings.gracePeriod,
		Flags:                opts.overrides,
		Version:              version,
		ExperimentalFeatures: opts.experimental,
	}
	if err := container.RegisterAll(append(plugins(), config)...); err != nil {
		return err
	}
	if err := container.Init(); err != nil {
		return err
	}
	failures, err := container.Serve()
	if err != nil {
		return err
	}

	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGABRT)
	if !opts.silent {
		fmt.Printf("[INFO] RoadRunner server started; version: %s\n", version)
	}
	select {
	case failure := <-failures:
		_ = container.Stop()
		return fmt.Errorf("plugin %s: %w", failure.VertexID, failure.Error)
	case <-signals:
		if !opts.silent {
			fmt.Printf("stop signal received, grace timeout is: %.0f seconds\n", settings.gracePeriod.Seconds())
		}
		// A second signal while the plugins stop ends the process at once.
		go func() {
			<-signals
			fmt.Fprintln(os.Stderr, "exit forced")
			os.Exit(1)
		}()
		return container.Stop()
	}
}

// enterWorkDir changes into the working directory rr runs in (-w, else the config file's
// directory) and returns the config file's absolute path.
func enterWorkDir(config, workDir string) (string, error) {
	absolute, err := filepath.Abs(config)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(absolute); err != nil {
		return "", fmt.Errorf("config file: %w", err)
	}
	if workDir == "" {
		workDir = filepath.Dir(absolute)
	}
	if err := os.Chdir(workDir); err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	return absolute, nil
}

type endureSettings struct {
	gracePeriod time.Duration
	logLevel    slog.Leveler
}

// readEndureSettings reads the container's own section, `endure: {grace_period, log_level}`.
func readEndureSettings(configFile string) (endureSettings, error) {
	settings := endureSettings{gracePeriod: 30 * time.Second, logLevel: slog.LevelError}
	v := viper.New()
	v.SetConfigFile(configFile)
	if err := v.ReadInConfig(); err != nil {
		return settings, fmt.Errorf("config file %s: %w", configFile, err)
	}
	if v.IsSet("endure.grace_period") {
		settings.gracePeriod = v.GetDuration("endure.grace_period")
	}
	if v.IsSet("endure.log_level") {
		levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "warning": slog.LevelWarn, "error": slog.LevelError}
		level, ok := levels[v.GetString("endure.log_level")]
		if !ok {
			return settings, fmt.Errorf("endure.log_level: %q is not one of debug, info, warn, error", v.GetString("endure.log_level"))
		}
		settings.logLevel = level
	}
	return settings, nil
}

// plugins is RoadRunner v2025.1.15's plugin set but for Temporal (see the package comment).
func plugins() []any {
	return []any{
		// core: RPC and what the rr CLI commands call through it, logs, locks, metrics
		&rpcPlugin.Plugin{}, &informer.Plugin{}, &resetter.Plugin{}, &logger.Plugin{}, &appLogger.Plugin{},
		&lock.Plugin{}, &metrics.Plugin{},
		// worker processes: the server plugin starts them, service runs long-lived commands
		&server.Plugin{}, &service.Plugin{},
		// HTTP with its middleware
		&httpPlugin.Plugin{}, &static.Plugin{}, &headers.Plugin{}, &status.Plugin{}, &gzip.Plugin{},
		&prometheus.Plugin{}, &send.Plugin{}, &proxyIP.Plugin{}, &otel.Plugin{}, &fileserver.Plugin{},
		&grpcPlugin.Plugin{}, &tcp.Plugin{},
		// jobs and their drivers
		&jobs.Plugin{}, &amqp.Plugin{}, &sqs.Plugin{}, &nats.Plugin{}, &kafka.Plugin{}, &beanstalk.Plugin{},
		&googlePubSub.Plugin{},
		// KV and its drivers (memory and boltdb also drive jobs)
		&kv.Plugin{}, &memory.Plugin{}, &boltdb.Plugin{}, &memcached.Plugin{}, &redis.Plugin{},
		// Centrifugo proxy and API
		&centrifuge.Plugin{},
	}
}

type stopOptions struct {
	workDir       string
	force, silent bool
}

// stop sends SIGTERM to the rr whose `serve -p` wrote .pid in the working directory.
func stop(args []string) error {
	var opts stopOptions
	flags := flag.NewFlagSet("rr stop", flag.ContinueOnError)
	stringFlag(flags, &opts.workDir, "w", "WorkDir", "", "working directory holding .pid (default: the current one)")
	boolFlag(flags, &opts.force, "f", "force", "signal again after a second")
	boolFlag(flags, &opts.silent, "s", "silent", "print nothing")
	if err := parseInterspersed(flags, args); err != nil {
		return err
	}
	path := filepath.Join(opts.workDir, pidFile)
	text, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w (start rr with `rr serve -p` to write it)", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(text)))
	if err != nil {
		return fmt.Errorf("%s does not hold a process id: %q", path, text)
	}
	if !opts.silent {
		fmt.Fprintf(os.Stderr, "stopping process with PID: %d\n", pid)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("signalling %d: %w", pid, err)
	}
	if opts.force {
		time.Sleep(time.Second)
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("signalling %d again: %w", pid, err)
		}
	}
	return nil
}

// rpcClient dials the rpc.listen of the config file named by the flags (-c, -w, -o rpc.listen=).
func rpcClient(command string, args []string) (*netrpc.Client, []string, error) {
	var opts configFlags
	flags := flag.NewFlagSet("rr "+command, flag.ContinueOnError)
	opts.register(flags) // of the overrides, only rpc.listen matters here
	if err := parseInterspersed(flags, args); err != nil {
		return nil, nil, err
	}
	configFile, err := enterWorkDir(opts.config, opts.workDir)
	if err != nil {
		return nil, nil, err
	}
	v := viper.New()
	v.SetConfigFile(configFile)
	if err := v.ReadInConfig(); err != nil {
		return nil, nil, fmt.Errorf("config file %s: %w", configFile, err)
	}
	listen := "tcp://127.0.0.1:6001" // rr's default when the rpc section gives none
	if v.IsSet("rpc.listen") {
		listen = os.ExpandEnv(v.GetString("rpc.listen"))
	}
	for _, override := range opts.overrides {
		if value, ok := strings.CutPrefix(override, "rpc.listen="); ok {
			listen = value
		}
	}
	network, address, ok := strings.Cut(listen, "://")
	if !ok || (network != "tcp" && network != "unix") {
		return nil, nil, fmt.Errorf("rpc.listen %q: expected tcp://host:port or unix://path", listen)
	}
	conn, err := net.DialTimeout(network, address, 5*time.Second)
	if err != nil {
		return nil, nil, fmt.Errorf("rr's RPC at %s: %w (is `rr serve` running with this config?)", listen, err)
	}
	return netrpc.NewClientWithCodec(goridgeRPC.NewClientCodec(conn)), flags.Args(), nil
}

// pluginClient dials rr's RPC (see rpcClient) and returns the plugins named on the command line,
// else every plugin `listMethod` lists. The caller closes the client.
func pluginClient(command, listMethod string, args []string) (*netrpc.Client, []string, error) {
	client, named, err := rpcClient(command, args)
	if err != nil || len(named) > 0 {
		return client, named, err
	}
	var list []string
	if err := client.Call(listMethod, true, &list); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("%s: %w", listMethod, err)
	}
	return client, list, nil
}

// reset restarts the workers of the given plugins (resetter.Reset), or of every plugin that has some.
func reset(args []string) error {
	client, names, err := pluginClient("reset", "resetter.List", args)
	if err != nil {
		return err
	}
	defer client.Close()
	for _, name := range names {
		var done bool
		if err := client.Call("resetter.Reset", name, &done); err != nil {
			return fmt.Errorf("resetting %s: %w", name, err)
		}
		fmt.Printf("%s: workers reset\n", name)
	}
	return nil
}

// workers prints the worker processes of the given plugins (informer.Workers), or of every one.
func workers(args []string) error {
	client, names, err := pluginClient("workers", "informer.List", args)
	if err != nil {
		return err
	}
	defer client.Close()
	table := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "PLUGIN\tPID\tSTATUS\tEXECS\tMEMORY\tCREATED")
	for _, name := range names {
		var list struct {
			Workers []*process.State `json:"workers"`
		}
		if err := client.Call("informer.Workers", name, &list); err != nil {
			return fmt.Errorf("workers of %s: %w", name, err)
		}
		for _, w := range list.Workers {
			created := time.Unix(0, w.Created).Format(time.RFC3339)
			fmt.Fprintf(table, "%s\t%d\t%s\t%d\t%.1f MB\t%s\n", name, w.Pid, w.StatusStr, w.NumExecs, float64(w.MemoryUsage)/1e6, created)
		}
	}
	return table.Flush()
}

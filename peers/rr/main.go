// Command rr is RoadRunner v2025.1.15 as the tests and the example of roadrunner-runtime run it:
// the plugins of that release, at the versions its go.mod pins, in an endure container.
//
// Why our own main: the Go module proxy that this project's machines reach refuses the root module
// github.com/roadrunner-server/roadrunner/v2025 (and the Temporal plugin), while it serves every
// plugin. So this small program, written for this project from the release's CLI behaviour, does
// what `rr serve`, `rr stop`, `rr reset` and `rr workers` do with those plugins: the same flags,
// global as in rr (-w changes directory first, then -c is resolved; without -w rr runs in the
// config file's directory; $DOTENV_PATH wins over --dotenv), SIGUSR2 restarts, -d serves pprof on
// :6061, a bad endure.log_level is a warning. Left out: `rr jobs` (call the jobs.* RPC methods),
// `rr workers -i`, systemd notification (NOTIFY_SOCKET, endure.watchdog_sec) and the Temporal
// plugin (the Temporal bridge uses the official TypeScript SDK, not rr's plugin).
//
//	rr serve   [-c .rr.yaml] [-w dir] [-p] [-s] [-e] [-d] [-o key=value ...] [--dotenv file]
//	rr stop    [-c .rr.yaml] [-w dir] [-f] [-s]
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
	"net/http"
	"net/http/pprof"
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

const (
	pidFile = ".pid"
	// envDotenv names the dotenv file like --dotenv does; when set (even empty) it wins over the flag, as in rr.
	envDotenv = "DOTENV_PATH"
	// debugAddress is where `-d` serves net/http/pprof, rr's fixed port.
	debugAddress = ":6061"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rr:", err)
		os.Exit(1)
	}
}

// options are rr's flags. As in the release CLI (cobra persistent flags) every command takes every
// one of them, before or after its name: `rr -c app.yaml serve` and `rr serve -c app.yaml` agree.
type options struct {
	config, workDir, dotenv                              string
	overrides                                            repeated
	pid, force, silent, experimental, debug, showVersion bool
	interactive                                          bool // `rr workers -i`, refused: not part of this build
}

func parseCommandLine(args []string) (string, []string, *options, error) {
	opts := &options{}
	flags := flag.NewFlagSet("rr", flag.ContinueOnError)
	stringFlag(flags, &opts.config, "c", "config", ".rr.yaml", "config file")
	stringFlag(flags, &opts.workDir, "w", "WorkDir", "", "working directory (default: the config file's directory)")
	flags.StringVar(&opts.dotenv, "dotenv", "", "dotenv file [$"+envDotenv+"]")
	flags.Var(&opts.overrides, "o", "override a config value (dot.notation=value), repeatable")
	flags.Var(&opts.overrides, "override", "override a config value (dot.notation=value), repeatable")
	boolFlag(flags, &opts.pid, "p", "pid", "create a .pid file (rr serve)")
	boolFlag(flags, &opts.force, "f", "force", "force stop (rr stop)")
	boolFlag(flags, &opts.silent, "s", "silent", "do not print the start-up message")
	boolFlag(flags, &opts.experimental, "e", "enable-experimental", "enable experimental features")
	boolFlag(flags, &opts.debug, "d", "debug", "debug mode: net/http/pprof on "+debugAddress)
	boolFlag(flags, &opts.showVersion, "v", "version", "print the version")
	boolFlag(flags, &opts.interactive, "i", "interactive", "rr workers: interactive table (not part of this build)")
	if err := parseInterspersed(flags, args); err != nil {
		return "", nil, nil, err
	}
	rest := flags.Args()
	if len(rest) == 0 {
		return "", nil, opts, nil
	}
	return rest[0], rest[1:], opts, nil
}

func run(args []string) error {
	command, rest, opts, err := parseCommandLine(args)
	if err != nil {
		return err
	}
	if opts.showVersion || command == "version" {
		fmt.Printf("rr version %s (roadrunner-runtime's build of the v%s plugins, %s), OS: %s, arch: %s\n", version, version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return nil
	}
	switch command {
	case "serve", "stop", "reset", "workers":
	case "":
		return errors.New("no command: use `rr serve`, `rr stop`, `rr reset`, `rr workers` or `rr --version`")
	case "jobs":
		return errors.New("`rr jobs` is not part of this build: call the jobs.* RPC methods on rpc.listen instead")
	default:
		return fmt.Errorf("unknown command %q: use `rr serve`, `rr stop`, `rr reset`, `rr workers` or `rr --version`", command)
	}
	if opts.interactive {
		if command != "workers" {
			return fmt.Errorf("unknown flag -i for `rr %s`", command)
		}
		return errors.New("`rr workers -i` (the interactive table) is not part of this build: run `rr workers` again, e.g. under `watch`")
	}
	startDir, err := os.Getwd()
	if err != nil {
		return err
	}
	configFile, err := prepare(opts, command)
	if err != nil {
		return err
	}
	switch command {
	case "serve":
		return serve(opts, configFile, startDir)
	case "stop":
		return stop(opts)
	case "reset":
		return reset(opts, configFile, rest)
	default:
		return workers(opts, configFile, rest)
	}
}

// prepare does what the release's root command does before any command runs, in its order: change
// into -w first, so a relative -c is resolved against it (without -w, into the config file's
// directory), then load the dotenv file ($DOTENV_PATH over --dotenv, relative to that directory),
// start the debug server, write .pid. It returns the config file's absolute path.
func prepare(opts *options, command string) (string, error) {
	if opts.config == "" {
		return "", errors.New("no configuration file provided")
	}
	if opts.workDir != "" {
		if err := os.Chdir(opts.workDir); err != nil {
			return "", fmt.Errorf("working directory: %w", err)
		}
	}
	configFile, err := filepath.Abs(opts.config)
	if err != nil {
		return "", err
	}
	if opts.workDir == "" {
		if err := os.Chdir(filepath.Dir(configFile)); err != nil {
			return "", fmt.Errorf("working directory (the config file's): %w", err)
		}
	}
	dotenv := opts.dotenv
	if value, ok := os.LookupEnv(envDotenv); ok {
		dotenv = value
	}
	if dotenv != "" {
		if err := godotenv.Load(dotenv); err != nil {
			return "", fmt.Errorf("dotenv file: %w", err)
		}
	}
	if opts.debug {
		go serveDebug()
	}
	// rr writes .pid for any command given -p; only serve's pid is worth writing (`rr stop -p` would
	// otherwise read its own).
	if opts.pid && command == "serve" {
		if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			return "", fmt.Errorf("writing %s: %w", pidFile, err)
		}
	}
	return configFile, nil
}

// serveDebug serves net/http/pprof as rr's `-d` does; a failure to listen is printed, not fatal.
func serveDebug() {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	server := &http.Server{Addr: debugAddress, Handler: mux, ReadHeaderTimeout: 10 * time.Minute}
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Println(fmt.Errorf("[ERROR] debug server stopped with error: %w", err))
	}
}

// say prints a status line on stdout unless -s, as rr does.
func say(opts *options, format string, args ...any) {
	if !opts.silent {
		fmt.Printf(format+"\n", args...)
	}
}

func serve(opts *options, configFile, startDir string) error {
	settings, err := readEndureSettings(configFile)
	if err != nil {
		return err
	}
	level, err := parseLogLevel(settings.LogLevel)
	if err != nil {
		say(opts, "[WARN] Failed to parse log level, using default (error): %v", err)
	}
	endureOptions := []endure.Options{endure.GracefulShutdownTimeout(settings.GracePeriod)}
	if settings.PrintGraph {
		endureOptions = append(endureOptions, endure.Visualize())
	}
	container := endure.New(level, endureOptions...)
	config := &configPlugin.Plugin{
		Path:                 configFile,
		Timeout:              settings.GracePeriod,
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
	restart := make(chan os.Signal, 1)
	signal.Notify(restart, syscall.SIGUSR2)
	say(opts, "[INFO] RoadRunner server started; version: %s", version)
	select {
	case failure := <-failures:
		_ = container.Stop()
		return fmt.Errorf("plugin %s: %w", failure.VertexID, failure.Error)
	case <-signals:
		say(opts, "stop signal received, grace timeout is: %.0f seconds", settings.GracePeriod.Seconds())
		// A second signal while the plugins stop ends the process at once.
		go func() {
			<-signals
			say(opts, "exit forced")
			os.Exit(1)
		}()
		return container.Stop()
	case <-restart:
		// rr's restart: stop every plugin, then exec the same binary with the same arguments and
		// environment (the dotenv values included), which reads the config file again.
		say(opts, "restart signal [SIGUSR2] received")
		executable, err := os.Executable()
		if err != nil {
			return fmt.Errorf("restart failed: %w", err)
		}
		if err := container.Stop(); err != nil {
			return fmt.Errorf("restart failed: stopping the plugins: %w", err)
		}
		// Back to where rr was started, so a relative -w or -c means what it meant then (rr itself
		// re-execs from the working directory it changed into).
		if err := os.Chdir(startDir); err != nil {
			return fmt.Errorf("restart failed: %w", err)
		}
		return fmt.Errorf("restart failed: %w", syscall.Exec(executable, os.Args, os.Environ()))
	}
}

// endureSettings is the container's own section, `endure:`, read as rr reads it.
type endureSettings struct {
	GracePeriod time.Duration `mapstructure:"grace_period"`
	LogLevel    string        `mapstructure:"log_level"`
	PrintGraph  bool          `mapstructure:"print_graph"`
}

func readEndureSettings(configFile string) (endureSettings, error) {
	settings := endureSettings{GracePeriod: 30 * time.Second, LogLevel: "error"}
	v := viper.New()
	v.SetConfigFile(configFile)
	if err := v.ReadInConfig(); err != nil {
		return settings, fmt.Errorf("config file %s: %w", configFile, err)
	}
	if !v.IsSet("endure") {
		return settings, nil
	}
	if err := v.UnmarshalKey("endure", &settings); err != nil {
		return settings, fmt.Errorf("config file %s: endure: %w", configFile, err)
	}
	return settings, nil
}

// parseLogLevel reads endure.log_level; an unknown one is an error the caller only warns about,
// using rr's default (error), as rr does.
func parseLogLevel(level string) (slog.Leveler, error) {
	switch level {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	default:
		return slog.LevelError, fmt.Errorf(`unknown log level "%s" (allowed: debug, info, warn, error)`, level)
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

// stop sends SIGTERM to the rr whose `serve -p` wrote .pid in the working directory (-w, else the
// config file's directory, as for every command).
func stop(opts *options) error {
	text, err := os.ReadFile(pidFile)
	if err != nil {
		return fmt.Errorf("%w (start rr with `rr serve -p` to write it)", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(text)))
	if err != nil {
		return fmt.Errorf("%s does not hold a process id: %q", pidFile, text)
	}
	if !opts.silent {
		fmt.Fprintf(os.Stderr, "stopping process with PID: %d\n", pid)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("signalling %d: %w", pid, err)
	}
	if opts.force {
		// rr may miss a signal sent too soon after the first.
		time.Sleep(time.Second)
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("signalling %d again: %w", pid, err)
		}
	}
	return nil
}

// rpcClient dials rr's RPC as `rr reset` and `rr workers` find it: rpc.listen of the config file,
// with its `include` files merged over it, the -o overrides applied and ${VAR} / ${VAR:-default}
// expanded.
func rpcClient(opts *options, configFile string) (*netrpc.Client, error) {
	v := viper.New()
	v.SetConfigFile(configFile)
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("config file %s: %w", configFile, err)
	}
	for _, override := range opts.overrides {
		key, value, ok := strings.Cut(override, "=")
		if !ok || strings.TrimSpace(key) == "" || value == "" {
			return nil, fmt.Errorf("-o %q: expected key=value", override)
		}
		v.Set(strings.TrimSpace(key), strings.Trim(strings.TrimSpace(value), "\"'`"))
	}
	rootVersion, ok := v.Get("version").(string)
	if !ok {
		return nil, fmt.Errorf("config file %s: needs a version as a string, e.g. version: \"3\"", configFile)
	}
	for _, include := range v.GetStringSlice("include") {
		included := viper.New()
		included.SetConfigFile(configPlugin.ExpandVal(include, os.Getenv))
		if err := included.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config file %s: include %s: %w", configFile, include, err)
		}
		if includedVersion, _ := included.Get("version").(string); includedVersion != rootVersion {
			return nil, fmt.Errorf("config file %s: include %s: its version must be the root's (%q)", configFile, include, rootVersion)
		}
		for key, value := range included.AllSettings() {
			v.Set(key, value)
		}
	}
	if !v.IsSet("rpc") {
		return nil, fmt.Errorf("config file %s has no rpc section: add\n  rpc:\n    listen: tcp://127.0.0.1:6001", configFile)
	}
	listen := configPlugin.ExpandVal(v.GetString("rpc.listen"), os.Getenv)
	network, address, ok := strings.Cut(listen, "://")
	if !ok || (network != "tcp" && network != "unix") {
		return nil, fmt.Errorf("rpc.listen %q: expected tcp://host:port or unix://path", listen)
	}
	conn, err := net.DialTimeout(network, address, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("rr's RPC at %s: %w (is `rr serve` running with this config?)", listen, err)
	}
	return netrpc.NewClientWithCodec(goridgeRPC.NewClientCodec(conn)), nil
}

// pluginClient dials rr's RPC (see rpcClient) and returns the plugins named on the command line,
// else every plugin `listMethod` lists. The caller closes the client.
func pluginClient(opts *options, configFile, listMethod string, named []string) (*netrpc.Client, []string, error) {
	client, err := rpcClient(opts, configFile)
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
func reset(opts *options, configFile string, args []string) error {
	client, names, err := pluginClient(opts, configFile, "resetter.List", args)
	if err != nil {
		return err
	}
	defer client.Close()
	for _, name := range names {
		var done bool
		if err := client.Call("resetter.Reset", name, &done); err != nil {
			return fmt.Errorf("resetting %s: %w", name, err)
		}
		if !opts.silent {
			fmt.Printf("%s: workers reset\n", name)
		}
	}
	return nil
}

// workers prints the worker processes of the given plugins (informer.Workers), or of every one.
func workers(opts *options, configFile string, args []string) error {
	client, names, err := pluginClient(opts, configFile, "informer.List", args)
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

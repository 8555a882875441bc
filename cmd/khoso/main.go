// Command khoso is the digitisation pipeline and electronic-results
// repository: one binary whose subcommands run the server and workers, send
// batches, search, download, verify and check the archive.
//
// This is the only package that reads flags and environment variables and
// picks backends.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], Env{Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr}))
}

// Env is what a command sees of its surroundings; tests give their own.
type Env struct {
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
}

// command is one subcommand.
type command struct {
	name, usage string
	run         func(ctx context.Context, args []string, env Env) error
}

var commands = []command{
	{"serve", "[--addr 127.0.0.1:8080] [--data DIR]   API and workers (embedded default: SQLite, local disk)", runServe},
	{"worker", "                                      workers only, on PostgreSQL (production scale-out)", runWorker},
	{"migrate", "[--data DIR]                          apply the catalog and queue migrations", runMigrate},
	{"ingest", "DIR [--manifest FILE] [--wait]        send a batch of scans, show progress", runIngest},
	{"batch", "BATCH_ID                              a batch's per-document state", runBatch},
	{"search", "[--json] [QUERY] [--type CODE] [--holder ID] [--issued-from D] [--issued-to D] [--limit N]", runSearch},
	{"get", "RECORD_ID [-o FILE]                     download the signed PDF", runGet},
	{"copy", "RECORD_ID [--form sao-y|trich-sao] [--pages 1-2] --for NAME [--purpose P] [-o FILE]  a certified e-copy", runCopy},
	{"reindex", "                                      rebuild the server's search index from the catalog", runReindex},
	{"verify", "FILE                                  check signatures and whether this repository issued it", runVerify},
	{"user", "add --role R --name N [--agency C] [--holder-id ID]  create a user; prints its API token once", runUser},
	{"audit", "verify                                recompute the audit hash chain and signed checkpoints", runAudit},
	{"fsck", "[--data DIR]                          re-hash every stored object", runFsck},
}

// exitError carries a process exit code without an extra message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs one subcommand and returns the process exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stderr)
		return 2
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], env)
		if ee, ok := err.(exitError); ok {
			return ee.code
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "khoso %s: %v\n", c.name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(env.Stderr, "khoso: lệnh không rõ / unknown command %q\n", args[0])
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "khoso — kho số: số hoá và lưu trữ kết quả giải quyết thủ tục hành chính")
	fmt.Fprintln(w, "khoso — digitise, sign and keep results of administrative procedures")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands {
		fmt.Fprintf(w, "  khoso %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nClient commands use --server (default $KHOSO_SERVER or http://127.0.0.1:8080) and $KHOSO_TOKEN.")
}

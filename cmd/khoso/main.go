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
	"strings"
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

// command is one subcommand: its arguments and what it does, in
// Vietnamese and English.
type command struct {
	name, args, vi, en string
	run                func(ctx context.Context, args []string, env Env) error
}

// commands lists the subcommands. It is a function, not a variable, as
// the commands print their own usage from it.
func commands() []command {
	return []command{
		{"serve", "[--addr 127.0.0.1:8080] [--data DIR]", "máy chủ API và tiến trình xử lý (mặc định nhúng: SQLite, đĩa cục bộ)",
			"API and workers (embedded default: SQLite, local disk)", runServe},
		{"worker", "[--addr 127.0.0.1:8081]", "chỉ tiến trình xử lý, trên PostgreSQL", "workers only, on PostgreSQL (production scale-out)", runWorker},
		{"migrate", "[--data DIR]", "cập nhật lược đồ cơ sở dữ liệu và hàng đợi", "apply the catalog and queue migrations", runMigrate},
		{"ingest", "DIR [--manifest FILE] [--agency CODE] [--wait] [--retry-failed BATCH_ID]", "gửi một lô bản quét, theo dõi tiến độ; --retry-failed gửi lại chỉ các dòng lỗi của một lô",
			"send a batch of scans, show progress; --retry-failed sends again only a batch's failed rows", runIngest},
		{"manifest", "template [-o mau-bang-ke.xlsx]", "ghi mẫu bảng kê Excel (XLSX) có tiêu đề, dòng mẫu và kiểm tra ngày",
			"write the Excel (XLSX) manifest template: headers, a sample row, date checks", runManifest},
		{"batch", "BATCH_ID", "trạng thái từng tài liệu của một lô", "a batch's per-document state", runBatch},
		{"search", "[--json] [QUERY] [--type CODE] [--holder ID] [--result-type CODE] [--issued-from D] [--issued-to D] [--limit N]",
			"tìm kết quả", "find results", runSearch},
		{"get", "RECORD_ID [-o FILE]", "tải bản PDF đã ký", "download the signed PDF", runGet},
		{"copy", "RECORD_ID [--form sao-y|trich-sao] [--pages 1-2] --for NAME [--purpose P] [-o FILE]",
			"cấp bản sao điện tử (sao y, trích sao); in mã xác thực", "a certified e-copy; prints its verification code", runCopy},
		{"reindex", "", "dựng lại chỉ mục tìm kiếm của máy chủ từ danh mục", "rebuild the server's search index from the catalog", runReindex},
		{"verify", "FILE", "kiểm tra chữ ký và tệp có do kho này cấp không", "check signatures and whether this repository issued it", runVerify},
		{"user", "add --role clerk|handler|citizen|auditor|admin --name NAME [--agency CODE] [--holder-id ID] [--login NAME [--password-file FILE]] [--data DIR]",
			"tạo người dùng; in mã truy cập một lần", "create a user; prints its API token once", runUser},
		{"audit", "verify [--data DIR]", "kiểm tra chuỗi băm nhật ký và các điểm kiểm tra đã ký",
			"recompute the audit hash chain and signed checkpoints", runAudit},
		{"fsck", "[--data DIR]", "băm lại mọi đối tượng đã lưu", "re-hash every stored object", runFsck},
	}
}

// exitError carries a process exit code without an extra message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs one subcommand and returns the process exit code. Without
// one it prints the usage to stderr and returns 2; --help prints it to
// stdout.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
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

// usage lists every subcommand, in Vietnamese and English.
func usage(w io.Writer) {
	fmt.Fprintln(w, "khoso — kho số: số hoá, ký và lưu giữ kết quả giải quyết thủ tục hành chính")
	fmt.Fprintln(w, "khoso — digitise, sign and keep results of administrative procedures")
	fmt.Fprintln(w, "\nCách dùng / usage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  khoso %s %s\n", c.name, c.args)
		fmt.Fprintf(w, "        %s / %s\n", c.vi, c.en)
	}
	fmt.Fprintln(w, "\nLệnh khách dùng / client commands use --server (mặc định / default $KHOSO_SERVER hoặc/or http://127.0.0.1:8080)")
	fmt.Fprintln(w, "và / and $KHOSO_TOKEN. Lệnh vận hành / operator commands (migrate, user, audit, fsck) dùng / use --data DIR.")
	fmt.Fprintln(w, "Chi tiết một lệnh / a command's flags: khoso LỆNH/COMMAND --help")
}

// commandUsage is the usage line of the subcommand called name.
func commandUsage(name string) string {
	for _, c := range commands() {
		if c.name == name || strings.HasPrefix(name, c.name+" ") {
			return fmt.Sprintf("khoso %s %s\n  %s / %s", c.name, c.args, c.vi, c.en)
		}
	}
	return "khoso " + name
}

// subcommandUsage answers a command that takes a subcommand (user add,
// audit verify) but was given another: --help prints its usage and
// succeeds, anything else is an error naming the usage.
func subcommandUsage(name string, args []string, env Env) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help") {
		fmt.Fprintf(env.Stdout, "cách dùng / usage: %s\n", commandUsage(name))
		return nil
	}
	return fmt.Errorf("cách dùng / usage: %s", commandUsage(name))
}

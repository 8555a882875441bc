package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// readmeSection is the README section whose commands TestReadme runs, in
// order: everything under "## Run it", its "###" subsections included.
const readmeSection = "## Run it"

// TestReadme runs the README's walkthrough as a new user would: every
// command of the ```sh blocks of "Run it" and "People, copies and the audit
// log", as written and in order, in a fresh directory. Only what cannot be
// known in advance is substituted: the server is startServer on
// ./khoso-data (on a free port, which KHOSO_SERVER names), the scans/ folder
// is generated, RECORD_ID is the first document the ingest printed and
// <ROLE token> the token `user add --role ROLE` printed. `go build` is
// skipped: ./khoso is Main itself.
func TestReadme(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := readmeCommands(t, string(readme))
	t.Chdir(t.TempDir())
	writeBatch(t, "scans", []permit{
		{file: "gp-001", number: "123/GP-BTNMT", holder: "Nguyễn Văn Đức", holderID: "001088012345", issued: "17/05/2023", pages: 3},
	})
	w := &walkthrough{shell: map[string]string{}, subst: map[string]string{}}
	for _, line := range lines {
		t.Logf("$ %s", line)
		w.run(t, line)
		if t.Failed() {
			t.FailNow() // later commands build on this one
		}
	}
	for _, want := range []string{"serve", "ingest", "search", "get", "verify", "fsck", "reindex", "user", "copy", "audit"} {
		if !w.ran[want] {
			t.Errorf("the README's walkthrough no longer runs khoso %s; the test expects it", want)
		}
	}
}

// readmeCommands returns the command lines of the ```sh blocks under
// section, comments and blank lines removed.
func readmeCommands(tb testing.TB, readme string) []string {
	tb.Helper()
	start := strings.Index(readme, "\n"+readmeSection+"\n")
	if start < 0 {
		tb.Fatalf("README.md has no %q section", readmeSection)
	}
	body := readme[start+1:]
	if end := regexp.MustCompile(`\n## `).FindStringIndex(body[len(readmeSection):]); end != nil {
		body = body[:len(readmeSection)+end[0]]
	}
	if !strings.Contains(body, "\n### People, copies and the audit log\n") {
		tb.Fatal(`README.md: "### People, copies and the audit log" is no longer under "## Run it"`)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(body, -1) {
		for _, l := range strings.Split(m[1], "\n") {
			if l = strings.TrimSpace(stripComment(l)); l != "" {
				out = append(out, l)
			}
		}
	}
	if len(out) == 0 {
		tb.Fatal("README.md: no ```sh commands under " + readmeSection)
	}
	return out
}

// stripComment removes a shell comment: a # outside quotes at the start of
// a word.
func stripComment(l string) string {
	var quote rune
	for i, c := range l {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return l[:i]
		}
	}
	return l
}

// shellWords splits l into words as sh does for the README's commands:
// whitespace separates, single and double quotes group, and a command
// substitution $(…) stays one word, kept as written for expand.
func shellWords(tb testing.TB, l string) []string {
	tb.Helper()
	var words []string
	var cur strings.Builder
	var quote rune
	inWord, inSubst := false, false
	for i, c := range l {
		switch {
		case inSubst:
			cur.WriteRune(c)
			inSubst = c != ')'
		case quote == 0 && c == '$' && strings.HasPrefix(l[i:], "$("):
			cur.WriteRune(c)
			inSubst, inWord = true, true
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(c)
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		tb.Fatalf("unclosed quote in %q", l)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// walkthrough is the state of a shell running the README.
type walkthrough struct {
	b     *testBundle
	shell map[string]string // exported variables
	subst map[string]string // RECORD_ID, <handler token>, ... → value
	ran   map[string]bool   // subcommands run
}

var assignment = regexp.MustCompile(`^([A-Z_][A-Z0-9_]*)=(.*)$`)

// run runs one command line of the README.
func (w *walkthrough) run(t *testing.T, line string) {
	t.Helper()
	if w.ran == nil {
		w.ran = map[string]bool{}
	}
	for k, v := range w.subst {
		line = strings.ReplaceAll(line, k, v)
	}
	words := shellWords(t, line)
	env := map[string]string{}
	switch {
	case words[0] == "export":
		for _, a := range words[1:] {
			m := assignment.FindStringSubmatch(a)
			if m == nil {
				t.Fatalf("export %q: not NAME=VALUE", a)
			}
			w.shell[m[1]] = w.expand(t, m[2])
		}
		return
	case line == "go build -o khoso ./cmd/khoso":
		return // ./khoso is Main
	case words[0] == "echo" && len(words) == 4 && words[2] == ">":
		// echo 'TEXT' > FILE, as the README writes a password file.
		if err := os.WriteFile(words[3], []byte(words[1]+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	case line == "go run ./cmd/khoso serve":
		w.b = startServer(t, "khoso-data", nil)
		w.ran["serve"] = true
		return
	}
	for len(words) > 0 && assignment.MatchString(words[0]) {
		m := assignment.FindStringSubmatch(words[0])
		env[m[1]] = w.expand(t, m[2])
		words = words[1:]
	}
	if len(words) < 2 || words[0] != "./khoso" {
		t.Fatalf("README command %q: the test knows ./khoso, export, echo TEXT > FILE and the two go commands only", line)
	}
	if w.b == nil {
		t.Fatalf("README command %q comes before the server is started", line)
	}
	code, out, errOut := w.khoso(env, words[1:])
	if code != 0 {
		t.Fatalf("%s\nexited %d:\n%s%s", line, code, out, errOut)
	}
	w.ran[words[1]] = true
	w.check(t, words[1:], out, errOut)
}

// expand gives a variable's value: $(cat FILE) is the file's text.
func (w *walkthrough) expand(t *testing.T, v string) string {
	if m := regexp.MustCompile(`^\$\(cat ([^)]+)\)$`).FindStringSubmatch(v); m != nil {
		b, err := os.ReadFile(m[1])
		if err != nil {
			t.Fatalf("$(cat %s): %v", m[1], err)
		}
		return strings.TrimRight(string(b), "\n")
	}
	if strings.ContainsAny(v, "$`<>") {
		t.Fatalf("the test cannot expand %q", v)
	}
	return v
}

// khoso runs Main as ./khoso would run with the shell's environment plus
// env; KHOSO_SERVER names the test server, as the README's default
// address is not the one it listens on.
func (w *walkthrough) khoso(env map[string]string, args []string) (int, string, string) {
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "KHOSO_SERVER" {
			return w.b.url
		}
		return w.shell[k]
	}
	code := Main(context.Background(), args, Env{Getenv: getenv, Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

// check fails when a command did not give what the README says it gives,
// and learns the values later commands refer to.
func (w *walkthrough) check(t *testing.T, args []string, out, errOut string) {
	t.Helper()
	fail := func(format string, a ...any) {
		t.Errorf("khoso %s: %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), fmt.Sprintf(format, a...), out, errOut)
	}
	switch args[0] {
	case "ingest":
		lines := batchLines(out)
		if len(lines) != 1 || lines[2][2] != string(archive.StatusAvailable) {
			fail("want one line per document, the document available")
			return
		}
		w.subst["RECORD_ID"] = lines[2][0]
	case "search":
		if !strings.Contains(out, w.subst["RECORD_ID"]) {
			fail("the ingested record %s is not found", w.subst["RECORD_ID"])
		}
	case "get", "copy":
		file := args[len(args)-1]
		if b, err := os.ReadFile(file); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			fail("no PDF in %s: %v", file, err)
		}
		if args[0] == "copy" && !regexp.MustCompile(`^\S+\n$`).MatchString(out) {
			fail("want its verification code printed")
		}
	case "verify":
		if !strings.Contains(out, "this repository holds this exact document") || strings.Count(out, "PAdES level: B-LTA") != 2 {
			fail("want two B-LTA signatures and a document this repository holds")
		}
	case "fsck":
		if !strings.Contains(errOut, " 0 hỏng/corrupt") || !strings.Contains(errOut, " 0 thiếu/missing") {
			fail("want no corrupt and no missing object")
		}
	case "reindex":
		if !strings.HasPrefix(out, "1 hồ sơ/records") {
			fail("want the one record reindexed")
		}
	case "user":
		token := strings.TrimSpace(out)
		role := flagValue(args, "--role")
		if !strings.HasPrefix(token, "khoso_") || strings.Contains(token, "\n") || role == "" {
			fail("want one token printed")
		}
		if _, ok := w.subst["<"+role+" token>"]; !ok {
			w.subst["<"+role+" token>"] = token // the README means the first user of the role
		}
	case "audit":
		if !strings.Contains(errOut, "mục/entries") {
			fail("want the entries counted")
		}
	}
}

// flagValue is the word after name in args.
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// TestUsage: `khoso --help` lists every subcommand in both languages; no
// subcommand, an unknown one or a wrong flag says so in both and exits 2.
func TestUsage(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), args, Env{Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &errOut})
		return code, out.String(), errOut.String()
	}
	code, out, _ := run("--help")
	if code != 0 {
		t.Errorf("khoso --help exited %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "khoso "+c.name+" ") || !strings.Contains(out, c.vi+" / "+c.en) {
			t.Errorf("khoso --help does not list %s in both languages:\n%s", c.name, out)
		}
	}
	for _, want := range []string{"Cách dùng / usage", "ingest DIR", "--agency CODE", "user add --role", "audit verify", "fsck [--data DIR]"} {
		if !strings.Contains(out, want) {
			t.Errorf("khoso --help lacks %q:\n%s", want, out)
		}
	}
	if code, _, errOut := run(); code != 2 || !strings.Contains(errOut, "Cách dùng / usage") {
		t.Errorf("khoso without arguments exited %d, want 2 and the usage:\n%s", code, errOut)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"nonsense"}, []string{"lệnh không rõ / unknown command"}},
		{[]string{"ingest", "--bogus", "scans"}, []string{"khoso ingest: cờ sai / bad flag: không có cờ này / no such flag: -bogus", "cách dùng / usage: khoso ingest DIR", "bảng kê CSV hoặc XLSX / manifest CSV or XLSX"}},
		{[]string{"search", "--limit", "many"}, []string{"giá trị không hợp lệ / invalid value: \"many\" for flag -limit", "số kết quả tối đa / at most"}},
		{[]string{"user", "add", "--role", "clerk", "--name", "X"}, []string{"--agency: vai trò clerk cần mã cơ quan / a clerk needs an agency code"}},
		{[]string{"user", "remove"}, []string{"cách dùng / usage: khoso user add --role"}},
	} {
		code, out, errOut := run(c.args...)
		if code == 0 {
			t.Errorf("khoso %v exited 0", c.args)
		}
		for _, w := range c.want {
			if !strings.Contains(out+errOut, w) {
				t.Errorf("khoso %v: output lacks %q:\n%s%s", c.args, w, out, errOut)
			}
		}
		if strings.Contains(errOut, "Usage of") || strings.Contains(errOut, "flag provided but not defined") || strings.Contains(errOut, "parse error") {
			t.Errorf("khoso %v: the flag package's English-only message reached the user:\n%s", c.args, errOut)
		}
	}
	if code, out, _ := run("copy", "--help"); code != 0 || !strings.Contains(out, "cấp cho ai (bắt buộc) / whom") {
		t.Errorf("khoso copy --help exited %d:\n%s", code, out)
	}
}

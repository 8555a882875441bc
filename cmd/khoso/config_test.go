package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/web"
)

func TestScanSettings(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) Env { return Env{Getenv: func(k string) string { return vars[k] }} }
	var s settings
	if err := s.fromEnv(env(nil)); err != nil || s.Scan != (scan.Options{}) {
		t.Fatalf("no variables: %+v, %v; want the zero Options (every default)", s.Scan, err)
	}
	err := s.fromEnv(env(map[string]string{"KHOSO_MAX_DPI": "400", "KHOSO_DESKEW_THRESHOLD": "-1",
		"KHOSO_MAX_PAGE_MEGAPIXELS": "60", "KHOSO_MAX_PAGES": "500"}))
	want := scan.Options{MaxDPI: 400, DeskewThreshold: -1, MaxPixels: 60_000_000, MaxPages: 500}
	if err != nil || s.Scan != want {
		t.Fatalf("got %+v, %v; want %+v", s.Scan, err, want)
	}
	for key, bad := range map[string]string{"KHOSO_MAX_DPI": "lots", "KHOSO_DESKEW_THRESHOLD": "-3",
		"KHOSO_MAX_PAGE_MEGAPIXELS": "0", "KHOSO_MAX_PAGES": "NaN"} {
		err := (&settings{}).fromEnv(env(map[string]string{key: bad}))
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%s: error %v; want one naming the variable", key, bad, err)
		}
	}
}

// TestSessionSettings: KHOSO_SESSION_IDLE and KHOSO_SESSION_MAX reach the
// server's configuration; a bad value is refused, naming the variable.
func TestSessionSettings(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) Env { return Env{Getenv: func(k string) string { return vars[k] }} }
	ws, err := webFromEnv(env(map[string]string{"KHOSO_SESSION_IDLE": "15m", "KHOSO_SESSION_MAX": "8h"}))
	var cfg web.Config
	ws.apply(&cfg)
	if err != nil || cfg.SessionIdle != 15*time.Minute || cfg.SessionMax != 8*time.Hour {
		t.Fatalf("got idle %s max %s, %v; want 15m and 8h", cfg.SessionIdle, cfg.SessionMax, err)
	}
	for _, bad := range []map[string]string{
		{"KHOSO_SESSION_IDLE": "soon"},
		{"KHOSO_SESSION_MAX": "10s"},
		{"KHOSO_SESSION_IDLE": "2h", "KHOSO_SESSION_MAX": "1h"},
	} {
		if _, err := webFromEnv(env(bad)); err == nil || !strings.Contains(err.Error(), "KHOSO_SESSION_") {
			t.Errorf("%v: error %v; want one naming the variable", bad, err)
		}
	}
}

// TestBrowserURL: the address serve prints can be opened on this machine.
func TestBrowserURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:9000":      "http://127.0.0.1:9000",
		"10.1.2.3:80":    "http://10.1.2.3:80",
	} {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := browserURL(tcp); got != want {
			t.Errorf("browserURL(%s) = %s, want %s", addr, got, want)
		}
	}
}

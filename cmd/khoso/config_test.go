package main

import (
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
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

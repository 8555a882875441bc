package web

import "testing"

// TestParseRoute: patterns with and without a method or a host.
func TestParseRoute(t *testing.T) {
	t.Parallel()
	for pattern, want := range map[string]Route{
		"GET /api/v1/records/{id}":     {Method: "GET", Path: "/api/v1/records/{id}"},
		"POST  /verify/{code}":         {Method: "POST", Path: "/verify/{code}"},
		"/riverui/":                    {Path: "/riverui/"},
		"GET example.com/files/{p...}": {Method: "GET", Path: "/files/{p...}"},
	} {
		if got := parseRoute(pattern); got != want {
			t.Errorf("parseRoute(%q) = %+v, want %+v", pattern, got, want)
		}
	}
}

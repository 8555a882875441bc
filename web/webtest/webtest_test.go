package webtest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/web"
	"github.com/khoso-vn/khoso/web/webtest"
)

// TestValidate: answers that keep to the document pass; a wrong body,
// status or content type, and a successful request that broke the
// document, do not.
func TestValidate(t *testing.T) {
	t.Parallel()
	c, err := webtest.New(web.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	share := `{"id":"s-1","record_id":"r-1","holder_id":"001088012345","agency":"A","dossier_code":"D",` +
		`"until":"2099-01-02T00:00:00Z","created_at":"2026-01-01T00:00:00Z"}`
	record := `{"id":"r-1","batch_id":"b-1","result_code":"D-KQ01","row":2,"status":"available","validity":"valid",` +
		`"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","metadata":{"doc_type_code":"GP",` +
		`"doc_name":"Giấy phép","number":"1/GP","issued_on":"2024-01-01T00:00:00Z","issuer":"UBND","holder_id":"1","holder_name":"Đức"}`
	get := func(path, auth string) *http.Request {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		return r
	}
	post := func(path, ctype, body string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "http://khoso.example"+path, strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("Authorization", "Bearer t")
		return r
	}
	for _, c2 := range []struct {
		name   string
		req    *http.Request
		status int
		header http.Header
		body   string
		ok     bool
	}{
		{"error shape", get("/api/v1/records/r-1", ""), 401, jsonHeader, `{"error":"thiếu / missing"}`, true},
		{"error with more", get("/api/v1/records/r-1", ""), 401, jsonHeader, `{"error":"x","detail":"y"}`, false},
		{"undocumented status", get("/api/v1/records/r-1", "Bearer t"), 418, jsonHeader, `{"error":"x"}`, false},
		{"record", get("/api/v1/records/r-1", "Bearer t"), 200, jsonHeader, record + "}", true},
		{"record with an undocumented field", get("/api/v1/records/r-1", "Bearer t"), 200, jsonHeader, record + `,"x":1}`, false},
		{"share list", get("/api/v1/me/shares", "Bearer t"), 200, jsonHeader, "[" + share + "]", true},
		{"share list, no token", get("/api/v1/me/shares", ""), 200, jsonHeader, "[" + share + "]", false},
		{"share list, wrong type", get("/api/v1/me/shares", "Bearer t"), 200, jsonHeader, `[{"id":1}]`, false},
		{"PDF as JSON", get("/api/v1/records/r-1/pdf", "Bearer t"), 200, jsonHeader, `{}`, false},
		{"PDF", get("/api/v1/records/r-1/pdf", "Bearer t"), 200, http.Header{"Content-Type": {"application/pdf"}}, "%PDF-1.7", true},
		{"share made", post("/api/v1/records/r-1/shares", "application/json", `{"agency":"A","dossier_code":"D","until":"2099-01-01"}`),
			201, jsonHeader, share, true},
		{"share made from a bad body", post("/api/v1/records/r-1/shares", "application/json", `{"agency":"A"}`),
			201, jsonHeader, share, false},
		{"bad body refused", post("/api/v1/records/r-1/shares", "text/plain", `x`), 415, jsonHeader, `{"error":"x"}`, true},
		{"search, bad limit", get("/api/v1/search?limit=-1", "Bearer t"), 200, jsonHeader, `{"total":0,"records":[]}`, false},
		{"no such operation", get("/api/v1/nope", "Bearer t"), 404, jsonHeader, `{"error":"x"}`, false},
	} {
		err := c.Validate(c2.req, c2.status, c2.header, []byte(c2.body))
		if (err == nil) != c2.ok {
			t.Errorf("%s: %v, want ok=%v", c2.name, err, c2.ok)
		}
	}
}

package web

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/khoso-vn/khoso/archive"
)

// apiPrefix is where the JSON API lives: every route under it is in the
// OpenAPI document, and no other route is.
const apiPrefix = "/api/v1/"

// loadOpenAPI parses and validates the embedded document.
func loadOpenAPI(tb testing.TB) *openapi3.T {
	tb.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDoc)
	if err != nil {
		tb.Fatalf("openapi.json does not load: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		tb.Fatalf("openapi.json is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context, openapi3.EnableExamplesValidation()); err != nil {
		tb.Fatalf("openapi.json is not valid: %v", err)
	}
	return doc
}

// TestOpenAPIValid: the document is valid OpenAPI 3.1, and every
// operation documents its errors with the one error shape.
func TestOpenAPIValid(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Description == "" {
				t.Errorf("%s %s: no operationId or description", method, path)
			}
			for code, resp := range op.Responses.Map() {
				if code[0] < '4' {
					continue
				}
				mt := resp.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Error" {
					t.Errorf("%s %s: %s is not the Error shape", method, path, code)
				}
			}
		}
	}
	for _, name := range []string{"bearerToken", "basicToken", "sessionCookie"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("no security scheme %s", name)
		}
	}
}

// TestOpenAPIRoutes: every route under /api/v1/ is in the document and
// every operation of the document is a route; routes outside the API are
// not in it.
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	b := setup(t, func(c *Config) { c.Metrics, c.QueueUI = http.NotFoundHandler(), http.NotFoundHandler() })
	var routes, documented []string
	for _, r := range b.srv.Routes() {
		if !strings.HasPrefix(r.Path, apiPrefix) {
			continue
		}
		if r.Method == "" {
			t.Errorf("route %s answers every method: name one", r.Path)
		}
		routes = append(routes, r.Method+" "+strings.ReplaceAll(r.Path, "...}", "}"))
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, apiPrefix) {
			t.Errorf("document path %s is outside %s", path, apiPrefix)
		}
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in web/openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("web/openapi.json has %s, which no route serves", d)
		}
	}
	if len(routes) < 15 {
		t.Errorf("only %d API routes listed: %v", len(routes), routes)
	}
}

// TestServeOpenAPI: the document is served without sign-in, byte for byte.
func TestServeOpenAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.do(t, "", httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" || w.Body.String() != string(openAPIDoc) {
		t.Errorf("GET /api/v1/openapi.json: %d %s, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Body.Len())
	}
	if _, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes()); err != nil {
		t.Error(err)
	}
}

// TestOpenAPISchemasMatchTypes: each schema that describes a Go type names
// exactly the JSON fields the type writes, so a field added to a record,
// a page or a copy cannot be answered before the document knows it.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	for name, v := range map[string]any{
		"Metadata":       archive.Metadata{},
		"MetadataUpdate": MetadataUpdate{},
		"Correction":     archive.Correction{},
		"Page":           archive.Page{},
		"Record":         archive.Record{},
		"BatchSummary":   archive.BatchSummary{},
		"RecordState":    RecordState{},
		"BatchResponse":  BatchResponse{},
		"CopyRequest":    CopyRequest{},
		"Copy":           archive.Copy{},
		"Share":          archive.Share{},
		"AuditEvent":     archive.AuditEvent{},
	} {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		var documented []string
		for p := range ref.Value.Properties {
			documented = append(documented, p)
		}
		fields := jsonFields(reflect.TypeOf(v))
		slices.Sort(documented)
		slices.Sort(fields)
		if !slices.Equal(documented, fields) {
			t.Errorf("schema %s names %v; %T writes %v", name, documented, v, fields)
		}
	}
}

// jsonFields gives the names encoding/json writes for struct type t.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-":
		case f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct:
			out = append(out, jsonFields(f.Type)...)
		case tag != "":
			out = append(out, tag)
		default:
			out = append(out, f.Name)
		}
	}
	return out
}

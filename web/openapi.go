package web

import (
	_ "embed"
	"net/http"
	"slices"
)

// openAPIDoc is the OpenAPI 3.1 document of every JSON route under
// /api/v1, written by hand. openapi_test.go holds it to the route table
// both ways, and webtest checks answers against it.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 document (JSON) served at
// GET /api/v1/openapi.json.
func OpenAPI() []byte { return slices.Clone(openAPIDoc) }

// openAPI serves the document; it needs no sign-in.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(openAPIDoc)
}

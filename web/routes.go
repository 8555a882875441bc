package web

import (
	"net/http"
	"slices"
	"strings"
)

// Route is one entry of the route table: what a ServeMux pattern such as
// "GET /api/v1/records/{id}" answers.
type Route struct {
	// Method is the pattern's HTTP method; "" for a pattern that answers
	// every method.
	Method string
	// Path is the pattern's path with its {wildcards}, without the method
	// or a host.
	Path string
}

// routeMux is the Server's ServeMux, remembering every pattern registered
// on it so that the route table can be listed (Routes) and checked against
// the API document. routes registers on it exactly as on a ServeMux.
type routeMux struct {
	*http.ServeMux
	routes []Route
}

func newRouteMux() *routeMux { return &routeMux{ServeMux: http.NewServeMux()} }

// Handle registers h for pattern and records the route.
func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.ServeMux.Handle(pattern, h)
	m.routes = append(m.routes, parseRoute(pattern))
}

// HandleFunc registers h for pattern and records the route.
func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// parseRoute splits a ServeMux pattern ("[METHOD ][HOST]/[PATH]").
func parseRoute(pattern string) Route {
	var r Route
	if method, rest, ok := strings.Cut(pattern, " "); ok {
		r.Method, pattern = method, strings.TrimLeft(rest, " \t")
	}
	if i := strings.IndexByte(pattern, '/'); i > 0 {
		pattern = pattern[i:] // drop the host
	}
	r.Path = pattern
	return r
}

// Routes lists every route the Server answers, in the order routes
// registered them.
func (s *Server) Routes() []Route { return slices.Clone(s.mux.routes) }

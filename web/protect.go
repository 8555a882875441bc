package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/khoso-vn/khoso/archive"
)

// Content-Security-Policy of khoso's own pages and JSON: nothing from other
// sites, no framing, forms only to khoso itself.
const (
	cspDefault = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; " +
		"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	// the queue UI (a third-party single-page application) starts with an
	// inline module script.
	cspQueueUI = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
		"script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

// secureHeaders sets the headers every response carries.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		csp := cspDefault
		if strings.HasPrefix(r.URL.Path, QueueUIPrefix+"/") {
			csp = cspQueueUI
		}
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

var errCrossSite = archive.NewError(errForbidden, "yêu cầu từ trang web khác bị từ chối",
	"a request from another site was refused")

// crossOrigin refuses state-changing requests that a browser sent from
// another site (Sec-Fetch-Site, else Origin against Host), whatever their
// credentials: a token in HTTP Basic, which browsers replay, included.
// Requests from programs, which send neither header, pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errCrossSite)
	}))
	return cop.Handler(next)
}

// recoverPanics answers 500 for a handler that panicked, and logs it, so
// one bad request never takes the connection's answer with it.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil || v == http.ErrAbortHandler {
				if v != nil {
					panic(v)
				}
				return
			}
			s.writeError(w, r, fmt.Errorf("web: panic serving %s %s: %v", r.Method, r.URL.Path, v))
		}()
		next.ServeHTTP(w, r)
	})
}

var errNotJSON = archive.NewError(errMediaType, "nội dung phải là JSON (Content-Type: application/json)",
	"the body must be JSON (Content-Type: application/json)")

// decodeJSON reads r's body, at most limit bytes, into v; the body must be
// declared application/json, which no cross-site form can send.
func decodeJSON(r *http.Request, v any, limit int64) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errNotJSON
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, limit))
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return archive.Wrap(archive.ErrInvalid, "nội dung JSON không đọc được", "the JSON body cannot be read", err)
		}
		return err
	}
	return nil
}

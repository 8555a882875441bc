// Package webtest checks exchanges with khoso's JSON API against its
// OpenAPI document (web.OpenAPI), for the tests of package web and of the
// programs that serve it. A Contract says, for one request and its answer,
// whether the status is one the operation documents, the content type one
// it names for that status, and the body valid against its schema; for a
// request that succeeded, whether the request was valid too: parameters,
// credentials and, when it can be read again, its body.
package webtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Contract is a loaded OpenAPI document and its router. It is safe for
// use by many goroutines.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
}

// New loads and validates an OpenAPI document (JSON or YAML).
func New(doc []byte) (*Contract, error) {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("webtest: load: %w", err)
	}
	if err := t.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("webtest: validate: %w", err)
	}
	router, err := gorillamux.NewRouter(t)
	if err != nil {
		return nil, fmt.Errorf("webtest: router: %w", err)
	}
	return &Contract{doc: t, router: router}, nil
}

// Doc returns the loaded document.
func (c *Contract) Doc() *openapi3.T { return c.doc }

// Check reports on tb every way the answer (status, header, body) to req
// departs from the document, and, when status is below 400, every way req
// does. req's body is checked only when req.GetBody gives it again (as
// http.NewRequest sets for in-memory bodies). A request that matches no
// operation of the document is an error.
func (c *Contract) Check(tb testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()
	if err := c.Validate(req, status, header, body); err != nil {
		tb.Errorf("%s %s → %d: not as web/openapi.json says: %v", req.Method, req.URL.Path, status, err)
	}
}

// CheckResponse is Check for a client's answer: it reads resp's body, puts
// the bytes back for the caller to read, and returns them.
func (c *Contract) CheckResponse(tb testing.TB, resp *http.Response) []byte {
	tb.Helper()
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		tb.Errorf("%s %s: read the answer: %v", resp.Request.Method, resp.Request.URL.Path, err)
		return body
	}
	c.Check(tb, resp.Request, resp.StatusCode, resp.Header, body)
	return body
}

// CheckRecorder is Check for an answer recorded by httptest.
func (c *Contract) CheckRecorder(tb testing.TB, req *http.Request, w *httptest.ResponseRecorder) {
	tb.Helper()
	c.Check(tb, req, w.Code, w.Header(), w.Body.Bytes())
}

// Validate is Check returning what it finds instead of reporting it.
func (c *Contract) Validate(req *http.Request, status int, header http.Header, body []byte) error {
	ctx := context.Background()
	in, err := c.requestInput(req)
	if err != nil {
		return err
	}
	var errs []error
	if status < 400 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			errs = append(errs, fmt.Errorf("request: %w", err))
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		errs = append(errs, fmt.Errorf("response: %w", err))
	}
	return errors.Join(errs...)
}

// requestInput finds req's operation and gives it a body to read again.
func (c *Contract) requestInput(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	r := req.Clone(context.Background())
	opts := &openapi3filter.Options{AuthenticationFunc: credentials, MultiError: true}
	r.Body = http.NoBody
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
		r.Body = body
	} else {
		opts.ExcludeRequestBody = true
	}
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		return nil, fmt.Errorf("no operation in the document: %w", err)
	}
	return &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}, nil
}

// credentials passes when the request carries the kind of credential the
// scheme names; whether it is valid is the server's to say.
func credentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r, s := in.RequestValidationInput.Request, in.SecurityScheme
	var ok bool
	switch {
	case s.Type == "http" && s.Scheme == "bearer":
		token, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		ok = found && token != ""
	case s.Type == "http" && s.Scheme == "basic":
		_, _, ok = r.BasicAuth()
	case s.Type == "apiKey" && s.In == "cookie":
		_, err := r.Cookie(s.Name)
		ok = err == nil
	}
	if !ok {
		return in.NewError(nil)
	}
	return nil
}

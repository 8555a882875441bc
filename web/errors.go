package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// statusOf is the one table from errors to HTTP status codes.
func statusOf(err error) int {
	switch {
	case errors.Is(err, archive.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, archive.ErrInvalid), errors.Is(err, ingest.ErrManifest):
		return http.StatusBadRequest
	case errors.Is(err, archive.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, archive.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, archive.ErrCorrupt):
		return http.StatusUnprocessableEntity
	default:
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return http.StatusRequestEntityTooLarge
		}
		return http.StatusInternalServerError
	}
}

// errForbidden is returned when the caller's role may not use a route.
var errForbidden = errors.New("vai trò của bạn không được phép / your role may not do this")

// Error is the JSON body of every failed request.
type Error struct {
	Error string `json:"error"`
}

// writeError renders err with its status; server faults are logged and
// their detail kept from the client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	msg := err.Error()
	s.auditFailure(r, err)
	if code == http.StatusInternalServerError {
		s.cfg.Logger.Error("request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		msg = "lỗi máy chủ, xem nhật ký / internal server error, see the server log"
	}
	writeJSON(w, code, Error{Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// Errors of the HTTP face itself.
var (
	// errForbidden is returned when the caller's role may not use a route.
	errForbidden = archive.NewError(nil, "vai trò của bạn không được phép", "your role may not do this")
	// errDamaged is returned when a stored object is missing or does not
	// match its address: the record exists, its bytes are damaged.
	errDamaged = errors.New("stored object damaged")
	// errTooMany is returned when a caller is over a rate limit.
	errTooMany = errors.New("too many requests")
	// errMediaType is returned for a body that is not the media type the
	// route reads.
	errMediaType = errors.New("unsupported media type")
)

// statusOf is the one table from errors to HTTP status codes.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errDamaged):
		return http.StatusInternalServerError
	case errors.Is(err, archive.ErrNoSpace):
		return http.StatusInsufficientStorage
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
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, errMediaType):
		return http.StatusUnsupportedMediaType
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Error is the JSON body of every failed request.
type Error struct {
	// Error is the message for people, Vietnamese then English.
	Error string `json:"error"`
}

// Messages that do not depend on the request. A record out of the caller's
// scope and a missing one get the same body, byte for byte.
const (
	msgNotFound = "Không tìm thấy / not found"
	msgInternal = "Lỗi máy chủ, xem nhật ký máy chủ / internal server error, see the server log"
	msgDamaged  = "Tệp lưu trữ bị hỏng hoặc bị mất; người quản trị đã được báo / " +
		"the stored file is damaged or missing; the operator has been told"
	msgTooLarge = "Tệp gửi lên quá lớn / the request body is too large"
	msgNoSpace  = "Máy chủ đã hết dung lượng lưu trữ; lô này chưa được nhận. Hãy báo quản trị viên giải phóng dung lượng rồi gửi lại / " +
		"the server is out of storage space; this batch was not taken. Ask an administrator to free space, then send it again"
	// MsgWaitingForSpace is what a document waiting for storage space shows.
	MsgWaitingForSpace = "Đang chờ: máy chủ hết dung lượng lưu trữ; tài liệu sẽ tự tiếp tục khi có chỗ / " +
		"waiting: the server is out of storage space; the document goes on by itself once there is room"
)

// writeError renders err with its status. Server faults are logged and
// their detail kept from the client; no client-visible message names a
// package of ours. A page request gets a page (see writePageError).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	if code >= 500 {
		s.cfg.Logger.Error("request failed", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	if wantsHTML(r.Context()) {
		s.writePageError(w, r, err, code)
		return
	}
	writeJSON(w, code, Error{Error: clientMessage(err, code)})
}

// clientMessage is what the client reads for err.
func clientMessage(err error, code int) string {
	switch code {
	case http.StatusNotFound:
		return msgNotFound
	case http.StatusRequestEntityTooLarge:
		if m, ok := archive.MessageOf(err); ok {
			return m // the limit, said
		}
		return msgTooLarge
	case http.StatusInsufficientStorage:
		return msgNoSpace
	case http.StatusInternalServerError:
		if errors.Is(err, errDamaged) {
			return msgDamaged
		}
		return msgInternal
	}
	if m, ok := archive.MessageOf(err); ok {
		return m
	}
	return plain(err.Error())
}

// packagePrefix matches the "pkg: " that our error messages start their
// layers with.
var packagePrefix = regexp.MustCompile(`\b(archive|web|ingest|copies|sqlstore|signing|search|scan|assemble|localdisk|s3|stamp): `)

// sentinelSuffixes are the texts of sentinel errors that end wrapped
// messages; people gain nothing from them.
var sentinelSuffixes = []error{archive.ErrInvalid, archive.ErrNotFound, archive.ErrConflict, archive.ErrCorrupt,
	archive.ErrUnauthorized, ingest.ErrManifest}

// plain removes package prefixes and sentinel suffixes from msg.
func plain(msg string) string {
	msg = packagePrefix.ReplaceAllString(msg, "")
	for _, e := range sentinelSuffixes {
		msg = strings.TrimSuffix(msg, ": "+e.Error())
	}
	return strings.TrimSpace(msg)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

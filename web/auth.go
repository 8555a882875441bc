package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/khoso-vn/khoso/archive"
)

type userKey struct{}

// userFrom returns the authenticated caller.
func userFrom(ctx context.Context) *archive.User {
	u, _ := ctx.Value(userKey{}).(*archive.User)
	return u
}

// TokenHash is how tokens are kept in the catalog: their SHA-256.
func TokenHash(token string) archive.Ref { return archive.RefOf([]byte(token)) }

// bearer returns the caller's token: "Authorization: Bearer TOKEN", or,
// for browsers, HTTP Basic with the token as password.
func bearer(r *http.Request) string {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return token
	}
	if _, pass, ok := r.BasicAuth(); ok {
		return pass
	}
	return ""
}

// auth lets through callers with a valid token and one of roles.
func (s *Server) auth(h http.HandlerFunc, roles ...archive.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r)
		if token == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="khoso", charset="UTF-8"`)
			s.writeError(w, r, fmt.Errorf("thiếu mã truy cập (KHOSO_TOKEN) / missing access token (KHOSO_TOKEN): %w", archive.ErrUnauthorized))
			return
		}
		u, err := s.cfg.Catalog.UserByToken(r.Context(), TokenHash(token))
		if errors.Is(err, archive.ErrNotFound) {
			err = fmt.Errorf("mã truy cập không hợp lệ / invalid access token: %w", archive.ErrUnauthorized)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		if !slices.Contains(roles, u.Role) {
			s.writeError(w, r, errForbidden)
			return
		}
		h(w, r)
	})
}

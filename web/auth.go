package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

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

var (
	errNoToken = archive.NewError(archive.ErrUnauthorized, "thiếu mã truy cập (KHOSO_TOKEN)",
		"missing access token (KHOSO_TOKEN)")
	errBadToken = archive.NewError(archive.ErrUnauthorized, "mã truy cập không hợp lệ", "invalid access token")
)

// auth lets through callers with a valid token, or a live session cookie,
// and one of roles. An address that keeps sending wrong tokens gets 429
// instead of 401 for them (a valid token from the same address, an office
// behind one NAT, still works), and refusals are audited once a minute per
// address, not once a request.
func (s *Server) auth(h http.HandlerFunc, roles ...archive.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := s.clientAddr(r)
		token := bearer(r)
		var u *archive.User
		var err error
		if token == "" {
			u, err = s.sessionUser(w, r)
		} else {
			u, err = s.tokenUser(r.Context(), token)
		}
		switch {
		case errors.Is(err, errNoToken):
			w.Header().Set("WWW-Authenticate", `Basic realm="khoso", charset="UTF-8"`)
			s.writeError(w, r, errNoToken)
			return
		case errors.Is(err, archive.ErrNotFound):
			s.refused(r, s.badTokens, addr, "", "", errBadToken)
			if s.badTokens.blocked(addr, s.now()) {
				s.tooMany(w, r)
				return
			}
			s.writeError(w, r, errBadToken)
			return
		case err != nil:
			s.writeError(w, r, err)
			return
		}
		r = r.WithContext(withUser(r.Context(), u))
		if !slices.Contains(roles, u.Role) {
			s.refused(r, s.forbidden, u.ID, u.ID, u.Role, errForbidden)
			s.writeError(w, r, errForbidden)
			return
		}
		h(w, r)
	})
}

// refused counts a refused request under key and audits the first of each
// minute, with the count of the minute before.
func (s *Server) refused(r *http.Request, f *failures, key, actor string, role archive.Role, why error) {
	n, first := f.add(key, s.now())
	if !first {
		return
	}
	detail := why.Error() + " from " + s.clientAddr(r)
	if n > 0 {
		detail += " (" + itoa(n) + " more refused in the minute before)"
	}
	s.auditAs(r, archive.AuditEvent{Actor: actor, Role: role, Action: "denied",
		Object: r.Method + " " + r.URL.Path, Outcome: "denied", Detail: detail})
}

// tokenUser returns the user of an API token, unless the token was revoked
// or its user disabled (both answered ErrNotFound, like a wrong token). It
// notes when the token was used, at most once a minute; a catalog that
// cannot take that note (full, say) is logged, and the request goes on.
func (s *Server) tokenUser(ctx context.Context, token string) (*archive.User, error) {
	t, err := s.cfg.Catalog.TokenByHash(ctx, TokenHash(token))
	if err != nil {
		return nil, err
	}
	if t.Revoked() || t.User.Disabled() {
		return nil, archive.ErrNotFound
	}
	if now := s.now(); now.Sub(t.LastUsed) >= time.Minute {
		err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error { return tx.TouchToken(ctx, t.ID, now) })
		if err != nil {
			s.cfg.Logger.Warn("note token use", "token", t.ID, "err", err)
		}
	}
	return &t.User, nil
}

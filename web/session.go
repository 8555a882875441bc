package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// SessionCookie is the name of the cookie that carries a browser's session
// token. Only the token's SHA-256 is kept in the catalog.
const SessionCookie = "khoso_session"

var errSessionEnded = archive.NewError(archive.ErrUnauthorized, "Phiên đăng nhập đã hết hạn, hãy đăng nhập lại",
	"your session has ended, sign in again")

// setSessionDefaults applies the defaults of the sign-in settings.
func (cfg *Config) setSessionDefaults() {
	if cfg.Identity == nil {
		cfg.Identity = passwordProvider{cat: cfg.Catalog}
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionMax <= 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.LoginRate == (Rate{}) {
		cfg.LoginRate = Rate{PerMinute: 1, Burst: 10}
	}
	if cfg.LoginAddrRate == (Rate{}) {
		cfg.LoginAddrRate = Rate{PerMinute: 10, Burst: 30}
	}
}

// newToken returns 256 random bits, base64url-encoded.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// startSession records a new session of u, proved by provider, and sets
// its cookie on w.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *archive.User, provider string) error {
	token, now := newToken(), s.now()
	sess := &archive.Session{TokenHash: TokenHash(token), UserID: u.ID, Provider: provider, CreatedAt: now, LastSeen: now}
	ctx := r.Context()
	err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		// expired sessions never presented again go here
		if _, err := tx.DeleteStaleSessions(ctx, now.Add(-s.cfg.SessionMax), now.Add(-s.cfg.SessionIdle)); err != nil {
			return err
		}
		return tx.CreateSession(ctx, sess)
	})
	if err != nil {
		return err
	}
	http.SetCookie(w, s.sessionCookie(r, token, int(s.cfg.SessionMax/time.Second)))
	return nil
}

// sessionCookie is the cookie carrying token for maxAge seconds (negative:
// delete it). It is Secure when r came over TLS, directly or through a
// trusted proxy.
func (s *Server) sessionCookie(r *http.Request, token string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.overTLS(r), SameSite: http.SameSiteLaxMode}
}

// overTLS reports whether r reached khoso over TLS.
func (s *Server) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		peer = r.RemoteAddr
	}
	return s.trustedProxy(peer) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// sessionUser returns the user of r's session cookie, extending the
// session. No cookie is errNoToken; an unknown or expired session is
// errSessionEnded, and its cookie is deleted.
func (s *Server) sessionUser(w http.ResponseWriter, r *http.Request) (*archive.User, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, errNoToken
	}
	sess, err := s.liveSession(r.Context(), TokenHash(c.Value))
	if errors.Is(err, archive.ErrNotFound) {
		http.SetCookie(w, s.sessionCookie(r, "", -1))
		return nil, errSessionEnded
	}
	if err != nil {
		return nil, err
	}
	return &sess.User, nil
}

// liveSession returns the session of hash unless it has expired, idle
// longer than SessionIdle or older than SessionMax, or its user was
// disabled; such a one is deleted and answered ErrNotFound. A live one is extended (its LastSeen
// written at most every minute, or every tenth of SessionIdle if less).
func (s *Server) liveSession(ctx context.Context, hash archive.Ref) (*archive.Session, error) {
	sess, err := s.cfg.Catalog.Session(ctx, hash)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.Sub(sess.LastSeen) >= s.cfg.SessionIdle || now.Sub(sess.CreatedAt) >= s.cfg.SessionMax || sess.User.Disabled() {
		err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error { return tx.DeleteSession(ctx, hash) })
		if err != nil {
			return nil, err
		}
		return nil, archive.ErrNotFound
	}
	if now.Sub(sess.LastSeen) >= min(time.Minute, s.cfg.SessionIdle/10) {
		err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error { return tx.TouchSession(ctx, hash, now) })
		if err != nil {
			return nil, err
		}
	}
	return sess, nil
}

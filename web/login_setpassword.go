package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// PasswordLinkTTL is how long a one-time set-password link is valid.
const PasswordLinkTTL = 24 * time.Hour

var errPasswordsDiffer = archive.NewError(archive.ErrInvalid, "Hai mật khẩu không giống nhau", "the two passwords differ")

// NewPasswordLink records, in tx, a one-time link for user userID valid
// PasswordLinkTTL from now, and returns its path: /set-password/TOKEN.
// Only the token's SHA-256 is kept.
func NewPasswordLink(ctx context.Context, tx archive.LoginWriter, userID string, now time.Time) (string, error) {
	token := newToken()
	l := &archive.PasswordLink{TokenHash: TokenHash(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(PasswordLinkTTL)}
	if err := tx.CreatePasswordLink(ctx, l); err != nil {
		return "", err
	}
	return "/set-password/" + token, nil
}

// setPasswordPage shows the form of a valid link, or says the link is not.
func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkLogin(r)
	if err != nil {
		s.linkInvalid(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "setpassword.html", setPasswordView{Token: r.PathValue("token"), Login: l.Name,
		MinLength: MinPasswordLength})
}

// setPassword sets the password of the link's login, uses up the link and
// ends the user's sessions, in one transaction.
func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkLogin(r)
	if err != nil {
		s.linkInvalid(w, r, err)
		return
	}
	view := setPasswordView{Token: r.PathValue("token"), Login: l.Name, MinLength: MinPasswordLength}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, archive.Wrap(archive.ErrInvalid, "biểu mẫu không đọc được", "the form cannot be read", err))
		return
	}
	pw := r.PostFormValue("password")
	err = CheckPassword(l.Name, pw)
	if err == nil && pw != r.PostFormValue("confirm") {
		err = errPasswordsDiffer
	}
	if err != nil {
		view.Error = clientMessage(err, http.StatusBadRequest)
		s.renderPage(w, r, http.StatusBadRequest, "setpassword.html", view)
		return
	}
	if err := s.storePassword(r, l, pw); err != nil {
		if r.Context().Err() != nil {
			return // the client is gone
		}
		s.linkInvalid(w, r, err)
		return
	}
	r = r.WithContext(withUser(r.Context(), &l.User))
	s.audit(r, "set-password", l.Name, "ok", "one-time link from "+s.clientAddr(r))
	view.Done = true
	s.renderPage(w, r, http.StatusOK, "setpassword.html", view)
}

// storePassword hashes pw in one of the password-hashing slots, then uses
// the link of r and sets l's password. The link is used up by a
// conditional update in the same transaction, so of several requests
// racing on one link exactly one sets the password; the others find the
// link used (ErrNotFound).
func (s *Server) storePassword(r *http.Request, l *archive.Login, pw string) error {
	release, err := s.signins.hashSlot(r.Context())
	if err != nil {
		return err
	}
	hash, err := HashPassword(pw)
	release()
	if err != nil {
		return err
	}
	ctx, now := r.Context(), s.now()
	return s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		if _, err := tx.UsePasswordLink(ctx, TokenHash(r.PathValue("token")), now); err != nil {
			return err
		}
		l.PasswordHash, l.PasswordAt = hash, now
		if err := tx.PutLogin(ctx, l); err != nil {
			return err
		}
		_, err := tx.DeleteSessions(ctx, l.UserID)
		return err
	})
}

// linkLogin returns the login of r's link while the link can be used.
func (s *Server) linkLogin(r *http.Request) (*archive.Login, error) {
	ctx := r.Context()
	link, err := s.cfg.Catalog.PasswordLink(ctx, TokenHash(r.PathValue("token")))
	if err != nil {
		return nil, err
	}
	if !link.UsedAt.IsZero() || !s.now().Before(link.ExpiresAt) {
		return nil, archive.ErrNotFound
	}
	return s.cfg.Catalog.LoginOf(ctx, link.UserID)
}

// linkInvalid answers a link that is missing, used or expired (404), or a
// fault.
func (s *Server) linkInvalid(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, archive.ErrNotFound) {
		s.writeError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusNotFound, "setpassword.html", setPasswordView{Invalid: true})
}

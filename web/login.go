package web

import (
	"cmp"
	"context"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

var errTooManySignins = archive.NewError(errTooMany, "Quá nhiều lần đăng nhập sai, hãy thử lại sau vài phút",
	"too many failed sign-ins, try again in a few minutes")

// maxLoginBody bounds a sign-in or set-password request.
const maxLoginBody = 64 << 10

// loginRoutes registers sign-in, sign-out and setting a password. They
// are public; cross-site POSTs are refused before them (crossOrigin).
func (s *Server) loginRoutes() {
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.logout)
	s.mux.Handle("GET /set-password/{token}", s.limit(s.setPasswordPage))
	s.mux.Handle("POST /set-password/{token}", s.limit(s.setPassword))
}

// loginRequest is the JSON body of POST /login; forms send the same fields.
type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Next     string `json:"next,omitempty"`
}

// loginResponse answers a JSON sign-in.
type loginResponse struct {
	User      *archive.User `json:"user"`
	IdleFor   string        `json:"idle_timeout"`
	ExpiresAt time.Time     `json:"expires_at"`
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.renderPage(w, r, http.StatusOK, "login.html", loginView{Next: localPath(r.URL.Query().Get("next"))})
}

// login signs a person in: with a form it redirects (303) to next or "/",
// with JSON it answers the user. A wrong password, an unknown login and a
// login whose password is not set yet get one answer.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	form := !isJSON(r)
	in, err := readLogin(w, r, form)
	if err != nil {
		s.loginFailed(w, r, form, in, err)
		return
	}
	in.Login = NormalizeLogin(in.Login)
	u, err := s.authenticate(r, in)
	if err != nil && r.Context().Err() != nil {
		return // the client is gone: nobody reads an answer
	}
	if err != nil {
		s.loginFailed(w, r, form, in, err)
		return
	}
	s.endSession(r) // a new token at every sign-in: no session fixation
	if err := s.startSession(w, r, u, s.cfg.Identity.Name()); err != nil {
		s.loginFailed(w, r, form, in, err)
		return
	}
	r = r.WithContext(withUser(r.Context(), u))
	s.audit(r, "sign-in", in.Login, "ok", s.cfg.Identity.Name()+" from "+s.clientAddr(r))
	if form {
		http.Redirect(w, r, cmp.Or(localPath(in.Next), "/"), http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusOK, loginResponse{User: u, IdleFor: s.cfg.SessionIdle.String(),
		ExpiresAt: s.now().Add(s.cfg.SessionMax).UTC()})
}

// authenticate checks in against the identity provider within the
// per-login and per-address limits of wrong passwords, in one of the
// password-hashing slots. A request whose client goes away while it waits
// for a slot returns its context's error and is not counted.
func (s *Server) authenticate(r *http.Request, in loginRequest) (*archive.User, error) {
	if in.Login == "" || in.Password == "" {
		return nil, errBadLogin
	}
	refund, ok := s.signins.reserve(in.Login, s.clientAddr(r), s.now())
	if !ok {
		return nil, errTooManySignins
	}
	// Known and unknown logins alike are verified within a slot, so they
	// wait and cost the same.
	release, err := s.signins.hashSlot(r.Context())
	if err != nil {
		refund() // gave up waiting: not a wrong password
		return nil, err
	}
	defer release()
	u, err := s.cfg.Identity.Authenticate(r.Context(), Credentials{Login: in.Login, Password: in.Password})
	if !errors.Is(err, archive.ErrUnauthorized) {
		refund() // only wrong passwords count
	}
	return u, err
}

// readLogin reads a form or a JSON body.
func readLogin(w http.ResponseWriter, r *http.Request, form bool) (loginRequest, error) {
	var in loginRequest
	if !form {
		return in, decodeJSON(r, &in, maxLoginBody)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		return in, archive.Wrap(archive.ErrInvalid, "biểu mẫu không đọc được", "the form cannot be read", err)
	}
	return loginRequest{Login: r.PostFormValue("login"), Password: r.PostFormValue("password"),
		Next: r.PostFormValue("next")}, nil
}

// loginFailed answers a refused sign-in, and audits refusals in aggregate:
// the first of each minute per address, with the count of the minute
// before.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, form bool, in loginRequest, err error) {
	if errors.Is(err, archive.ErrUnauthorized) || errors.Is(err, errTooMany) {
		s.signinRefused(r, in.Login, err)
	}
	if errors.Is(err, errTooMany) {
		w.Header().Set("Retry-After", "60")
	}
	if !form {
		s.writeError(w, r, err)
		return
	}
	code := statusOf(err)
	if code >= 500 {
		s.writeError(w, r, err) // logs it; the page would say no more
		return
	}
	s.renderPage(w, r, code, "login.html", loginView{Login: in.Login, Next: localPath(in.Next), Error: clientMessage(err, code)})
}

// signinRefused audits a refused sign-in in aggregate, like wrong tokens.
func (s *Server) signinRefused(r *http.Request, login string, why error) {
	addr := s.clientAddr(r)
	n, first := s.signins.failed.add(addr, s.now())
	if !first {
		return
	}
	detail := why.Error() + " for login " + quote(login) + " from " + addr
	if n > 0 {
		detail += " (" + itoa(n) + " more refused in the minute before)"
	}
	s.auditAs(r, archive.AuditEvent{Action: "sign-in", Object: "POST /login", Outcome: "denied", Detail: detail})
}

// logout ends the session of r's cookie: a form is sent to the sign-in
// page (303), a program gets 204.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if u := s.endSession(r); u != nil {
		s.audit(r.WithContext(withUser(r.Context(), u)), "sign-out", "", "ok", "from "+s.clientAddr(r))
	}
	http.SetCookie(w, s.sessionCookie(r, "", -1))
	if isForm(r) {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// endSession deletes the session of r's cookie, if any, and returns its
// user.
func (s *Server) endSession(r *http.Request) *archive.User {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	ctx, h := r.Context(), TokenHash(c.Value)
	sess, err := s.cfg.Catalog.Session(ctx, h)
	if err != nil {
		return nil
	}
	if err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error { return tx.DeleteSession(ctx, h) }); err != nil {
		s.cfg.Logger.Error("end session", "user", sess.UserID, "err", err)
	}
	return &sess.User
}

// localPath returns p when it is a path on this site, else "".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return ""
	}
	return p
}

func isJSON(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/json"
}

func isForm(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
}

// withUser returns ctx carrying u as the caller.
func withUser(ctx context.Context, u *archive.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64]
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

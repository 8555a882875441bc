package web

import (
	"embed"
	"html/template"
	"net/http"
)

//go:embed templates/login.html templates/setpassword.html
var loginFiles embed.FS

// loginPages are the sign-in and set-password pages: small, self-contained
// and working without JavaScript.
var loginPages = template.Must(template.ParseFS(loginFiles, "templates/login.html", "templates/setpassword.html"))

// loginView is what login.html shows.
type loginView struct {
	Login, Next, Error string
}

// setPasswordView is what setpassword.html shows.
type setPasswordView struct {
	Token, Login, Error string
	MinLength           int
	Invalid             bool // the link is missing, used or expired
	Done                bool // the password was just set
}

// renderPage writes the page name with data and status code.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if err := loginPages.ExecuteTemplate(w, name, data); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "path", r.URL.Path, "err", err)
	}
}

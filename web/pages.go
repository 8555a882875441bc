package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/khoso-vn/khoso/archive"
)

// templateFS holds the HTML pages: layout.html, one file per screen, and
// partial_*.html, templates shared by several screens.
//
//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates are the screens by language, then by file name
// ("search.html"), each parsed with the layout and its language's funcs.
var pageTemplates = mustParsePages()

func mustParsePages() map[string]map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	partials, err := fs.Glob(templateFS, "templates/partial_*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]map[string]*template.Template{}
	for _, lang := range []string{langVi, langEn} {
		out[lang] = map[string]*template.Template{}
		for _, name := range names {
			base := strings.TrimPrefix(name, "templates/")
			if base == "layout.html" || strings.HasPrefix(base, "partial_") {
				continue
			}
			t := template.New("layout.html").Funcs(pageFuncs(lang))
			files := append([]string{"templates/layout.html", name}, partials...)
			out[lang][base] = template.Must(t.ParseFS(templateFS, files...))
		}
	}
	return out
}

// pageFuncs are the template functions of lang's pages.
func pageFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":        func(key string) (string, error) { return message(lang, key) },
		"label":    func(group string, v any) string { return label(lang, group, toString(v)) },
		"date":     pageDate,
		"datetime": pageTime,
		"asset":    assetURL,
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case archive.Role:
		return string(v)
	case archive.Status:
		return string(v)
	}
	return ""
}

// pageView is what the layout reads; Data is the screen's own.
type pageView struct {
	Lang  string
	Title string // message key
	User  *archive.User
	Nav   []navItem
	Here  string // this page's URL, where the language switch comes back to
	Data  any
}

// navItem is one link of the navigation.
type navItem struct {
	Key, Href string // message key, target
	Current   bool
}

// navFor lists the screens role may open.
func navFor(role archive.Role, path string) []navItem {
	items := []navItem{{Key: "nav.home", Href: "/"}}
	switch role {
	case archive.RoleHandler:
		items = append(items, navItem{Key: "nav.search", Href: "/search"})
	case archive.RoleCitizen:
		items = append(items, navItem{Key: "nav.me", Href: "/me"}, navItem{Key: "nav.access", Href: "/me/access"})
	case archive.RoleAuditor:
		items = append(items, navItem{Key: "nav.audit", Href: "/audit"})
	case archive.RoleClerk:
		items = append(items, navItem{Key: "nav.batchnew", Href: "/batches/new"}, navItem{Key: "nav.batches", Href: "/batches"},
			navItem{Key: "nav.review", Href: "/review"})
	case archive.RoleAdmin:
		items = append(items, navItem{Key: "nav.batchnew", Href: "/batches/new"}, navItem{Key: "nav.batches", Href: "/batches"},
			navItem{Key: "nav.review", Href: "/review"}, navItem{Key: "nav.search", Href: "/search"}, navItem{Key: "nav.audit", Href: "/audit"},
			navItem{Key: "nav.users", Href: "/admin/users"}, navItem{Key: "nav.agencies", Href: "/admin/agencies"},
			navItem{Key: "nav.status", Href: "/admin/status"})
	}
	for i := range items {
		items[i].Current = items[i].Href == path
	}
	return items
}

// render writes screen name with data, in the reader's language. A ?lang=
// on the URL is kept in the cookie for the pages after.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	lang := langOf(r)
	if r.URL.Query().Get("lang") == lang {
		setLangCookie(w, lang)
	}
	v := pageView{Lang: lang, Title: title, User: userFrom(r.Context()), Here: here(r), Data: data}
	if v.User != nil {
		v.Nav = navFor(v.User.Role, r.URL.Path)
	}
	var buf bytes.Buffer
	if err := pageTemplates[lang][name].Execute(&buf, v); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "err", err)
		http.Error(w, msgInternal, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// here is the page to come back to after switching language: r's URL, or,
// for a form's answer, the page the form was on.
func here(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return ref.RequestURI()
	}
	return "/"
}

type htmlKey struct{}

// wantsHTML reports whether r is a page request, whose errors are pages.
func wantsHTML(ctx context.Context) bool { v, _ := ctx.Value(htmlKey{}).(bool); return v }

// page is auth for the HTML screens: the same check of credentials and
// roles, but a caller without credentials is sent to sign in, and every
// error is answered with a page, not JSON.
func (s *Server) page(h http.HandlerFunc, roles ...archive.Role) http.Handler {
	inner := s.auth(h, roles...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, asPage(r))
	})
}

// publicPage marks a page that needs no sign-in.
func (s *Server) publicPage(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, asPage(r)) })
}

func asPage(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), htmlKey{}, true))
}

// errorView is what the error page shows.
type errorView struct {
	Code    int
	Message string
}

// writePageError answers a page request that failed: sign in first when it
// had no credentials or its session has ended (the sign-in page, 401),
// else an error page with the status.
func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error, code int) {
	if errors.Is(err, errNoToken) {
		w.Header().Del("WWW-Authenticate")
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if errors.Is(err, errSessionEnded) {
		// The sign-in page itself, saying why, coming back here after.
		v := loginView{Error: clientMessage(err, code)}
		if r.Method == http.MethodGet {
			v.Next = localPath(r.URL.RequestURI())
		}
		s.renderPage(w, r, code, "login.html", v)
		return
	}
	s.render(w, r, code, "error.html", "error.title", errorView{Code: code, Message: errorText(langOf(r), err, code)})
}

package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// Languages of the HTML pages. Vietnamese is the default; English is chosen
// with ?lang=en or the lang cookie (set by /lang/{lang}).
const (
	langVi = "vi"
	langEn = "en"
)

// langCookie names the cookie that keeps the reader's language.
const langCookie = "lang"

// langOf is the language of the page r asks for: ?lang=, else the lang
// cookie, else Vietnamese.
func langOf(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == langVi || l == langEn {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langVi || c.Value == langEn) {
		return c.Value
	}
	return langVi
}

// setLangCookie keeps lang for a year.
func setLangCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// setLang answers GET /lang/{lang}?next=PATH: it keeps the language in the
// cookie and goes back to next, a path of this site.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != langVi && lang != langEn {
		lang = langVi
	}
	setLangCookie(w, lang)
	http.Redirect(w, r, cmp.Or(localPath(r.URL.Query().Get("next")), "/"), http.StatusSeeOther)
}

// message returns the text of key in lang; a key missing from the catalog
// is an error, so a template that names one fails its test.
func message(lang, key string) (string, error) {
	m, ok := messages[key]
	if !ok {
		return "", fmt.Errorf("web: no message %q", key)
	}
	if lang == langEn {
		return m.en, nil
	}
	return m.vi, nil
}

// label returns the text of group.value ("role.handler"), or value itself
// when the catalog has none: a new action in the audit log still shows.
func label(lang, group, value string) string {
	if s, err := message(lang, group+"."+value); err == nil {
		return s
	}
	return value
}

// errorText is what a page says for err in lang.
func errorText(lang string, err error, code int) string {
	var e *archive.Error
	hasText := errors.As(err, &e)
	switch {
	case code == http.StatusNotFound:
		return mustMessage(lang, "error.notfound")
	case code == http.StatusRequestEntityTooLarge && !hasText:
		return mustMessage(lang, "error.toolarge")
	case code >= 500:
		return mustMessage(lang, "error.internal")
	case hasText && lang == langEn && e.En != "":
		return e.En
	case hasText && e.Vi != "":
		return e.Vi
	}
	return clientMessage(err, code)
}

func mustMessage(lang, key string) string {
	s, err := message(lang, key)
	if err != nil {
		panic(err)
	}
	return s
}

// sizeText says n bytes in lang: "8 GiB", "1,5 MiB" (Vietnamese decimal
// comma), "1.5 MiB".
func sizeText(lang string, n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v, u = v/1024, u+1
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if lang == langVi {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " " + units[u]
}

// inLanguage is lang's half of a message kept in both languages as
// "Vietnamese / English" (a record's reason); each half may hold " / "
// itself, so the middle separator splits them. A text not so made, or
// with an even number of separators, is shown whole. Package prefixes are
// removed.
func inLanguage(lang, s string) string {
	s = plain(s)
	n := strings.Count(s, " / ")
	if n%2 == 0 {
		return s
	}
	at := 0
	for range n/2 + 1 {
		at += strings.Index(s[at:], " / ") + len(" / ")
	}
	if lang == langEn {
		return strings.TrimSpace(s[at:])
	}
	return strings.TrimSpace(s[:at-len(" / ")])
}

// notesIn is page notes ("a / b; c / d") in lang.
func notesIn(lang, notes string) string {
	parts := strings.Split(notes, "; ")
	for i, p := range parts {
		parts[i] = inLanguage(lang, p)
	}
	return strings.Join(parts, "; ")
}

// pageDate prints a date as dd/mm/yyyy, or "—" for none.
func pageDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return archive.VNDate(t)
}

// pageTime prints an instant as dd/mm/yyyy hh:mm:ss +07:00, or "—".
func pageTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return archive.VNTime(t)
}

// parsePageDate reads a date typed as dd/mm/yyyy (or yyyy-mm-dd, what a
// date picker sends); "" is the zero time.
func parsePageDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"02/01/2006", "2/1/2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, archive.NewError(archive.ErrInvalid, fmt.Sprintf("ngày %q không đúng dạng dd/mm/yyyy", s),
		fmt.Sprintf("date %q is not dd/mm/yyyy", s))
}

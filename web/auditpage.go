package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// auditPageSize is how many entries one page of /audit shows.
const auditPageSize = 50

// auditForm is what the audit screen's GET form sends; dates are
// dd/mm/yyyy, After is the last sequence number of the page before.
type auditForm struct {
	Actor, Action, Record, From, To string
	After                           int64
}

// auditView is the audit screen.
type auditView struct {
	Form           auditForm
	Error          string
	Events         []archive.AuditEvent
	FirstURL, Next string
	Chain          auditStatus
}

func (f auditForm) href(after int64) string {
	v := url.Values{}
	for k, s := range map[string]string{"actor": f.Actor, "action": f.Action, "record": f.Record, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if after > 0 {
		v.Set("after", strconv.FormatInt(after, 10))
	}
	return "/audit?" + v.Encode()
}

// auditFilter is an auditForm ready to match entries.
type auditFilter struct {
	auditForm
	from, to time.Time // to is exclusive
}

func (f auditForm) filter() (auditFilter, error) {
	af := auditFilter{auditForm: f}
	var err error
	if af.from, err = parsePageDate(f.From); err != nil {
		return af, err
	}
	if af.to, err = parsePageDate(f.To); err != nil {
		return af, err
	}
	// Dates are days in Vietnam.
	if !af.from.IsZero() {
		af.from = time.Date(af.from.Year(), af.from.Month(), af.from.Day(), 0, 0, 0, 0, archive.Vietnam)
	}
	if !af.to.IsZero() {
		af.to = time.Date(af.to.Year(), af.to.Month(), af.to.Day()+1, 0, 0, 0, 0, archive.Vietnam)
	}
	return af, nil
}

// match reports whether e passes the filter.
func (f auditFilter) match(e *archive.AuditEvent) bool {
	switch {
	case f.Actor != "" && e.Actor != f.Actor:
		return false
	case f.Action != "" && e.Action != f.Action:
		return false
	case f.Record != "" && e.Object != f.Record:
		return false
	case !f.from.IsZero() && e.Time.Before(f.from):
		return false
	case !f.to.IsZero() && !e.Time.Before(f.to):
		return false
	}
	return true
}

// auditPage shows GET /audit: the matching entries in log order, a page at
// a time; pages follow sequence numbers, so they stay put as entries are
// added.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := auditForm{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Record: strings.TrimSpace(q.Get("record")), From: q.Get("from"), To: q.Get("to")}
	f.After, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	v := auditView{Form: f}
	af, err := f.filter()
	if err != nil {
		v.Error = errorText(langOf(r), err, http.StatusBadRequest)
		s.render(w, r, http.StatusBadRequest, "audit.html", "audit.title", v)
		return
	}
	full := errors.New("page full")
	more := false
	err = s.cfg.Catalog.AuditEvents(r.Context(), f.After, func(e *archive.AuditEvent) error {
		if !af.match(e) {
			return nil
		}
		if len(v.Events) == auditPageSize {
			more = true
			return full
		}
		v.Events = append(v.Events, *e)
		return nil
	})
	if err != nil && !errors.Is(err, full) {
		s.writeError(w, r, err)
		return
	}
	if f.After > 0 {
		v.FirstURL = f.href(0)
	}
	if more {
		v.Next = f.href(v.Events[len(v.Events)-1].Seq)
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	v.Chain = s.chain.status(ctx)
	s.render(w, r, http.StatusOK, "audit.html", "audit.title", v)
}

package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// now returns the server's clock.
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// scopeOf is what u may see. Auditors read the audit log, not records.
func (s *Server) scopeOf(ctx context.Context, u *archive.User) (archive.Scope, error) {
	switch u.Role {
	case archive.RoleAdmin:
		return archive.Scope{All: true}, nil
	case archive.RoleClerk:
		return archive.Scope{Agency: u.Agency}, nil
	case archive.RoleHandler:
		ids, err := s.cfg.Catalog.SharedWith(ctx, u.Agency, s.now())
		if err != nil {
			return archive.Scope{}, err
		}
		return archive.Scope{Agency: u.Agency, RecordIDs: ids}, nil
	case archive.RoleCitizen:
		return archive.Scope{HolderID: u.HolderID}, nil
	}
	return archive.Scope{}, nil
}

// visibleRecord returns record id if the caller may see it. A record out of
// the caller's scope is reported as not found, exactly like a missing one,
// so its existence leaks nothing; the attempt is audited.
func (s *Server) visibleRecord(r *http.Request, id string) (*archive.Record, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	rec, err := s.cfg.Catalog.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	scope, err := s.scopeOf(ctx, u)
	if err != nil {
		return nil, err
	}
	if !scope.Sees(rec.ID, rec.Agency, rec.Meta.HolderID) {
		s.audit(r, "denied", id, "denied", "out of scope")
		return nil, fmt.Errorf("web: record %s: %w", id, archive.ErrNotFound)
	}
	return rec, nil
}

// audit appends an entry for the caller; a failure to audit is logged and
// fails nothing the caller did.
func (s *Server) audit(r *http.Request, action, object, outcome, detail string) {
	if s.cfg.Auditor == nil {
		return
	}
	e := archive.AuditEvent{Action: action, Object: object, Outcome: outcome, Detail: detail}
	if u := userFrom(r.Context()); u != nil {
		e.Actor, e.Role = u.ID, u.Role
	}
	if err := s.cfg.Auditor.Log(context.WithoutCancel(r.Context()), e); err != nil {
		s.cfg.Logger.Error("audit", "action", action, "object", object, "err", err)
	}
}

// auditFailure records a refused request: a missing or wrong token, a role
// that may not use the route.
func (s *Server) auditFailure(r *http.Request, err error) {
	switch {
	case errors.Is(err, archive.ErrUnauthorized), errors.Is(err, errForbidden):
		s.audit(r, "denied", r.Method+" "+r.URL.Path, "denied", err.Error())
	}
}

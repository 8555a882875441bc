package web

import (
	"context"
	"errors"
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

// agencyOf is the agency a record or batch of agency belongs to for scope
// checks: its own, or the server's for one stored before every batch had an
// agency (""). So such records need no migration, stay out of other
// agencies' scope, and are seen by the server's own clerks and handlers.
func (s *Server) agencyOf(agency string) string {
	if agency == "" {
		return s.cfg.Agency
	}
	return agency
}

// errNotVisible is what a caller learns of a record that is missing or out
// of their scope: the same error, so a record's existence leaks nothing.
var errNotVisible = archive.NewError(archive.ErrNotFound, "không tìm thấy", "not found")

// visibleRecord returns record id if the caller may see it. A record out of
// the caller's scope is reported exactly like a missing one, after the same
// work: the scope is read and the attempt audited on both paths.
func (s *Server) visibleRecord(r *http.Request, id string) (*archive.Record, error) {
	ctx := r.Context()
	scope, err := s.scopeOf(ctx, userFrom(ctx))
	if err != nil {
		return nil, err
	}
	rec, err := s.cfg.Catalog.Record(ctx, id)
	switch {
	case errors.Is(err, archive.ErrNotFound):
		s.audit(r, "denied", id, "denied", "not found")
		return nil, errNotVisible
	case err != nil:
		return nil, err
	case !scope.Sees(rec.ID, s.agencyOf(rec.Agency), rec.Meta.HolderID):
		s.audit(r, "denied", id, "denied", "out of scope")
		return nil, errNotVisible
	}
	return rec, nil
}

// audit appends an entry for the caller; a failure to audit is logged and
// fails nothing the caller did.
func (s *Server) audit(r *http.Request, action, object, outcome, detail string) {
	e := archive.AuditEvent{Action: action, Object: object, Outcome: outcome, Detail: detail}
	if u := userFrom(r.Context()); u != nil {
		e.Actor, e.Role = u.ID, u.Role
	}
	s.auditAs(r, e)
}

func (s *Server) auditAs(r *http.Request, e archive.AuditEvent) {
	if s.cfg.Auditor == nil {
		return
	}
	if err := s.cfg.Auditor.Log(context.WithoutCancel(r.Context()), e); err != nil {
		s.cfg.Logger.Error("audit", "action", e.Action, "object", e.Object, "err", err)
	}
}

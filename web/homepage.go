package web

import (
	"net/http"

	"github.com/khoso-vn/khoso/archive"
)

// homeLink is one thing the signed-in user can do, on the home screen.
type homeLink struct {
	Key, Href string // message keys "home.KEY" and "home.KEY.desc"; target
}

// homeLinks lists what role can do.
func homeLinks(role archive.Role) []homeLink {
	switch role {
	case archive.RoleClerk:
		return []homeLink{{"batchnew", "/batches/new"}, {"batches", "/batches"}, {"review", "/review"}}
	case archive.RoleHandler:
		return []homeLink{{"search", "/search"}}
	case archive.RoleCitizen:
		return []homeLink{{"me", "/me"}, {"access", "/me/access"}}
	case archive.RoleAuditor:
		return []homeLink{{"audit", "/audit"}}
	case archive.RoleAdmin:
		return []homeLink{{"batchnew", "/batches/new"}, {"batches", "/batches"}, {"review", "/review"}, {"search", "/search"},
			{"audit", "/audit"}, {"users", "/admin/users"}, {"agencies", "/admin/agencies"}, {"status", "/admin/status"}}
	}
	return nil
}

// homePage shows GET /: what the signed-in user can do.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home.html", "home.title", homeLinks(userFrom(r.Context()).Role))
}

package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/khoso-vn/khoso/archive"
)

// adminPageSize is how many users one page of /admin/users lists.
const adminPageSize = 50

// maxAdminForm bounds the body of an administrator's form.
const maxAdminForm = 16 << 10

var (
	errSelfDisable = archive.NewError(errForbidden, "Bạn không thể tự vô hiệu hoá tài khoản của mình",
		"you cannot disable your own account")
	errSelfRole = archive.NewError(errForbidden, "Bạn không thể đổi vai trò của chính mình",
		"you cannot change your own role")
	errLastAdmin = archive.NewError(archive.ErrConflict,
		"Đây là quản trị viên cuối cùng còn hoạt động; hãy tạo hoặc bật một quản trị viên khác trước",
		"this is the last enabled administrator; create or enable another administrator first")
	errTokenName = archive.NewError(archive.ErrInvalid,
		fmt.Sprintf("tên mã truy cập cần có, tối đa %d ký tự", maxTokenName),
		fmt.Sprintf("a token needs a name of at most %d characters", maxTokenName))
	errNoLogin = archive.NewError(archive.ErrInvalid, "Người dùng này không có tên đăng nhập",
		"this user has no login")
)

// usersView is the list of users.
type usersView struct {
	Users      []archive.UserSummary
	Roles      []archive.Role
	Role       string // filter
	Agency     string // filter
	Prev, Next string // paging links
}

// usersPage shows GET /admin/users?role=&agency=&page=.
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := usersView{Roles: Roles, Role: q.Get("role"), Agency: strings.TrimSpace(q.Get("agency"))}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	list, err := s.cfg.Catalog.Users(r.Context(), archive.UserFilter{Role: archive.Role(v.Role), Agency: v.Agency,
		Limit: adminPageSize + 1, Offset: (page - 1) * adminPageSize})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	link := func(p int) string {
		u := url.Values{}
		if v.Role != "" {
			u.Set("role", v.Role)
		}
		if v.Agency != "" {
			u.Set("agency", v.Agency)
		}
		if p > 1 {
			u.Set("page", strconv.Itoa(p))
		}
		return "/admin/users?" + u.Encode()
	}
	if len(list) > adminPageSize {
		list, v.Next = list[:adminPageSize], link(page+1)
	}
	if page > 1 {
		v.Prev = link(page - 1)
	}
	v.Users = list
	s.render(w, r, http.StatusOK, "admin_users.html", "admin.users.title", v)
}

// newUserView is the form that creates a user.
type newUserView struct {
	Roles    []archive.Role
	Agencies []archive.AgencySummary
	Form     userForm
	Error    string
	Field    string // the field at fault
}

// userForm is what the new-user and change forms send.
type userForm struct {
	Role, Name, Agency, HolderID, Login string
}

func readUserForm(r *http.Request) userForm {
	return userForm{Role: r.PostFormValue("role"), Name: r.PostFormValue("name"), Agency: r.PostFormValue("agency"),
		HolderID: r.PostFormValue("holder_id"), Login: r.PostFormValue("login")}
}

// newUserPage shows GET /admin/users/new.
func (s *Server) newUserPage(w http.ResponseWriter, r *http.Request) {
	s.showNewUser(w, r, http.StatusOK, newUserView{Form: userForm{Role: string(archive.RoleClerk)}})
}

func (s *Server) showNewUser(w http.ResponseWriter, r *http.Request, code int, v newUserView) {
	v.Roles = Roles
	agencies, err := s.agencies(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v.Agencies = agencies
	s.render(w, r, code, "admin_user_new.html", "admin.new.title", v)
}

// createUserPage answers POST /admin/users: it creates the user and shows
// their page with the one-time set-password link, when they have a login.
func (s *Server) createUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.readAdminForm(w, r) {
		return
	}
	f := readUserForm(r)
	n := &NewUser{User: archive.User{Role: archive.Role(f.Role), Name: f.Name, Agency: f.Agency, HolderID: f.HolderID},
		Login: strings.TrimSpace(f.Login)}
	field, err := CheckUser(&n.User)
	if err == nil && n.Login != "" {
		if err = CheckLogin(NormalizeLogin(n.Login)); err != nil {
			field = "login"
		}
	}
	var made Created
	if err == nil {
		made, err = CreateUser(r.Context(), s.cfg.Catalog, n, s.now())
		if errors.Is(err, archive.ErrConflict) {
			field = "login"
		}
	}
	if err != nil {
		if code := statusOf(err); code < 500 {
			s.showNewUser(w, r, code, newUserView{Form: f, Field: field, Error: errorText(langOf(r), err, code)})
			return
		}
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "user-create", n.User.ID, "ok", userDetail(&n.User)+loginDetail(n.Login))
	s.showUser(w, r, http.StatusCreated, n.User.ID, userNotice{Created: true, Link: s.absURL(r, made.Link)})
}

func userDetail(u *archive.User) string {
	d := "role=" + string(u.Role)
	if u.Agency != "" {
		d += " agency=" + u.Agency
	}
	if u.HolderID != "" {
		d += " holder_id=" + u.HolderID
	}
	return d + " name=" + strconv.Quote(u.Name)
}

func loginDetail(login string) string {
	if login == "" {
		return ""
	}
	return " login=" + NormalizeLogin(login)
}

// userView is one user's page.
type userView struct {
	User     archive.User
	Login    *archive.Login // nil without a login
	Tokens   []archive.Token
	Roles    []archive.Role
	Agencies []archive.AgencySummary
	Self     bool // the administrator looking is this user
	userNotice
}

// userNotice is what one answer on a user's page shows once.
type userNotice struct {
	Created   bool   // the user was just created
	Link      string // a one-time set-password URL
	Token     string // a new API token
	TokenName string
	Error     string
}

// Fields is the change form's view: the user's values.
func (v userView) Fields() newUserView {
	u := v.User
	return newUserView{Roles: v.Roles, Agencies: v.Agencies,
		Form: userForm{Role: string(u.Role), Name: u.Name, Agency: u.Agency, HolderID: u.HolderID}}
}

// userPage shows GET /admin/users/{id}.
func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	s.showUser(w, r, http.StatusOK, r.PathValue("id"), userNotice{})
}

func (s *Server) showUser(w http.ResponseWriter, r *http.Request, code int, id string, n userNotice) {
	ctx := r.Context()
	u, err := s.cfg.Catalog.User(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := userView{User: *u, Roles: Roles, Self: u.ID == userFrom(ctx).ID, userNotice: n}
	if l, err := s.cfg.Catalog.LoginOf(ctx, id); err == nil {
		v.Login = l
	} else if !errors.Is(err, archive.ErrNotFound) {
		s.writeError(w, r, err)
		return
	}
	if v.Tokens, err = s.cfg.Catalog.Tokens(ctx, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	if v.Agencies, err = s.agencies(ctx); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.render(w, r, code, "admin_user.html", "admin.user.title", v)
}

// failUser shows the user's page with why the change was refused, or the
// error page for a fault or a missing user.
func (s *Server) failUser(w http.ResponseWriter, r *http.Request, id string, err error) {
	code := statusOf(err)
	if code >= 500 || code == http.StatusNotFound {
		s.writeError(w, r, err)
		return
	}
	s.showUser(w, r, code, id, userNotice{Error: errorText(langOf(r), err, code)})
}

// updateUserPage answers POST /admin/users/{id}: a new name, role, agency
// or holder ID, audited with the values before and after.
func (s *Server) updateUserPage(w http.ResponseWriter, r *http.Request) {
	if !s.readAdminForm(w, r) {
		return
	}
	id, f := r.PathValue("id"), readUserForm(r)
	var before, after archive.User
	err := s.changeUser(r.Context(), id, func(u *archive.User) error {
		before = *u
		u.Name, u.Role, u.Agency, u.HolderID = f.Name, archive.Role(f.Role), f.Agency, f.HolderID
		if _, err := CheckUser(u); err != nil {
			return err
		}
		if u.ID == userFrom(r.Context()).ID && u.Role != before.Role {
			return errSelfRole
		}
		after = *u
		return nil
	})
	if err != nil {
		s.failUser(w, r, id, err)
		return
	}
	s.audit(r, "user-update", id, "ok", userDetail(&before)+" → "+userDetail(&after))
	http.Redirect(w, r, "/admin/users/"+url.PathEscape(id), http.StatusSeeOther)
}

// disableUserPage answers POST /admin/users/{id}/disable: the user's
// tokens and sessions stop working at once.
func (s *Server) disableUserPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == userFrom(r.Context()).ID {
		s.failUser(w, r, id, errSelfDisable)
		return
	}
	ended := 0
	err := s.changeUser(r.Context(), id, func(u *archive.User) error {
		if !u.Disabled() {
			u.DisabledAt = s.now()
		}
		return nil
	}, func(tx archive.CatalogTx) (err error) {
		ended, err = tx.DeleteSessions(r.Context(), id)
		return err
	})
	if err != nil {
		s.failUser(w, r, id, err)
		return
	}
	s.audit(r, "user-disable", id, "ok", fmt.Sprintf("%d sessions ended", ended))
	http.Redirect(w, r, "/admin/users/"+url.PathEscape(id), http.StatusSeeOther)
}

// enableUserPage answers POST /admin/users/{id}/enable.
func (s *Server) enableUserPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := s.changeUser(r.Context(), id, func(u *archive.User) error { u.DisabledAt = time.Time{}; return nil })
	if err != nil {
		s.failUser(w, r, id, err)
		return
	}
	s.audit(r, "user-enable", id, "ok", "")
	http.Redirect(w, r, "/admin/users/"+url.PathEscape(id), http.StatusSeeOther)
}

// changeUser applies change to user id and stores it, then runs more, in
// one transaction; it refuses a change that leaves no enabled admin.
func (s *Server) changeUser(ctx context.Context, id string, change func(*archive.User) error, more ...func(archive.CatalogTx) error) error {
	return s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		wasAdmin := u.Role == archive.RoleAdmin && !u.Disabled()
		if err := change(u); err != nil {
			return err
		}
		if wasAdmin && (u.Role != archive.RoleAdmin || u.Disabled()) {
			if err := lastAdminCheck(ctx, tx, id); err != nil {
				return err
			}
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		for _, f := range more {
			if err := f(tx); err != nil {
				return err
			}
		}
		return nil
	})
}

// lastAdminCheck refuses when no enabled admin other than id is left.
func lastAdminCheck(ctx context.Context, tx archive.CatalogTx, id string) error {
	admins, err := tx.Users(ctx, archive.UserFilter{Role: archive.RoleAdmin})
	if err != nil {
		return err
	}
	for _, a := range admins {
		if a.ID != id && !a.Disabled() {
			return nil
		}
	}
	return errLastAdmin
}

// createTokenPage answers POST /admin/users/{id}/tokens: a new named API
// token, shown once on the user's page.
func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request) {
	if !s.readAdminForm(w, r) {
		return
	}
	id, name := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || utf8.RuneCountInString(name) > maxTokenName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		s.failUser(w, r, id, errTokenName)
		return
	}
	token, now := NewAPIToken(), s.now()
	t := &archive.Token{ID: archive.NewID("t", now), UserID: id, Name: name, Hash: TokenHash(token), CreatedAt: now}
	if err := s.cfg.Catalog.Update(r.Context(), func(tx archive.CatalogTx) error { return tx.CreateToken(r.Context(), t) }); err != nil {
		s.failUser(w, r, id, err)
		return
	}
	s.audit(r, "token-create", id, "ok", "token "+t.ID+" "+strconv.Quote(name))
	s.showUser(w, r, http.StatusCreated, id, userNotice{Token: token, TokenName: name})
}

// revokeTokenPage answers POST /admin/tokens/{id}/revoke: the token stops
// working at once.
func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	var t *archive.Token
	err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) (err error) {
		if t, err = tx.Token(ctx, id); err != nil {
			return err
		}
		return tx.RevokeToken(ctx, id, s.now())
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.audit(r, "token-revoke", t.UserID, "ok", "token "+t.ID+" "+strconv.Quote(t.Name))
	http.Redirect(w, r, "/admin/users/"+url.PathEscape(t.UserID), http.StatusSeeOther)
}

// passwordLinkPage answers POST /admin/users/{id}/password-link: a new
// one-time set-password link for a user with a login, shown once.
func (s *Server) passwordLinkPage(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	var link string
	err := s.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error {
		if _, err := tx.LoginOf(ctx, id); errors.Is(err, archive.ErrNotFound) {
			if _, err := tx.User(ctx, id); err != nil {
				return err
			}
			return errNoLogin
		} else if err != nil {
			return err
		}
		var err error
		link, err = NewPasswordLink(ctx, tx, id, s.now())
		return err
	})
	if err != nil {
		s.failUser(w, r, id, err)
		return
	}
	s.audit(r, "password-link", id, "ok", "")
	s.showUser(w, r, http.StatusOK, id, userNotice{Link: s.absURL(r, link)})
}

// readAdminForm reads a form of at most maxAdminForm bytes; a body that
// cannot be read is answered, and false returned.
func (s *Server) readAdminForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxAdminForm)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, archive.Wrap(archive.ErrInvalid, "biểu mẫu không đọc được", "the form cannot be read", err))
		return false
	}
	return true
}

// absURL is path on this server: under Config.PublicURL, else as the
// browser reached it.
func (s *Server) absURL(r *http.Request, path string) string {
	if path == "" {
		return ""
	}
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/") + path
	}
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

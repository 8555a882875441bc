package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// runUser handles `khoso user add`.
func runUser(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "add" {
		return subcommandUsage("user", args, env)
	}
	fs := newFlagSet("user add", env.Stderr)
	s := serverFlags(fs, env)
	role := fs.String("role", "", "vai trò / role: clerk, handler, citizen, auditor, admin")
	name := fs.String("name", "", "họ tên / the person's name")
	agency := fs.String("agency", "", "mã cơ quan / agency code (clerk, handler)")
	holder := fs.String("holder-id", "", "CCCD hoặc mã số thuế / CCCD or tax code (citizen)")
	var login newLogin
	fs.StringVar(&login.name, "login", "", "tên đăng nhập trên trình duyệt / login name to sign in with in a browser")
	fs.StringVar(&login.passwordFile, "password-file", "", "tệp chứa mật khẩu (với --login); không có thì in đường dẫn dùng một lần / "+
		"file holding the password (with --login); without it a one-time link is printed")
	if _, err := parse(fs, args[1:], env); err != nil {
		return err
	}
	n := &web.NewUser{User: archive.User{Name: *name, Role: archive.Role(*role), Agency: *agency, HolderID: *holder},
		Token: true}
	if field, err := web.CheckUser(&n.User); err != nil {
		return fmt.Errorf("--%s: %w", userFlags[field], err)
	}
	if login.passwordFile != "" && login.name == "" {
		return errors.New("--password-file needs --login")
	}
	if login.name != "" {
		if err := login.check(); err != nil {
			return err
		}
		n.Login, n.Password = login.name, login.password
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	st, err := existingStorage(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	made, err := web.CreateUser(ctx, st.catalog, n, time.Now())
	if err != nil {
		return loginError(login.name, err)
	}
	u := n.User
	fmt.Fprintln(env.Stdout, made.Token)
	fmt.Fprintf(env.Stderr, "đã tạo / created %s %q (%s); mã truy cập chỉ in một lần / the token above is shown once\n", u.Role, u.Name, u.ID)
	if made.Link != "" {
		printLink(env, cmp.Or(s.PublicURL, defaultPublicURL), n.Login, made.Link)
	}
	return nil
}

// userFlags are the flags of `khoso user add` by the field web.CheckUser
// names.
var userFlags = map[string]string{"role": "role", "name": "name", "agency": "agency", "holder_id": "holder-id"}

// runAudit handles `khoso audit verify`.
func runAudit(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "verify" {
		return subcommandUsage("audit", args, env)
	}
	fs := newFlagSet("audit verify", env.Stderr)
	s := serverFlags(fs, env)
	if _, err := parse(fs, args[1:], env); err != nil {
		return err
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	return verifyAudit(ctx, s, env)
}

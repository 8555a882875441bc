package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// defaultPublicURL is where one-time links point when KHOSO_PUBLIC_URL is
// not set and no serve address is known.
const defaultPublicURL = "http://127.0.0.1:8080"

// newLogin is a login to give a new user: its name and, from
// --password-file, its password; without a password a one-time link is
// made instead.
type newLogin struct {
	name, passwordFile string
	password           string // read from passwordFile by check
}

// check normalises and validates the login name and reads and validates
// the password.
func (l *newLogin) check() error {
	l.name = web.NormalizeLogin(l.name)
	if err := web.CheckLogin(l.name); err != nil {
		return fmt.Errorf("--login: %w", err)
	}
	if l.passwordFile == "" {
		return nil
	}
	b, err := os.ReadFile(l.passwordFile)
	if err != nil {
		return fmt.Errorf("--password-file: %w", err)
	}
	l.password = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if err := web.CheckPassword(l.name, l.password); err != nil {
		return fmt.Errorf("--password-file: %w", err)
	}
	return nil
}

// loginError names the --login flag in a refusal of the login name.
func loginError(name string, err error) error {
	if name != "" && errors.Is(err, archive.ErrConflict) {
		return fmt.Errorf("--login %s: %w", name, err)
	}
	return err
}

// printLink tells the operator the one-time link to send to the user.
func printLink(env Env, publicURL, login, path string) {
	h := web.PasswordLinkTTL.Hours()
	fmt.Fprintf(env.Stderr, "khoso: liên kết đặt mật khẩu cho %s, dùng một lần trong %g giờ / one-time link for %s to set the password, valid %g hours:\n%s%s\n",
		login, h, login, h, strings.TrimSuffix(publicURL, "/"), path)
}

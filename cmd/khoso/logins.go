package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

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

// store gives user u the login in tx and returns the one-time link's path
// when no password was given ("" otherwise).
func (l *newLogin) store(ctx context.Context, tx archive.CatalogTx, u *archive.User, now time.Time) (string, error) {
	lg := &archive.Login{UserID: u.ID, Name: l.name}
	if l.password != "" {
		h, err := web.HashPassword(l.password)
		if err != nil {
			return "", err
		}
		lg.PasswordHash, lg.PasswordAt = h, now
	}
	if err := tx.PutLogin(ctx, lg); errors.Is(err, archive.ErrConflict) {
		return "", archive.NewError(archive.ErrConflict, fmt.Sprintf("--login %s: tên đăng nhập này đã có người dùng", l.name),
			"this login name is taken")
	} else if err != nil {
		return "", err
	}
	if l.password != "" {
		return "", nil
	}
	return web.NewPasswordLink(ctx, tx, u.ID, now)
}

// printLink tells the operator the one-time link to send to the user.
func printLink(env Env, publicURL, login, path string) {
	h := web.PasswordLinkTTL.Hours()
	fmt.Fprintf(env.Stderr, "khoso: liên kết đặt mật khẩu cho %s, dùng một lần trong %g giờ / one-time link for %s to set the password, valid %g hours:\n%s%s\n",
		login, h, login, h, strings.TrimSuffix(publicURL, "/"), path)
}

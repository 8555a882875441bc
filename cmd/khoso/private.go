package main

import (
	"fmt"
	"os"
	"syscall"
)

// privateDataDir creates the data directory, or tightens an existing one,
// so that only this user can read it: it holds every holder's ID and name,
// the audit log and the signing keys. Files made afterwards by this process
// are private whatever the umask it was started with.
func privateDataDir(dir string) error {
	syscall.Umask(0o077)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("thư mục dữ liệu / data directory: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("thư mục dữ liệu / data directory: %w", err)
	}
	if info.Mode().Perm()&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("thư mục dữ liệu %s cho người khác đọc được (%v) và không thu hẹp được / data directory %s "+
			"can be read by others (%v) and could not be tightened: %w", dir, info.Mode().Perm(), dir, info.Mode().Perm(), err)
	}
	fmt.Fprintf(os.Stderr, "khoso: thư mục dữ liệu %s cho người khác đọc được (%v), đã đặt lại 0700 / "+
		"data directory %s could be read by others (%v); set to 0700\n", dir, info.Mode().Perm(), dir, info.Mode().Perm())
	return nil
}

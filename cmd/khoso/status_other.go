//go:build !unix

package main

import "errors"

// diskSpace is not known on this system.
func diskSpace(dir string) (free, total int64, err error) {
	return 0, 0, errors.New("not measured on this system")
}

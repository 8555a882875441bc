package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/khoso-vn/khoso/ingest"
)

// runManifest writes the XLSX manifest template clerks fill in.
func runManifest(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "template" {
		return subcommandUsage("manifest", args, env)
	}
	fset := newFlagSet("manifest template", env.Stderr)
	out := fset.String("o", "mau-bang-ke.xlsx", "tệp mẫu sẽ ghi / the template file to write")
	pos, err := parse(fset, args[1:], env)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return subcommandUsage("manifest", args, env)
	}
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("ghi mẫu / write template: %w", err)
	}
	fmt.Fprintf(env.Stderr, "đã ghi mẫu bảng kê / wrote the manifest template %s\n", *out)
	return nil
}

// batchManifests are the manifest names looked for in a batch folder
// without --manifest, in order.
var batchManifests = []string{"manifest.csv", "danh-muc.csv", "manifest.xlsx", "danh-muc.xlsx"}

// defaultManifest is the first of batchManifests in dir; without any, the
// first name, so the error names it.
func defaultManifest(dir string) string {
	for _, name := range batchManifests {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
	return filepath.Join(dir, batchManifests[0])
}

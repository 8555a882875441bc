package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
)

// operatorStorage parses an operator command's flags and opens the storage
// it acts on directly.
func operatorStorage(ctx context.Context, name string, args []string, env Env, create bool) (*storage, error) {
	fs := newFlagSet(name, env.Stderr)
	s := serverFlags(fs, env)
	if _, err := parse(fs, args, env); err != nil {
		return nil, err
	}
	if err := s.fromEnv(env); err != nil {
		return nil, err
	}
	if create {
		return openStorage(ctx, s)
	}
	return existingStorage(ctx, s)
}

func runMigrate(ctx context.Context, args []string, env Env) error {
	st, err := operatorStorage(ctx, "migrate", args, env, true)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintln(env.Stderr, "khoso: cơ sở dữ liệu đã cập nhật / database is up to date")
	return nil
}

// copyOf is one of the independent copies fsck checks.
type copyOf struct {
	name  string // "" when there is only one copy
	store archive.BlobStore
}

// storeCopies returns the stores to check: both sides of a mirror.
func storeCopies(bs archive.BlobStore) []copyOf {
	if m, ok := bs.(*archive.Mirror); ok {
		return []copyOf{{"bản chính/primary ", m.Primary}, {"bản sao/replica ", m.Replica}}
	}
	return []copyOf{{"", bs}}
}

// runFsck re-hashes every stored object of every copy, then checks that
// every object the catalog names is in every copy. It names the copy and
// object of each problem and exits non-zero on any.
func runFsck(ctx context.Context, args []string, env Env) error {
	st, err := operatorStorage(ctx, "fsck", args, env, false)
	if err != nil {
		return err
	}
	defer st.Close()
	bad, objects := 0, 0
	for _, c := range storeCopies(st.blobs) {
		err = c.store.Enumerate(ctx, func(ref archive.Ref, size int64) error {
			objects++
			if err := archive.Check(ctx, c.store, ref); err != nil {
				bad++
				fmt.Fprintf(env.Stdout, "HỎNG/CORRUPT %s%s: %v\n", c.name, ref, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	missing, records, err := checkCatalogRefs(ctx, st, env)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "fsck: %d đối tượng/objects, %d hỏng/corrupt; %d hồ sơ/records, %d thiếu/missing\n",
		objects, bad, records, missing)
	if bad+missing > 0 {
		return exitError{1}
	}
	return nil
}

// checkCatalogRefs reports every object the catalog names that a copy lacks.
func checkCatalogRefs(ctx context.Context, st *storage, env Env) (missing, records int, err error) {
	err = st.catalog.Records(ctx, func(r *archive.Record) error {
		records++
		full, err := st.catalog.Record(ctx, r.ID)
		if err != nil {
			return err
		}
		refs := []archive.Ref{r.Unsigned, r.Result}
		for _, p := range full.Pages {
			refs = append(refs, p.Original, p.Normalised)
		}
		for _, c := range storeCopies(st.blobs) {
			for _, ref := range refs {
				if ref == "" {
					continue
				}
				if _, err := c.store.Stat(ctx, ref); errors.Is(err, archive.ErrNotFound) {
					missing++
					fmt.Fprintf(env.Stdout, "THIẾU/MISSING %s%s (record %s)\n", c.name, ref, r.ID)
				} else if err != nil {
					return err
				}
			}
		}
		return nil
	})
	return missing, records, err
}

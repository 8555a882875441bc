package localdisk_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/archivetest"
	"github.com/khoso-vn/khoso/archive/localdisk"
)

func TestBlobStore(t *testing.T) {
	t.Parallel()
	archivetest.TestBlobStore(t, archivetest.BlobHarness{
		New: func(t testing.TB) archive.BlobStore {
			s, err := localdisk.New(localdisk.Config{Dir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		Damage: func(t testing.TB, s archive.BlobStore, ref archive.Ref) {
			p := s.(*localdisk.Store).Path(ref)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0x01
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		},
	})
}

func TestNewRefusesEmptyDir(t *testing.T) {
	t.Parallel()
	if _, err := localdisk.New(localdisk.Config{}); err == nil {
		t.Fatal("New with empty Dir succeeded")
	}
	dir := filepath.Join(t.TempDir(), "nested", "blobs")
	if _, err := localdisk.New(localdisk.Config{Dir: dir}); err != nil {
		t.Fatalf("New on missing dir: %v", err)
	}
}

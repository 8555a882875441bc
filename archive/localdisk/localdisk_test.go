package localdisk_test

import (
	"context"
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

// TestMirror runs the suite on two local stores mirrored, damaging the
// primary copy.
func TestMirror(t *testing.T) {
	t.Parallel()
	newDisk := func(t testing.TB) *localdisk.Store {
		s, err := localdisk.New(localdisk.Config{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	archivetest.TestBlobStore(t, archivetest.BlobHarness{
		New: func(t testing.TB) archive.BlobStore {
			return &archive.Mirror{Primary: newDisk(t), Replica: newDisk(t)}
		},
		Damage: func(t testing.TB, s archive.BlobStore, ref archive.Ref) {
			p := s.(*archive.Mirror).Primary.(*localdisk.Store).Path(ref)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[0] ^= 0x01
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		},
	})
}

func TestMirrorCopiesToReplica(t *testing.T) {
	t.Parallel()
	primary, _ := localdisk.New(localdisk.Config{Dir: t.TempDir()})
	replica, _ := localdisk.New(localdisk.Config{Dir: t.TempDir()})
	m := &archive.Mirror{Primary: primary, Replica: replica}
	ref, err := archive.PutBytes(context.Background(), m, []byte("giấy phép"))
	if err != nil {
		t.Fatal(err)
	}
	if err := archive.Check(context.Background(), replica, ref); err != nil {
		t.Fatalf("replica: %v", err)
	}
	os.Remove(primary.Path(ref))
	if got, err := archive.ReadAll(context.Background(), m, ref); err != nil || string(got) != "giấy phép" {
		t.Fatalf("read after losing the primary copy: %q, %v", got, err)
	}
}

func TestAnchorer(t *testing.T) {
	t.Parallel()
	archivetest.TestAnchorer(t, func(t testing.TB) archive.BlobStore {
		s, err := localdisk.New(localdisk.Config{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestMirrorAnchorer runs the anchor suite on two local stores mirrored.
func TestMirrorAnchorer(t *testing.T) {
	t.Parallel()
	archivetest.TestAnchorer(t, func(t testing.TB) archive.BlobStore {
		primary, _ := localdisk.New(localdisk.Config{Dir: t.TempDir()})
		replica, _ := localdisk.New(localdisk.Config{Dir: t.TempDir()})
		return &archive.Mirror{Primary: primary, Replica: replica}
	})
}

// TestAnchorFiles: anchors are files of mode 0600 in a 0700 folder, and
// a mirror keeps an anchor its primary lost.
func TestAnchorFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	primary, _ := localdisk.New(localdisk.Config{Dir: t.TempDir()})
	replica, _ := localdisk.New(localdisk.Config{Dir: t.TempDir()})
	m := &archive.Mirror{Primary: primary, Replica: replica}
	if err := m.PutAnchor(ctx, "audit-1", []byte("cp")); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*localdisk.Store{primary, replica} {
		fi, err := os.Stat(s.AnchorPath("audit-1"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("anchor file: %v, %v; want mode 0600", fi, err)
		}
		if di, _ := os.Stat(filepath.Dir(s.AnchorPath("audit-1"))); di.Mode().Perm() != 0o700 {
			t.Errorf("anchor folder mode %v, want 0700", di.Mode().Perm())
		}
	}
	os.Remove(primary.AnchorPath("audit-1"))
	got, err := m.NewestAnchors(ctx, 1)
	if err != nil || len(got) != 1 || string(got[0].Data) != "cp" {
		t.Fatalf("NewestAnchors after losing the primary's copy = %+v, %v", got, err)
	}
}

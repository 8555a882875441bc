package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/khoso-vn/khoso/archive"
)

// download is a stored object to send: its address, version and the file
// name the client saves it under.
type download struct {
	ref      archive.Ref
	version  string
	filename string
}

// serveBlob streams a stored object, hashing it as it goes. The last chunk
// is held back until the whole object has hashed to its address; on a
// mismatch the response is cut short of its Content-Length, so no client
// can take a damaged body as complete. A missing or damaged object is a
// server fault that says so, never a 404: the record exists.
func (s *Server) serveBlob(w http.ResponseWriter, r *http.Request, d download) error {
	rc, size, err := archive.OpenChecked(r.Context(), s.cfg.Blobs, d.ref, d.version)
	if err != nil {
		if errors.Is(err, archive.ErrNotFound) || errors.Is(err, archive.ErrCorrupt) {
			s.damaged(d.ref, err)
			return fmt.Errorf("web: open %s: %w: %w", d.ref, errDamaged, err)
		}
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Content-Disposition", contentDisposition(d.filename))
	h.Set("Digest", "sha-256="+d.ref.Hex())
	if err := copyHoldingLast(w, rc); err != nil {
		if errors.Is(err, archive.ErrCorrupt) || errors.Is(err, io.ErrUnexpectedEOF) {
			s.damaged(d.ref, err)
		}
		s.cfg.Logger.Warn("download cut", "ref", d.ref, "err", err)
		panic(http.ErrAbortHandler) // end the connection: the body is short of its Content-Length
	}
	return nil
}

// damaged logs a stored object found missing or damaged and tells Damaged.
func (s *Server) damaged(ref archive.Ref, err error) {
	s.cfg.Logger.Error("stored object damaged", "ref", ref, "err", err)
	if s.cfg.Damaged != nil {
		s.cfg.Damaged(ref)
	}
}

// copyHoldingLast copies src to w, holding each chunk back until the next
// read has succeeded, and writing the last only when src ended with io.EOF.
func copyHoldingLast(w io.Writer, src io.Reader) error {
	buf := make([]byte, 64<<10)
	held := make([]byte, 0, len(buf))
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if len(held) > 0 {
				if _, werr := w.Write(held); werr != nil {
					return werr
				}
			}
			held = append(held[:0], buf[:n]...)
		}
		if err == io.EOF {
			_, werr := w.Write(held)
			return werr
		}
		if err != nil {
			return err
		}
	}
}

// contentDisposition names a download: an ASCII fallback and the UTF-8 name
// (RFC 6266).
func contentDisposition(name string) string {
	ascii := make([]rune, 0, len(name))
	for _, c := range foldASCII(name) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			ascii = append(ascii, c)
		default:
			ascii = append(ascii, '_')
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, string(ascii), url.PathEscape(name))
}

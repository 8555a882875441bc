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
// name the client saves it under, or, for what a page shows inline, its
// media type and whether it may be cached for good.
type download struct {
	ref      archive.Ref
	version  string
	filename string // saved as an attachment under this name; "" shows it inline
	// contentType is its media type; default application/pdf.
	contentType string
	// immutable marks content that never changes under its URL: it is
	// cached privately for a year, with the ref as its ETag.
	immutable bool
}

// immutableCache is the Cache-Control of content that never changes.
const immutableCache = "private, max-age=31536000, immutable"

// etag is the entity tag of an object: its address, quoted.
func etag(ref archive.Ref) string { return `"` + ref.String() + `"` }

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
	setBlobHeaders(h, d, size)
	wrote, err := copyHoldingLast(w, rc)
	if err == nil {
		return nil
	}
	corrupt := errors.Is(err, archive.ErrCorrupt) || errors.Is(err, io.ErrUnexpectedEOF)
	if corrupt {
		s.damaged(d.ref, err)
	}
	if !wrote && corrupt {
		// Nothing sent yet (an object smaller than a chunk): answer the
		// fault as such, without the object's headers.
		for _, k := range []string{"Content-Type", "Content-Length", "Content-Disposition", "Digest", "ETag", "Cache-Control"} {
			h.Del(k)
		}
		return fmt.Errorf("web: read %s: %w: %w", d.ref, errDamaged, err)
	}
	s.cfg.Logger.Warn("download cut", "ref", d.ref, "err", err)
	panic(http.ErrAbortHandler) // end the connection: the body is short of its Content-Length
}

// setBlobHeaders describes d, of size bytes, in h.
func setBlobHeaders(h http.Header, d download, size int64) {
	ct := d.contentType
	if ct == "" {
		ct = "application/pdf"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if d.filename != "" {
		h.Set("Content-Disposition", contentDisposition(d.filename))
	} else {
		h.Set("Content-Disposition", "inline")
	}
	h.Set("Digest", "sha-256="+d.ref.Hex())
	if d.immutable {
		h.Set("Cache-Control", immutableCache)
		h.Set("ETag", etag(d.ref))
	}
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
// wrote reports whether anything reached w.
func copyHoldingLast(w io.Writer, src io.Reader) (wrote bool, err error) {
	buf := make([]byte, 64<<10)
	held := make([]byte, 0, len(buf))
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if len(held) > 0 {
				wrote = true
				if _, werr := w.Write(held); werr != nil {
					return wrote, werr
				}
			}
			held = append(held[:0], buf[:n]...)
		}
		if err == io.EOF {
			_, werr := w.Write(held)
			return true, werr
		}
		if err != nil {
			return wrote, err
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

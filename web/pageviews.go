package web

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"net/http"
	"strconv"
	"sync"

	"github.com/khoso-vn/khoso/archive"
)

// pageImage names one of the reduced copies of a page made at ingest.
type pageImage struct {
	name string                         // thumb or preview
	ref  func(archive.Page) archive.Ref // where the page keeps it
	long int                            // the placeholder's long side, in pixels
}

var (
	thumbView   = pageImage{"thumb", func(p archive.Page) archive.Ref { return p.Thumb }, 200}
	previewView = pageImage{"preview", func(p archive.Page) archive.Ref { return p.Preview }, 1000}
)

// getThumb serves a page's thumbnail (GET …/pages/{n}/thumb).
func (s *Server) getThumb(w http.ResponseWriter, r *http.Request) { s.servePageView(w, r, thumbView) }

// getPreview serves a page's larger preview (GET …/pages/{n}/preview).
func (s *Server) getPreview(w http.ResponseWriter, r *http.Request) {
	s.servePageView(w, r, previewView)
}

// servePageView streams page {n}'s view of record {id}, a JPEG stored at
// ingest, to a caller who may see the record; a page out of range answers
// as a missing record does. The content never changes under its URL, so it
// is cached for good, its ref the ETag. A page normalised before views
// were made gets a plain placeholder that is not cached, and, when
// Config.MakeViews is set, its record's views are asked for.
func (s *Server) servePageView(w http.ResponseWriter, r *http.Request, v pageImage) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(rec.Pages) {
		s.writeError(w, r, errNotVisible)
		return
	}
	ref := v.ref(rec.Pages[n-1])
	if ref == "" {
		s.servePlaceholder(w, r, rec, v)
		return
	}
	if match := r.Header.Get("If-None-Match"); match != "" && match == etag(ref) {
		w.Header().Set("ETag", etag(ref))
		w.Header().Set("Cache-Control", immutableCache)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if err := s.serveBlob(w, r, download{ref: ref, contentType: "image/jpeg", immutable: true}); err != nil {
		s.writeError(w, r, err)
	}
}

// servePlaceholder answers for a page without views: a blank A4-shaped
// JPEG, revalidated on every use so that the real view shows once made.
func (s *Server) servePlaceholder(w http.ResponseWriter, r *http.Request, rec *archive.Record, v pageImage) {
	if s.cfg.MakeViews != nil {
		if err := s.cfg.MakeViews(r.Context(), rec.ID); err != nil {
			s.cfg.Logger.Warn("page views not asked for", "record", rec.ID, "err", err)
		}
	}
	data := placeholder(v.long)
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "no-cache")
	w.Write(data)
}

// placeholders holds one placeholder JPEG per long side, made once.
var placeholders sync.Map // int → []byte

// placeholder returns a light gray A4 portrait JPEG long pixels high.
func placeholder(long int) []byte {
	if b, ok := placeholders.Load(long); ok {
		return b.([]byte)
	}
	img := image.NewGray(image.Rect(0, 0, long*1654/2339, long))
	draw.Draw(img, img.Rect, image.NewUniform(color.Gray{Y: 235}), image.Point{}, draw.Src)
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 50}) // cannot fail on a gray image in memory
	b, _ := placeholders.LoadOrStore(long, buf.Bytes())
	return b.([]byte)
}

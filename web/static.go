package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
)

// staticFS holds the pages' stylesheet and script; nothing is fetched from
// elsewhere at run time.
//
//go:embed static
var staticFS embed.FS

// assetHashes maps each static file's name to the first 12 hex digits of
// its SHA-256, which its URL carries: a changed file gets a new URL, so
// every URL can be cached for a year.
var assetHashes = mustHashAssets()

func mustHashAssets() map[string]string {
	out := map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path.Base(p)] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// assetURL is the URL of static file name: /static/HASH/name.
func assetURL(name string) string { return "/static/" + assetHashes[name] + "/" + name }

// serveStatic answers GET /static/{hash}/{name}: the file when hash is its
// current one, cached for a year, else 404.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	h, ok := assetHashes[name]
	if !ok || h != r.PathValue("hash") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeFileFS(w, r, staticFS, "static/"+name)
}

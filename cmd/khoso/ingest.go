package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/web"
)

func runIngest(ctx context.Context, args []string, env Env) error {
	fset := newFlagSet("ingest", env.Stderr)
	server := clientFlags(fset, env)
	manifest := fset.String("manifest", "", "bảng kê CSV hoặc XLSX / manifest CSV or XLSX (default DIR/manifest.csv, danh-muc.csv, manifest.xlsx or danh-muc.xlsx)")
	wait := fset.Bool("wait", false, "chờ mọi tài liệu xong rồi in trạng thái / wait until every document is done, then print each one's state")
	retry := fset.String("retry-failed", "", "gửi lại chỉ các dòng lỗi của lô này, từ cùng thư mục và bảng kê / send again only the failed rows of this batch, from the same folder and manifest")
	agency := fset.String("agency", "", "mã cơ quan của lô (quản trị viên; mặc định của máy chủ) / the agency the batch belongs to (admins; default the server's, KHOSO_AGENCY_CODE)")
	pos, err := parse(fset, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("cần đúng một thư mục lô / give exactly one batch DIR")
	}
	dir := pos[0]
	if *manifest == "" {
		*manifest = defaultManifest(dir)
	}
	files, err := batchFiles(dir, *manifest)
	if err != nil {
		return err
	}
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	rows := ""
	if *retry != "" {
		if rows, files, err = failedRows(ctx, c, *retry, *manifest, files); err != nil {
			return err
		}
		if rows == "" {
			fmt.Fprintf(env.Stderr, "lô/batch %s: không có dòng lỗi / no failed rows\n", *retry)
			return nil
		}
		fmt.Fprintf(env.Stderr, "gửi lại các dòng lỗi / sending the failed rows again: %s\n", rows)
	}
	fmt.Fprintf(env.Stderr, "đang gửi / sending %d tệp/files from %s\n", len(files), dir)
	b, err := upload(ctx, c, dir, *manifest, *agency, rows, files, env)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "batch %s\n", b.Batch.ID)
	if *wait {
		if b, err = waitBatch(ctx, c, b.Batch.ID, env); err != nil {
			return err
		}
	}
	return printBatch(env, b)
}

// batchFiles lists the files under dir to send, as slash paths relative to
// dir: every regular file except hidden ones and the manifest itself.
func batchFiles(dir, manifest string) ([]string, error) {
	absManifest, _ := filepath.Abs(manifest)
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if abs, _ := filepath.Abs(p); abs == absManifest {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("đọc thư mục lô / read batch folder: %w", err)
	}
	return out, nil
}

// failedRows reads from the server the rows of batch id whose documents
// failed, comma separated ("" when none did), and the files among files
// that those rows of manifest name.
func failedRows(ctx context.Context, c *client, id, manifest string, files []string) (string, []string, error) {
	var b web.BatchResponse
	if err := c.getJSON(ctx, "/api/v1/batches/"+url.PathEscape(id), &b); err != nil {
		return "", nil, err
	}
	failed := map[int]bool{}
	var nums []string
	for _, r := range b.Records {
		if r.Status == archive.StatusFailed && r.Row >= 2 && !failed[r.Row] { // row 1 is the header
			failed[r.Row] = true
			nums = append(nums, strconv.Itoa(r.Row))
		}
	}
	if len(nums) == 0 {
		return "", nil, nil
	}
	f, err := os.Open(manifest)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	all, err := ingest.ParseManifest(f)
	if err != nil {
		return "", nil, err
	}
	var rows []ingest.Row
	for _, r := range all {
		if failed[r.Line] {
			rows = append(rows, r)
		}
	}
	return strings.Join(nums, ","), ingest.FilesOf(rows, files), nil
}

// upload streams the manifest and files as one multipart request, each file
// with its SHA-256 so the server refuses bytes damaged on the way.
// A non-empty agency is sent as the query parameter agency.
// A non-empty rows (row numbers, comma separated) sends only those rows.
func upload(ctx context.Context, c *client, dir, manifest, agency, rows string, files []string, env Env) (*web.BatchResponse, error) {
	total := int64(0)
	for _, f := range files {
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
			total += fi.Size()
		}
	}
	pr, pw := io.Pipe()
	progress := &uploadProgress{w: pw, total: total, out: env.Stderr}
	mw := multipart.NewWriter(progress)
	go func() {
		err := writeParts(mw, dir, manifest, rows, files)
		progress.done()
		pw.CloseWithError(err)
	}()
	path := "/api/v1/batches"
	if agency != "" {
		path += "?" + url.Values{"agency": {agency}}.Encode()
	}
	resp, err := c.do(ctx, http.MethodPost, path, mw.FormDataContentType(), pr)
	pr.Close()
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var b web.BatchResponse
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		return nil, fmt.Errorf("đọc câu trả lời của máy chủ / read the server's answer: %w", err)
	}
	return &b, nil
}

func writeParts(mw *multipart.Writer, dir, manifest, rows string, files []string) error {
	if rows != "" {
		if err := mw.WriteField("rows", rows); err != nil {
			return err
		}
	}
	if err := writeFilePart(mw, "manifest", filepath.Base(manifest), manifest); err != nil {
		return err
	}
	for _, f := range files {
		if err := writeFilePart(mw, "file", f, filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			return err
		}
	}
	return mw.Close()
}

func writeFilePart(mw *multipart.Writer, field, name, path string) error {
	sum, err := fileSHA256(path)
	if err != nil {
		return err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition(field, name))
	h.Set("Content-Type", "application/octet-stream")
	h.Set(web.HeaderSHA256, sum)
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// uploadProgress counts the bytes sent and redraws a line each MiB.
type uploadProgress struct {
	w           io.Writer
	out         io.Writer
	total, sent int64
	shown       int64
}

func (p *uploadProgress) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.sent += int64(n)
	if p.sent-p.shown >= 1<<20 {
		p.show()
	}
	return n, err
}

func (p *uploadProgress) show() {
	p.shown = p.sent
	fmt.Fprintf(p.out, "\rđã gửi / sent %.1f / %.1f MiB", float64(p.sent)/(1<<20), float64(p.total)/(1<<20))
}

func (p *uploadProgress) done() {
	p.show()
	fmt.Fprintln(p.out)
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

func runSearch(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("search", env.Stderr)
	server := clientFlags(fs, env)
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON / print the matching records as JSON, for scripts")
	typ := fs.String("type", "", "mã loại giấy tờ / document-type code")
	holder := fs.String("holder", "", "số định danh chủ hồ sơ / holder ID (CCCD, tax code)")
	resultType := fs.String("result-type", "", "mã kết quả, ví dụ KQ.G15.000031 / result type code, such as KQ.G15.000031")
	from := fs.String("issued-from", "", "cấp từ ngày / issued on or after YYYY-MM-DD")
	to := fs.String("issued-to", "", "cấp đến ngày / issued on or before YYYY-MM-DD")
	limit := fs.Int("limit", 20, "số kết quả tối đa / at most this many results")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	q := url.Values{"q": {strings.Join(pos, " ")}, "type": {*typ}, "holder": {*holder}, "result_type": {*resultType},
		"issued_from": {*from}, "issued_to": {*to}, "limit": {strconv.Itoa(*limit)}}
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	var res web.SearchResponse
	if err := c.getJSON(ctx, "/api/v1/search?"+q.Encode(), &res); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.Records)
	}
	for _, r := range res.Records {
		m := r.Meta
		fmt.Fprintf(env.Stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, m.Number, m.DocName, m.HolderName,
			m.IssuedOn.Format("02/01/2006"), m.Issuer)
	}
	fmt.Fprintf(env.Stderr, "%d kết quả/results (hiển thị/showing %d)\n", res.Total, len(res.Records))
	return nil
}

func runGet(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("get", env.Stderr)
	server := clientFlags(fs, env)
	out := fs.String("o", "", "ghi PDF vào tệp này / write the PDF to this file (default RECORD_ID.pdf)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("cần đúng một mã hồ sơ / give exactly one RECORD_ID")
	}
	if *out == "" {
		*out = pos[0] + ".pdf"
	}
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, http.MethodGet, "/api/v1/records/"+url.PathEscape(pos[0])+"/pdf", "", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return writeDownload(*out, resp, env)
}

// writeDownload writes a downloaded PDF to path through a temporary file,
// hashing it on the way, and keeps it only when it is whole and hashes to
// the SHA-256 the server's Digest header names: an interrupted or damaged
// download never lands under the name.
func writeDownload(path string, resp *http.Response, env Env) error {
	want, ok := strings.CutPrefix(resp.Header.Get("Digest"), "sha-256=")
	if !ok {
		return errors.New("máy chủ không gửi mã băm SHA-256 (Digest) của tệp / the server sent no SHA-256 (Digest) of the file")
	}
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), resp.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("nhận %d trên %d byte / got %d of %d bytes", n, resp.ContentLength, n, resp.ContentLength)
	}
	if got := hex.EncodeToString(h.Sum(nil)); err == nil && got != want {
		err = fmt.Errorf("nội dung không khớp mã băm của máy chủ / the content does not match the server's SHA-256 (got %s, want %s)", got, want)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("tải về thất bại, không ghi tệp / download failed, nothing written: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "đã ghi / wrote %s (%d bytes, SHA-256 %s)\n", path, n, want)
	return nil
}

func runVerify(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("verify", env.Stderr)
	server := clientFlags(fs, env)
	asJSON := fs.Bool("json", false, "in báo cáo dạng JSON / print the report as JSON")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("cần đúng một tệp PDF / give exactly one FILE")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, http.MethodPost, "/api/v1/verify", "application/pdf", f)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var v web.VerifyResponse
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return fmt.Errorf("đọc câu trả lời của máy chủ / read the server's answer: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(v)
	} else {
		printVerify(env.Stdout, pos[0], &v)
	}
	if !v.Report.Valid || len(v.Report.Signatures) == 0 {
		return exitError{1}
	}
	return nil
}

func printVerify(w io.Writer, name string, v *web.VerifyResponse) {
	fmt.Fprintf(w, "%s\nSHA-256 %s\n%s\n", name, v.SHA256, strings.TrimRight(v.Text, "\n"))
	if len(v.Records) > 0 {
		fmt.Fprintf(w, "kho này lưu đúng tệp này / this repository holds this exact document: %s\n", strings.Join(v.Records, ", "))
	}
	for _, c := range v.Copies {
		vi, en := copyFormNames(c.Form)
		fmt.Fprintf(w, "kho này lưu đúng tệp này: bản sao %s mã %s của hồ sơ %s / this repository holds this exact document: certified copy (%s) code %s of record %s\n",
			vi, c.Code, c.RecordID, en, c.Code, c.RecordID)
		if !c.Current {
			fmt.Fprintln(w, "  tệp của bản sao trước lần gia hạn dấu thời gian, vẫn là bản đã cấp / the copy's file before a time-stamp renewal: still as issued")
		}
	}
	if !v.Held {
		fmt.Fprintln(w, "kho này KHÔNG lưu tệp này (hoặc tệp đã bị thay đổi) / this repository does NOT hold this document (or it was changed)")
	}
}

// copyFormNames names a copy form in Vietnamese and in English.
func copyFormNames(form string) (vi, en string) {
	switch form {
	case archive.FormSaoY:
		return "SAO Y", "full copy, sao y"
	case archive.FormTrichSao:
		return "TRÍCH SAO", "extract, trích sao"
	}
	return form, form
}

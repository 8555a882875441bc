package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// runCopy asks the server for a certified copy, writes it and prints its
// verification code.
func runCopy(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("copy", env.Stderr)
	server := clientFlags(fs, env)
	form := fs.String("form", archive.FormSaoY, "sao-y (cả văn bản / whole document) hoặc/or trich-sao (trích / extract)")
	pages := fs.String("pages", "", "trang trích sao / the pages of a trich-sao, e.g. 1-2,4")
	forName := fs.String("for", "", "cấp cho ai (bắt buộc) / whom the copy is issued for (required)")
	purpose := fs.String("purpose", "", "mục đích / what it is for")
	out := fs.String("o", "", "ghi PDF vào tệp này / write the PDF to this file (default CODE.pdf)")
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("cần đúng một mã hồ sơ / give exactly one RECORD_ID")
	}
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(web.CopyRequest{Form: *form, Pages: *pages, For: *forName, Purpose: *purpose})
	resp, err := c.do(ctx, http.MethodPost, "/api/v1/records/"+url.PathEscape(pos[0])+"/copies", "application/json",
		bytes.NewReader(body))
	if err != nil {
		return err
	}
	var cp archive.Copy
	err = json.NewDecoder(resp.Body).Decode(&cp)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("đọc câu trả lời của máy chủ / read the server's answer: %w", err)
	}
	if *out == "" {
		*out = cp.Code + ".pdf"
	}
	pdf, err := c.do(ctx, http.MethodGet, "/api/v1/copies/"+url.PathEscape(cp.Code)+"/pdf", "", nil)
	if err != nil {
		return err
	}
	defer pdf.Body.Close()
	if err := writeDownload(*out, pdf, env); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, cp.Code)
	fmt.Fprintf(env.Stderr, "mã xác thực / verification code %s: %s/verify/%s\n", cp.Code, c.base, cp.Code)
	return nil
}

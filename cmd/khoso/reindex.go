package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/khoso-vn/khoso/web"
)

// runReindex asks the server to rebuild its search index from the catalog;
// the server keeps answering searches while it does.
func runReindex(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("reindex", env.Stderr)
	server := clientFlags(fs, env)
	if _, err := parse(fs, args, env); err != nil {
		return err
	}
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "đang dựng lại chỉ mục / rebuilding the search index…")
	resp, err := c.do(ctx, http.MethodPost, "/api/v1/reindex", "", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r web.ReindexResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("đọc câu trả lời của máy chủ / read the server's answer: %w", err)
	}
	fmt.Fprintf(env.Stdout, "%d hồ sơ/records in %.1fs (%.0f/s), %.1f MiB\n", r.Records, r.Seconds,
		float64(r.Records)/max(r.Seconds, 1e-9), float64(r.Bytes)/(1<<20))
	return nil
}

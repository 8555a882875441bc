package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// client talks to a khoso server.
type client struct {
	base  string
	token string
	http  *http.Client
}

// clientFlags registers --server; the token comes from KHOSO_TOKEN.
func clientFlags(fs *flag.FlagSet, env Env) *string {
	return fs.String("server", envOr(env, "KHOSO_SERVER", "http://127.0.0.1:8080"), "máy chủ khoso / khoso server (KHOSO_SERVER)")
}

func newClient(server string, env Env) (*client, error) {
	token, err := secret(env, "KHOSO_TOKEN")
	if err != nil {
		return nil, err
	}
	return &client{base: strings.TrimRight(server, "/"), token: token, http: &http.Client{}}, nil
}

// do sends a request and returns the response when its status is 2xx;
// otherwise the server's error message.
func (c *client) do(ctx context.Context, method, path, contentType string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("không kết nối được máy chủ / cannot reach the server: %w", err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var e web.Error
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if json.Unmarshal(b, &e) == nil && e.Error != "" {
		return nil, fmt.Errorf("%s (HTTP %d)", e.Error, resp.StatusCode)
	}
	return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
}

// getJSON decodes a JSON answer into v.
func (c *client) getJSON(ctx context.Context, path string, v any) error {
	resp, err := c.do(ctx, http.MethodGet, path, "", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

func runBatch(ctx context.Context, args []string, env Env) error {
	fs := newFlagSet("batch", env.Stderr)
	server := clientFlags(fs, env)
	pos, err := parse(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("cần đúng một mã lô / give exactly one BATCH_ID")
	}
	c, err := newClient(*server, env)
	if err != nil {
		return err
	}
	var b web.BatchResponse
	if err := c.getJSON(ctx, "/api/v1/batches/"+pos[0], &b); err != nil {
		return err
	}
	return printBatch(env, &b)
}

// printBatch prints one line per document, with its reason. It fails
// (exit 1) when any document failed, and otherwise exits 3 when any waits
// for a clerk to complete its metadata.
func printBatch(env Env, b *web.BatchResponse) error {
	failed, waiting := 0, 0
	for _, r := range b.Records {
		line := fmt.Sprintf("%s\tdòng/row %d%s\t%s", r.ID, r.Row, recordOf(r), r.Status)
		switch r.Status {
		case archive.StatusFailed:
			failed++
		case archive.StatusNeedsMetadata:
			waiting++
			line += "\tchờ bổ sung thông tin/waiting for metadata"
		}
		if r.Reason != "" {
			line += "\t" + r.Reason
		}
		if len(r.Notes) > 0 {
			line += "\t" + strings.Join(r.Notes, "; ")
		}
		if r.Waiting != "" {
			line += "\t" + r.Waiting
		}
		fmt.Fprintln(env.Stdout, line)
	}
	fmt.Fprintf(env.Stderr, "lô/batch %s: %d tài liệu/documents, %d sẵn sàng/available, %d lỗi/failed, "+
		"%d chờ bổ sung thông tin/waiting for metadata\n", b.Batch.ID, b.Batch.Total,
		b.Batch.Counts[archive.StatusAvailable], b.Batch.Counts[archive.StatusFailed], b.Batch.Counts[archive.StatusNeedsMetadata])
	switch {
	case failed > 0:
		return exitError{1}
	case waiting > 0:
		fmt.Fprintln(env.Stderr, "hãy bổ sung thông tin tại /review rồi chạy khoso batch để xem lại / "+
			"complete their metadata at /review, then run khoso batch to see the batch again")
		return exitError{3}
	}
	return nil
}

// recordOf names the paper document of r for the report, after its row:
// " [number, holder name, holder ID]", "" when the manifest gave none.
func recordOf(r web.RecordState) string {
	var who []string
	for _, v := range []string{r.Number, r.HolderName, r.HolderID} {
		if v != "" {
			who = append(who, v)
		}
	}
	if len(who) == 0 {
		return ""
	}
	return " [" + strings.Join(who, ", ") + "]"
}

// waitBatch polls a batch until every document is final, drawing progress.
func waitBatch(ctx context.Context, c *client, id string, env Env) (*web.BatchResponse, error) {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		var b web.BatchResponse
		if err := c.getJSON(ctx, "/api/v1/batches/"+id, &b); err != nil {
			return nil, err
		}
		c := b.Batch.Counts
		done := c[archive.StatusAvailable] + c[archive.StatusFailed] + c[archive.StatusNeedsMetadata]
		line := fmt.Sprintf("\r%s %d/%d xong/done (%d lỗi/failed, %d chờ bổ sung thông tin/waiting for metadata)",
			bar(done, b.Batch.Total), done, b.Batch.Total, c[archive.StatusFailed], c[archive.StatusNeedsMetadata])
		if line != last {
			fmt.Fprint(env.Stderr, line)
			last = line
		}
		if b.Batch.Done() {
			fmt.Fprintln(env.Stderr)
			return &b, nil
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(env.Stderr)
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

func bar(done, total int) string {
	const width = 30
	n := width
	if total > 0 {
		n = done * width / total
	}
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

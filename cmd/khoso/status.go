package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime/debug"

	"github.com/khoso-vn/khoso/web"
)

// queueStats counts River's jobs by queue and state, for the status screen.
func queueStats(db *sql.DB) func(context.Context) ([]web.QueueCount, error) {
	return func(ctx context.Context) ([]web.QueueCount, error) {
		rows, err := db.QueryContext(ctx, `SELECT queue, CAST(state AS TEXT), COUNT(*) FROM river_job GROUP BY queue, state`)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		defer rows.Close()
		var out []web.QueueCount
		for rows.Next() {
			var c web.QueueCount
			if err := rows.Scan(&c.Queue, &c.State, &c.Count); err != nil {
				return nil, fmt.Errorf("queue: %w", err)
			}
			out = append(out, c)
		}
		return out, rows.Err()
	}
}

// storageStatus describes the blob store the settings name and the space
// left on the data directory's volume.
func storageStatus(s *settings) func(context.Context) (web.StorageInfo, error) {
	kind := blobKind(s.BlobURL, s.Data)
	if s.ReplicaURL != "" {
		kind += " + bản sao / replica " + blobKind(s.ReplicaURL, s.Data)
	}
	return func(ctx context.Context) (web.StorageInfo, error) {
		info := web.StorageInfo{Kind: kind}
		var err error
		if info.FreeBytes, info.TotalBytes, err = diskSpace(s.Data); err != nil {
			return info, fmt.Errorf("free space of %s: %w", s.Data, err)
		}
		return info, nil
	}
}

// blobKind names a blob URL for people, without credentials.
func blobKind(raw, data string) string {
	if raw == "" {
		return "ổ đĩa cục bộ / local disk " + filepath.Join(data, "blobs")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	switch u.Scheme {
	case "file":
		return "ổ đĩa cục bộ / local disk " + u.Host + u.Path
	case "s3":
		ep, _ := url.Parse(u.Query().Get("endpoint"))
		host := ""
		if ep != nil {
			host = ep.Scheme + "://" + ep.Host
		}
		return "S3 bucket " + u.Host + " tại / at " + host
	}
	return u.Scheme
}

// version is the binary's module version, or its VCS revision.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return cmp.Or(v, "(devel)") + " " + s.Value[:12]
		}
	}
	return v
}

package scanbench

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// PagesPerDoc is the size of each document in the benchmark.
const PagesPerDoc = 4

// Docs splits pages into documents of PagesPerDoc pages.
func Docs(pages []string) [][]string {
	var docs [][]string
	for i := 0; i < len(pages); i += PagesPerDoc {
		docs = append(docs, pages[i:min(i+PagesPerDoc, len(pages))])
	}
	return docs
}

// Ingest normalises and assembles each document into outDir/docN.pdf,
// workers documents at a time, each page read, normalised and written to
// the PDF before the next is read. It returns the bytes written.
func Ingest(docs [][]string, outDir string, workers int) (int64, error) {
	var mu sync.Mutex
	var total int64
	var first error
	var wg sync.WaitGroup
	work := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				n, err := ingestDoc(docs[i], filepath.Join(outDir, fmt.Sprintf("doc%04d.pdf", i)))
				mu.Lock()
				total += n
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for i := range docs {
		work <- i
	}
	close(work)
	wg.Wait()
	return total, first
}

// ingestDoc streams one document's pages into a PDF file.
func ingestDoc(pages []string, out string) (int64, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := assemble.NewWriter(bw, assemble.Info{Creator: "khoso scanbench"})
	for _, path := range pages {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, err
		}
		err = scan.Pages(data, path, scan.Options{}, func(p *scan.Page) error { return w.Add(assemble.FromScan(p)) })
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Result is one measured run.
type Result struct {
	Pages    int
	Wall     time.Duration
	CPU      time.Duration // user + system, all processes
	PeakRSS  int64         // bytes, the largest process
	OutBytes int64
	InBytes  int64
}

// add sums two runs done one after the other.
func (r Result) add(o Result) Result {
	return Result{Pages: r.Pages + o.Pages, Wall: r.Wall + o.Wall, CPU: r.CPU + o.CPU,
		PeakRSS: max(r.PeakRSS, o.PeakRSS), OutBytes: r.OutBytes + o.OutBytes, InBytes: r.InBytes + o.InBytes}
}

// PagesPerSec is the throughput of the run.
func (r Result) PagesPerSec() float64 { return float64(r.Pages) / r.Wall.Seconds() }

// usage adds a finished process's CPU time and peak RSS to r.
func (r *Result) usage(ps *os.ProcessState) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return
	}
	r.CPU += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	r.PeakRSS = max(r.PeakRSS, ru.Maxrss*1024)
}

// RunMagick runs, per document and workers documents at a time,
// ImageMagick "convert PAGE -deskew 40% OUT" on every page (colour kept,
// one thread a process) and then "img2pdf OUT… -o doc.pdf".
func RunMagick(docs [][]string, outDir string, workers int) (Result, error) {
	var res Result
	var mu sync.Mutex
	var first error
	run := func(name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "MAGICK_THREAD_LIMIT=1", "OMP_NUM_THREADS=1")
		out, err := cmd.CombinedOutput()
		mu.Lock()
		defer mu.Unlock()
		if cmd.ProcessState != nil {
			res.usage(cmd.ProcessState)
		}
		if err != nil && first == nil {
			first = fmt.Errorf("%s: %w: %s", name, err, out)
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	work := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				var outs []string
				for j, p := range docs[i] {
					o := filepath.Join(outDir, fmt.Sprintf("doc%04d-p%d.jpg", i, j))
					run(magick, p, "-deskew", "40%", o)
					outs = append(outs, o)
				}
				run("img2pdf", append(outs, "-o", filepath.Join(outDir, fmt.Sprintf("doc%04d.pdf", i)))...)
			}
		}()
	}
	for i := range docs {
		work <- i
	}
	close(work)
	wg.Wait()
	res.Wall = time.Since(start)
	res.OutBytes = sizeOf(filepath.Join(outDir, "doc*.pdf"))
	return res, first
}

// sizeOf sums the sizes of the files matching a glob.
func sizeOf(glob string) int64 {
	paths, _ := filepath.Glob(glob)
	var n int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// magick is ImageMagick's convert: Debian's binary itself when present,
// so that no wrapper's start-up is measured.
var magick = func() string {
	if _, err := os.Stat("/usr/bin/convert"); err == nil {
		return "/usr/bin/convert"
	}
	return "convert"
}()

package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// verifyFile reports whether path exists with d's size and digest. A missing
// file is not an error.
func verifyFile(path string, d Download) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dataset: verify %s: %w", d.Name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("dataset: verify %s: %w", d.Name, err)
	}
	if d.Size > 0 && info.Size() != d.Size {
		return false, nil
	}

	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, fmt.Errorf("dataset: verify %s: %w", d.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)) == d.SHA256, nil
}

// download fetches pending[0] into dir through a temporary file, checking
// size and digest before renaming it into place. Its errors tell how to get
// every pending file by hand.
func download(ctx context.Context, client *http.Client, dir string, pending []Download,
	progress func(string, int64, int64)) error {
	d := pending[0]
	fail := func(format string, args ...any) error {
		return fmt.Errorf("dataset: download %s from %s: %s\n%s", d.Name, d.URL,
			fmt.Sprintf(format, args...), manualHint(dir, pending))
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		return fail("%v", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail("%v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail("HTTP %s", resp.Status)
	}

	total := d.Size
	if total <= 0 {
		total = resp.ContentLength
	}
	tmp, err := os.CreateTemp(dir, "."+d.Name+".*.part")
	if err != nil {
		return fmt.Errorf("dataset: download %s: %w", d.Name, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()

	h := sha256.New()
	counter := &progressWriter{name: d.Name, total: total, report: progress}
	body := io.Reader(resp.Body)
	if d.Size > 0 {
		body = io.LimitReader(body, d.Size+1) // a longer body fails the size check
	}
	n, err := io.Copy(io.MultiWriter(tmp, h, counter), body)
	if err != nil {
		return fail("interrupted after %d bytes: %v", n, err)
	}
	if err := checkDigest(h, n, d); err != nil {
		return fail("%v", err)
	}

	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("dataset: download %s: %w", d.Name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("dataset: download %s: %w", d.Name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, d.Name)); err != nil {
		return fmt.Errorf("dataset: download %s: %w", d.Name, err)
	}
	return nil
}

// checkDigest compares a download's length and SHA-256 with d's.
func checkDigest(h hash.Hash, n int64, d Download) error {
	if d.Size > 0 && n != d.Size {
		return fmt.Errorf("got %d bytes, expected %d", n, d.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != d.SHA256 {
		return fmt.Errorf("SHA-256 mismatch: got %s, expected %s", got, d.SHA256)
	}
	return nil
}

// manualHint tells how to put files in dir by hand.
func manualHint(dir string, files []Download) string {
	var b strings.Builder
	fmt.Fprintf(&b, "To install by hand, download and put in %s:\n", dir)
	for _, d := range files {
		fmt.Fprintf(&b, "  %s\n    from %s\n    (%d bytes, SHA-256 %s)\n",
			d.Name, d.URL, d.Size, d.SHA256)
	}
	fmt.Fprintf(&b, "or name a folder that holds them with $%s.", EnvDataDir)
	return b.String()
}

// progressWriter counts bytes written and reports them.
type progressWriter struct {
	name   string
	done   int64
	total  int64
	report func(name string, done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.done += int64(len(b))
	if p.report != nil {
		p.report(p.name, p.done, p.total)
	}
	return len(b), nil
}

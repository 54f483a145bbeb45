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

// Download is one public file of the data set.
type Download struct {
	Name   string // file name in the data folder
	URL    string // public address
	Size   int64  // bytes; 0 when unknown
	SHA256 string // lower-case hex digest of the file
}

// The public files, as listed in DESIGN.md: the Stanford tarball (Maas et
// al. 2011) and Keras's word index (keras.datasets.imdb.get_word_index).
const (
	ArchiveURL       = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
	ArchiveSize      = 84125825
	ArchiveSHA256    = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
	WordIndexURL     = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json"
	WordIndexSize    = 1641221
	WordIndexSHA256  = "027313fe9a320280f3bf0fac5baf58c4a683cf39a7ed9c3d3d3912bde4284cf6"
	labelledSHA256   = "3c27c84c5b647935a2b44ee9c5b3fc302d26b6d268caf4c6a360aa7cb1f5fce7"
	labelledFileSize = 28631016
)

// Downloads returns the two public files, word index first, with their sizes
// and SHA-256 digests.
func Downloads() []Download {
	return []Download{
		{Name: WordIndexFile, URL: WordIndexURL, Size: WordIndexSize, SHA256: WordIndexSHA256},
		{Name: ArchiveFile, URL: ArchiveURL, Size: ArchiveSize, SHA256: ArchiveSHA256},
	}
}

// knownDigests are files FetchFiles can verify but not download: the labelled
// repack that ../shared/data/imdb holds (its README gives the digest).
var knownDigests = map[string]Download{
	LabelledArchiveFile: {Name: LabelledArchiveFile, Size: labelledFileSize,
		SHA256: labelledSHA256},
}

// FetchOptions configures FetchFiles. The zero value downloads the public files
// with http.DefaultClient and reports no progress.
type FetchOptions struct {
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Files to fetch; nil means Downloads(). Tests point URL at a local server.
	Files []Download
	// Progress, when set, is called as a download's bytes arrive, with the
	// bytes so far and the expected total (-1 when unknown).
	Progress func(name string, done, total int64)
}

// What FetchFiles did with a file.
const (
	FetchPresent    = "present"    // already there with the right digest
	FetchDownloaded = "downloaded" // downloaded and verified
	FetchStandIn    = "stand-in"   // not needed: another source of reviews is there
)

// Fetched reports what FetchFiles did with one file.
type Fetched struct {
	Name   string
	Path   string
	Status string // FetchPresent, FetchDownloaded or FetchStandIn
}

// Fetch makes sure dir holds the two public files (Downloads), downloading
// what is missing with client (nil: http.DefaultClient). baseURLs maps a
// file name to an address to use instead of the public one (nil: public
// addresses; tests point it at a local server). progress, when set, is
// called as bytes arrive. See FetchFiles for the rules.
func Fetch(ctx context.Context, dir string, client *http.Client, baseURLs map[string]string,
	progress func(name string, done, total int64)) error {
	files := Downloads()
	for i := range files {
		if url, ok := baseURLs[files[i].Name]; ok {
			files[i].URL = url
		}
	}
	_, err := FetchFiles(ctx, dir, FetchOptions{Client: client, Files: files, Progress: progress})
	return err
}

// FetchFiles makes sure dir holds the files: one already there is checked
// against its SHA-256 and kept when it matches; one missing or not matching
// is downloaded, checked by size and SHA-256 and moved into place atomically
// (a temporary file, then a rename). The tarball is not downloaded when dir
// already holds another source of reviews (LabelledArchiveFile, which is
// checked against its known digest, or a FolderName folder). Errors name
// the file, its address and where to put it by hand. The report says what
// was done with each file, also when an error stops it early.
func FetchFiles(ctx context.Context, dir string, opts FetchOptions) ([]Fetched, error) {
	files := opts.Files
	if files == nil {
		files = Downloads()
	}
	client := opts.Client
	if client == nil {
		client = http.DefaultClient
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dataset: create data folder: %w", err)
	}

	var report []Fetched
	for i, d := range files {
		path := filepath.Join(dir, d.Name)
		if d.Name == ArchiveFile {
			if done, ok, err := standIn(dir); err != nil {
				return report, err
			} else if ok {
				report = append(report, done)
				continue
			}
		}

		ok, err := verifyFile(path, d)
		if err != nil {
			return report, err
		}
		if ok {
			report = append(report, Fetched{Name: d.Name, Path: path, Status: FetchPresent})
			continue
		}
		if err := download(ctx, client, dir, files[i:], opts.Progress); err != nil {
			return report, err
		}
		report = append(report, Fetched{Name: d.Name, Path: path, Status: FetchDownloaded})
	}
	return report, nil
}

// standIn reports whether dir holds reviews other than ArchiveFile, checking
// a LabelledArchiveFile against its known digest.
func standIn(dir string) (Fetched, bool, error) {
	src, err := findSource(dir)
	if err != nil || filepath.Base(src.path) == ArchiveFile {
		return Fetched{}, false, nil
	}
	if d, known := knownDigests[filepath.Base(src.path)]; known {
		ok, err := verifyFile(src.path, d)
		if err != nil {
			return Fetched{}, false, err
		}
		if !ok {
			return Fetched{}, false, fmt.Errorf("dataset: %s does not match its SHA-256 %s; "+
				"remove it, or replace it with a good copy", src.path, d.SHA256)
		}
	}
	return Fetched{Name: filepath.Base(src.path), Path: src.path, Status: FetchStandIn}, true, nil
}

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

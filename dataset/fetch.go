package dataset

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

// Download is one public file of the data set.
type Download struct {
	Name   string // file name in the data folder
	URL    string // public address
	Size   int64  // bytes; 0 when unknown
	SHA256 string // lower-case hex digest of the file
}

// The public files, as listed in DESIGN.md: the Stanford tarball (Maas et
// al. 2011, https://ai.stanford.edu/~amaas/data/sentiment/) and Keras's word
// index (keras.datasets.imdb.get_word_index).
const (
	// ArchiveURL is the Stanford address of ArchiveFile.
	ArchiveURL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
	// ArchiveSize is the length of ArchiveFile in bytes.
	ArchiveSize = 84125825
	// ArchiveSHA256 is the SHA-256 digest of ArchiveFile.
	ArchiveSHA256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"

	// WordIndexURL is the address Keras downloads WordIndexFile from.
	WordIndexURL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/" +
		WordIndexFile
	// WordIndexSize is the length of WordIndexFile in bytes.
	WordIndexSize = 1641221
	// WordIndexSHA256 is the SHA-256 digest of WordIndexFile.
	WordIndexSHA256 = "027313fe9a320280f3bf0fac5baf58c4a683cf39a7ed9c3d3d3912bde4284cf6"

	// The labelled repack (LabelledArchiveFile) has no public address; its
	// size and digest are those of ../shared/data/imdb/README.md.
	labelledFileSize = 28631016
	labelledSHA256   = "3c27c84c5b647935a2b44ee9c5b3fc302d26b6d268caf4c6a360aa7cb1f5fce7"
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

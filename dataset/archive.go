package dataset

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxReviewBytes bounds the size of one review file, so that a corrupt tar
// header cannot make the reader allocate without limit. The longest aclImdb
// review is under 14 KB.
const maxReviewBytes = 1 << 24

// readArchive streams the reviews of a gzip-compressed aclImdb tarball to fn
// in archive order, without extracting it. Entries other than
// {train,test}/{pos,neg}/<id>_<rating>.txt are skipped. The review's Text is
// reused after fn returns.
func readArchive(path string, fn func(*review) error) error {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("dataset: open archive: %w", err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() == 0 {
		return fmt.Errorf("dataset: %s is empty, not a gzip-compressed tarball", name)
	}

	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return fmt.Errorf("dataset: %s is not a gzip-compressed tarball: %w", name, err)
	}
	defer gz.Close()

	counter := newReviewCounter()
	tr := tar.NewReader(gz)
	last := "(start of archive)"
	var r review
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("dataset: %s: corrupt or truncated archive after %s: %w",
				name, last, err)
		}
		last = hdr.Name
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		split, label, id, rating, ok := parseReviewPath(hdr.Name)
		if !ok {
			continue
		}

		if hdr.Size < 0 || hdr.Size > maxReviewBytes {
			return fmt.Errorf("dataset: %s: %s: entry of %d bytes is not a review "+
				"(limit %d bytes): corrupt archive?", name, hdr.Name, hdr.Size, maxReviewBytes)
		}
		r = review{Split: split, Label: label, ID: id, Rating: rating, Path: hdr.Name,
			Text: growTo(r.Text, hdr.Size)}
		if _, err := io.ReadFull(tr, r.Text); err != nil {
			return fmt.Errorf("dataset: %s: %s: corrupt or truncated archive: %w",
				name, hdr.Name, err)
		}
		if err := checkUTF8(name, hdr.Name, r.Text); err != nil {
			return err
		}
		if err := counter.add(name, &r); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}

	// Reading to the gzip trailer checks its CRC and length, which catches
	// damage after the last review.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return fmt.Errorf("dataset: %s: corrupt or truncated archive after %s: %w",
			name, last, err)
	}
	return counter.checkComplete(name)
}

// growTo returns buf resized to n bytes, reallocating only when too small.
func growTo(buf []byte, n int64) []byte {
	if int64(cap(buf)) < n {
		return make([]byte, n)
	}
	return buf[:n]
}

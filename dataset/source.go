package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File and folder names a data folder may hold the reviews under, in the
// order they are looked for.
const (
	// ArchiveFile is the official Stanford tarball (aclImdb v1).
	ArchiveFile = "aclImdb_v1.tar.gz"
	// LabelledArchiveFile is the official tarball repacked without unsup/.
	LabelledArchiveFile = "aclImdb_v1_labelled.tar.gz"
	// FolderName is the folder the tarballs extract to.
	FolderName = "aclImdb"
)

// sourceKind says how the reviews are stored.
type sourceKind int

const (
	sourceArchive sourceKind = iota // a .tar.gz read as a stream
	sourceFolder                    // an extracted aclImdb/ folder
)

// source is where a data folder keeps its reviews.
type source struct {
	path string
	kind sourceKind
}

// errNoReviews is returned by findSource when no source is present.
var errNoReviews = errors.New("no reviews")

// findSource returns the first of ArchiveFile, LabelledArchiveFile and
// FolderName present in dir.
func findSource(dir string) (source, error) {
	for _, file := range []string{ArchiveFile, LabelledArchiveFile} {
		path := filepath.Join(dir, file)
		info, err := os.Stat(path)
		if err == nil && info.Mode().IsRegular() {
			return source{path: path, kind: sourceArchive}, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return source{}, fmt.Errorf("dataset: %w", err)
		}
	}
	path := filepath.Join(dir, FolderName)
	info, err := os.Stat(path)
	if err == nil && info.IsDir() {
		return source{path: path, kind: sourceFolder}, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return source{}, fmt.Errorf("dataset: %w", err)
	}
	return source{}, errNoReviews
}

// read streams the reviews of the source to fn.
func (s source) read(fn func(*review) error) error {
	if s.kind == sourceFolder {
		return readFolder(s.path, fn)
	}
	return readArchive(s.path, fn)
}

package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"codeberg.org/sbinet/npyio/npz"
)

// encoderVersion names the encoding rule and the cache layout; change it
// whenever either changes so that old caches are rebuilt.
const encoderVersion = 1

// cacheMeta says what a cached corpus was built from. It is stored in the
// .npz as a JSON string under "built_from".
type cacheMeta struct {
	Key             string `json:"key"`
	EncoderVersion  int    `json:"encoder_version"`
	Source          string `json:"source"`       // archive or folder path
	SourceStamp     string `json:"source_stamp"` // sizes and modification times
	WordIndex       string `json:"word_index"`
	WordIndexSHA256 string `json:"word_index_sha256"`
	Built           string `json:"built"` // RFC 3339
}

// sourceStamp describes src cheaply: the archive's name, size and
// modification time, or the modification times of a folder's four review
// folders.
// TODO: a review edited in place inside an extracted folder keeps its
// folder's time, so such an edit is not noticed; hashing 50,000 files on
// every load would cost more than the cache saves.
func sourceStamp(src source) (string, error) {
	paths := []string{src.path}
	if src.kind == sourceFolder {
		paths = paths[:0]
		for _, sub := range reviewFolders {
			paths = append(paths, filepath.Join(src.path, filepath.FromSlash(sub)))
		}
	}
	var stamp bytes.Buffer
	for _, p := range paths {
		info, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) && src.kind == sourceFolder {
			// Reading will say which folder is missing; the stamp just differs.
			fmt.Fprintf(&stamp, "%s absent;", filepath.Base(p))
			continue
		}
		if err != nil {
			return "", fmt.Errorf("dataset: %w", err)
		}
		fmt.Fprintf(&stamp, "%s size=%d mtime=%d;", filepath.Base(p), info.Size(),
			info.ModTime().UnixNano())
	}
	return stamp.String(), nil
}

// cacheKey hashes what determines the encoded corpus.
func cacheKey(stamp, indexSHA string) string {
	h := sha256.New()
	fmt.Fprintf(h, "imdb-attn encoded corpus v%d\n%s\n%s\n", encoderVersion, stamp, indexSHA)
	return hex.EncodeToString(h.Sum(nil))[:20]
}

// cacheFileName is the cache file for key.
func cacheFileName(key string) string { return "imdb-" + key + ".npz" }

// pruneStaleCaches removes the other caches in dir built from the same
// source: they were keyed by an earlier state of it or of the word index, and
// each holds about 48 MB for the full data set. It is best effort: a cache
// it cannot read or remove is left alone.
func pruneStaleCaches(dir, keepKey, sourcePath string) {
	paths, err := filepath.Glob(filepath.Join(dir, cacheFileName("*")))
	if err != nil {
		return
	}
	for _, path := range paths {
		if filepath.Base(path) == cacheFileName(keepKey) {
			continue
		}
		meta, err := readCacheMeta(path)
		if err == nil && meta.Source == sourcePath && meta.Key != keepKey {
			_ = os.Remove(path)
		}
	}
}

// readCacheMeta reads only what the cache at path was built from.
func readCacheMeta(path string) (meta cacheMeta, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed cache: %v", r)
		}
	}()
	zr, err := npz.Open(path)
	if err != nil {
		return cacheMeta{}, err
	}
	defer zr.Close()
	var metaJSON string
	if err := zr.Read("built_from.npy", &metaJSON); err != nil {
		return cacheMeta{}, err
	}
	err = json.Unmarshal([]byte(metaJSON), &meta)
	return meta, err
}

// newCacheMeta describes a corpus built now from src and the word index.
func newCacheMeta(key string, src source, stamp, indexPath, indexSHA string) cacheMeta {
	return cacheMeta{
		Key:             key,
		EncoderVersion:  encoderVersion,
		Source:          src.path,
		SourceStamp:     stamp,
		WordIndex:       indexPath,
		WordIndexSHA256: indexSHA,
		Built:           time.Now().UTC().Format(time.RFC3339),
	}
}

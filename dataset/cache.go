package dataset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"codeberg.org/sbinet/npyio/npy"
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

// splitArrays are one split's arrays in the cache, under names prefixed with
// the split name.
type splitArrays struct {
	ids       []int32 // all sequences, concatenated
	offsets   []int64 // sequence i is ids[offsets[i]:offsets[i+1]]
	labels    []int32
	reviewIDs []int32
	ratings   []int32
	unknown   []int32
}

// writeCache writes c to path atomically: into a temporary file in the same
// folder, renamed into place once complete. The layout is that of NumPy's
// np.savez (uncompressed zip of .npy files), so np.load reads it.
func writeCache(path string, c *Corpus, meta cacheMeta) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("dataset: cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".imdb-*.npz.tmp")
	if err != nil {
		return fmt.Errorf("dataset: cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()

	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("dataset: cache: %w", err)
	}
	if err := writeCacheTo(tmp, c, meta); err != nil {
		return fmt.Errorf("dataset: write cache %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("dataset: write cache %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("dataset: cache: %w", err)
	}
	return nil
}

// npyEntry is one array of the .npz.
type npyEntry struct {
	name  string
	value any
}

// writeCacheTo writes the .npz to w.
func writeCacheTo(w io.Writer, c *Corpus, meta cacheMeta) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	zw := zip.NewWriter(bw)
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	entries := []npyEntry{{"built_from", string(metaJSON)}}
	for _, part := range []struct {
		name string
		set  *Set
		meta []ReviewMeta
	}{{SplitTrain, c.Train, c.TrainMeta}, {SplitTest, c.Test, c.TestMeta}} {
		a := flatten(part.set, part.meta)
		entries = append(entries,
			npyEntry{part.name + "_ids", a.ids},
			npyEntry{part.name + "_offsets", a.offsets},
			npyEntry{part.name + "_labels", a.labels},
			npyEntry{part.name + "_review_ids", a.reviewIDs},
			npyEntry{part.name + "_ratings", a.ratings},
			npyEntry{part.name + "_unknown", a.unknown})
	}

	for _, e := range entries {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.name + ".npy", Method: zip.Store})
		if err != nil {
			return err
		}
		switch v := e.value.(type) {
		case []int32:
			err = writeNPYInts(fw, v)
		case []int64:
			err = writeNPYInts(fw, v)
		default:
			err = npy.Write(fw, v)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// flatten lays a split out as cache arrays.
func flatten(s *Set, meta []ReviewMeta) splitArrays {
	total := 0
	for _, seq := range s.Seqs {
		total += len(seq)
	}
	a := splitArrays{
		ids:       make([]int32, 0, total),
		offsets:   make([]int64, 1, s.Len()+1),
		labels:    append([]int32(nil), s.Labels...),
		reviewIDs: make([]int32, s.Len()),
		ratings:   make([]int32, s.Len()),
		unknown:   make([]int32, s.Len()),
	}
	for i, seq := range s.Seqs {
		a.ids = append(a.ids, seq...)
		a.offsets = append(a.offsets, int64(len(a.ids)))
		a.reviewIDs[i], a.ratings[i], a.unknown[i] = meta[i].ID, meta[i].Rating, meta[i].Unknown
	}
	return a
}

// readCache loads the corpus cached at path and checks that it was built
// with key. The whole file is read at once, and the two splits are decoded
// side by side.
func readCache(path, key string) (c *Corpus, meta cacheMeta, err error) {
	// npyio panics on some malformed files; a damaged cache is rebuilt, not fatal.
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("malformed cache: %v", r)
		}
	}()

	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, cacheMeta{}, err
	}
	zr, err := npz.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, cacheMeta{}, err
	}
	if meta, err = readCacheMeta(zr, key); err != nil {
		return nil, cacheMeta{}, err
	}

	c = &Corpus{}
	var testErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				testErr = fmt.Errorf("malformed cache: %v", r)
			}
		}()
		c.Test, c.TestMeta, testErr = readSplit(zr, SplitTest)
	}()
	c.Train, c.TrainMeta, err = readSplit(zr, SplitTrain)
	<-done
	if err == nil {
		err = testErr
	}
	if err != nil {
		return nil, cacheMeta{}, err
	}
	return c, meta, nil
}

// readCacheMeta reads what the cache was built from and checks its key.
func readCacheMeta(zr *npz.Reader, key string) (cacheMeta, error) {
	var metaJSON string
	if err := zr.Read("built_from.npy", &metaJSON); err != nil {
		return cacheMeta{}, err
	}
	var meta cacheMeta
	if err := json.Unmarshal([]byte(metaJSON), &meta); err != nil {
		return cacheMeta{}, fmt.Errorf("built_from: %w", err)
	}
	if meta.Key != key || meta.EncoderVersion != encoderVersion {
		return cacheMeta{}, fmt.Errorf("built from other inputs (key %s, version %d)",
			meta.Key, meta.EncoderVersion)
	}
	return meta, nil
}

// readSplit reads and checks one split.
func readSplit(zr *npz.Reader, split string) (*Set, []ReviewMeta, error) {
	a, err := readSplitArrays(zr, split)
	if err != nil {
		return nil, nil, err
	}
	s, meta, err := unflatten(a)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", split, err)
	}
	return s, meta, nil
}

// readSplitArrays reads the arrays of one split.
func readSplitArrays(zr *npz.Reader, split string) (splitArrays, error) {
	var a splitArrays
	var err error
	read32 := func(name string) []int32 {
		var v []int32
		if err == nil {
			v, err = readArray[int32](zr, split+"_"+name)
		}
		return v
	}
	a.ids = read32("ids")
	a.labels = read32("labels")
	a.reviewIDs = read32("review_ids")
	a.ratings = read32("ratings")
	a.unknown = read32("unknown")
	if err == nil {
		a.offsets, err = readArray[int64](zr, split+"_offsets")
	}
	return a, err
}

// readArray reads the named 1-D array of element type T.
func readArray[T int32 | int64](zr *npz.Reader, name string) ([]T, error) {
	var arr npy.Array
	if err := zr.Read(name+".npy", &arr); err != nil {
		return nil, err
	}
	data, ok := arr.Data().([]T)
	if !ok || len(arr.Shape()) > 1 {
		return nil, fmt.Errorf("%s: holds %T of shape %v, want a 1-D %T", name,
			arr.Data(), arr.Shape(), data)
	}
	return data, nil
}

// unflatten checks the arrays of a split and turns them into a Set whose
// sequences share one backing array.
func unflatten(a splitArrays) (*Set, []ReviewMeta, error) {
	n := len(a.labels)
	if len(a.offsets) != n+1 || len(a.reviewIDs) != n || len(a.ratings) != n ||
		len(a.unknown) != n {
		return nil, nil, fmt.Errorf("array lengths disagree")
	}
	if a.offsets[0] != 0 || a.offsets[n] != int64(len(a.ids)) {
		return nil, nil, fmt.Errorf("offsets do not span the ids")
	}
	s := &Set{Seqs: make([][]int32, n), Labels: a.labels}
	meta := make([]ReviewMeta, n)
	for i := range n {
		lo, hi := a.offsets[i], a.offsets[i+1]
		if hi < lo+1 || hi > int64(len(a.ids)) || a.ids[lo] != StartID {
			return nil, nil, fmt.Errorf("sequence %d is malformed", i)
		}
		if a.labels[i] != LabelNeg && a.labels[i] != LabelPos {
			return nil, nil, fmt.Errorf("label %d of sequence %d is not 0 or 1", a.labels[i], i)
		}
		s.Seqs[i] = a.ids[lo:hi:hi]
		meta[i] = ReviewMeta{ID: a.reviewIDs[i], Rating: a.ratings[i], Unknown: a.unknown[i]}
	}
	return s, meta, nil
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

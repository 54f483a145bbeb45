package dataset

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

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
func readCache(path, key string) (c *Corpus, err error) {
	// npyio panics on some malformed files; a damaged cache is rebuilt, not fatal.
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("malformed cache: %v", r)
		}
	}()

	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := npz.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, err
	}
	if err := checkCacheMeta(zr, key); err != nil {
		return nil, err
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
		return nil, err
	}
	return c, nil
}

// checkCacheMeta reads what the cache was built from and checks its key.
func checkCacheMeta(zr *npz.Reader, key string) error {
	var metaJSON string
	if err := zr.Read("built_from.npy", &metaJSON); err != nil {
		return err
	}
	var meta cacheMeta
	if err := json.Unmarshal([]byte(metaJSON), &meta); err != nil {
		return fmt.Errorf("built_from: %w", err)
	}
	if meta.Key != key || meta.EncoderVersion != encoderVersion {
		return fmt.Errorf("built from other inputs (key %s, version %d)",
			meta.Key, meta.EncoderVersion)
	}
	return nil
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

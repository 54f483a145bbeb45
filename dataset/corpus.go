package dataset

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// ReviewMeta describes one review of a Set, at the same position.
type ReviewMeta struct {
	ID      int32 // the <id> of its <id>_<rating>.txt file
	Rating  int32 // the star rating of its file name
	Unknown int32 // tokens dropped because the word index lacks them
}

// Corpus is the encoded data set: the official train and test splits, each
// ordered by label (negative first) and then by review id, with the word
// index that encoded them. Shuffle with Set.Shuffled before splitting or
// training, as Keras does.
type Corpus struct {
	Train, Test *Set
	Index       WordIndex
	Dir         string // the data folder

	// TrainMeta and TestMeta describe the reviews of Train and Test.
	TrainMeta, TestMeta []ReviewMeta
	// Source is the archive or folder the reviews came from.
	Source string
	// CachePath is the encoded cache used or written; "" without a cache.
	CachePath string
	// FromCache is true when the sequences were read from CachePath.
	FromCache bool
	// CacheWarning says why a cache could not be read or written, when that
	// happened; Load then still succeeds.
	CacheWarning string
}

// LoadOptions configures Load. The zero value uses the default cache.
type LoadOptions struct {
	// CacheDir holds encoded corpora; "" means DefaultCacheDir().
	CacheDir string
	// NoCache reads and encodes the reviews without reading or writing a cache.
	NoCache bool
}

// Load reads the word index and the reviews of data folder dir and encodes
// them (full vocabulary, start id first; num_words is applied later, by
// Set.Batches or CutVocabulary). The encoded corpus is cached as an .npz
// keyed by the inputs and reused while they are unchanged. A folder lacking
// files gives a *MissingDataError; damaged files give errors naming them.
func Load(dir string, opts LoadOptions) (*Corpus, error) {
	if err := CheckDir(dir); err != nil {
		return nil, err
	}
	src, err := findSource(dir)
	if err != nil {
		return nil, err
	}
	indexPath := filepath.Join(dir, WordIndexFile)
	indexRaw, indexSHA, err := readWordIndexFile(indexPath)
	if err != nil {
		return nil, err
	}
	stamp, err := sourceStamp(src)
	if err != nil {
		return nil, err
	}
	key := cacheKey(stamp, indexSHA)

	// Parsing the index and reading the cache are independent: overlap them.
	var index WordIndex
	var indexErr error
	parsed := make(chan struct{})
	go func() {
		defer close(parsed)
		index, indexErr = ParseWordIndex(bytes.NewReader(indexRaw), WordIndexFile)
	}()

	var cachePath, warning string
	var cached *Corpus
	if !opts.NoCache {
		cachePath, warning = cachePathFor(opts.CacheDir, key)
	}
	if cachePath != "" {
		c, err := readCache(cachePath, key)
		switch {
		case err == nil:
			cached = c
		case !errors.Is(err, os.ErrNotExist):
			warning = fmt.Sprintf("dataset: cache %s unusable, rebuilt: %v", cachePath, err)
		}
	}
	<-parsed
	if indexErr != nil {
		return nil, indexErr
	}
	if cached != nil {
		cached.Index, cached.Dir, cached.Source = index, dir, src.path
		cached.CachePath, cached.FromCache = cachePath, true
		return cached, nil
	}

	c, err := encodeSource(src, index)
	if err != nil {
		return nil, err
	}
	c.Index, c.Dir, c.Source = index, dir, src.path
	if cachePath != "" {
		meta := newCacheMeta(key, src, stamp, indexPath, indexSHA)
		if err := writeCache(cachePath, c, meta); err != nil {
			warning = fmt.Sprintf("dataset: encoded data not cached: %v", err)
		} else {
			c.CachePath = cachePath
			pruneStaleCaches(filepath.Dir(cachePath), key, src.path)
		}
	}
	c.CacheWarning = warning
	return c, nil
}

// cachePathFor returns the cache file for key in cacheDir (or the default
// folder), or a warning when there is no folder for it.
func cachePathFor(cacheDir, key string) (path, warning string) {
	if cacheDir == "" {
		dir, err := DefaultCacheDir()
		if err != nil {
			return "", fmt.Sprintf("dataset: encoded data not cached: %v", err)
		}
		cacheDir = dir
	}
	return filepath.Join(cacheDir, cacheFileName(key)), ""
}

// encoded is one review as encoded, before the corpus is put in order.
type encoded struct {
	label int32
	meta  ReviewMeta
	ids   []int32
}

// encodeSource reads and encodes every review of src and orders each split
// by label, then id. Reading (gunzip and tar) and encoding run side by side.
func encodeSource(src source, index WordIndex) (*Corpus, error) {
	type job struct {
		split string
		label int32
		meta  ReviewMeta
		text  []byte
	}
	const batchSize = 256 // reviews handed over at a time
	jobs := make(chan []job, 16)
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		batch := make([]job, 0, batchSize)
		readErr <- src.read(func(r *review) error {
			batch = append(batch, job{r.Split, r.Label,
				ReviewMeta{ID: r.ID, Rating: r.Rating}, bytes.Clone(r.Text)})
			if len(batch) == batchSize {
				jobs <- batch
				batch = make([]job, 0, batchSize)
			}
			return nil
		})
		jobs <- batch
	}()

	splits := map[string][]encoded{}
	for batch := range jobs {
		for _, j := range batch {
			ids, unknown := index.encodeFull(j.text, []int32{StartID})
			j.meta.Unknown = int32(unknown)
			splits[j.split] = append(splits[j.split],
				encoded{label: j.label, meta: j.meta, ids: ids})
		}
	}
	if err := <-readErr; err != nil {
		return nil, err
	}

	c := &Corpus{}
	c.Train, c.TrainMeta = orderSplit(splits[SplitTrain])
	c.Test, c.TestMeta = orderSplit(splits[SplitTest])
	return c, nil
}

// orderSplit sorts reviews by label and id and packs their ids into one
// backing array.
func orderSplit(reviews []encoded) (*Set, []ReviewMeta) {
	slices.SortFunc(reviews, func(a, b encoded) int {
		if c := cmp.Compare(a.label, b.label); c != 0 {
			return c
		}
		return cmp.Compare(a.meta.ID, b.meta.ID)
	})
	total := 0
	for _, r := range reviews {
		total += len(r.ids)
	}
	flat := make([]int32, 0, total)
	s := &Set{Seqs: make([][]int32, len(reviews)), Labels: make([]int32, len(reviews))}
	meta := make([]ReviewMeta, len(reviews))
	for i, r := range reviews {
		lo := len(flat)
		flat = append(flat, r.ids...)
		s.Seqs[i] = flat[lo:len(flat):len(flat)]
		s.Labels[i] = r.label
		meta[i] = r.meta
	}
	return s, meta
}

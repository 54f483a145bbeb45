package dataset

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// tarFile is one entry of a test tarball; a name ending in "/" is a folder.
type tarFile struct {
	name string
	body string
}

// tinyReviews are the labelled reviews of the test data set, by path.
var tinyReviews = []tarFile{
	{"aclImdb/train/pos/0_9.txt", "A great film!"},
	{"aclImdb/train/pos/1_8.txt", "Great, great acting.<br />Loved it"},
	{"aclImdb/train/neg/0_1.txt", "A bad film."},
	{"aclImdb/train/neg/2_3.txt", "Bad acting; the worst\tfilm"},
	{"aclImdb/test/pos/0_10.txt", "great FILM"},
	{"aclImdb/test/neg/5_2.txt", "the worst film, zzz unknown"},
}

// tinyNoise are entries the reader must skip.
var tinyNoise = []tarFile{
	{"aclImdb/", ""},
	{"aclImdb/train/", ""},
	{"aclImdb/train/pos/", ""},
	{"aclImdb/README", "Large Movie Review Dataset"},
	{"aclImdb/imdb.vocab", "the\nand\n"},
	{"aclImdb/train/urls_pos.txt", "http://www.imdb.com/title/tt0000001/"},
	{"aclImdb/train/unsup/0_0.txt", "unlabelled review"},
	{"aclImdb/train/pos/notes.txt", "not a review"},
	{"aclImdb/train/pos/x_9.txt", "not a review either"},
	{"aclImdb/train/labeledBow.feat", "0:1"},
}

// tinyEntries is a whole tarball: noise and reviews interleaved.
func tinyEntries() []tarFile {
	var all []tarFile
	all = append(all, tinyNoise[:4]...)
	all = append(all, tinyReviews...)
	all = append(all, tinyNoise[4:]...)
	return all
}

// tarGz returns a gzip-compressed tarball of files.
func tarGz(t *testing.T, files []tarFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)),
			ModTime: time.Date(2011, 6, 1, 0, 0, 0, 0, time.UTC), Typeflag: tar.TypeReg}
		if f.name[len(f.name)-1] == '/' {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeDir, 0o755, 0
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rankVocabulary ranks the tokens of texts by falling frequency, ties by
// first appearance, from 1: a word index built the way Keras's was.
func rankVocabulary(texts []string) WordIndex {
	count := map[string]int{}
	first := map[string]int{}
	for _, text := range texts {
		for _, tok := range Tokenize(text) {
			if _, ok := first[tok]; !ok {
				first[tok] = len(first)
			}
			count[tok]++
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if count[words[i]] != count[words[j]] {
			return count[words[i]] > count[words[j]]
		}
		return first[words[i]] < first[words[j]]
	})
	index := WordIndex{}
	for i, w := range words {
		index[w] = i + 1
	}
	return index
}

// tinyIndex is the word index of the training reviews of tinyReviews.
func tinyIndex() WordIndex {
	var texts []string
	for _, r := range tinyReviews {
		if split, _, _, _, _ := parseReviewPath(r.name); split == SplitTrain {
			texts = append(texts, r.body)
		}
	}
	return rankVocabulary(texts)
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeIndex writes index as dir/imdb_word_index.json.
func writeIndex(t *testing.T, dir string, index WordIndex) string {
	t.Helper()
	raw, err := json.Marshal(index)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, WordIndexFile, raw)
}

// tinyDataDir makes a data folder holding the tiny tarball under the given
// archive name and its word index.
func tinyDataDir(t *testing.T, archiveName string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, archiveName, tarGz(t, tinyEntries()))
	writeIndex(t, dir, tinyIndex())
	return dir
}

// expectedIDs encodes text by hand from index: the start id, then rank+3
// for each known token.
func expectedIDs(index WordIndex, text string) []int32 {
	ids := []int32{StartID}
	for _, tok := range Tokenize(text) {
		if rank, ok := index[tok]; ok {
			ids = append(ids, int32(rank+IndexFrom))
		}
	}
	return ids
}

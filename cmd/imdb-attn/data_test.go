package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/dataset"
)

// runData runs `imdb-attn data ...` in an App holding only the data command.
func runData(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &cli.App{
		Name:           "imdb-attn",
		Commands:       []*cli.Command{dataCommand()},
		Reader:         strings.NewReader(stdin),
		Writer:         &out,
		ErrWriter:      &errOut,
		ExitErrHandler: func(*cli.Context, error) {},
	}
	err = app.RunContext(context.Background(), append([]string{"imdb-attn", "data"}, args...))
	return out.String(), errOut.String(), err
}

// testIndex ranks a few words; "rare" is far down the list.
var testIndex = dataset.WordIndex{"the": 1, "movie": 2, "was": 3, "great": 4, "br": 5,
	"bad": 6, "rare": 20}

// writeTestData makes a data folder with testIndex and, when withReviews, a
// tarball of one review per split and label plus one more training review.
func writeTestData(t *testing.T, withReviews bool) string {
	t.Helper()
	dir := t.TempDir()
	raw, err := json.Marshal(testIndex)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, dataset.WordIndexFile), raw)
	if !withReviews {
		return dir
	}

	reviews := []struct{ name, text string }{
		{"aclImdb/train/pos/0_9.txt", "The movie was great"},
		{"aclImdb/train/pos/1_10.txt", "great great great rare movie, the movie"},
		{"aclImdb/train/neg/0_2.txt", "bad movie"},
		{"aclImdb/test/pos/0_8.txt", "great zzz"},
		{"aclImdb/test/neg/0_1.txt", "the movie was bad<br />"},
		{"aclImdb/train/unsup/0_0.txt", "ignored"},
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, r := range reviews {
		hdr := &tar.Header{Name: r.name, Mode: 0o644, Size: int64(len(r.text)),
			Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(r.text)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, dataset.ArchiveFile), buf.Bytes())
	return dir
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDataEncode(t *testing.T) {
	dir := writeTestData(t, false)
	stdout, _, err := runData(t, "", "encode", "--data", dir, "--num-words", "7",
		"--maxlen", "6", "The movie<br />was GREAT rare zzz")
	if err != nil {
		t.Fatal(err)
	}
	var got encodeReport
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	// By hand: the 4, movie 5, br 8 -> 2, was 6, great 7 -> 2, rare 23 -> 2,
	// zzz dropped; 7 ids, so maxlen 6 drops the start id.
	want := encodeReport{
		Text: "The movie<br />was GREAT rare zzz", NumWords: 7, MaxLen: 6,
		Tokens:    []string{"the", "movie", "br", "was", "great", "rare", "zzz"},
		IDs:       []int32{1, 4, 5, 2, 6, 2, 2},
		Padded:    []int32{4, 5, 2, 6, 2, 2},
		Unknown:   []string{"zzz"},
		OOV:       []string{"br", "great", "rare"},
		Truncated: true,
	}
	if got.Text != want.Text || got.NumWords != want.NumWords || got.MaxLen != want.MaxLen ||
		!slices.Equal(got.Tokens, want.Tokens) || !slices.Equal(got.IDs, want.IDs) ||
		!slices.Equal(got.Padded, want.Padded) || !slices.Equal(got.Unknown, want.Unknown) ||
		!slices.Equal(got.OOV, want.OOV) || got.Truncated != want.Truncated {
		t.Errorf("encode printed %+v\nwant %+v", got, want)
	}
}

func TestDataEncodeInputs(t *testing.T) {
	dir := writeTestData(t, false)
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []int32
	}{
		{"arguments joined", "", []string{"the", "movie"}, []int32{0, 0, 1, 4, 5}},
		{"stdin by dash", "great movie", []string{"-"}, []int32{0, 0, 1, 7, 5}},
		{"stdin without text", "was", nil, []int32{0, 0, 0, 1, 6}},
		{"empty text", "", []string{""}, []int32{0, 0, 0, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"encode", "--data", dir, "--maxlen", "5"}, tt.args...)
			stdout, _, err := runData(t, tt.stdin, args...)
			if err != nil {
				t.Fatal(err)
			}
			var got encodeReport
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Padded, tt.want) || got.Tokens == nil || got.Unknown == nil {
				t.Errorf("padded %v (tokens %v, unknown %v), want %v", got.Padded, got.Tokens,
					got.Unknown, tt.want)
			}
		})
	}
}

func TestDataDirSources(t *testing.T) {
	t.Run("environment", func(t *testing.T) {
		t.Setenv(dataset.EnvDataDir, writeTestData(t, false))
		if _, _, err := runData(t, "", "encode", "movie"); err != nil {
			t.Errorf("data folder from $%s: %v", dataset.EnvDataDir, err)
		}
	})
	t.Run("config", func(t *testing.T) {
		t.Setenv(dataset.EnvDataDir, "")
		dir := writeTestData(t, false)
		config := filepath.Join(t.TempDir(), "run.yaml")
		writeTestFile(t, config, []byte("data:\n  dir: "+dir+"\nmodel:\n  seq_len: 3\n"))
		stdout, _, err := runData(t, "", "encode", "--config", config, "movie")
		if err != nil {
			t.Fatal(err)
		}
		var got encodeReport
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if got.MaxLen != 3 || len(got.Padded) != 3 {
			t.Errorf("maxlen %d from the config, want 3", got.MaxLen)
		}
	})
}

func TestDataEncodeErrors(t *testing.T) {
	dir := writeTestData(t, false)
	empty := t.TempDir()
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"invalid UTF-8", "", []string{"--data", dir, "bad\xffbyte"}, []string{"UTF-8"}},
		{"maxlen 0", "", []string{"--data", dir, "--maxlen", "0", "x"}, []string{"--maxlen"}},
		{"maxlen huge", "", []string{"--data", dir, "--maxlen", "100000000000", "x"},
			[]string{"--maxlen"}},
		{"negative num-words", "", []string{"--data", dir, "--num-words", "-1", "x"},
			[]string{"--num-words"}},
		{"no data", "", []string{"--data", empty, "x"},
			[]string{empty, dataset.WordIndexFile, dataset.WordIndexURL, "data fetch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runData(t, tt.stdin, append([]string{"encode"}, tt.args...)...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

// infoJSON is the part of `data info --json` the tests read.
type infoJSON struct {
	FromCache     bool                `json:"from_cache"`
	DirFrom       string              `json:"dir_from"`
	WordIndexSize int                 `json:"word_index_size"`
	MaxLen        int                 `json:"maxlen"`
	Splits        []dataset.SplitInfo `json:"splits"`
}

func TestDataInfo(t *testing.T) {
	dir := writeTestData(t, true)
	cacheDir := t.TempDir()
	args := []string{"info", "--data", dir, "--cache-dir", cacheDir, "--maxlen", "4", "--json"}

	for run, wantCache := range []bool{false, true} {
		stdout, _, err := runData(t, "", args...)
		if err != nil {
			t.Fatal(err)
		}
		var got infoJSON
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		if got.FromCache != wantCache || got.DirFrom != dataset.DirFromFlag ||
			got.WordIndexSize != len(testIndex) || got.MaxLen != 4 || len(got.Splits) != 2 {
			t.Fatalf("run %d: %+v", run, got)
		}
		train, test := got.Splits[0], got.Splits[1]
		// Train: 3 reviews (2 pos); lengths 5, 8, 3: two over maxlen 4.
		// Test: "great zzz" has one unknown token.
		if train.Reviews != 3 || train.Pos != 2 || train.Neg != 1 || train.Truncated != 2 ||
			train.Unknown != 0 || test.Reviews != 2 || test.Unknown != 1 {
			t.Errorf("run %d: train %+v\ntest %+v", run, train, test)
		}
	}

	stdout, _, err := runData(t, "", "info", "--data", dir, "--cache-dir", cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"train", "test", "truncated", "read from cache", dir} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

func TestDataInfoErrors(t *testing.T) {
	empty := t.TempDir()
	_, _, err := runData(t, "", "info", "--data", empty, "--no-cache")
	if err == nil || !strings.Contains(err.Error(), dataset.ArchiveURL) ||
		!strings.Contains(err.Error(), "data fetch") {
		t.Errorf("missing data: error %v should say what to download", err)
	}

	dir := writeTestData(t, true)
	writeTestFile(t, filepath.Join(dir, dataset.ArchiveFile), []byte("not a tarball"))
	_, _, err = runData(t, "", "info", "--data", dir, "--no-cache")
	if err == nil || !strings.Contains(err.Error(), dataset.ArchiveFile) {
		t.Errorf("broken tarball: error %v should name it", err)
	}
}

func TestDataFetchMismatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"not": 1}`))
	}))
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "data")
	_, _, err := runData(t, "", "fetch", "--data", dir, "--quiet", "--mirror", srv.URL)
	if err == nil {
		t.Fatal("a file with the wrong digest was accepted")
	}
	for _, want := range []string{dataset.WordIndexFile, srv.URL, dir, dataset.WordIndexSHA256} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, dataset.WordIndexFile)); !os.IsNotExist(err) {
		t.Error("the bad download was kept")
	}
}

// With the real word index served locally and a review folder standing in
// for the tarball, fetch downloads, verifies and reports.
func TestDataFetchRealWordIndex(t *testing.T) {
	real := filepath.Join("..", "..", "..", "shared", "data", "imdb", dataset.WordIndexFile)
	index, err := os.ReadFile(real)
	if err != nil {
		t.Skipf("no real word index: %v", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+dataset.WordIndexFile {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(index)
	}))
	defer srv.Close()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, dataset.FolderName), 0o755); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, err := runData(t, "", "fetch", "--data", dir, "--mirror", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"downloaded, SHA-256 verified", "stands in", "data ready"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, dataset.WordIndexFile) {
		t.Errorf("no progress bar on stderr: %q", stderr)
	}
	stdout, _, err = runData(t, "", "fetch", "--data", dir, "--mirror", srv.URL)
	if err != nil || !strings.Contains(stdout, "present, SHA-256 verified") {
		t.Errorf("second fetch: %v\n%s", err, stdout)
	}
}

package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fileServer serves named files and counts requests.
type fileServer struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	requests map[string]int
}

func newFileServer(t *testing.T, files map[string][]byte) *fileServer {
	t.Helper()
	s := &fileServer{files: files, requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		s.mu.Lock()
		s.requests[name]++
		body, ok := s.files[name]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *fileServer) count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[name]
}

// tinyPublicFiles are the two public files of the tiny data set.
func tinyPublicFiles(t *testing.T) map[string][]byte {
	t.Helper()
	index, err := json.Marshal(tinyIndex())
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{WordIndexFile: index, ArchiveFile: tarGz(t, tinyEntries())}
}

// downloadsOf describes files as served by srv, with their true digests.
func downloadsOf(srv *fileServer, files map[string][]byte) []Download {
	var out []Download
	for _, name := range []string{WordIndexFile, ArchiveFile} {
		sum := sha256.Sum256(files[name])
		out = append(out, Download{Name: name, URL: srv.URL + "/" + name,
			Size: int64(len(files[name])), SHA256: hex.EncodeToString(sum[:])})
	}
	return out
}

// progressLog records the last progress report per file.
type progressLog struct {
	mu   sync.Mutex
	last map[string][2]int64
}

func (p *progressLog) report(name string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		p.last = map[string][2]int64{}
	}
	p.last[name] = [2]int64{done, total}
}

// noTempFiles fails when a download left a temporary file in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	parts, _ := filepath.Glob(filepath.Join(dir, ".*.part"))
	if len(parts) > 0 {
		t.Errorf("temporary files left: %v", parts)
	}
}

func TestFetchFilesDownloadsAndVerifies(t *testing.T) {
	files := tinyPublicFiles(t)
	srv := newFileServer(t, files)
	dir := filepath.Join(t.TempDir(), "data")
	var progress progressLog

	report, err := FetchFiles(context.Background(), dir, FetchOptions{
		Client: srv.Client(), Files: downloadsOf(srv, files), Progress: progress.report})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{WordIndexFile, ArchiveFile} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != string(files[name]) {
			t.Errorf("%s: not downloaded intact (%v)", name, err)
		}
		if report[i].Name != name || report[i].Status != FetchDownloaded {
			t.Errorf("report[%d] = %+v", i, report[i])
		}
		size := int64(len(files[name]))
		if progress.last[name] != [2]int64{size, size} {
			t.Errorf("%s: last progress %v, want done = total = %d", name,
				progress.last[name], size)
		}
	}
	noTempFiles(t, dir)
	if err := CheckDir(dir); err != nil {
		t.Errorf("CheckDir after fetch: %v", err)
	}
	if _, err := Load(dir, LoadOptions{NoCache: true}); err != nil {
		t.Errorf("Load after fetch: %v", err)
	}

	// A second fetch verifies and downloads nothing.
	report, err = FetchFiles(context.Background(), dir, FetchOptions{
		Client: srv.Client(), Files: downloadsOf(srv, files)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range report {
		if f.Status != FetchPresent {
			t.Errorf("second fetch: %+v, want present", f)
		}
	}
	if srv.count(WordIndexFile) != 1 || srv.count(ArchiveFile) != 1 {
		t.Errorf("requests: %v, want one each", srv.requests)
	}
}

func TestFetchFilesReplacesDamagedFile(t *testing.T) {
	files := tinyPublicFiles(t)
	srv := newFileServer(t, files)
	dir := t.TempDir()
	writeFile(t, dir, WordIndexFile, []byte(`{"damaged": 1}`))
	if _, err := FetchFiles(context.Background(), dir, FetchOptions{
		Client: srv.Client(), Files: downloadsOf(srv, files)}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, WordIndexFile))
	if string(got) != string(files[WordIndexFile]) || srv.count(WordIndexFile) != 1 {
		t.Errorf("damaged word index not replaced: %q", got)
	}
}

func TestFetchFilesStandIn(t *testing.T) {
	files := tinyPublicFiles(t)
	srv := newFileServer(t, files)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, FolderName), 0o755); err != nil {
		t.Fatal(err)
	}
	report, err := FetchFiles(context.Background(), dir, FetchOptions{
		Client: srv.Client(), Files: downloadsOf(srv, files)})
	if err != nil {
		t.Fatal(err)
	}
	if srv.count(ArchiveFile) != 0 || report[1].Status != FetchStandIn ||
		report[1].Name != FolderName {
		t.Errorf("archive fetched despite the folder: %+v, %d requests", report,
			srv.count(ArchiveFile))
	}

	// A labelled tarball stands in only when it matches its known digest.
	dir = t.TempDir()
	writeFile(t, dir, LabelledArchiveFile, tarGz(t, tinyEntries()))
	_, err = FetchFiles(context.Background(), dir, FetchOptions{
		Client: srv.Client(), Files: downloadsOf(srv, files)})
	if err == nil || !strings.Contains(err.Error(), LabelledArchiveFile) ||
		!strings.Contains(err.Error(), labelledSHA256) {
		t.Errorf("error %v should name the labelled tarball and its digest", err)
	}
}

func TestFetchFilesErrors(t *testing.T) {
	files := tinyPublicFiles(t)
	tests := []struct {
		name   string
		serve  func(map[string][]byte)       // changes what the server holds
		expect func(d []Download) []Download // changes what is expected
		before func(srv *fileServer)         // runs before fetching
		ctx    func() context.Context
		want   []string
	}{
		{name: "checksum mismatch",
			serve: func(f map[string][]byte) {
				damaged := []byte(string(f[WordIndexFile]))
				damaged[2] ^= 1
				f[WordIndexFile] = damaged
			},
			want: []string{"SHA-256 mismatch"}},
		{name: "longer than expected",
			serve: func(f map[string][]byte) { f[WordIndexFile] = append(f[WordIndexFile], ' ') },
			want:  []string{"bytes, expected"}},
		{name: "shorter than expected",
			serve: func(f map[string][]byte) { f[WordIndexFile] = f[WordIndexFile][:10] },
			want:  []string{"got 10 bytes"}},
		{name: "not found",
			serve: func(f map[string][]byte) { delete(f, WordIndexFile) },
			want:  []string{"404"}},
		{name: "offline",
			before: func(srv *fileServer) { srv.Close() },
			want:   []string{"connect"}},
		{name: "cancelled",
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			},
			want: []string{"context canceled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			served := map[string][]byte{}
			for k, v := range files {
				served[k] = v
			}
			srv := newFileServer(t, served)
			expected := downloadsOf(srv, files)
			if tt.serve != nil {
				tt.serve(served)
			}
			if tt.before != nil {
				tt.before(srv)
			}
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			dir := t.TempDir()
			_, err := FetchFiles(ctx, dir, FetchOptions{Client: srv.Client(), Files: expected})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			// The error says what failed, and how to get every missing file by hand.
			for _, want := range append(tt.want, dir, WordIndexFile, ArchiveFile,
				expected[0].URL, expected[1].URL, expected[0].SHA256) {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, WordIndexFile)); !os.IsNotExist(err) {
				t.Errorf("a failed download left %s in place", WordIndexFile)
			}
			noTempFiles(t, dir)
		})
	}
}

// Fetch downloads the public files, from overridden addresses here; the tiny
// files do not match the public digests, which the error must say.
func TestFetchWithBaseURLs(t *testing.T) {
	files := tinyPublicFiles(t)
	srv := newFileServer(t, files)
	dir := t.TempDir()
	urls := map[string]string{
		WordIndexFile: srv.URL + "/" + WordIndexFile,
		ArchiveFile:   srv.URL + "/" + ArchiveFile,
	}
	err := Fetch(context.Background(), dir, srv.Client(), urls, nil)
	if err == nil {
		t.Fatal("tiny files passed the public checksums")
	}
	for _, want := range []string{urls[WordIndexFile], WordIndexSHA256, dir, urls[ArchiveFile]} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if srv.count(WordIndexFile) != 1 {
		t.Errorf("word index requested %d times from the override, want 1",
			srv.count(WordIndexFile))
	}
}

func TestDownloadsMatchDesign(t *testing.T) {
	d := Downloads()
	if len(d) != 2 || d[0].Name != WordIndexFile || d[1].Name != ArchiveFile {
		t.Fatalf("Downloads = %+v", d)
	}
	for _, f := range d {
		if !strings.HasPrefix(f.URL, "https://") || f.Size <= 0 || len(f.SHA256) != 64 {
			t.Errorf("incomplete download description %+v", f)
		}
		if _, err := hex.DecodeString(f.SHA256); err != nil {
			t.Errorf("%s: digest is not hex: %v", f.Name, err)
		}
	}
}

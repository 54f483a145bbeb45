package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// checkTinyCorpus checks c against tinyReviews encoded by hand.
func checkTinyCorpus(t *testing.T, c *Corpus) {
	t.Helper()
	index := tinyIndex()
	type row struct {
		label  int32
		id     int32
		rating int32
		text   string
	}
	want := map[string][]row{}
	for _, r := range tinyReviews {
		split, label, id, rating, _ := parseReviewPath(r.name)
		want[split] = append(want[split], row{label, id, rating, r.body})
	}
	for split, rows := range want {
		// The corpus order: negative first, then by id.
		slices.SortFunc(rows, func(a, b row) int {
			if a.label != b.label {
				return int(a.label - b.label)
			}
			return int(a.id - b.id)
		})
		set, meta := c.Train, c.TrainMeta
		if split == SplitTest {
			set, meta = c.Test, c.TestMeta
		}
		if set.Len() != len(rows) || len(meta) != len(rows) {
			t.Fatalf("%s: %d sequences, %d meta, want %d", split, set.Len(), len(meta), len(rows))
		}
		for i, r := range rows {
			enc := NewEncoder(index, 0).Encode(r.text)
			if !slices.Equal(set.Seqs[i], expectedIDs(index, r.text)) ||
				set.Labels[i] != r.label || meta[i].ID != r.id || meta[i].Rating != r.rating ||
				int(meta[i].Unknown) != enc.Unknown {
				t.Errorf("%s row %d: seq %v label %d meta %+v, want seq %v label %d id %d "+
					"rating %d unknown %d", split, i, set.Seqs[i], set.Labels[i], meta[i],
					expectedIDs(index, r.text), r.label, r.id, r.rating, enc.Unknown)
			}
		}
	}
}

func TestLoadTinyArchive(t *testing.T) {
	for _, name := range []string{ArchiveFile, LabelledArchiveFile} {
		t.Run(name, func(t *testing.T) {
			dir := tinyDataDir(t, name)
			c, err := Load(dir, LoadOptions{NoCache: true})
			if err != nil {
				t.Fatal(err)
			}
			checkTinyCorpus(t, c)
			if c.Source != filepath.Join(dir, name) || c.Dir != dir || c.FromCache ||
				c.CachePath != "" {
				t.Errorf("Source %q Dir %q FromCache %v CachePath %q", c.Source, c.Dir,
					c.FromCache, c.CachePath)
			}
			if len(c.Index) != len(tinyIndex()) {
				t.Errorf("index has %d words, want %d", len(c.Index), len(tinyIndex()))
			}
		})
	}
}

func TestLoadTinyFolder(t *testing.T) {
	dir := t.TempDir()
	for _, f := range tinyEntries() {
		if !strings.HasSuffix(f.name, "/") {
			writeFile(t, dir, f.name, []byte(f.body))
		}
	}
	writeIndex(t, dir, tinyIndex())
	c, err := Load(dir, LoadOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	checkTinyCorpus(t, c)
	if c.Source != filepath.Join(dir, FolderName) {
		t.Errorf("Source = %q, want the folder", c.Source)
	}
	again, err := Load(dir, LoadOptions{CacheDir: filepath.Dir(c.CachePath)})
	if err != nil || !again.FromCache {
		t.Fatalf("second load: FromCache %v, err %v", again != nil && again.FromCache, err)
	}
}

// The official tarball wins over the labelled one and the folder.
func TestLoadPrefersOfficialArchive(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	writeFile(t, dir, LabelledArchiveFile, []byte("not even gzip"))
	if err := os.MkdirAll(filepath.Join(dir, FolderName), 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, LoadOptions{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(c.Source) != ArchiveFile {
		t.Errorf("read %s, want %s", c.Source, ArchiveFile)
	}
}

func TestLoadCache(t *testing.T) {
	dir := tinyDataDir(t, LabelledArchiveFile)
	cacheDir := filepath.Join(t.TempDir(), "encoded")

	cold, err := Load(dir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if cold.FromCache || cold.CachePath == "" || cold.CacheWarning != "" {
		t.Fatalf("cold load: FromCache %v CachePath %q warning %q", cold.FromCache,
			cold.CachePath, cold.CacheWarning)
	}
	if _, err := os.Stat(cold.CachePath); err != nil {
		t.Fatalf("cache not written: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(cacheDir, ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left in the cache folder: %v", leftovers)
	}

	warm, err := Load(dir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if !warm.FromCache || warm.CachePath != cold.CachePath {
		t.Fatalf("warm load: FromCache %v CachePath %q", warm.FromCache, warm.CachePath)
	}
	checkTinyCorpus(t, warm)
	if len(warm.Index) != len(cold.Index) || warm.Source != cold.Source {
		t.Error("warm load lacks the index or source")
	}

	// Appending to a cached sequence must not spill into the next one.
	first := warm.Train.Seqs[0]
	next := slices.Clone(warm.Train.Seqs[1])
	_ = append(first, 99)
	if !slices.Equal(warm.Train.Seqs[1], next) {
		t.Error("cached sequences share capacity")
	}
}

func TestLoadCacheRebuiltWhenInputsChange(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	cacheDir := t.TempDir()
	first, err := Load(dir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}

	// A different word index: a new cache, and ids from the new index.
	index := tinyIndex()
	index["zzz"] = len(index) + 1
	writeIndex(t, dir, index)
	second, err := Load(dir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if second.FromCache || second.CachePath == first.CachePath {
		t.Errorf("new word index: FromCache %v, cache %s (old %s)", second.FromCache,
			second.CachePath, first.CachePath)
	}
	if last := second.Test.Seqs[0]; last[len(last)-1] != int32(index["zzz"]+IndexFrom) {
		t.Errorf("test review 5 encodes as %v; zzz should now be id %d", last,
			index["zzz"]+IndexFrom)
	}

	// A touched archive: a new cache again.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, ArchiveFile), later, later); err != nil {
		t.Fatal(err)
	}
	third, err := Load(dir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if third.FromCache || third.CachePath == second.CachePath {
		t.Errorf("touched archive: FromCache %v, cache %s", third.FromCache, third.CachePath)
	}

	// Only the newest cache of this archive is kept.
	kept, _ := filepath.Glob(filepath.Join(cacheDir, "*.npz"))
	if len(kept) != 1 || kept[0] != third.CachePath {
		t.Errorf("caches kept: %v, want only %s", kept, third.CachePath)
	}
}

// Caches of other sources share the folder and survive.
func TestLoadKeepsOtherSourcesCaches(t *testing.T) {
	cacheDir := t.TempDir()
	first, err := Load(tinyDataDir(t, ArchiveFile), LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	second, err := Load(tinyDataDir(t, LabelledArchiveFile), LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{first.CachePath, second.CachePath} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("cache %s removed: %v", path, err)
		}
	}
}

func TestLoadCorruptCacheIsRebuilt(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	cacheDir := t.TempDir()
	first, err := Load(dir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(first.CachePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, damaged := range [][]byte{raw[:len(raw)/2], []byte("garbage"), {}} {
		if err := os.WriteFile(first.CachePath, damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(dir, LoadOptions{CacheDir: cacheDir})
		if err != nil {
			t.Fatal(err)
		}
		if c.FromCache || !strings.Contains(c.CacheWarning, "unusable") {
			t.Errorf("damaged cache: FromCache %v, warning %q", c.FromCache, c.CacheWarning)
		}
		checkTinyCorpus(t, c)
		again, err := Load(dir, LoadOptions{CacheDir: cacheDir})
		if err != nil || !again.FromCache {
			t.Errorf("cache not rewritten after damage: %v", err)
		}
	}
}

func TestLoadUnwritableCache(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	blocker := writeFile(t, t.TempDir(), "file", []byte("a file, not a folder"))
	c, err := Load(dir, LoadOptions{CacheDir: filepath.Join(blocker, "encoded")})
	if err != nil {
		t.Fatal(err)
	}
	if c.CachePath != "" || !strings.Contains(c.CacheWarning, "not cached") {
		t.Errorf("CachePath %q warning %q", c.CachePath, c.CacheWarning)
	}
	checkTinyCorpus(t, c)
}

func TestLoadNoCacheWritesNothing(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	if _, err := Load(dir, LoadOptions{NoCache: true}); err != nil {
		t.Fatal(err)
	}
	base, _ := os.UserCacheDir()
	if entries, _ := os.ReadDir(base); len(entries) > 0 {
		t.Errorf("NoCache wrote into %s", base)
	}
}

func TestLoadDefaultCacheDir(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	c, err := Load(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := DefaultCacheDir()
	if filepath.Dir(c.CachePath) != want {
		t.Errorf("cache at %s, want in %s", c.CachePath, want)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Run("missing data", func(t *testing.T) {
		_, err := Load(t.TempDir(), LoadOptions{NoCache: true})
		var missing *MissingDataError
		if !errors.As(err, &missing) || !errors.Is(err, ErrNoData) {
			t.Errorf("error %v should be a MissingDataError", err)
		}
	})
	t.Run("bad word index", func(t *testing.T) {
		dir := tinyDataDir(t, ArchiveFile)
		writeFile(t, dir, WordIndexFile, []byte(`["the"]`))
		_, err := Load(dir, LoadOptions{NoCache: true})
		if err == nil || !strings.Contains(err.Error(), WordIndexFile) {
			t.Errorf("error %v should name %s", err, WordIndexFile)
		}
	})
	t.Run("truncated archive", func(t *testing.T) {
		dir := t.TempDir()
		data := tarGz(t, tinyEntries())
		writeFile(t, dir, ArchiveFile, data[:len(data)*2/3])
		writeIndex(t, dir, tinyIndex())
		_, err := Load(dir, LoadOptions{CacheDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), ArchiveFile) ||
			!strings.Contains(err.Error(), "truncated") {
			t.Errorf("error %v should name %s and say truncated", err, ArchiveFile)
		}
	})
}

package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveDir(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	tests := []struct {
		name, flag, env, config string
		wantDir, wantSource     string
	}{
		{"flag first", "/f", "/e", "/c", "/f", DirFromFlag},
		{"then env", "", "/e", "/c", "/e", DirFromEnv},
		{"then config", "", "", "/c", "/c", DirFromConfig},
		{"then cache", "", "", "", filepath.Join(cache, "imdb-attn"), DirFromCache},
		{"blank counts as unset", "  ", " ", "", filepath.Join(cache, "imdb-attn"), DirFromCache},
		{"cleaned", "/f/../g/", "", "", "/g", DirFromFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDataDir, tt.env)
			dir, source, err := ResolveDir(tt.flag, tt.config)
			if err != nil {
				t.Fatal(err)
			}
			if dir != tt.wantDir || source != tt.wantSource {
				t.Errorf("ResolveDir = %q from %s, want %q from %s", dir, source, tt.wantDir,
					tt.wantSource)
			}
		})
	}
}

func TestDefaultDirsNeedAHome(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	t.Setenv(EnvDataDir, "")
	if _, _, err := ResolveDir("", ""); err == nil || !strings.Contains(err.Error(), EnvDataDir) {
		t.Errorf("no cache folder: error %v should point at $%s", err, EnvDataDir)
	}
	if _, err := DefaultCacheDir(); err == nil {
		t.Error("DefaultCacheDir without a home: want an error")
	}
}

func TestCheckDir(t *testing.T) {
	t.Run("complete with each source", func(t *testing.T) {
		for _, name := range []string{ArchiveFile, LabelledArchiveFile} {
			if err := CheckDir(tinyDataDir(t, name)); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		dir := t.TempDir()
		writeIndex(t, dir, tinyIndex())
		if err := os.Mkdir(filepath.Join(dir, FolderName), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := CheckDir(dir); err != nil {
			t.Errorf("folder: %v", err)
		}
	})

	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		missing []string
	}{
		{"empty folder", func(*testing.T, string) {}, []string{WordIndexFile, ArchiveFile}},
		{"no word index", func(t *testing.T, dir string) {
			writeFile(t, dir, ArchiveFile, []byte("x"))
		}, []string{WordIndexFile}},
		{"no reviews", func(t *testing.T, dir string) {
			writeIndex(t, dir, tinyIndex())
		}, []string{ArchiveFile}},
		{"word index is a folder", func(t *testing.T, dir string) {
			writeFile(t, dir, filepath.Join(WordIndexFile, "x"), nil)
			writeFile(t, dir, ArchiveFile, []byte("x"))
		}, []string{WordIndexFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			err := CheckDir(dir)
			var missing *MissingDataError
			if !errors.As(err, &missing) || !errors.Is(err, ErrNoData) {
				t.Fatalf("error %v should be a MissingDataError", err)
			}
			if strings.Join(missing.Missing, ",") != strings.Join(tt.missing, ",") {
				t.Errorf("Missing = %v, want %v", missing.Missing, tt.missing)
			}
			msg := err.Error()
			for _, want := range []string{dir, ArchiveURL, WordIndexURL, ArchiveSHA256,
				WordIndexSHA256, LabelledArchiveFile, EnvDataDir} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
		})
	}

	t.Run("folder that does not exist", func(t *testing.T) {
		err := CheckDir(filepath.Join(t.TempDir(), "nowhere"))
		if !errors.Is(err, ErrNoData) {
			t.Errorf("error %v should be ErrNoData", err)
		}
	})
}

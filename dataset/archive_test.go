package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readAll collects the reviews of src as "split/label/id_rating: text".
func readAll(t *testing.T, src source) ([]string, error) {
	t.Helper()
	var got []string
	err := src.read(func(r *review) error {
		got = append(got, reviewLine(r.Split, r.Label, r.ID, r.Rating, string(r.Text)))
		return nil
	})
	return got, err
}

func reviewLine(split string, label, id, rating int32, text string) string {
	return fmt.Sprintf("%s/%d_%d: %s", groupName(split, label), id, rating, text)
}

// wantLines are tinyReviews as readAll reports them.
func wantLines() map[string]bool {
	want := map[string]bool{}
	for _, r := range tinyReviews {
		split, label, id, rating, ok := parseReviewPath(r.name)
		if !ok {
			panic("bad fixture " + r.name)
		}
		want[reviewLine(split, label, id, rating, r.body)] = true
	}
	return want
}

func checkLines(t *testing.T, got []string) {
	t.Helper()
	want := wantLines()
	if len(got) != len(want) {
		t.Errorf("read %d reviews, want %d: %q", len(got), len(want), got)
	}
	for _, line := range got {
		if !want[line] {
			t.Errorf("unexpected review %q", line)
		}
	}
}

func TestParseReviewPath(t *testing.T) {
	tests := []struct {
		path              string
		ok                bool
		split             string
		label, id, rating int32
	}{
		{"aclImdb/train/pos/0_9.txt", true, SplitTrain, LabelPos, 0, 9},
		{"./aclImdb/test/neg/12499_1.txt", true, SplitTest, LabelNeg, 12499, 1},
		{"train/pos/3_10.txt", true, SplitTrain, LabelPos, 3, 10},
		{"aclImdb/train/unsup/0_0.txt", false, "", 0, 0, 0},
		{"aclImdb/train/urls_pos.txt", false, "", 0, 0, 0},
		{"aclImdb/val/pos/0_9.txt", false, "", 0, 0, 0},
		{"aclImdb/train/pos/0_9.text", false, "", 0, 0, 0},
		{"aclImdb/train/pos/0-9.txt", false, "", 0, 0, 0},
		{"aclImdb/train/pos/_9.txt", false, "", 0, 0, 0},
		{"aclImdb/train/pos/1_+9.txt", false, "", 0, 0, 0},
		{"aclImdb/train/pos/99999999999_9.txt", false, "", 0, 0, 0},
		{"pos/0_9.txt", false, "", 0, 0, 0},
	}
	for _, tt := range tests {
		split, label, id, rating, ok := parseReviewPath(tt.path)
		if ok != tt.ok || split != tt.split || label != tt.label || id != tt.id ||
			rating != tt.rating {
			t.Errorf("parseReviewPath(%q) = %q %d %d %d %v, want %q %d %d %d %v", tt.path,
				split, label, id, rating, ok, tt.split, tt.label, tt.id, tt.rating, tt.ok)
		}
	}
}

func TestReadArchive(t *testing.T) {
	path := writeFile(t, t.TempDir(), ArchiveFile, tarGz(t, tinyEntries()))
	got, err := readAll(t, source{path: path, kind: sourceArchive})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, got)
}

func TestReadFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), FolderName)
	for _, f := range tinyEntries() {
		if strings.HasSuffix(f.name, "/") {
			continue
		}
		writeFile(t, filepath.Dir(root), f.name, []byte(f.body))
	}
	got, err := readAll(t, source{path: root, kind: sourceFolder})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, got)
}

func TestReadFolderMissingSplit(t *testing.T) {
	root := filepath.Join(t.TempDir(), FolderName)
	for _, f := range tinyReviews {
		if !strings.Contains(f.name, "test/pos") {
			writeFile(t, filepath.Dir(root), f.name, []byte(f.body))
		}
	}
	_, err := readAll(t, source{path: root, kind: sourceFolder})
	if err == nil || !strings.Contains(err.Error(), "test/pos") {
		t.Errorf("error %v should name the missing folder test/pos", err)
	}
}

func TestReadArchiveErrors(t *testing.T) {
	good := tarGz(t, tinyEntries())
	without := func(group string) []tarFile {
		var files []tarFile
		for _, f := range tinyEntries() {
			if !strings.Contains(f.name, group+"/") {
				files = append(files, f)
			}
		}
		return files
	}
	corrupt := append([]byte(nil), good...)
	for i := len(corrupt) / 3; i < len(corrupt)/3+40; i++ {
		corrupt[i] ^= 0x5a
	}
	badUTF8 := append(tinyEntries(), tarFile{"aclImdb/test/pos/7_8.txt", "fine\xff\xfe text"})
	dup := append(tinyEntries(), tarFile{"other/aclImdb/train/pos/0_10.txt", "again"})

	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"not gzip", []byte("this is no tarball"), []string{"not a gzip"}},
		{"empty file", nil, []string{"not a gzip"}},
		{"truncated in a review", good[:len(good)/2], []string{"truncated"}},
		{"truncated trailer", good[:len(good)-4], []string{"truncated", "EOF"}},
		{"corrupt", corrupt, []string{"corrupt"}},
		{"empty split", tarGz(t, without("test/pos")), []string{"no reviews in test/pos"}},
		{"two empty splits", tarGz(t, without("train")),
			[]string{"train/neg, train/pos"}},
		{"invalid UTF-8", tarGz(t, badUTF8),
			[]string{"aclImdb/test/pos/7_8.txt", "not valid UTF-8", "offset 4"}},
		{"repeated review", tarGz(t, dup), []string{"repeats review 0 of train/pos"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "broken.tar.gz", tt.data)
			_, err := readAll(t, source{path: path, kind: sourceArchive})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			t.Log(msg)
			for _, want := range append(tt.want, "broken.tar.gz") {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestReadArchiveMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), ArchiveFile)
	_, err := readAll(t, source{path: path, kind: sourceArchive})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), ArchiveFile) {
		t.Errorf("error %v should be not-exist and name the file", err)
	}
}

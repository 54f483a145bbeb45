package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseWordIndex(t *testing.T) {
	raw := `{"the": 1, "and": 2, "amÉlie": 3, "\u00e9t\u00e9": 4}`
	index, err := ParseWordIndex(strings.NewReader(raw), "idx.json")
	if err != nil {
		t.Fatal(err)
	}
	want := WordIndex{"the": 1, "and": 2, "amÉlie": 3, "été": 4}
	if len(index) != len(want) {
		t.Fatalf("got %d entries, want %d", len(index), len(want))
	}
	for w, r := range want {
		if index[w] != r {
			t.Errorf("index[%q] = %d, want %d", w, index[w], r)
		}
	}
}

func TestParseWordIndexErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"empty file", "", "the file is empty"},
		{"blank file", " \n", "the file is empty"},
		{"not JSON", "the,1", "invalid character"},
		{"truncated", `{"the": 1, "and"`, "ends early"},
		{"array", `[["the", 1]]`, "found an array"},
		{"null", `null`, "found null"},
		{"number", `7`, "found the number 7"},
		{"empty object", `{}`, "the object is empty"},
		{"string rank", `{"the": "1"}`, `"the" maps to a string`},
		{"float rank", `{"the": 1.5}`, `"the" maps to 1.5`},
		{"null rank", `{"the": 1, "and": null}`, `"and" maps to null`},
		{"object rank", `{"the": {"rank": 1}}`, `"the" maps to an object`},
		{"zero rank", `{"the": 0}`, `"the" maps to 0`},
		{"negative rank", `{"the": 1, "and": -2}`, `"and" maps to -2`},
		{"rank beyond int32", `{"the": 2147483647}`, `"the" maps to 2147483647`},
		{"trailing data", `{"the": 1} {"and": 2}`, "data after the object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			index, err := ParseWordIndex(strings.NewReader(tt.json), "words.json")
			if err == nil {
				t.Fatalf("ParseWordIndex(%q) = %v, want an error", tt.json, index)
			}
			msg := err.Error()
			if !strings.Contains(msg, "words.json") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not name the file and say %q", msg, tt.want)
			}
		})
	}
}

func TestLoadWordIndex(t *testing.T) {
	dir := t.TempDir()
	path := writeIndex(t, dir, WordIndex{"the": 1, "movie": 2})
	index, err := LoadWordIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	if index["movie"] != 2 || len(index) != 2 {
		t.Errorf("LoadWordIndex = %v", index)
	}

	_, err = LoadWordIndex(filepath.Join(dir, "absent.json"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("missing file: error %v should wrap ErrNotExist and name the file", err)
	}

	bad := writeFile(t, dir, "bad.json", []byte(`{"the": true}`))
	if _, err := LoadWordIndex(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("bad file: error %v should name bad.json", err)
	}
}

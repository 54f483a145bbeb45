package dataset

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

func TestWriteNPYIntsReadByNpyio(t *testing.T) {
	int32Cases := [][]int32{nil, {7}, {1, -2, 88587, 1<<31 - 1, -1 << 31}}
	for _, values := range int32Cases {
		var buf bytes.Buffer
		if err := writeNPYInts(&buf, values); err != nil {
			t.Fatal(err)
		}
		checkNPYHeader(t, buf.Bytes())
		var arr npy.Array
		if err := npy.Read(bytes.NewReader(buf.Bytes()), &arr); err != nil {
			t.Fatal(err)
		}
		got, ok := arr.Data().([]int32)
		if !ok || !slices.Equal(got, values) && len(values) > 0 || len(got) != len(values) {
			t.Errorf("int32 %v read back as %T %v", values, arr.Data(), arr.Data())
		}
	}

	values := []int64{0, 3, 1 << 40, -5}
	var buf bytes.Buffer
	if err := writeNPYInts(&buf, values); err != nil {
		t.Fatal(err)
	}
	checkNPYHeader(t, buf.Bytes())
	var got []int64
	if err := npy.Read(bytes.NewReader(buf.Bytes()), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, values) {
		t.Errorf("int64 %v read back as %v", values, got)
	}
}

// checkNPYHeader checks the layout NumPy expects: magic, version 1.0, and
// data starting on a multiple of 64 bytes after a header ending in "\n".
func checkNPYHeader(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte(npyMagic+"\x01\x00")) {
		t.Fatalf("bad magic or version: %q", raw[:8])
	}
	headerLen := int(raw[8]) | int(raw[9])<<8
	dataStart := 10 + headerLen
	if dataStart%npyAlign != 0 || raw[dataStart-1] != '\n' {
		t.Errorf("data starts at %d (header %q)", dataStart, raw[10:dataStart])
	}
}

func TestCacheFileLayout(t *testing.T) {
	dir := tinyDataDir(t, ArchiveFile)
	c, err := Load(dir, LoadOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(c.CachePath)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	keys := r.Keys()
	for _, split := range []string{SplitTrain, SplitTest} {
		for _, name := range []string{"ids", "offsets", "labels", "review_ids", "ratings",
			"unknown"} {
			if !slices.Contains(keys, split+"_"+name+".npy") {
				t.Errorf("cache lacks %s_%s.npy; keys %v", split, name, keys)
			}
		}
	}
	var builtFrom string
	if err := r.Read("built_from.npy", &builtFrom); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ArchiveFile, "word_index_sha256", "encoder_version"} {
		if !strings.Contains(builtFrom, want) {
			t.Errorf("built_from %s lacks %q", builtFrom, want)
		}
	}
	var offsets []int64
	if err := r.Read("train_offsets.npy", &offsets); err != nil {
		t.Fatal(err)
	}
	if len(offsets) != c.Train.Len()+1 || offsets[1] != int64(len(c.Train.Seqs[0])) {
		t.Errorf("train offsets %v do not match the sequences", offsets)
	}
}

func TestUnflattenRejectsBadArrays(t *testing.T) {
	good := func() splitArrays {
		return splitArrays{
			ids:       []int32{1, 5, 6, 1, 7},
			offsets:   []int64{0, 3, 5},
			labels:    []int32{0, 1},
			reviewIDs: []int32{3, 4},
			ratings:   []int32{2, 9},
			unknown:   []int32{0, 1},
		}
	}
	if s, meta, err := unflatten(good()); err != nil || s.Len() != 2 || meta[1].Unknown != 1 {
		t.Fatalf("good arrays: %v", err)
	}
	tests := []struct {
		name   string
		damage func(a *splitArrays)
	}{
		{"short offsets", func(a *splitArrays) { a.offsets = a.offsets[:2] }},
		{"short ratings", func(a *splitArrays) { a.ratings = a.ratings[:1] }},
		{"offsets past ids", func(a *splitArrays) { a.offsets[2] = 9 }},
		{"offsets not from 0", func(a *splitArrays) { a.offsets[0] = 1 }},
		{"decreasing offsets", func(a *splitArrays) { a.offsets[1] = 6 }},
		{"empty sequence", func(a *splitArrays) { a.offsets[1] = 0 }},
		{"no start id", func(a *splitArrays) { a.ids[3] = 8 }},
		{"bad label", func(a *splitArrays) { a.labels[0] = 3 }},
	}
	for _, tt := range tests {
		a := good()
		tt.damage(&a)
		if _, _, err := unflatten(a); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

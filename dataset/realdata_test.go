package dataset

import (
	"os"
	"slices"
	"testing"
)

// realDataDir is the shared copy of the real data beside the checkout.
const realDataDir = "../../shared/data/imdb"

// Counts of the real data set (its README, and Keras's word index).
const (
	realReviewsPerGroup = 12500 // per split and label
)

// TestRealData reads the real tarball once (cold, writing a cache in a
// temporary folder), loads it again from the cache, and checks both.
func TestRealData(t *testing.T) {
	if _, err := os.Stat(realDataDir); err != nil {
		t.Skipf("no real data at %s", realDataDir)
	}
	if testing.Short() {
		t.Skip("reads 50,000 reviews; skipped with -short")
	}
	cacheDir := t.TempDir()
	cold, err := Load(realDataDir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	if cold.FromCache || cold.CachePath == "" {
		t.Fatalf("cold load: FromCache %v, CachePath %q, warning %q", cold.FromCache,
			cold.CachePath, cold.CacheWarning)
	}
	warm, err := Load(realDataDir, LoadOptions{CacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("cache equals fresh encoding", func(t *testing.T) {
		if !warm.FromCache {
			t.Fatal("second load did not use the cache")
		}
		for _, pair := range [][2]*Set{{cold.Train, warm.Train}, {cold.Test, warm.Test}} {
			a, b := pair[0], pair[1]
			if a.Len() != b.Len() || !slices.Equal(a.Labels, b.Labels) {
				t.Fatal("labels differ")
			}
			for i := range a.Seqs {
				if !slices.Equal(a.Seqs[i], b.Seqs[i]) {
					t.Fatalf("sequence %d differs", i)
				}
			}
		}
		if !slices.Equal(cold.TrainMeta, warm.TrainMeta) ||
			!slices.Equal(cold.TestMeta, warm.TestMeta) {
			t.Error("review metadata differs")
		}
	})

	t.Run("12,500 reviews per split and label", func(t *testing.T) {
		for name, s := range map[string]*Set{SplitTrain: warm.Train, SplitTest: warm.Test} {
			neg, pos := s.LabelCounts()
			if neg != realReviewsPerGroup || pos != realReviewsPerGroup {
				t.Errorf("%s: %d neg, %d pos, want %d each", name, neg, pos, realReviewsPerGroup)
			}
		}
	})

	t.Run("word index has ranks 1..88584", func(t *testing.T) {
		if len(warm.Index) != KerasWordIndexSize {
			t.Fatalf("%d entries, want %d", len(warm.Index), KerasWordIndexSize)
		}
		seen := make([]bool, KerasWordIndexSize+1)
		for word, rank := range warm.Index {
			if rank < 1 || rank > KerasWordIndexSize || seen[rank] {
				t.Fatalf("%q has rank %d, out of range or repeated", word, rank)
			}
			seen[rank] = true
		}
	})

	// Training ids come only from tokens found in the index, one id per word.
	// So the training vocabulary equals the index's keys exactly when no
	// training token is unknown and every rank occurs among the ids.
	t.Run("training vocabulary equals the word index", func(t *testing.T) {
		for i, m := range warm.TrainMeta {
			if m.Unknown != 0 {
				t.Fatalf("training review %d (id %d) has %d tokens outside the index",
					i, m.ID, m.Unknown)
			}
		}
		seen := make([]bool, KerasWordIndexSize+IndexFrom+1)
		for _, seq := range warm.Train.Seqs {
			for _, id := range seq[1:] {
				seen[id] = true
			}
		}
		missing := 0
		for rank := 1; rank <= KerasWordIndexSize; rank++ {
			if !seen[rank+IndexFrom] {
				missing++
			}
		}
		if missing > 0 {
			t.Errorf("%d index words never occur in the training reviews", missing)
		}
		unknownTest := 0
		for _, m := range warm.TestMeta {
			unknownTest += int(m.Unknown)
		}
		if unknownTest == 0 {
			t.Error("no test token is outside the training vocabulary; expected some")
		}
	})

	t.Run("hand-checked encodings", func(t *testing.T) {
		// Ranks looked up by hand in imdb_word_index.json: the 1, br 7, it 9,
		// this 11, was 13, movie 17, it's 42, great 84, 10 155, amélie 71608,
		// amÉlie 81326.
		tests := []struct {
			text     string
			numWords int
			want     []int32
			unknown  int
		}{
			{"This movie was GREAT!<br /><br />10/10", 10000,
				[]int32{1, 14, 20, 16, 87, 10, 10, 158, 158}, 0},
			{"AMÉLIE amélie", 0, []int32{1, 81329, 71611}, 0},
			{"AMÉLIE amélie", 10000, []int32{1, 2, 2}, 0},
			{"xyzzy it's", 10000, []int32{1, 45}, 1},
		}
		for _, tt := range tests {
			got := NewEncoder(warm.Index, tt.numWords).Encode(tt.text)
			if !slices.Equal(got.IDs, tt.want) || got.Unknown != tt.unknown {
				t.Errorf("Encode(%q, %d) = %v (%d unknown), want %v (%d)", tt.text,
					tt.numWords, got.IDs, got.Unknown, tt.want, tt.unknown)
			}
		}

		// train/pos/0_9.txt begins "Bromwell High is a cartoon comedy." and
		// test/neg/0_2.txt "Once again Mr. Costner has dragged out a movie":
		// bromwell 23022, high 309, is 6, a 3, cartoon 1069, comedy 209; once
		// 277, again 171, mr 440, costner 11762, has 44, dragged 3314.
		starts := []struct {
			set   *Set
			meta  []ReviewMeta
			label int32
			id    int32
			want  []int32
		}{
			{warm.Train, warm.TrainMeta, LabelPos, 0, []int32{1, 23025, 312, 9, 6, 1072, 212}},
			{warm.Test, warm.TestMeta, LabelNeg, 0, []int32{1, 280, 174, 443, 11765, 47, 3317}},
		}
		for _, st := range starts {
			i := findReview(st.meta, st.set.Labels, st.label, st.id)
			if i < 0 {
				t.Fatalf("review %d with label %d not found", st.id, st.label)
			}
			if got := st.set.Seqs[i][:len(st.want)]; !slices.Equal(got, st.want) {
				t.Errorf("review %d label %d starts %v, want %v", st.id, st.label, got, st.want)
			}
		}
	})

	t.Run("ids in range", func(t *testing.T) {
		maxID := int32(KerasWordIndexSize + IndexFrom)
		for _, s := range []*Set{warm.Train, warm.Test} {
			for i, seq := range s.Seqs {
				if seq[0] != StartID {
					t.Fatalf("sequence %d starts with %d", i, seq[0])
				}
				for _, id := range seq[1:] {
					if id <= OOVID || id > maxID {
						t.Fatalf("sequence %d holds id %d", i, id)
					}
				}
			}
		}
	})
}

// findReview returns the position of the review with label and id, or -1.
func findReview(meta []ReviewMeta, labels []int32, label, id int32) int {
	for i, m := range meta {
		if m.ID == id && labels[i] == label {
			return i
		}
	}
	return -1
}

// BenchmarkRealLoadCached measures Load from a warm cache on the real data:
// go test ./dataset/ -run '^$' -bench RealLoadCached -benchtime 5x
func BenchmarkRealLoadCached(b *testing.B) {
	if _, err := os.Stat(realDataDir); err != nil {
		b.Skipf("no real data at %s", realDataDir)
	}
	cacheDir := b.TempDir()
	if _, err := Load(realDataDir, LoadOptions{CacheDir: cacheDir}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := Load(realDataDir, LoadOptions{CacheDir: cacheDir})
		if err != nil || !c.FromCache {
			b.Fatalf("FromCache %v, err %v", c != nil && c.FromCache, err)
		}
	}
}

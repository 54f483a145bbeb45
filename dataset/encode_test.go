package dataset

import (
	"slices"
	"testing"
)

// encodeIndex ranks a few words; "rare" is far down the list.
var encodeIndex = WordIndex{"the": 1, "movie": 2, "was": 3, "great": 4, "br": 5, "rare": 20}

func TestEncoderEncode(t *testing.T) {
	tests := []struct {
		name     string
		numWords int
		text     string
		want     Encoding
	}{
		{"empty text is the start id alone", 0, "", Encoding{IDs: []int32{1}}},
		{"rank plus three after the start id", 0, "The movie was great",
			Encoding{Tokens: []string{"the", "movie", "was", "great"},
				IDs: []int32{1, 4, 5, 6, 7}}},
		{"unknown words dropped and counted", 0, "the zzz movie qqq",
			Encoding{Tokens: []string{"the", "zzz", "movie", "qqq"},
				IDs: []int32{1, 4, 5}, Unknown: 2}},
		{"no cut keeps rare ids", 0, "rare", Encoding{Tokens: []string{"rare"},
			IDs: []int32{1, 23}}},
		{"ids at num_words become OOV", 7, "movie was great",
			Encoding{Tokens: []string{"movie", "was", "great"}, IDs: []int32{1, 5, 6, 2}, OOV: 1}},
		{"ids below num_words stay", 8, "great", Encoding{Tokens: []string{"great"},
			IDs: []int32{1, 7}}},
		{"cut and unknown together", 10, "rare zzz <br />",
			Encoding{Tokens: []string{"rare", "zzz", "br"}, IDs: []int32{1, 2, 8},
				Unknown: 1, OOV: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewEncoder(encodeIndex, tt.numWords).Encode(tt.text)
			if !slices.Equal(got.Tokens, tt.want.Tokens) || !slices.Equal(got.IDs, tt.want.IDs) ||
				got.Unknown != tt.want.Unknown || got.OOV != tt.want.OOV {
				t.Errorf("Encode(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
		})
	}
}

// The corpus path (encodeFull then CutVocabulary) and Encoder agree.
func TestEncodeFullMatchesEncoder(t *testing.T) {
	texts := []string{"", "the rare movie zzz", "GREAT<br />was", "rare rare the"}
	for _, numWords := range []int{0, 6, 8, 100} {
		for _, text := range texts {
			ids, unknown := encodeIndex.encodeFull([]byte(text), []int32{StartID})
			CutVocabulary(ids, numWords)
			want := NewEncoder(encodeIndex, numWords).Encode(text)
			if !slices.Equal(ids, want.IDs) || unknown != want.Unknown {
				t.Errorf("num_words %d, %q: encodeFull+cut = %v (%d unknown), Encode = %v (%d)",
					numWords, text, ids, unknown, want.IDs, want.Unknown)
			}
		}
	}
}

func TestCutVocabulary(t *testing.T) {
	tests := []struct {
		numWords int
		ids      []int32
		want     []int32
	}{
		{0, []int32{0, 1, 2, 3, 9999, 10000}, []int32{0, 1, 2, 3, 9999, 10000}},
		{-5, []int32{1, 50}, []int32{1, 50}},
		{10000, []int32{0, 1, 2, 3, 9999, 10000, 88587}, []int32{0, 1, 2, 3, 9999, 2, 2}},
		{4, []int32{1, 3, 4, 5}, []int32{1, 3, 2, 2}},
	}
	for _, tt := range tests {
		ids := slices.Clone(tt.ids)
		CutVocabulary(ids, tt.numWords)
		if !slices.Equal(ids, tt.want) {
			t.Errorf("CutVocabulary(%v, %d) = %v, want %v", tt.ids, tt.numWords, ids, tt.want)
		}
	}
}

func BenchmarkEncodeFull(b *testing.B) {
	text := []byte("This movie was GREAT!<br /><br />I'd watch the rare movie again, 10/10.")
	ids := make([]int32, 0, 64)
	for b.Loop() {
		ids, _ = encodeIndex.encodeFull(text, ids[:0])
	}
}

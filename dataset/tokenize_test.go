package dataset

import (
	"slices"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"only separators", " ,.!\t\n ", nil},
		{"ASCII lower-cased", "The MOVIE Was GrEaT", []string{"the", "movie", "was", "great"}},
		{"non-ASCII keeps its case", "AMÉLIE Ölkrise ÇA", []string{"amÉlie", "Ölkrise", "Ça"}},
		{"apostrophe kept", "It's Don't 'quoted'", []string{"it's", "don't", "'quoted'"}},
		{"html break becomes br", "one<br /><br />two", []string{"one", "br", "br", "two"}},
		{"punctuation splits", "well,then;so-called(film)",
			[]string{"well", "then", "so", "called", "film"}},
		{"tab and newline split", "a\tb\nc", []string{"a", "b", "c"}},
		{"carriage return stays", "a\rb c", []string{"a\rb", "c"}},
		{"unicode spaces stay", "a\u0085b\u00a0c d", []string{"a\u0085b\u00a0c", "d"}},
		{"runs of spaces", "  a   b  ", []string{"a", "b"}},
		{"digits kept", "10/10 7.5", []string{"10", "10", "7", "5"}},
		{"non-filter symbols kept", "a'b ´c «d» é's", []string{"a'b", "´c", "«d»", "é's"}},
		{"invalid UTF-8 passes through", "x\xffY z", []string{"x\xffy", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokenize(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// Every Keras filter character, and only those and the space, splits tokens.
func TestTokenizeSplitsOnEachFilterOnly(t *testing.T) {
	filters := KerasFilters + " "
	for c := 0; c < 128; c++ {
		text := "a" + string(rune(c)) + "b"
		got := Tokenize(text)
		splits := false
		for i := 0; i < len(filters); i++ {
			if filters[i] == byte(c) {
				splits = true
			}
		}
		want := []string{"a" + string(rune(c)) + "b"}
		switch {
		case splits:
			want = []string{"a", "b"}
		case c >= 'A' && c <= 'Z':
			want = []string{"a" + string(rune(c+'a'-'A')) + "b"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("byte %#x: Tokenize(%q) = %q, want %q", c, text, got, want)
		}
	}
}

func BenchmarkTokenize(b *testing.B) {
	text := "This movie was GREAT!<br /><br />I'd watch it again, 10/10 - really."
	for b.Loop() {
		Tokenize(text)
	}
}

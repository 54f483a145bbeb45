package main

import (
	"io"
	"slices"
	"strings"
	"testing"
)

func TestHoistFlags(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	cases := []struct{ in, want string }{
		{"imdb-attn evaluate runs/base --json", "imdb-attn evaluate --json runs/base"},
		{"imdb-attn evaluate runs/base --weights last --data d",
			"imdb-attn evaluate --weights last --data d runs/base"},
		{"imdb-attn evaluate runs/base --weights=last", "imdb-attn evaluate --weights=last runs/base"},
		{"imdb-attn train -c configs/base.yaml --train.epochs 2",
			"imdb-attn train -c configs/base.yaml --train.epochs 2"},
		{"imdb-attn predict a - b --json", "imdb-attn predict --json a - b"},
		{"imdb-attn predict --json -- --not-a-flag", "imdb-attn predict --json -- --not-a-flag"},
		{"imdb-attn data encode hello --num-words 50",
			"imdb-attn data encode --num-words 50 hello"},
		{"imdb-attn unknown x --y", "imdb-attn unknown x --y"},
		{"imdb-attn", "imdb-attn"},
	}
	for _, tc := range cases {
		got := hoistFlags(app, strings.Fields(tc.in))
		if want := strings.Fields(tc.want); !slices.Equal(got, want) {
			t.Errorf("hoistFlags(%q) = %q, want %q", tc.in, got, want)
		}
	}
}

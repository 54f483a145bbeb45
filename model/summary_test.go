package model

import (
	"bytes"
	"strings"
	"testing"
)

func TestSummaryNotebook(t *testing.T) {
	var buf bytes.Buffer
	if err := Summary(&buf, DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// Rows as Keras prints them for the notebook's model; the parameter
	// counts are V·d, 2d, d·64+64 and 64+1.
	for _, want := range []string{
		`Model: "imdb_attn"`,
		"input_layer (InputLayer)",
		"embedding (Embedding)",
		"(None, 200, 128)",
		"1,280,000",
		"layer_normalization (LayerNormalization)",
		"global_average_pooling1d (GlobalAveragePooling1D)",
		"(None, 64)",
		"8,256",
		"dense_1 (Dense)",
		"Total params: 1,288,577 (4.92 MB)",
		"Trainable params: 1,288,577 (4.92 MB)",
		"Non-trainable params: 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	assertRow(t, out, "layer_normalization (LayerNormalization)", "256")
	assertRow(t, out, "dense_1 (Dense)", "65")
	assertRow(t, out, "attention (Attention)", "0")
}

// assertRow checks that the table row of layer ends in params.
func assertRow(t *testing.T, out, layer, params string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, layer) {
			fields := strings.Fields(line)
			if got := fields[len(fields)-1]; got != params {
				t.Errorf("%s: %s parameters, want %s", layer, got, params)
			}
			return
		}
	}
	t.Errorf("no row for %s", layer)
}

func TestSummaryFollowsConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Residual, cfg.LayerNorm, cfg.DType = false, false, DTypeFloat64
	var buf bytes.Buffer
	if err := Summary(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, absent := range []string{"add (Add)", "layer_normalization"} {
		if strings.Contains(out, absent) {
			t.Errorf("summary without residual and layer norm shows %q", absent)
		}
	}
	// 1,288,577 - 256 scalars of 8 bytes: 10,306,568 B = 9.83 MB.
	if want := "Total params: 1,288,321 (9.83 MB)"; !strings.Contains(out, want) {
		t.Errorf("summary lacks %q:\n%s", want, out)
	}
}

func TestSummaryRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SeqLen = 0
	if err := Summary(&bytes.Buffer{}, cfg); err == nil || !strings.Contains(err.Error(), "seq_len") {
		t.Errorf("got %v, want an error naming seq_len", err)
	}
}

func TestGroupThousands(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{{0, "0"}, {65, "65"}, {999, "999"}, {1000, "1,000"}, {8256, "8,256"},
		{1288577, "1,288,577"}, {12345678, "12,345,678"}}
	for _, tc := range tests {
		if got := groupThousands(tc.n); got != tc.want {
			t.Errorf("groupThousands(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

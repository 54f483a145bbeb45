package model

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDefaultConfigIsTheNotebook(t *testing.T) {
	want := Config{VocabSize: 10000, SeqLen: 200, EmbedDim: 128, DenseUnits: 64,
		DropoutRate: 0.5, Residual: true, LayerNorm: true, DType: "float32"}
	if got := DefaultConfig(); got != want {
		t.Errorf("DefaultConfig() = %+v, want %+v", got, want)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("the default config is invalid: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Config)
		want   string // "" for valid
	}{
		{"float64", func(c *Config) { c.DType = DTypeFloat64 }, ""},
		{"empty dtype means float32", func(c *Config) { c.DType = "" }, ""},
		{"dropout 0", func(c *Config) { c.DropoutRate = 0 }, ""},
		{"all switches", func(c *Config) {
			c.Residual, c.LayerNorm, c.ScaleAttention, c.MaskPadding = false, false, true, true
		}, ""},
		{"vocabulary", func(c *Config) { c.VocabSize = 1 }, "vocab_size 1"},
		{"sequence", func(c *Config) { c.SeqLen = 0 }, "seq_len 0"},
		{"embedding", func(c *Config) { c.EmbedDim = -3 }, "embed_dim -3"},
		{"dense", func(c *Config) { c.DenseUnits = 0 }, "dense_units 0"},
		{"dropout 1", func(c *Config) { c.DropoutRate = 1 }, "dropout 1: want a rate in [0, 1)"},
		{"dropout negative", func(c *Config) { c.DropoutRate = -0.1 }, "dropout -0.1"},
		{"dtype", func(c *Config) { c.DType = "int8" }, `dtype "int8"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.modify(&cfg)
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("valid config rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestConfigYAMLKeys(t *testing.T) {
	src := `
vocab_size: 20000
seq_len: 100
embed_dim: 32
dense_units: 16
dropout: 0.25
residual: false
layer_norm: false
scale_attention: true
mask_padding: true
dtype: float64
`
	cfg := DefaultConfig()
	if err := yaml.Unmarshal([]byte(src), &cfg); err != nil {
		t.Fatal(err)
	}
	want := Config{VocabSize: 20000, SeqLen: 100, EmbedDim: 32, DenseUnits: 16,
		DropoutRate: 0.25, ScaleAttention: true, MaskPadding: true, DType: "float64"}
	if cfg != want {
		t.Errorf("decoded %+v, want %+v", cfg, want)
	}
}

package model

import (
	"math"
	"math/rand"
	"testing"
)

// fixedParams sets every parameter to a fixed, irregular value (no random
// generator involved): 0.4·sin(1 + 0.7·k + 1.3·i) for element k of the
// i-th parameter, with layer-norm gamma shifted to around 1.
func fixedParams(p *Params) {
	for i, t := range p.tensors {
		k := 0
		fillWith(t, func() float64 {
			v := 0.4 * math.Sin(1+0.7*float64(k)+1.3*float64(i))
			k++
			if p.names[i] == nameLNGamma {
				v++
			}
			return v
		})
	}
}

func TestForwardMatchesReference(t *testing.T) {
	// Ids for 3 rows of T 6 in a vocabulary of 9: front padding, repeats.
	ids := []int32{0, 0, 0, 4, 8, 4, 2, 7, 1, 3, 5, 6, 0, 6, 6, 6, 2, 1}
	labels := []float32{1, 0, 1}
	tests := []struct {
		name    string
		modify  func(*Config)
		rows    int
		float32 bool
	}{
		{"notebook", func(c *Config) {}, 3, false},
		{"partial batch", func(c *Config) {}, 2, false},
		{"single row", func(c *Config) {}, 1, false},
		{"no residual", func(c *Config) { c.Residual = false }, 3, false},
		{"no layer norm", func(c *Config) { c.LayerNorm = false }, 3, false},
		{"scaled attention", func(c *Config) { c.ScaleAttention = true }, 3, false},
		{"masked padding", func(c *Config) { c.MaskPadding = true }, 3, false},
		{"masked partial", func(c *Config) { c.MaskPadding = true }, 1, false},
		{"notebook float32", func(c *Config) {}, 3, true},
		{"everything float32", func(c *Config) {
			c.ScaleAttention, c.MaskPadding = true, true
		}, 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.VocabSize, cfg.SeqLen, cfg.EmbedDim, cfg.DenseUnits = 9, 6, 4, 5
			cfg.DType = DTypeFloat64
			// Tolerances: float64 graph and loops differ only in the order
			// of additions (~1e-15 relative); float32 carries ~1e-7 per op
			// through a few dozen ops on O(1) values.
			tol := 1e-12
			if tc.float32 {
				cfg.DType, tol = DTypeFloat32, 2e-5
			}
			tc.modify(&cfg)
			p, err := newZeroParams(cfg)
			if err != nil {
				t.Fatal(err)
			}
			fixedParams(p)

			net, err := NewNet(p, 3, false)
			if err != nil {
				t.Fatal(err)
			}
			rowIDs, rowLabels := ids[:tc.rows*cfg.SeqLen], labels[:tc.rows]
			if err := net.SetBatch(rowIDs, rowLabels, tc.rows); err != nil {
				t.Fatal(err)
			}
			if err := net.Run(); err != nil {
				t.Fatal(err)
			}

			want := newRefNet(p).logits(rowIDs, nil)
			got := net.Logits()
			if len(got) != len(want) {
				t.Fatalf("%d logits, want %d", len(got), len(want))
			}
			for i := range want {
				if math.Abs(got[i]-want[i]) > tol*(1+math.Abs(want[i])) {
					t.Errorf("logit %d: got %.15g, want %.15g", i, got[i], want[i])
				}
			}
			if l, wl := net.Loss(), refLoss(want, rowLabels); math.Abs(l-wl) > tol*(1+wl) {
				t.Errorf("loss: got %.15g, want %.15g", l, wl)
			}
		})
	}
}

func TestForwardTrainingDropoutMatchesReference(t *testing.T) {
	// A training net applies its current dropout mask; the reference
	// applies the same mask by hand.
	cfg := smallConfig()
	p, err := NewParams(cfg, 21)
	if err != nil {
		t.Fatal(err)
	}
	net, err := NewNet(p, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetBatch(smallIDs, smallLabels, 3); err != nil {
		t.Fatal(err)
	}
	net.SetDropout(rand.New(rand.NewSource(22)))
	if err := net.Run(); err != nil {
		t.Fatal(err)
	}
	mask := net.in.dropMask.Data().([]float64)
	zeros := 0
	for _, m := range mask {
		if m == 0 {
			zeros++
		}
	}
	if zeros == 0 || zeros == len(mask) {
		t.Fatalf("mask drops %d of %d units; the test needs some of each", zeros, len(mask))
	}
	want := newRefNet(p).logits(smallIDs, mask)
	for i, got := range net.Logits() {
		if math.Abs(got-want[i]) > 1e-12*(1+math.Abs(want[i])) {
			t.Errorf("logit %d: got %.15g, want %.15g", i, got, want[i])
		}
	}
}

func TestForwardLargerShapes(t *testing.T) {
	// Shapes past the blocking sizes of gonum's GEMM (T 70, d 20), with
	// random weights from NewParams and random ids, in float64.
	cfg := DefaultConfig()
	cfg.VocabSize, cfg.SeqLen, cfg.EmbedDim, cfg.DenseUnits = 50, 70, 20, 9
	cfg.DType = DTypeFloat64
	for _, mask := range []bool{false, true} {
		cfg.MaskPadding = mask
		p, err := NewParams(cfg, 31)
		if err != nil {
			t.Fatal(err)
		}
		perturbParams(p, rand.New(rand.NewSource(32)), 0.2)
		ids, labels := randomBatch(rand.New(rand.NewSource(33)), cfg, 4)
		net, err := NewNet(p, 4, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.SetBatch(ids, labels, 4); err != nil {
			t.Fatal(err)
		}
		if err := net.Run(); err != nil {
			t.Fatal(err)
		}
		want := newRefNet(p).logits(ids, nil)
		for i, got := range net.Logits() {
			if math.Abs(got-want[i]) > 1e-10*(1+math.Abs(want[i])) {
				t.Errorf("mask %v, logit %d: got %.15g, want %.15g", mask, i, got, want[i])
			}
		}
	}
}

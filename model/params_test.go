package model

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

func TestParamCount(t *testing.T) {
	noLN := DefaultConfig()
	noLN.LayerNorm = false
	tests := []struct {
		name string
		cfg  Config
		want int
	}{
		// 10000·128 + 2·128 + (128·64 + 64) + (64 + 1), the notebook's summary.
		{"notebook", DefaultConfig(), 1288577},
		{"no layer norm", noLN, 1288577 - 2*128},
		{"small", smallConfig(), 7*3 + 2*3 + 3*5 + 5 + 5 + 1},
	}
	for _, tc := range tests {
		if got := ParamCount(tc.cfg); got != tc.want {
			t.Errorf("%s: ParamCount %d, want %d", tc.name, got, tc.want)
		}
		p, err := NewParams(tc.cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Count(); got != tc.want {
			t.Errorf("%s: Count %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestParamNamesAndShapes(t *testing.T) {
	cfg := DefaultConfig()
	p, err := NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name  string
		shape tensor.Shape
	}{
		{"embedding/embeddings", tensor.Shape{10000, 128}},
		{"layer_normalization/gamma", tensor.Shape{128}},
		{"layer_normalization/beta", tensor.Shape{128}},
		{"dense/kernel", tensor.Shape{128, 64}},
		{"dense/bias", tensor.Shape{64}},
		{"dense_1/kernel", tensor.Shape{64, 1}},
		{"dense_1/bias", tensor.Shape{1}},
	}
	names, tensors := p.Names(), p.Tensors()
	if len(names) != len(want) || len(tensors) != len(want) {
		t.Fatalf("%d names and %d tensors, want %d", len(names), len(tensors), len(want))
	}
	for i, w := range want {
		if names[i] != w.name || !tensors[i].Shape().Eq(w.shape) ||
			tensors[i].Dtype() != tensor.Float32 {
			t.Errorf("parameter %d: %s %v %v, want %s %v float32", i, names[i],
				tensors[i].Shape(), tensors[i].Dtype(), w.name, w.shape)
		}
	}
	names[0] = "changed"
	if p.Names()[0] != "embedding/embeddings" {
		t.Error("Names exposes the Params' own slice")
	}
	if p.Config() != cfg {
		t.Errorf("Config %+v, want %+v", p.Config(), cfg)
	}
}

func TestParamInitialisers(t *testing.T) {
	p, err := NewParams(DefaultConfig(), 3)
	if err != nil {
		t.Fatal(err)
	}
	// Glorot-uniform limits sqrt(6/(fan_in+fan_out)).
	hiddenLimit, outputLimit := math.Sqrt(6.0/(128+64)), math.Sqrt(6.0/(64+1))
	tests := []struct {
		name     string
		lo, hi   float64 // every value in [lo, hi]
		uniform  bool    // check the mean and variance of uniform(lo, hi)
		constant bool    // every value equals lo
	}{
		{"embedding/embeddings", -0.05, 0.05, true, false},
		{"layer_normalization/gamma", 1, 1, false, true},
		{"layer_normalization/beta", 0, 0, false, true},
		{"dense/kernel", -hiddenLimit, hiddenLimit, true, false},
		{"dense/bias", 0, 0, false, true},
		{"dense_1/kernel", -outputLimit, outputLimit, false, false},
		{"dense_1/bias", 0, 0, false, true},
	}
	for _, tc := range tests {
		i, err := p.index(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		vals := p.tensors[i].Data().([]float32)
		mean, sq := 0.0, 0.0
		for _, v := range vals {
			x := float64(v)
			if x < tc.lo-1e-7 || x > tc.hi+1e-7 || (tc.constant && x != tc.lo) {
				t.Fatalf("%s: value %v outside [%v, %v]", tc.name, x, tc.lo, tc.hi)
			}
			mean += x
			sq += x * x
		}
		n := float64(len(vals))
		mean /= n
		variance := sq/n - mean*mean
		if tc.uniform {
			// uniform(-l, l): mean 0, variance l²/3. With n ≥ 8192 draws the
			// sample mean's standard error is l/sqrt(3n) ≤ 0.0064·l, and
			// the variance is within a few percent.
			l := tc.hi
			if math.Abs(mean) > 5*l/math.Sqrt(3*n) {
				t.Errorf("%s: mean %v, want 0 ± %v", tc.name, mean, 5*l/math.Sqrt(3*n))
			}
			if want := l * l / 3; math.Abs(variance-want) > 0.05*want {
				t.Errorf("%s: variance %v, want %v ± 5%%", tc.name, variance, want)
			}
		}
	}
}

func TestParamsAreSeeded(t *testing.T) {
	cfg := smallConfig()
	a, _ := NewParams(cfg, 5)
	b, _ := NewParams(cfg, 5)
	c, _ := NewParams(cfg, 6)
	sa, sb, sc := snapshot(a), snapshot(b), snapshot(c)
	for i := range sa {
		if !equalFloats(sa[i], sb[i]) {
			t.Errorf("%s: one seed, two values", a.Names()[i])
		}
	}
	if equalFloats(sa[0], sc[0]) {
		t.Error("two seeds gave the same embeddings")
	}
}

func TestNewParamsRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DType = "float16"
	if _, err := NewParams(cfg, 1); err == nil {
		t.Error("NewParams accepted dtype float16")
	}
}

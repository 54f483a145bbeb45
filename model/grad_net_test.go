package model

import (
	"math"
	"math/rand"
	"testing"

	"gorgonia.org/tensor"
)

// smallConfig is the network at gradient-check shapes, in float64.
func smallConfig() Config {
	cfg := DefaultConfig()
	cfg.VocabSize, cfg.SeqLen, cfg.EmbedDim, cfg.DenseUnits = gcVocab, gcTime, gcDim, gcUnits
	cfg.DType = DTypeFloat64
	return cfg
}

// smallBatch is a batch for smallConfig: front padding as pad_sequences
// leaves it, repeated ids, one all-real row.
var (
	smallIDs    = []int32{0, 0, 4, 2, 5, 3, 1, 3, 0, 6, 6, 2}
	smallLabels = []float32{1, 0, 1}
)

func TestGradNet(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Config)
		rows   int // real rows of a 3-row net; fewer pads the batch
	}{
		{"notebook, dropout off", func(c *Config) { c.DropoutRate = 0 }, 3},
		{"notebook, fixed dropout mask", func(c *Config) {}, 3},
		{"dropout rate 0.2", func(c *Config) { c.DropoutRate = 0.2 }, 3},
		{"partial batch", func(c *Config) { c.DropoutRate = 0 }, 2},
		{"no residual", func(c *Config) { c.Residual = false }, 3},
		{"no layer norm", func(c *Config) { c.LayerNorm = false }, 3},
		{"neither", func(c *Config) { c.Residual, c.LayerNorm = false, false }, 3},
		{"scaled attention", func(c *Config) { c.ScaleAttention = true }, 3},
		{"masked padding", func(c *Config) { c.MaskPadding = true }, 3},
		{"everything on", func(c *Config) { c.ScaleAttention, c.MaskPadding = true, true }, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := smallConfig()
			tc.modify(&cfg)
			p, err := NewParams(cfg, 11)
			if err != nil {
				t.Fatal(err)
			}
			// Layer-norm parameters away from 1 and 0, so their gradients
			// are checked in general position.
			perturbParams(p, rand.New(rand.NewSource(12)), 0.3)
			checkNetGradients(t, p, 3, smallIDs[:tc.rows*gcTime], smallLabels[:tc.rows])
		})
	}
}

// perturbParams adds uniform noise in [-amp, amp) to every parameter.
func perturbParams(p *Params, rng *rand.Rand, amp float64) {
	for _, pt := range p.tensors {
		data := pt.Data().([]float64)
		for i := range data {
			data[i] += amp * (2*rng.Float64() - 1)
		}
	}
}

// checkNetGradients compares a training net's Grads with central
// differences of its Loss in every parameter, keeping one dropout mask.
func checkNetGradients(t *testing.T, p *Params, batch int, ids []int32, labels []float32) {
	t.Helper()
	net, err := NewNet(p, batch, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.SetBatch(ids, labels, len(labels)); err != nil {
		t.Fatal(err)
	}
	net.SetDropout(rand.New(rand.NewSource(13)))
	loss := func() float64 {
		if err := net.Run(); err != nil {
			t.Fatal(err)
		}
		return net.Loss()
	}

	loss()
	var analytic [][]float64
	for _, g := range net.Grads() {
		analytic = append(analytic, append([]float64(nil), g.Data().([]float64)...))
	}
	for i, pt := range p.Tensors() {
		data := pt.Data().([]float64)
		for j := range data {
			orig := data[j]
			data[j] = orig + gradStep
			plus := loss()
			data[j] = orig - gradStep
			minus := loss()
			data[j] = orig
			assertClose(t, p.Names()[i], j, analytic[i][j], (plus-minus)/(2*gradStep))
		}
	}
}

func TestGradsMatchParamShapes(t *testing.T) {
	p, err := NewParams(smallConfig(), 1)
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
	if err := net.Run(); err != nil {
		t.Fatal(err)
	}
	grads := net.Grads()
	if len(grads) != len(p.Tensors()) {
		t.Fatalf("%d gradients for %d parameters", len(grads), len(p.Tensors()))
	}
	for i, pt := range p.Tensors() {
		if !grads[i].Shape().Eq(pt.Shape()) || grads[i].Dtype() != pt.Dtype() {
			t.Errorf("%s: gradient %v %v, parameter %v %v", p.Names()[i],
				grads[i].Shape(), grads[i].Dtype(), pt.Shape(), pt.Dtype())
		}
	}
	if !tensor.Shape(grads[0].Shape()).Eq(tensor.Shape{gcVocab, gcDim}) {
		t.Errorf("embedding gradient shape %v", grads[0].Shape())
	}
}

func TestFloat32GradientsMatchFloat64(t *testing.T) {
	// The float32 path runs the same graph with float32 kernels (softplus,
	// sigmoid, GEMM); its gradients must match float64's to float32
	// precision: 1e-4 relative to the largest gradient of each parameter
	// (ε32 ≈ 6e-8 times a few hundred accumulated roundings).
	cfg64 := smallConfig()
	cfg64.MaskPadding = true
	p64, err := NewParams(cfg64, 14)
	if err != nil {
		t.Fatal(err)
	}
	perturbParams(p64, rand.New(rand.NewSource(15)), 0.3)
	cfg32 := cfg64
	cfg32.DType = DTypeFloat32
	p32, err := newZeroParams(cfg32)
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range p64.Tensors() {
		src := pt.Data().([]float64)
		fillIndexed(p32.tensors[i], func(j int) float64 { return src[j] })
	}

	grads := func(p *Params) [][]float64 {
		net, err := NewNet(p, 3, true)
		if err != nil {
			t.Fatal(err)
		}
		net.SetDropout(rand.New(rand.NewSource(16)))
		runBatch(t, net, smallIDs, smallLabels, 3)
		var out [][]float64
		for _, g := range net.Grads() {
			vals := make([]float64, g.Shape().TotalSize())
			for j := range vals {
				vals[j] = floatAt(g, j)
			}
			out = append(out, vals)
		}
		return out
	}
	g64, g32 := grads(p64), grads(p32)
	for i := range g64 {
		scale := 0.0
		for _, v := range g64[i] {
			scale = math.Max(scale, math.Abs(v))
		}
		for j := range g64[i] {
			if math.Abs(g32[i][j]-g64[i][j]) > 1e-4*scale+1e-7 {
				t.Errorf("%s[%d]: float32 %v, float64 %v", p64.Names()[i], j, g32[i][j], g64[i][j])
			}
		}
	}
}

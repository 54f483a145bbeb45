package model

import (
	"math"
	"math/rand"
	"testing"

	"gorgonia.org/tensor"
)

func TestDropoutMaskStatistics(t *testing.T) {
	const n = 100000
	for _, rate := range []float64{0, 0.2, 0.5, 0.8} {
		mask := tensor.New(tensor.WithShape(n), tensor.Of(tensor.Float32))
		fillDropoutMask(mask, rate, rand.New(rand.NewSource(61)))
		keep := float32(1 / (1 - rate))
		zeros, sum := 0, 0.0
		for _, m := range mask.Data().([]float32) {
			switch m {
			case 0:
				zeros++
			case keep:
			default:
				t.Fatalf("rate %v: mask value %v, want 0 or %v", rate, m, keep)
			}
			sum += float64(m)
		}
		// The count of zeros is Binomial(n, rate): within 5 standard
		// deviations except with probability below 1e-6.
		sd := math.Sqrt(n * rate * (1 - rate))
		if diff := math.Abs(float64(zeros) - n*rate); diff > 5*sd+1e-9 {
			t.Errorf("rate %v: %d zeros of %d, expected %v ± %v", rate, zeros, n, n*rate, 5*sd)
		}
		// Inverted dropout keeps the mean at 1; its standard error is
		// sqrt(rate/(1-rate)/n).
		if se := math.Sqrt(rate / (1 - rate) / n); math.Abs(sum/n-1) > 5*se+1e-6 {
			t.Errorf("rate %v: mask mean %v, want 1 ± %v", rate, sum/n, 5*se)
		}
	}
}

func TestDropoutIsSeeded(t *testing.T) {
	draw := func(seed int64) []float64 {
		mask := tensor.New(tensor.WithShape(64), tensor.Of(tensor.Float64))
		fillDropoutMask(mask, 0.5, rand.New(rand.NewSource(seed)))
		return mask.Data().([]float64)
	}
	a, b, c := draw(7), draw(7), draw(8)
	same, differ := true, false
	for i := range a {
		same = same && a[i] == b[i]
		differ = differ || a[i] != c[i]
	}
	if !same {
		t.Error("one seed drew two different masks")
	}
	if !differ {
		t.Error("two seeds drew the same 64-unit mask")
	}
}

func TestDropoutOnlyInTraining(t *testing.T) {
	cfg := smallConfig()
	p, err := NewParams(cfg, 62)
	if err != nil {
		t.Fatal(err)
	}
	logits := func(training bool, seed int64) []float64 {
		net, err := NewNet(p, 3, training)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.SetBatch(smallIDs, smallLabels, 3); err != nil {
			t.Fatal(err)
		}
		if seed != 0 {
			net.SetDropout(rand.New(rand.NewSource(seed)))
		}
		if err := net.Run(); err != nil {
			t.Fatal(err)
		}
		return net.Logits()
	}

	eval := logits(false, 0)
	if got := logits(false, 63); !equalFloats(got, eval) {
		t.Errorf("SetDropout changed an evaluation net: %v, want %v", got, eval)
	}
	if got := logits(true, 0); !equalFloats(got, eval) {
		t.Errorf("training net before any SetDropout: %v, want the evaluation logits %v",
			got, eval)
	}
	if got := logits(true, 63); equalFloats(got, eval) {
		t.Error("a drawn dropout mask left every logit unchanged")
	}
	if a, b := logits(true, 64), logits(true, 64); !equalFloats(a, b) {
		t.Errorf("one seed, two results: %v and %v", a, b)
	}

	cfg.DropoutRate = 0
	q, err := NewParams(cfg, 62)
	if err != nil {
		t.Fatal(err)
	}
	net, err := NewNet(q, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	if net.in.dropMask != nil {
		t.Error("a rate-0 net has a dropout mask input")
	}
	net.SetDropout(rand.New(rand.NewSource(65)))
	runBatch(t, net, smallIDs, smallLabels, 3)
	if !equalFloats(net.Logits(), eval) {
		t.Errorf("rate 0 training logits %v, want the evaluation logits %v", net.Logits(), eval)
	}
}

// equalFloats reports whether a and b are equal element by element.
func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

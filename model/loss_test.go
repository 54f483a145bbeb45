package model

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestLossSaturatedLogits(t *testing.T) {
	// Confident right and wrong answers, where a loss computed from
	// sigmoid outputs would take log(0) without Keras's clipping. Each row
	// loss is softplus(z) - y·z, written here with log1p(exp(-|z|)).
	logits := []float64{60, -60, 60, -60, 0.3}
	labels := []float64{1, 0, 0, 1, 1}
	want := 0.0
	for i, z := range logits {
		want += (math.Max(z, 0) - labels[i]*z + math.Log1p(math.Exp(-math.Abs(z)))) / 5
	}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		g := G.NewGraph()
		vec := func(name string, vals []float64) *G.Node {
			tt := tensor.New(tensor.WithShape(len(vals)), tensor.Of(dt))
			fillIndexed(tt, func(i int) float64 { return vals[i] })
			return G.NewVector(g, dt, G.WithShape(len(vals)), G.WithName(name), G.WithValue(tt))
		}
		cost, err := bceFromLogits(vec("z", logits), vec("y", labels),
			vec("w", []float64{0.2, 0.2, 0.2, 0.2, 0.2}))
		if err != nil {
			t.Fatal(err)
		}
		var val G.Value
		G.Read(cost, &val)
		vm, err := newMachine(g)
		if err != nil {
			t.Fatal(err)
		}
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		var got float64
		switch v := val.(type) {
		case *G.F32:
			got = float64(*v)
		case *G.F64:
			got = float64(*v)
		}
		// float32 rounds the sum of O(10) terms to about 1e-6 relative.
		if math.IsNaN(got) || math.IsInf(got, 0) || math.Abs(got-want) > 1e-5*want {
			t.Errorf("%v: loss %v, want %v", dt, got, want)
		}
		vm.Close()
	}
}

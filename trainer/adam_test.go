package trainer

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// After one step Keras's Adam moves each weight by lr*g/(|g| + eps/sqrt(1-beta2)): the
// bias-corrected first step, derived by hand from the update rule.
func TestAdamFirstStepClosedForm(t *testing.T) {
	cfg := DefaultConfig().Train.Adam
	p := tensor.New(tensor.WithBacking([]float64{1, -2, 0.5, 3}))
	g := tensor.New(tensor.WithBacking([]float64{0.3, -4, 1e-6, 0}))
	before := append([]float64(nil), p.Data().([]float64)...)
	a := NewAdam(cfg, []*tensor.Dense{p})
	if err := a.Step([]*tensor.Dense{p}, []*tensor.Dense{g}); err != nil {
		t.Fatal(err)
	}
	for i, gi := range g.Data().([]float64) {
		want := before[i] - cfg.LearningRate*gi/(math.Abs(gi)+cfg.Epsilon/math.Sqrt(1-cfg.Beta2))
		if got := p.Data().([]float64)[i]; math.Abs(got-want) > 1e-15 {
			t.Errorf("weight %d: got %.17g, want %.17g", i, got, want)
		}
	}
}

// Two steps with different gradients, checked against the update written out by hand.
func TestAdamTwoStepsByHand(t *testing.T) {
	cfg := AdamConfig{LearningRate: 0.1, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7}
	p := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{2}))
	a := NewAdam(cfg, []*tensor.Dense{p})
	grads := []float64{0.5, -0.25}
	want, m, v := 2.0, 0.0, 0.0
	for step, gv := range grads {
		g := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{float32(gv)}))
		if err := a.Step([]*tensor.Dense{p}, []*tensor.Dense{g}); err != nil {
			t.Fatal(err)
		}
		n := float64(step + 1)
		m = 0.9*m + 0.1*gv
		v = 0.999*v + 0.001*gv*gv
		mHat, vHat := m/(1-math.Pow(0.9, n)), v/(1-math.Pow(0.999, n))
		// Keras adds eps to sqrt(v): in the paper's bias-corrected form, eps/sqrt(1-beta2^t).
		want -= 0.1 * mHat / (math.Sqrt(vHat) + 1e-7/math.Sqrt(1-math.Pow(0.999, n)))
		// float32 storage: compare to float32 resolution around 2.
		if got := float64(p.Data().([]float32)[0]); math.Abs(got-want) > 1e-6 {
			t.Fatalf("step %d: got %.9g, want %.9g", step+1, got, want)
		}
	}
	if a.Steps() != 2 {
		t.Errorf("Steps() = %d", a.Steps())
	}
}

func TestAdamMinimisesAQuadratic(t *testing.T) {
	cfg := AdamConfig{LearningRate: 0.05, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-7}
	p := tensor.New(tensor.WithBacking([]float64{3, -5}))
	g := tensor.New(tensor.WithBacking([]float64{0, 0}))
	a := NewAdam(cfg, []*tensor.Dense{p})
	target := []float64{1, 2}
	for range 2000 {
		pd, gd := p.Data().([]float64), g.Data().([]float64)
		for i := range pd {
			gd[i] = 2 * (pd[i] - target[i])
		}
		if err := a.Step([]*tensor.Dense{p}, []*tensor.Dense{g}); err != nil {
			t.Fatal(err)
		}
	}
	for i, x := range p.Data().([]float64) {
		if math.Abs(x-target[i]) > 1e-2 {
			t.Errorf("weight %d ended at %g, want %g", i, x, target[i])
		}
	}
}

func TestAdamRejectsMismatch(t *testing.T) {
	p := tensor.New(tensor.WithBacking([]float32{1, 2}))
	a := NewAdam(DefaultConfig().Train.Adam, []*tensor.Dense{p})
	if err := a.Step([]*tensor.Dense{p}, nil); err == nil {
		t.Error("missing gradients accepted")
	}
	g := tensor.New(tensor.WithBacking([]float64{1, 2}))
	if err := a.Step([]*tensor.Dense{p}, []*tensor.Dense{g}); err == nil {
		t.Error("float64 gradient for a float32 weight accepted")
	}
}

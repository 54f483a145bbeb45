package model

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// These tests pin down the Gorgonia v0.9.18 defects that the model works
// around. Each passes while the defect is there; if one fails after an
// upgrade, the workaround it names can go.

func TestGorgoniaOuterProdGradientIsBroken(t *testing.T) {
	// Workaround: broadcastRows uses a (n,1)·(1,m) matrix product. For
	// cost Σ (a⊗b)⊙R the gradient in a is R·b, of a's length 4; v0.9.18
	// builds Rᵀ·a, of b's length 3.
	g := G.NewGraph()
	a := G.NewVector(g, tensor.Float64, G.WithShape(4), G.WithName("a"), G.WithInit(G.Ones()))
	b := G.NewVector(g, tensor.Float64, G.WithShape(3), G.WithName("b"), G.WithInit(G.Ones()))
	prod, err := G.OuterProd(a, b)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(cost, a, b)
	if err != nil {
		t.Logf("the gradient does not build at all: %v", err)
		return
	}
	if grads[0].Shape().Eq(a.Shape()) {
		t.Errorf("G.OuterProd's gradient in a now has a's shape %v; check its values "+
			"and consider dropping broadcastRows' workaround", a.Shape())
	}
}

func TestGorgoniaInverseSqrtGradientIsBroken(t *testing.T) {
	// Workaround: layerNorm uses Inverse(Sqrt(x)).
	g := G.NewGraph()
	xT := tensor.New(tensor.WithBacking([]float64{4, 4}))
	x := G.NewVector(g, tensor.Float64, G.WithShape(2), G.WithName("x"), G.WithValue(xT))
	y, err := G.InverseSqrt(x)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := G.Sum(y)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(cost, x)
	if err != nil {
		t.Fatal(err)
	}
	var grad G.Value
	G.Read(grads[0], &grad)
	vm, err := newMachine(g)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := grad.(tensor.Tensor).Data().([]float64)[0]
	// d/dx x^(-1/2) at 4 is -1/16; v0.9.18 gives -1/(2·(1/2)³) = -4.
	if math.Abs(got-(-4)) > 1e-12 {
		t.Errorf("G.InverseSqrt's gradient at 4 is %v, no longer v0.9.18's -4; "+
			"if it is -1/16, layerNorm can use InverseSqrt again", got)
	}
}

package model

import (
	"math"
	"math/rand"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Gradient checks compare Gorgonia's symbolic gradients with central
// differences (f(x+h) - f(x-h)) / 2h in float64. With h = 1e-6 the
// truncation error is O(h²·f”') ≈ 1e-12 and the rounding error about
// ε·|f|/h ≈ 1e-10·|f|, so for the O(1) costs used here an analytic and a
// numeric derivative must agree within 1e-7 absolute plus 1e-6 relative;
// a wrong formula misses by orders of magnitude more.
const (
	gradStep   = 1e-6
	gradAbsTol = 1e-7
	gradRelTol = 1e-6
)

// gradBuilder declares a scalar cost on g and returns it with the input
// nodes (bound to float64 tensors) to differentiate with respect to.
type gradBuilder func(g *G.ExprGraph) (cost *G.Node, wrt G.Nodes, err error)

// checkGradients compares the symbolic gradient of build's cost with
// central differences for every element of every wrt node.
func checkGradients(t *testing.T, build gradBuilder) {
	t.Helper()
	g := G.NewGraph()
	cost, wrt, err := build(g)
	if err != nil {
		t.Fatalf("build graph: %v", err)
	}
	gradNodes, err := G.Grad(cost, wrt...)
	if err != nil {
		t.Fatalf("symbolic gradient: %v", err)
	}
	var costVal G.Value
	G.Read(cost, &costVal)
	gradVals := make([]G.Value, len(wrt))
	for i, gn := range gradNodes {
		G.Read(gn, &gradVals[i])
	}
	vm, err := newMachine(g)
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	run := func() float64 {
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatalf("run: %v", err)
		}
		return float64(*costVal.(*G.F64))
	}

	run()
	analytic := make([][]float64, len(wrt))
	for i, v := range gradVals {
		analytic[i] = append([]float64(nil), v.(tensor.Tensor).Data().([]float64)...)
	}
	for i, node := range wrt {
		data := node.Value().(tensor.Tensor).Data().([]float64)
		if len(analytic[i]) != len(data) {
			t.Fatalf("%s: gradient has %d elements, want %d", node.Name(),
				len(analytic[i]), len(data))
		}
		for j := range data {
			orig := data[j]
			data[j] = orig + gradStep
			plus := run()
			data[j] = orig - gradStep
			minus := run()
			data[j] = orig
			numeric := (plus - minus) / (2 * gradStep)
			assertClose(t, node.Name(), j, analytic[i][j], numeric)
		}
	}
}

// assertClose fails when an analytic and a numeric derivative differ by
// more than gradAbsTol + gradRelTol·max(|a|, |n|).
func assertClose(t *testing.T, name string, j int, analytic, numeric float64) {
	t.Helper()
	tol := gradAbsTol + gradRelTol*math.Max(math.Abs(analytic), math.Abs(numeric))
	if diff := math.Abs(analytic - numeric); !(diff <= tol) {
		t.Errorf("%s[%d]: analytic %.10g, numeric %.10g, |diff| %.3g > %.3g",
			name, j, analytic, numeric, diff, tol)
	}
}

// randomInput adds a float64 input node of the given shape, filled with
// uniform values in [lo, hi).
func randomInput(g *G.ExprGraph, rng *rand.Rand, name string, lo, hi float64,
	shape ...int) *G.Node {
	tt := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float64))
	fillWith(tt, func() float64 { return lo + (hi-lo)*rng.Float64() })
	return G.NewTensor(g, tensor.Float64, len(shape), G.WithShape(shape...),
		G.WithName(name), G.WithValue(tt))
}

// projectToScalar returns Σ out⊙R for a fixed random R, a cost whose
// gradient with respect to out is R, so every output element is checked.
func projectToScalar(g *G.ExprGraph, rng *rand.Rand, out *G.Node) (*G.Node, error) {
	r := randomInput(g, rng, "projection", -1, 1, out.Shape()...)
	prod, err := G.HadamardProd(out, r)
	if err != nil {
		return nil, err
	}
	return G.Sum(prod)
}

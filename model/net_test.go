package model

import (
	"math"
	"strings"
	"testing"
)

// newSmallNet builds a net of batch rows on fresh small float64 params.
func newSmallNet(t *testing.T, cfg Config, batch int, training bool) (*Params, *Net) {
	t.Helper()
	p, err := NewParams(cfg, 51)
	if err != nil {
		t.Fatal(err)
	}
	net, err := NewNet(p, batch, training)
	if err != nil {
		t.Fatal(err)
	}
	return p, net
}

// runBatch sets a batch and runs the net.
func runBatch(t *testing.T, net *Net, ids []int32, labels []float32, size int) {
	t.Helper()
	if err := net.SetBatch(ids, labels, size); err != nil {
		t.Fatal(err)
	}
	if err := net.Run(); err != nil {
		t.Fatal(err)
	}
}

func TestNetBatchOfOne(t *testing.T) {
	for _, training := range []bool{false, true} {
		cfg := smallConfig()
		cfg.DropoutRate = 0
		p, net := newSmallNet(t, cfg, 1, training)
		row := smallIDs[gcTime : 2*gcTime]
		runBatch(t, net, row, smallLabels[1:2], 1)
		want := newRefNet(p).logits(row, nil)
		got := net.Logits()
		if len(got) != 1 || math.Abs(got[0]-want[0]) > 1e-12 {
			t.Errorf("training %v: logits %v, want %v", training, got, want)
		}
		if training && len(net.Grads()) != len(p.Names()) {
			t.Errorf("batch of one: %d gradients", len(net.Grads()))
		}
	}
}

func TestRunIsRepeatable(t *testing.T) {
	// Gradients must not accumulate from run to run, and running must not
	// touch the parameters.
	p, net := newSmallNet(t, smallConfig(), 3, true)
	before := snapshot(p)
	runBatch(t, net, smallIDs, smallLabels, 3)
	loss1, grads1 := net.Loss(), snapshotGrads(net)
	if err := net.Run(); err != nil {
		t.Fatal(err)
	}
	if net.Loss() != loss1 {
		t.Errorf("second run: loss %v, first %v", net.Loss(), loss1)
	}
	for i, g := range snapshotGrads(net) {
		for j := range g {
			if g[j] != grads1[i][j] {
				t.Fatalf("%s[%d]: second run %v, first %v", p.Names()[i], j, g[j], grads1[i][j])
			}
		}
	}
	for i, vals := range snapshot(p) {
		for j := range vals {
			if vals[j] != before[i][j] {
				t.Fatalf("run changed %s[%d]", p.Names()[i], j)
			}
		}
	}
}

// snapshot copies every parameter's values.
func snapshot(p *Params) [][]float64 {
	var out [][]float64
	for _, t := range p.Tensors() {
		out = append(out, append([]float64(nil), t.Data().([]float64)...))
	}
	return out
}

// snapshotGrads copies a net's gradients.
func snapshotGrads(net *Net) [][]float64 {
	var out [][]float64
	for _, g := range net.Grads() {
		out = append(out, append([]float64(nil), g.Data().([]float64)...))
	}
	return out
}

func TestNetsSeeParamUpdates(t *testing.T) {
	// Two nets on one Params both see an in-place update, as an optimizer
	// makes it.
	p, train := newSmallNet(t, smallConfig(), 3, true)
	eval, err := NewNet(p, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	runBatch(t, eval, smallIDs, smallLabels, 3)
	before := eval.Logits()

	bias := p.Tensors()[len(p.Names())-1].Data().([]float64)
	bias[0] += 0.25
	runBatch(t, eval, smallIDs, smallLabels, 3)
	runBatch(t, train, smallIDs, smallLabels, 3)
	for i, z := range eval.Logits() {
		if math.Abs(z-before[i]-0.25) > 1e-12 {
			t.Errorf("row %d: logit moved by %v after the output bias moved by 0.25",
				i, z-before[i])
		}
	}
	want := newRefNet(p).logits(smallIDs, nil)
	if math.Abs(eval.Logits()[0]-want[0]) > 1e-12 {
		t.Errorf("updated logit %v, reference %v", eval.Logits()[0], want[0])
	}
}

func TestPartialBatchMatchesSmallerNet(t *testing.T) {
	// Two real rows padded into a 3-row net give the loss, logits and
	// gradients of a 2-row net: padding rows weigh nothing.
	cfg := smallConfig()
	cfg.DropoutRate = 0
	p, big := newSmallNet(t, cfg, 3, true)
	small, err := NewNet(p, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	ids, labels := smallIDs[:2*gcTime], smallLabels[:2]
	runBatch(t, big, ids, labels, 2)
	runBatch(t, small, ids, labels, 2)

	const tol = 1e-12 // same sums, up to the order of additions
	if math.Abs(big.Loss()-small.Loss()) > tol {
		t.Errorf("loss: padded %v, exact %v", big.Loss(), small.Loss())
	}
	if len(big.Logits()) != 2 {
		t.Fatalf("padded net returned %d logits for 2 rows", len(big.Logits()))
	}
	for i := range small.Logits() {
		if math.Abs(big.Logits()[i]-small.Logits()[i]) > tol {
			t.Errorf("logit %d: padded %v, exact %v", i, big.Logits()[i], small.Logits()[i])
		}
	}
	bg, sg := snapshotGrads(big), snapshotGrads(small)
	for i := range sg {
		for j := range sg[i] {
			if math.Abs(bg[i][j]-sg[i][j]) > tol {
				t.Fatalf("%s[%d]: padded %v, exact %v", p.Names()[i], j, bg[i][j], sg[i][j])
			}
		}
	}
	if l := refLoss(small.Logits(), labels); math.Abs(small.Loss()-l) > tol {
		t.Errorf("loss %v, reference mean %v", small.Loss(), l)
	}
}

func TestSetBatchErrors(t *testing.T) {
	_, net := newSmallNet(t, smallConfig(), 3, false)
	outOfRange := append([]int32(nil), smallIDs...)
	outOfRange[5] = gcVocab
	negative := append([]int32(nil), smallIDs...)
	negative[2] = -1
	tests := []struct {
		name   string
		ids    []int32
		labels []float32
		size   int
		want   string
	}{
		{"no rows", nil, nil, 0, "want 1..3"},
		{"too many rows", append(smallIDs, smallIDs[:gcTime]...), nil, 4, "want 1..3"},
		{"short ids", smallIDs[:11], nil, 3, "got 11 ids, want 12"},
		{"labels count", smallIDs, []float32{1}, 3, "got 1 labels"},
		{"id too large", outOfRange, nil, 3, "row 1 position 1: id 7 outside 0..6"},
		{"negative id", negative, nil, 3, "id -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := net.SetBatch(tc.ids, tc.labels, tc.size)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestNetErrors(t *testing.T) {
	p, err := NewParams(smallConfig(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewNet(nil, 3, false); err == nil {
		t.Error("NewNet accepted nil params")
	}
	if _, err := NewNet(p, 0, false); err == nil {
		t.Error("NewNet accepted batch size 0")
	}
	net, err := NewNet(p, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Run(); err == nil {
		t.Error("Run without a batch succeeded")
	}
	if net.BatchSize() != 3 || net.Training() {
		t.Errorf("BatchSize %d, Training %v; want 3, false", net.BatchSize(), net.Training())
	}
	runBatch(t, net, smallIDs, nil, 3)
	if net.Grads() != nil {
		t.Error("an evaluation net returned gradients")
	}
}

func TestSigmoid(t *testing.T) {
	tests := []struct{ z, want float64 }{
		{0, 0.5},
		{2, 1 / (1 + math.Exp(-2))},
		{-2, 1 / (1 + math.Exp(2))},
		{800, 1},
		{-800, 0},
	}
	for _, tc := range tests {
		got := Sigmoid(tc.z)
		if math.IsNaN(got) || math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Sigmoid(%v) = %v, want %v", tc.z, got, tc.want)
		}
	}
	if Sigmoid(-40) <= 0 {
		t.Error("Sigmoid(-40) underflowed to 0; exp(-40) is representable")
	}
}

func TestBadBatchKeepsLastGoodOne(t *testing.T) {
	_, net := newSmallNet(t, smallConfig(), 3, false)
	runBatch(t, net, smallIDs, smallLabels, 3)
	want := net.Logits()
	bad := append([]int32(nil), smallIDs...)
	bad[len(bad)-1] = gcVocab // only the last id is out of range
	if err := net.SetBatch(bad, smallLabels, 3); err == nil {
		t.Fatal("SetBatch accepted an out-of-range id")
	}
	if err := net.Run(); err != nil {
		t.Fatal(err)
	}
	if !equalFloats(net.Logits(), want) {
		t.Errorf("after a rejected batch: logits %v, want %v", net.Logits(), want)
	}
}

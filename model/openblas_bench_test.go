//go:build openblas

package model

import (
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"

	"github.com/imdb-attn/imdb-attn/model/openblas"
)

// BenchmarkTrainStepBLAS times the training step with gonum's pure-Go BLAS and with
// OpenBLAS side by side in one process, so their ratio is measured under the same load.
// Run: go test -tags openblas ./model -run '^$' -bench TrainStepBLAS -benchtime 10x
func BenchmarkTrainStepBLAS(b *testing.B) {
	defer G.Use(gonum.Implementation{})
	for _, impl := range []struct {
		name string
		blas G.BLAS
	}{{"gonum", gonum.Implementation{}}, {"openblas", openblas.Implementation()}} {
		b.Run(impl.name, func(b *testing.B) {
			G.Use(impl.blas)
			BenchmarkTrainStep(b)
		})
	}
}

// TestOpenBLASMatchesGonum checks that a forward and backward pass gives the same loss and
// gradients with either BLAS, to float32 rounding.
func TestOpenBLASMatchesGonum(t *testing.T) {
	defer G.Use(gonum.Implementation{})
	cfg := DefaultConfig()
	cfg.VocabSize, cfg.SeqLen, cfg.EmbedDim, cfg.DenseUnits = 100, 20, 16, 8
	results := make([][]float64, 2)
	for i, impl := range []G.BLAS{gonum.Implementation{}, openblas.Implementation()} {
		G.Use(impl)
		p, err := NewParams(cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		net, err := NewNet(p, 4, true)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int32, 4*cfg.SeqLen)
		for j := range ids {
			ids[j] = int32(j*7%99 + 1)
		}
		if err := net.SetBatch(ids, []float32{1, 0, 1, 0}, 4); err != nil {
			t.Fatal(err)
		}
		if err := net.Run(); err != nil {
			t.Fatal(err)
		}
		results[i] = append(results[i], net.Loss())
		for _, g := range net.Grads() {
			for _, v := range g.Data().([]float32) {
				results[i] = append(results[i], float64(v))
			}
		}
	}
	// Summation order differs between the two libraries: agree to float32 rounding of the
	// largest value.
	const tol = 1e-5
	for j := range results[0] {
		if d := results[0][j] - results[1][j]; d > tol || d < -tol {
			t.Fatalf("value %d: gonum %g, openblas %g", j, results[0][j], results[1][j])
		}
	}
}

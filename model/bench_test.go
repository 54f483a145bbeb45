package model

import (
	"math/rand"
	"testing"
)

// BenchmarkTrainStep times one forward and backward pass of the notebook's
// network at its training shapes (B 32, T 200, d 128, V 10000, float32),
// the figure DESIGN.md quotes as about 375 ms on 2 cores with gonum's
// pure-Go BLAS. Run: go test ./model/ -run '^$' -bench TrainStep -benchtime 5x
func BenchmarkTrainStep(b *testing.B) {
	const batch = 32
	cfg := DefaultConfig()
	p, err := NewParams(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	net, err := NewNet(p, batch, true)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(2))
	ids, labels := randomBatch(rng, cfg, batch)
	if err := net.SetBatch(ids, labels, batch); err != nil {
		b.Fatal(err)
	}

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		net.SetDropout(rng)
		if err := net.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// randomBatch makes rows of random ids, with a random number of leading
// pads as pad_sequences('pre') leaves, and random labels.
func randomBatch(rng *rand.Rand, cfg Config, rows int) ([]int32, []float32) {
	t := cfg.SeqLen
	ids := make([]int32, rows*t)
	labels := make([]float32, rows)
	for r := 0; r < rows; r++ {
		pads := rng.Intn(t)
		for j := pads; j < t; j++ {
			ids[r*t+j] = int32(1 + rng.Intn(cfg.VocabSize-1))
		}
		labels[r] = float32(rng.Intn(2))
	}
	return ids, labels
}

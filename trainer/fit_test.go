package trainer

import (
	"bytes"
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
)

// Token ids of the synthetic task: filler words plus one cue word per class.
const (
	cuePositive = 4
	cueNegative = 5
	firstFiller = 6
	vocab       = 40
)

// synthetic makes a learnable task: each review is filler words with a few copies of its
// class's cue word at random places, the way "great" or "awful" mark a real review.
func synthetic(n int, seed int64) *dataset.Set {
	rng := rand.New(rand.NewSource(seed))
	set := &dataset.Set{}
	for i := 0; i < n; i++ {
		label := int32(i % 2)
		length := 6 + rng.Intn(10)
		seq := []int32{dataset.StartID}
		for j := 0; j < length; j++ {
			seq = append(seq, int32(firstFiller+rng.Intn(vocab-firstFiller)))
		}
		cue := int32(cueNegative)
		if label == 1 {
			cue = cuePositive
		}
		for k := 0; k < 2; k++ {
			seq[1+rng.Intn(length)] = cue
		}
		set.Seqs = append(set.Seqs, seq)
		set.Labels = append(set.Labels, label)
	}
	return set
}

func syntheticConfig() Config {
	cfg := DefaultConfig()
	cfg.Name = "synthetic"
	cfg.Model.VocabSize = vocab
	cfg.Model.SeqLen = 12
	cfg.Model.EmbedDim = 8
	cfg.Model.DenseUnits = 6
	cfg.Model.DropoutRate = 0.2
	cfg.Train.Epochs = 4
	cfg.Train.BatchSize = 16
	cfg.Train.EvalBatchSize = 32
	cfg.Train.Adam.LearningRate = 1e-2
	return cfg
}

func trainSynthetic(t *testing.T, dir string) RunMetrics {
	t.Helper()
	cfg := syntheticConfig()
	if err := CreateRunDir(dir, false); err != nil {
		t.Fatal(err)
	}
	// 203 rows: the last training batch of each epoch is a short one.
	train, val := synthetic(203, 1), synthetic(100, 2)
	index := dataset.WordIndex{"good": 1, "bad": 2}
	var epochs []EpochMetrics
	m, err := TrainRun(context.Background(), RunOptions{Config: cfg, Train: train, Val: val,
		Index: index, Dir: dir}, Hooks{EpochEnd: func(e EpochMetrics) error {
		epochs = append(epochs, e)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(epochs) != cfg.Train.Epochs || m.Epochs != cfg.Train.Epochs || !m.Completed {
		t.Fatalf("ran %d epochs (metrics say %d, completed %v), want %d", len(epochs),
			m.Epochs, m.Completed, cfg.Train.Epochs)
	}
	return m
}

// The end-to-end check: a learnable task is learnt, and the run folder is complete.
func TestTrainRunLearnsASyntheticTask(t *testing.T) {
	dir := t.TempDir()
	m := trainSynthetic(t, dir)
	// Chance is 0.5; the cue words make the task separable, so anything that learns gets
	// far above it. 0.9 leaves room for seed-to-seed variation.
	if m.Final.ValAcc < 0.9 {
		t.Errorf("validation accuracy %.3f after %d epochs, want >= 0.9", m.Final.ValAcc,
			m.Epochs)
	}
	if m.Final.Loss >= 0.6931 {
		t.Errorf("final training loss %.4f is no better than chance (ln 2)", m.Final.Loss)
	}
	for _, name := range runFiles {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.Size() == 0 {
			t.Errorf("run folder lacks %s: %v", name, err)
		}
	}

	run, err := OpenRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if run.Config != syntheticConfig() || run.Index["bad"] != 2 {
		t.Errorf("run folder does not give back its config and word index")
	}
	params, err := run.LoadParams("best")
	if err != nil {
		t.Fatal(err)
	}
	net, err := model.NewNet(params, 32, false)
	if err != nil {
		t.Fatal(err)
	}
	_, acc, err := Evaluate(context.Background(), net, run.Config.Model, synthetic(100, 2))
	if err != nil {
		t.Fatal(err)
	}
	if acc != m.Best.ValAcc {
		t.Errorf("best.npz evaluates to %.4f, the run recorded %.4f", acc, m.Best.ValAcc)
	}
}

func TestSameSeedSameRun(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ma, mb := trainSynthetic(t, a), trainSynthetic(t, b)
	ma.TotalSeconds, mb.TotalSeconds = 0, 0
	ma.Final.Seconds, mb.Final.Seconds, ma.Best.Seconds, mb.Best.Seconds = 0, 0, 0, 0
	if ma != mb {
		t.Errorf("two runs with one seed differ:\n%+v\n%+v", ma, mb)
	}
	wa, err := os.ReadFile(filepath.Join(a, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	wb, err := os.ReadFile(filepath.Join(b, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wa, wb) {
		t.Error("two runs with one seed wrote different weights")
	}
}

func TestCreateRunDirKeepsExistingRuns(t *testing.T) {
	dir := t.TempDir()
	weights := filepath.Join(dir, WeightsFile)
	if err := os.WriteFile(weights, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CreateRunDir(dir, false); !errors.Is(err, ErrRunExists) {
		t.Fatalf("existing run not refused: %v", err)
	}
	if raw, _ := os.ReadFile(weights); string(raw) != "precious" {
		t.Fatal("refused run folder was changed")
	}
	if err := CreateRunDir(dir, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(weights); !os.IsNotExist(err) {
		t.Errorf("--force left the old weights: %v", err)
	}
}

func TestFitStopsWhenCancelled(t *testing.T) {
	cfg := syntheticConfig()
	params, err := model.NewParams(cfg.Model, 1)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(cfg, params)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	_, err = tr.Fit(ctx, synthetic(100, 1), nil, Hooks{Step: func(_, _ int, _, _ float64) {
		steps++
		if steps == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || steps != 2 {
		t.Errorf("Fit returned %v after %d steps, want context.Canceled after 2", err, steps)
	}
}

func TestOpenRunErrors(t *testing.T) {
	if _, err := OpenRun(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, ErrNoRun) {
		t.Errorf("missing folder: %v", err)
	}
	if _, err := OpenRun(t.TempDir()); !errors.Is(err, ErrNoRun) {
		t.Errorf("empty folder: %v", err)
	}
	if _, err := LatestRun(t.TempDir()); !errors.Is(err, ErrNoRun) {
		t.Errorf("no runs: %v", err)
	}
}

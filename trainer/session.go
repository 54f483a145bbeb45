package trainer

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
)

// Splits are the three sets a run uses.
type Splits struct {
	Train, Val, Test *dataset.Set
}

// Split prepares a corpus as Keras's notebook does: each split shuffled once with the
// shuffle seed (imdb.load_data), optionally cut to the config's limits, then the last
// validation_split of the training rows held out (fit's validation_split, taken before
// fit's own shuffling).
func Split(corpus *dataset.Corpus, cfg DataConfig) (Splits, error) {
	if corpus.Train.Len() == 0 || corpus.Test.Len() == 0 {
		return Splits{}, fmt.Errorf("trainer: empty split: %d train and %d test reviews",
			corpus.Train.Len(), corpus.Test.Len())
	}
	train := limit(corpus.Train.Shuffled(cfg.ShuffleSeed), cfg.TrainLimit)
	test := limit(corpus.Test.Shuffled(cfg.ShuffleSeed), cfg.TestLimit)
	fit, val, err := train.SplitTail(cfg.ValidationSplit)
	if err != nil {
		return Splits{}, fmt.Errorf("trainer: validation split: %w", err)
	}
	return Splits{Train: fit, Val: val, Test: test}, nil
}

func limit(s *dataset.Set, n int) *dataset.Set {
	if n <= 0 || n >= s.Len() {
		return s
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return s.Subset(idx)
}

// RunOptions says what TrainRun trains and where it writes.
type RunOptions struct {
	Config Config
	Train  *dataset.Set
	Val    *dataset.Set
	Index  dataset.WordIndex
	// Dir is the run folder; it must have been prepared with CreateRunDir.
	Dir string
}

// TrainRun trains a fresh model and keeps the run folder up to date as it goes: config and
// word index first, then after every epoch the last weights, the best weights by validation
// loss, history.csv, metrics.json and curves.png, each written atomically. A cancelled ctx
// stops it after the current step with the files of the last finished epoch in place.
func TrainRun(ctx context.Context, opts RunOptions, hooks Hooks) (RunMetrics, error) {
	cfg, dir := opts.Config, opts.Dir
	if err := WriteConfig(dir, cfg); err != nil {
		return RunMetrics{}, err
	}
	if err := WriteVocab(dir, opts.Index); err != nil {
		return RunMetrics{}, err
	}
	params, err := model.NewParams(cfg.Model, cfg.Train.Seed)
	if err != nil {
		return RunMetrics{}, fmt.Errorf("trainer: %w", err)
	}
	tr, err := New(cfg, params)
	if err != nil {
		return RunMetrics{}, err
	}

	start := time.Now()
	metrics := RunMetrics{Name: cfg.Name, Params: params.Count(), TrainRows: opts.Train.Len(),
		ValRows: opts.Val.Len()}
	bestLoss := math.Inf(1)
	var history []EpochMetrics
	userEnd := hooks.EpochEnd
	hooks.EpochEnd = func(m EpochMetrics) error {
		history = append(history, m)
		if err := params.Save(filepath.Join(dir, WeightsFile)); err != nil {
			return err
		}
		// Without a validation set every epoch is "best": best.npz follows the last weights.
		if opts.Val.Len() == 0 || m.ValLoss < bestLoss {
			bestLoss = m.ValLoss
			metrics.BestEpoch, metrics.Best = m.Epoch, m
			if err := params.Save(filepath.Join(dir, BestFile)); err != nil {
				return err
			}
		}
		metrics.Epochs, metrics.Final = m.Epoch, m
		metrics.TotalSeconds = time.Since(start).Seconds()
		metrics.Completed = m.Epoch == cfg.Train.Epochs
		if err := writeProgress(dir, history, metrics); err != nil {
			return err
		}
		if userEnd != nil {
			return userEnd(m)
		}
		return nil
	}

	_, err = tr.Fit(ctx, opts.Train, opts.Val, hooks)
	return metrics, err
}

func writeProgress(dir string, history []EpochMetrics, metrics RunMetrics) error {
	if err := WriteHistory(dir, history); err != nil {
		return err
	}
	if err := WriteMetrics(dir, metrics); err != nil {
		return err
	}
	return WriteCurves(dir, history)
}

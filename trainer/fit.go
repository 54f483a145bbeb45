package trainer

import (
	"context"
	"fmt"
	"math/rand"
	"time"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
)

// Hooks lets the caller watch training; any of them may be nil. Library code prints
// nothing: the CLI turns these calls into a progress bar and epoch lines.
type Hooks struct {
	// EpochStart is called before an epoch's first step with the number of steps.
	EpochStart func(epoch, steps int)
	// Step is called after each step with the epoch's running loss and accuracy.
	Step func(epoch, step int, loss, acc float64)
	// EpochEnd is called with the epoch's metrics; an error stops training.
	EpochEnd func(m EpochMetrics) error
}

// Trainer fits a model's parameters with Adam on batches from a dataset.Set.
type Trainer struct {
	cfg     Config
	params  *model.Params
	net     *model.Net
	eval    *model.Net
	adam    *Adam
	dropout *rand.Rand
}

// New builds the training and evaluation graphs once for the config's batch sizes.
func New(cfg Config, params *model.Params) (*Trainer, error) {
	net, err := model.NewNet(params, cfg.Train.BatchSize, true)
	if err != nil {
		return nil, fmt.Errorf("trainer: build training graph: %w", err)
	}
	eval, err := model.NewNet(params, cfg.Train.EvalBatchSize, false)
	if err != nil {
		return nil, fmt.Errorf("trainer: build evaluation graph: %w", err)
	}
	return &Trainer{
		cfg:    cfg,
		params: params,
		net:    net,
		eval:   eval,
		adam:   NewAdam(cfg.Train.Adam, params.Tensors()),
		// Dropout masks get their own stream so that they do not depend on the shuffles.
		dropout: rand.New(rand.NewSource(cfg.Train.Seed + 1)),
	}, nil
}

// Fit runs cfg.Train.Epochs epochs over train, evaluating on val (if non-empty) after each.
// The training rows are reshuffled every epoch from the config's seed, so two runs with one
// seed see the same batches. It stops early, returning ctx.Err(), when ctx is cancelled.
func (t *Trainer) Fit(ctx context.Context, train, val *dataset.Set, hooks Hooks) (
	[]EpochMetrics, error) {
	if train.Len() == 0 {
		return nil, fmt.Errorf("trainer: the training set is empty")
	}
	mc := t.params.Config()
	var history []EpochMetrics
	for epoch := 1; epoch <= t.cfg.Train.Epochs; epoch++ {
		start := time.Now()
		order := dataset.EpochOrder(train.Len(), t.cfg.Train.Seed, epoch-1)
		batches := train.Batches(order, t.cfg.Train.BatchSize, mc.SeqLen, mc.VocabSize)
		if hooks.EpochStart != nil {
			hooks.EpochStart(epoch, len(batches))
		}

		var running runningMean
		for step, b := range batches {
			if err := ctx.Err(); err != nil {
				return history, err
			}
			loss, correct, err := t.trainStep(b)
			if err != nil {
				return history, fmt.Errorf("trainer: epoch %d step %d: %w", epoch, step+1, err)
			}
			running.add(loss, correct, b.Size)
			if hooks.Step != nil {
				hooks.Step(epoch, step+1, running.loss(), running.acc())
			}
		}

		m := EpochMetrics{Epoch: epoch, Loss: running.loss(), Acc: running.acc()}
		if val != nil && val.Len() > 0 {
			var err error
			m.ValLoss, m.ValAcc, err = t.Evaluate(ctx, val)
			if err != nil {
				return history, err
			}
		}
		m.Seconds = time.Since(start).Seconds()
		history = append(history, m)
		if hooks.EpochEnd != nil {
			if err := hooks.EpochEnd(m); err != nil {
				return history, err
			}
		}
	}
	return history, nil
}

func (t *Trainer) trainStep(b dataset.Batch) (loss float64, correct int, err error) {
	if err := t.net.SetBatch(b.IDs, b.Labels, b.Size); err != nil {
		return 0, 0, err
	}
	t.net.SetDropout(t.dropout)
	if err := t.net.Run(); err != nil {
		return 0, 0, err
	}
	if err := t.adam.Step(t.params.Tensors(), t.net.Grads()); err != nil {
		return 0, 0, err
	}
	return t.net.Loss(), countCorrect(t.net.Logits(), b.Labels), nil
}

// Evaluate returns the mean loss and accuracy over set with dropout off.
func (t *Trainer) Evaluate(ctx context.Context, set *dataset.Set) (loss, acc float64, err error) {
	return Evaluate(ctx, t.eval, t.params.Config(), set)
}

// Evaluate returns the mean loss and accuracy of an evaluation net over set.
// mc is the config the net was built from.
func Evaluate(ctx context.Context, net *model.Net, mc model.Config, set *dataset.Set) (
	loss, acc float64, err error) {
	var total runningMean
	for _, b := range set.Batches(nil, net.BatchSize(), mc.SeqLen, mc.VocabSize) {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		if err := net.SetBatch(b.IDs, b.Labels, b.Size); err != nil {
			return 0, 0, fmt.Errorf("trainer: evaluate: %w", err)
		}
		if err := net.Run(); err != nil {
			return 0, 0, fmt.Errorf("trainer: evaluate: %w", err)
		}
		total.add(net.Loss(), countCorrect(net.Logits(), b.Labels), b.Size)
	}
	return total.loss(), total.acc(), nil
}

package trainer

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"unicode/utf8"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
)

// DefaultThreshold is the probability above which a review is labelled positive: 0.5, the
// threshold of Keras's binary_accuracy, which the training metrics use too.
const DefaultThreshold = 0.5

// DefaultPredictBatchSize is the number of reviews a Predictor runs through the graph at once;
// it matches DefaultEvalBatchSize, the evaluation batch of a run.
const DefaultPredictBatchSize = DefaultEvalBatchSize

// Labels a Prediction carries.
const (
	LabelPositive = "positive"
	LabelNegative = "negative"
)

// ErrNotUTF8 marks a text that is not valid UTF-8. Such a text gets this error, not a
// probability: the training reviews are UTF-8, and bytes of another encoding would turn
// words into unknown tokens without a word of warning.
var ErrNotUTF8 = errors.New("text is not valid UTF-8")

// PredictOptions sets up a Predictor. The zero value gives the defaults.
type PredictOptions struct {
	// BatchSize is the number of rows of each graph the Predictor builds
	// (default DefaultPredictBatchSize, 64). A caller that knows it has fewer reviews
	// should pass their number: a smaller graph answers a single review faster.
	BatchSize int
	// Workers is the number of graphs that score batches side by side (default 1, one
	// graph per process). Gonum already spreads a batch's large matrix products over
	// the cores; more workers also overlap the serial steps (softmax, layer norm, copies),
	// at one graph's memory each (peak RSS of predict at the base shapes and 64 rows:
	// 266 MB with one worker, 460 MB with two). On the shared 2-core test machine a second
	// worker did not raise throughput; on a larger idle machine it may. All graphs are built
	// once, by NewPredictor.
	Workers int
	// Threshold labels a review positive when its probability is above it
	// (default DefaultThreshold, 0.5; 0 means the default). It must lie in [0, 1].
	Threshold float64
}

// Prediction is the answer for one text.
type Prediction struct {
	// Probability is the model's probability that the review is positive, sigmoid(logit).
	Probability float64
	// Logit is the network's output before the sigmoid.
	Logit float64
	// Label is LabelPositive when Probability > threshold, else LabelNegative.
	Label string
	// Tokens is the number of tokens the text splits into, known or not.
	Tokens int
	// Unknown is the number of tokens not in the word index; they are dropped, as in training.
	Unknown int
	// OOV is the number of known tokens whose id is cut by the vocabulary size (num_words)
	// to the out-of-vocabulary id; they stay in the sequence as that id.
	OOV int
	// Truncated is the number of word ids dropped from the front by the sequence length
	// (maxlen), as Keras's pad_sequences truncating='pre' drops them. The start id is
	// dropped as well whenever a text has SeqLen or more known words, as in training.
	Truncated int
	// Err is set when the text could not be scored; the other fields are then zero.
	Err error
}

// Encoded is one text made ready for the network.
type Encoded struct {
	// IDs are the SeqLen ids the network reads: start id, word ids, front-padded or
	// front-truncated by dataset.PadSequence.
	IDs []int32
	// Tokens, Unknown, OOV and Truncated are as in Prediction.
	Tokens, Unknown, OOV, Truncated int
}

// Predictor scores raw review texts with a trained run: it encodes each text with the run's
// word index through the same dataset.Encoder that encoded the training data, and runs the
// encoded reviews, in batches, through evaluation graphs (dropout off) built once.
//
// A Predictor is safe for concurrent use; calls to Predict are served one after another.
type Predictor struct {
	encoder   *dataset.Encoder
	cfg       model.Config
	threshold float64

	mu      sync.Mutex // serializes Predict: each worker's graph runs one batch at a time
	workers []*predictWorker
}

// predictWorker is one graph and the buffer its batches are assembled in.
type predictWorker struct {
	net *model.Net
	ids []int32 // BatchSize rows of SeqLen ids, reused
}

// NewPredictor builds a Predictor from a run folder and weights loaded from it (for example
// by run.LoadParams("best")). The weights must have been made for the run's model config.
func NewPredictor(run *Run, params *model.Params, opts PredictOptions) (*Predictor, error) {
	if run == nil || params == nil {
		return nil, fmt.Errorf("predict: need a run and its weights")
	}
	cfg := run.Config.Model
	if params.Config() != cfg {
		return nil, fmt.Errorf("predict: run %s: the weights were made for model %+v, "+
			"the run's config says %+v", run.Dir, params.Config(), cfg)
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = DefaultPredictBatchSize
	}
	if opts.BatchSize < 1 {
		return nil, fmt.Errorf("predict: batch size %d: want at least 1", opts.BatchSize)
	}
	if opts.Workers == 0 {
		opts.Workers = 1
	}
	if opts.Workers < 1 {
		return nil, fmt.Errorf("predict: %d workers: want at least 1", opts.Workers)
	}
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if !(opts.Threshold >= 0 && opts.Threshold <= 1) {
		return nil, fmt.Errorf("predict: threshold %v: want a probability in [0, 1]",
			opts.Threshold)
	}
	if len(run.Index) == 0 {
		return nil, fmt.Errorf("predict: run %s has an empty word index", run.Dir)
	}

	p := &Predictor{
		encoder:   dataset.NewEncoder(run.Index, cfg.VocabSize),
		cfg:       cfg,
		threshold: opts.Threshold,
	}
	// The graphs only read the parameters, so they can share them.
	for range opts.Workers {
		net, err := model.NewNet(params, opts.BatchSize, false)
		if err != nil {
			return nil, fmt.Errorf("predict: build the graph: %w", err)
		}
		p.workers = append(p.workers, &predictWorker{net: net,
			ids: make([]int32, opts.BatchSize*cfg.SeqLen)})
	}
	return p, nil
}

// OpenRunWithParams opens the run folder dir and loads its weights ("best", "last" or a
// path) as OpenRun followed by Run.LoadParams does, but reads the word index and the weights
// at the same time: they are the two slow steps of starting predict, and neither needs the
// other. Errors are OpenRun's first, then the weights'.
//
// TODO: these two loads are most of predict's start-up. Weights are stored uncompressed
// since model.Save stopped deflating them (about 40-100 ms at the base shapes, down from
// about 150); what is left is npyio's element-by-element decoding, which a raw
// little-endian read would do in under 10 ms. The word index JSON takes 65-150 ms.
func OpenRunWithParams(dir, which string) (*Run, *model.Params, error) {
	var run *Run
	var runErr error
	opened := make(chan struct{})
	go func() {
		defer close(opened)
		run, runErr = OpenRun(dir)
	}()

	// The config is small; reading it twice costs less than waiting for the word index.
	var params *model.Params
	cfg, err := LoadConfig(filepath.Join(dir, ConfigFile))
	if err == nil {
		params, err = (&Run{Dir: dir, Config: cfg}).LoadParams(which)
	}
	<-opened
	if runErr != nil {
		return nil, nil, runErr
	}
	if err != nil {
		return nil, nil, err
	}
	return run, params, nil
}

// BatchSize returns the number of rows of each of the Predictor's graphs.
func (p *Predictor) BatchSize() int { return p.workers[0].net.BatchSize() }

// Workers returns the number of graphs that score batches side by side.
func (p *Predictor) Workers() int { return len(p.workers) }

// Threshold returns the probability above which a review is labelled positive.
func (p *Predictor) Threshold() float64 { return p.threshold }

// Encode turns text into the network's input exactly as the training reviews were encoded:
// dataset.Encoder with the run's word index and vocabulary size, then dataset.PadSequence to
// the run's sequence length. Text of any length is accepted (the cost is linear in it). An
// empty text, or one with no known word, encodes to the start id alone. The only error is
// ErrNotUTF8, which names the offset of the first bad byte.
func (p *Predictor) Encode(text string) (Encoded, error) {
	if off := firstInvalidUTF8(text); off >= 0 {
		return Encoded{}, fmt.Errorf("%w: bad byte at offset %d", ErrNotUTF8, off)
	}
	// TODO: Encode keeps every token as a string, so a review of tens of MB costs several
	// times its size in memory while it is encoded; an encoder that only counted tokens
	// would keep predict's memory flat for such input (--max-bytes bounds it meanwhile).
	enc := p.encoder.Encode(text)
	words := len(enc.IDs) - 1 // all but the start id
	return Encoded{
		IDs:       dataset.PadSequence(enc.IDs, p.cfg.SeqLen),
		Tokens:    len(enc.Tokens),
		Unknown:   enc.Unknown,
		OOV:       enc.OOV,
		Truncated: max(0, words-p.cfg.SeqLen),
	}, nil
}

// firstInvalidUTF8 returns the byte offset of the first byte of s that does not start a
// valid UTF-8 sequence, or -1 when s is valid.
func firstInvalidUTF8(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for off := 0; off < len(s); {
		r, size := utf8.DecodeRuneInString(s[off:])
		if r == utf8.RuneError && size == 1 {
			return off
		}
		off += size
	}
	return -1
}

// Predict scores every text and returns one Prediction per text, in order. A text that
// cannot be scored gets its own Err and costs the others nothing; if the graph itself fails,
// the texts of that batch carry the error and the other batches are still answered.
func (p *Predictor) Predict(texts []string) []Prediction {
	out := make([]Prediction, len(texts))
	encoded := make([]Encoded, len(texts))
	var ready []int // texts that encoded, in order
	for i, text := range texts {
		enc, err := p.Encode(text)
		if err != nil {
			out[i].Err = err
			continue
		}
		encoded[i] = enc
		ready = append(ready, i)
	}

	bs := p.BatchSize()
	var batches [][]int
	for start := 0; start < len(ready); start += bs {
		batches = append(batches, ready[start:min(start+bs, len(ready))])
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	jobs := make(chan []int)
	var wg sync.WaitGroup
	for _, w := range p.workers[:min(len(p.workers), len(batches))] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rows := range jobs {
				// Each text belongs to one batch, so workers write disjoint elements of out.
				logits, err := w.run(rows, encoded, p.cfg.SeqLen)
				for r, i := range rows {
					if err != nil {
						out[i].Err = err
						continue
					}
					out[i] = p.prediction(logits[r], encoded[i])
				}
			}
		}()
	}
	for _, rows := range batches {
		jobs <- rows
	}
	close(jobs)
	wg.Wait()
	return out
}

// run feeds the encoded texts at rows through the worker's graph and returns their logits.
// A panic inside the graph code becomes an error for this batch alone.
func (w *predictWorker) run(rows []int, encoded []Encoded, seqLen int) (
	logits []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			logits, err = nil, fmt.Errorf("predict: the graph failed: %v", r)
		}
	}()
	ids := w.ids[:len(rows)*seqLen]
	for r, i := range rows {
		copy(ids[r*seqLen:(r+1)*seqLen], encoded[i].IDs)
	}
	if err := w.net.SetBatch(ids, nil, len(rows)); err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	if err := w.net.Run(); err != nil {
		return nil, fmt.Errorf("predict: %w", err)
	}
	logits = w.net.Logits()
	if len(logits) < len(rows) {
		return nil, fmt.Errorf("predict: the graph gave %d logits for %d reviews",
			len(logits), len(rows))
	}
	return logits[:len(rows)], nil
}

func (p *Predictor) prediction(logit float64, enc Encoded) Prediction {
	if math.IsNaN(logit) {
		return Prediction{Err: errors.New(
			"predict: the network gave NaN; are the weights finite?")}
	}
	prob := model.Sigmoid(logit)
	label := LabelNegative
	if prob > p.threshold {
		label = LabelPositive
	}
	return Prediction{
		Probability: prob,
		Logit:       logit,
		Label:       label,
		Tokens:      enc.Tokens,
		Unknown:     enc.Unknown,
		OOV:         enc.OOV,
		Truncated:   enc.Truncated,
	}
}

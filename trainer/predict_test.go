package trainer

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
)

// probTol bounds the difference between two probabilities of the same review computed in
// different batch rows or batch sizes: the arithmetic is float32, and a row's result can
// depend on how the matrix products block the batch by a few units in the last place.
const probTol = 1e-5

// testModelConfig is a model small enough to build and run in milliseconds.
func testModelConfig() model.Config {
	mc := model.DefaultConfig()
	mc.VocabSize, mc.SeqLen, mc.EmbedDim, mc.DenseUnits = 50, 8, 4, 3
	return mc
}

// testWordIndex holds a few words; "rare" has a rank whose id (63) is beyond the test
// model's vocabulary of 50 and so becomes the OOV id.
func testWordIndex() dataset.WordIndex {
	return dataset.WordIndex{"the": 1, "movie": 2, "great": 3, "bad": 4, "br": 5,
		"don't": 6, "café": 7, "good": 8, "plot": 9, "rare": 60}
}

// writeTestRun writes a run folder with random weights for mc into a fresh temporary folder.
func writeTestRun(t testing.TB, mc model.Config, index dataset.WordIndex, seed int64) string {
	t.Helper()
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Name = "predict-test"
	cfg.Model = mc
	if err := WriteConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	if err := WriteVocab(dir, index); err != nil {
		t.Fatal(err)
	}
	params, err := model.NewParams(mc, seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := params.Save(filepath.Join(dir, WeightsFile)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openTestPredictor opens the run in dir with its last weights.
func openTestPredictor(t testing.TB, dir string, opts PredictOptions) *Predictor {
	t.Helper()
	run, err := OpenRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	params, err := run.LoadParams("last")
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPredictor(run, params, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// padded writes the ids a text should encode to, front-padded to the test model's length 8.
func padded(ids ...int32) []int32 {
	return append(make([]int32, 8-len(ids)), ids...)
}

// TestPredictorEncode checks, with ids worked out by hand from DESIGN.md's rule (rank+3,
// start id 1, unknown words dropped, ids >= 50 become 2, front padding to 8), that predict
// input is tokenized as the training reviews are, and that it goes through the dataset
// encoder itself.
func TestPredictorEncode(t *testing.T) {
	p := openTestPredictor(t, writeTestRun(t, testModelConfig(), testWordIndex(), 1),
		PredictOptions{})
	index := testWordIndex()
	enc := dataset.NewEncoder(index, testModelConfig().VocabSize)

	tests := []struct {
		name                      string
		text                      string
		ids                       []int32
		tokens, unknown, oov, cut int
	}{
		{"html line break", "Great<br />movie", padded(1, 6, 8, 5), 3, 0, 0, 0},
		{"upper-case ASCII", "THE MOVIE", padded(1, 4, 5), 2, 0, 0, 0},
		{"apostrophe kept", "Don't", padded(1, 9), 1, 0, 0, 0},
		{"punctuation splits", "great,movie!(bad)", padded(1, 6, 5, 7), 3, 0, 0, 0},
		{"non-ASCII lower", "café", padded(1, 10), 1, 0, 0, 0},
		{"non-ASCII upper keeps case", "CAFÉ", padded(1), 1, 1, 0, 0},
		{"tab and newline split", "good\tplot\nbad", padded(1, 11, 12, 7), 3, 0, 0, 0},
		{"beyond num_words", "the rare movie", padded(1, 4, 2, 5), 3, 0, 1, 0},
		{"empty", "", padded(1), 0, 0, 0, 0},
		{"only punctuation", "?!... --- ;)", padded(1), 0, 0, 0, 0},
		{"no known word", "zzz qqq", padded(1), 2, 2, 0, 0},
		{"exactly seq_len words", strings.Repeat("bad ", 8),
			[]int32{7, 7, 7, 7, 7, 7, 7, 7}, 8, 0, 0, 0},
		{"longer than seq_len", strings.Repeat("the ", 19) + "great",
			[]int32{4, 4, 4, 4, 4, 4, 4, 6}, 20, 0, 0, 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Encode(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.IDs, tc.ids) {
				t.Errorf("ids %v, want %v", got.IDs, tc.ids)
			}
			if got.Tokens != tc.tokens || got.Unknown != tc.unknown || got.OOV != tc.oov ||
				got.Truncated != tc.cut {
				t.Errorf("tokens/unknown/oov/truncated %d/%d/%d/%d, want %d/%d/%d/%d",
					got.Tokens, got.Unknown, got.OOV, got.Truncated,
					tc.tokens, tc.unknown, tc.oov, tc.cut)
			}
			// The training path: the dataset encoder, then pad_sequences.
			train := dataset.PadSequence(enc.Encode(tc.text).IDs, 8)
			if !slices.Equal(got.IDs, train) {
				t.Errorf("ids %v differ from the training encoding %v", got.IDs, train)
			}
		})
	}
}

// predictOne scores texts one at a time with a batch-1 predictor, the reference for
// batched results.
func predictOne(t *testing.T, p *Predictor, texts []string) []Prediction {
	t.Helper()
	out := make([]Prediction, len(texts))
	for i, text := range texts {
		got := p.Predict([]string{text})
		if len(got) != 1 {
			t.Fatalf("Predict of one text gave %d answers", len(got))
		}
		out[i] = got[0]
	}
	return out
}

func TestPredictBatchesMatchSingleReviews(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 2)
	single := openTestPredictor(t, dir, PredictOptions{BatchSize: 1})
	batched := openTestPredictor(t, dir, PredictOptions{BatchSize: 5})

	words := []string{"the", "movie", "great", "bad", "good", "plot", "zzz", "Café", "br"}
	rng := rand.New(rand.NewSource(3))
	texts := make([]string, 23) // 4 full batches of 5 and one of 3
	for i := range texts {
		n := rng.Intn(12)
		var b strings.Builder
		for range n {
			b.WriteString(words[rng.Intn(len(words))] + " ")
		}
		texts[i] = b.String()
	}

	want := predictOne(t, single, texts)
	parallel := openTestPredictor(t, dir, PredictOptions{BatchSize: 5, Workers: 3})
	if parallel.Workers() != 3 || batched.Workers() != 1 || batched.BatchSize() != 5 {
		t.Errorf("workers %d and %d, batch %d; want 3, 1 and 5", parallel.Workers(),
			batched.Workers(), batched.BatchSize())
	}
	for _, p := range []*Predictor{batched, parallel} {
		checkAgainstSingle(t, p, texts, want)
	}
	if len(batched.Predict(nil)) != 0 {
		t.Error("Predict(nil) gave answers")
	}
}

// checkAgainstSingle checks that p's answers for texts are those of a batch-1 predictor,
// want, and that they vary from text to text.
func checkAgainstSingle(t *testing.T, p *Predictor, texts []string, want []Prediction) {
	t.Helper()
	got := p.Predict(texts)
	if len(got) != len(texts) {
		t.Fatalf("%d answers for %d texts", len(got), len(texts))
	}
	distinct := map[float64]bool{}
	for i := range texts {
		if got[i].Err != nil || want[i].Err != nil {
			t.Fatalf("text %d: errors %v, %v", i, got[i].Err, want[i].Err)
		}
		if math.Abs(got[i].Probability-want[i].Probability) > probTol {
			t.Errorf("text %d %q: batched %v, alone %v", i, texts[i],
				got[i].Probability, want[i].Probability)
		}
		if p := got[i].Probability; !(p > 0 && p < 1) {
			t.Errorf("text %d: probability %v outside (0, 1)", i, p)
		}
		if math.Abs(got[i].Probability-model.Sigmoid(got[i].Logit)) > 1e-12 {
			t.Errorf("text %d: probability %v is not sigmoid(logit %v)", i,
				got[i].Probability, got[i].Logit)
		}
		distinct[got[i].Probability] = true
	}
	// Different texts must get different answers, or the rows are mixed up.
	if len(distinct) < 10 {
		t.Errorf("only %d distinct probabilities over %d texts", len(distinct), len(texts))
	}
}

// TestPredictBadInput checks the defined answers for odd texts, and that a text that
// cannot be scored costs its neighbours in the batch nothing.
func TestPredictBadInput(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 4)
	p := openTestPredictor(t, dir, PredictOptions{BatchSize: 4})
	startOnly := p.Predict([]string{""})[0]
	if startOnly.Err != nil {
		t.Fatal(startOnly.Err)
	}

	// Megabytes of text: the last 8 ids are six "bad", "great" and "movie".
	long := strings.Repeat("bad ", 1<<20) + "great movie"
	tail := "bad bad bad bad bad bad great movie"
	texts := []string{"great movie", "bad\xffplot", "", "?!;.", "zzz qqq", long,
		"good plot", "\xc3"}
	got := p.Predict(texts)
	want := predictOne(t, openTestPredictor(t, dir, PredictOptions{BatchSize: 1}),
		[]string{"great movie", "", "", "", "", tail, "good plot", ""})

	for i, text := range texts {
		short := text
		if len(short) > 20 {
			short = short[:20] + "..."
		}
		t.Run(fmt.Sprintf("%d %q", i, short), func(t *testing.T) {
			g := got[i]
			switch i {
			case 1, 7: // not UTF-8
				if !errors.Is(g.Err, ErrNotUTF8) {
					t.Fatalf("err %v, want ErrNotUTF8", g.Err)
				}
				off := map[int]string{1: "offset 3", 7: "offset 0"}[i]
				if !strings.Contains(g.Err.Error(), off) {
					t.Errorf("error %q does not say %s", g.Err, off)
				}
				if g.Label != "" || g.Probability != 0 {
					t.Errorf("failed text has label %q probability %v", g.Label, g.Probability)
				}
				return
			case 2, 3, 4: // nothing known: the start id alone
				if math.Abs(g.Probability-startOnly.Probability) > probTol {
					t.Errorf("probability %v, want the start id's %v", g.Probability,
						startOnly.Probability)
				}
			}
			if g.Err != nil {
				t.Fatal(g.Err)
			}
			if math.Abs(g.Probability-want[i].Probability) > probTol {
				t.Errorf("probability %v, want %v as when scored alone", g.Probability,
					want[i].Probability)
			}
		})
	}
	if got[5].Tokens != 1<<20+2 || got[5].Truncated != 1<<20+2-8 {
		t.Errorf("long text: tokens %d truncated %d, want %d and %d", got[5].Tokens,
			got[5].Truncated, 1<<20+2, 1<<20+2-8)
	}
	if got[4].Unknown != 2 || got[3].Tokens != 0 {
		t.Errorf("unknown %d for two unknown words, tokens %d for punctuation",
			got[4].Unknown, got[3].Tokens)
	}
}

func TestPredictThreshold(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 5)
	texts := []string{"great movie", "bad plot", "the", "", "good good good", "zzz"}
	probs := openTestPredictor(t, dir, PredictOptions{}).Predict(texts)

	for _, threshold := range []float64{0, 1e-12, 0.3, 0.5, 0.7, 1} {
		p := openTestPredictor(t, dir, PredictOptions{Threshold: threshold})
		effective := threshold
		if threshold == 0 {
			effective = DefaultThreshold
		}
		if p.Threshold() != effective {
			t.Errorf("Threshold() %v, want %v", p.Threshold(), effective)
		}
		for i, got := range p.Predict(texts) {
			want := LabelNegative
			if probs[i].Probability > effective {
				want = LabelPositive
			}
			if got.Label != want {
				t.Errorf("threshold %v: probability %v labelled %s, want %s", threshold,
					got.Probability, got.Label, want)
			}
		}
	}
}

func TestNewPredictorRejects(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 6)
	run, err := OpenRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	params, err := run.LoadParams("last")
	if err != nil {
		t.Fatal(err)
	}
	other := testModelConfig()
	other.EmbedDim = 6
	otherParams, err := model.NewParams(other, 1)
	if err != nil {
		t.Fatal(err)
	}
	emptyIndex := *run
	emptyIndex.Index = dataset.WordIndex{}

	tests := []struct {
		name   string
		run    *Run
		params *model.Params
		opts   PredictOptions
	}{
		{"threshold below 0", run, params, PredictOptions{Threshold: -0.1}},
		{"threshold above 1", run, params, PredictOptions{Threshold: 1.5}},
		{"threshold NaN", run, params, PredictOptions{Threshold: math.NaN()}},
		{"negative batch size", run, params, PredictOptions{BatchSize: -1}},
		{"negative workers", run, params, PredictOptions{Workers: -2}},
		{"weights of another model", run, otherParams, PredictOptions{}},
		{"no weights", run, nil, PredictOptions{}},
		{"no run", nil, params, PredictOptions{}},
		{"empty word index", &emptyIndex, params, PredictOptions{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if p, err := NewPredictor(tc.run, tc.params, tc.opts); err == nil {
				t.Errorf("got a predictor (batch %d), want an error", p.BatchSize())
			}
		})
	}
}

// TestPredictRunFolderProblems checks that a run folder with missing, mismatched or broken
// weights gives an error that names the folder, not a panic or a predictor.
func TestPredictRunFolderProblems(t *testing.T) {
	mc := testModelConfig()
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
	}{
		{"weights missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, WeightsFile)); err != nil {
				t.Fatal(err)
			}
		}},
		{"weights of a larger vocabulary", func(t *testing.T, dir string) {
			bigger := mc
			bigger.VocabSize = 60
			saveWeightsOf(t, dir, bigger)
		}},
		{"weights without layer norm", func(t *testing.T, dir string) {
			noNorm := mc
			noNorm.LayerNorm = false
			saveWeightsOf(t, dir, noNorm)
		}},
		{"weights file cut short", func(t *testing.T, dir string) {
			path := filepath.Join(dir, WeightsFile)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, raw[:len(raw)/2], 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"weights file not npz", func(t *testing.T, dir string) {
			err := os.WriteFile(filepath.Join(dir, WeightsFile), []byte("not a zip"), 0o644)
			if err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTestRun(t, mc, testWordIndex(), 7)
			tc.spoil(t, dir)
			run, err := OpenRun(dir)
			if err != nil {
				t.Fatal(err)
			}
			params, err := run.LoadParams("last")
			if err == nil {
				t.Fatalf("loaded weights (%d values), want an error", params.Count())
			}
			if !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the run folder", err)
			}
			// The concurrent loader gives the same error.
			_, params, err2 := OpenRunWithParams(dir, "last")
			if err2 == nil || err2.Error() != err.Error() || params != nil {
				t.Errorf("OpenRunWithParams: %v, want %v", err2, err)
			}
		})
	}
}

// TestPredictorSelfContained moves a run folder and predicts from its new place: nothing
// outside the folder is needed.
func TestPredictorSelfContained(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 8)
	texts := []string{"great movie", "bad plot br", "Don't"}
	before := openTestPredictor(t, dir, PredictOptions{}).Predict(texts)

	moved := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	after := openTestPredictor(t, moved, PredictOptions{}).Predict(texts)
	for i := range texts {
		if after[i].Err != nil || after[i].Probability != before[i].Probability {
			t.Errorf("%q: %v (err %v) after the move, %v before", texts[i],
				after[i].Probability, after[i].Err, before[i].Probability)
		}
	}
}

// TestPredictNonFiniteWeights checks that weights holding NaN give each review an error,
// not a NaN probability that JSON output could not even print.
func TestPredictNonFiniteWeights(t *testing.T) {
	mc := testModelConfig()
	dir := writeTestRun(t, mc, testWordIndex(), 10)
	params, err := model.NewParams(mc, 10)
	if err != nil {
		t.Fatal(err)
	}
	bias := params.Tensors()[len(params.Tensors())-1] // dense_1/bias, one value
	bias.Data().([]float32)[0] = float32(math.NaN())
	if err := params.Save(filepath.Join(dir, WeightsFile)); err != nil {
		t.Fatal(err)
	}
	for i, got := range openTestPredictor(t, dir, PredictOptions{}).Predict(
		[]string{"great movie", ""}) {
		if got.Err == nil || !strings.Contains(got.Err.Error(), "NaN") {
			t.Errorf("text %d: probability %v, err %v; want an error about NaN", i,
				got.Probability, got.Err)
		}
	}
}

// TestOpenRunWithParams checks that the concurrent loader gives what OpenRun and
// Run.LoadParams give, and OpenRun's error when the folder is not a run.
func TestOpenRunWithParams(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 11)
	run, params, err := OpenRunWithParams(dir, "best")
	if err != nil {
		t.Fatal(err)
	}
	seqRun, err := OpenRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	seqParams, err := seqRun.LoadParams("best")
	if err != nil {
		t.Fatal(err)
	}
	if run.Dir != dir || run.Config != seqRun.Config || len(run.Index) != len(seqRun.Index) {
		t.Errorf("run %+v, want %+v", run, seqRun)
	}
	for i, w := range params.Tensors() {
		if !slices.Equal(w.Data().([]float32), seqParams.Tensors()[i].Data().([]float32)) {
			t.Errorf("parameter %s differs", params.Names()[i])
		}
	}

	missing := filepath.Join(t.TempDir(), "none")
	_, _, err = OpenRunWithParams(missing, "best")
	if !errors.Is(err, ErrNoRun) {
		t.Errorf("missing folder: %v, want ErrNoRun", err)
	}
}

func TestPredictConcurrentCalls(t *testing.T) {
	dir := writeTestRun(t, testModelConfig(), testWordIndex(), 9)
	p := openTestPredictor(t, dir, PredictOptions{BatchSize: 2, Workers: 2})
	texts := []string{"great movie", "bad plot", "the", "good good", "br br", "café"}
	want := p.Predict(texts)

	var wg sync.WaitGroup
	results := make([][]Prediction, 4)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[g] = p.Predict(texts)
		}()
	}
	wg.Wait()
	for g, got := range results {
		for i := range texts {
			if got[i].Probability != want[i].Probability {
				t.Errorf("goroutine %d text %d: %v, want %v", g, i, got[i].Probability,
					want[i].Probability)
			}
		}
	}
}

// benchReviewWords is about the mean length of an IMDB review in tokens (the mean is near
// 230-240; see ../shared/data/imdb/README.md for the corpus), so most rows fill seq_len 200.
const benchReviewWords = 230

// realWordIndex is Keras's word index in the shared data folder, used by benchmarks when
// it is there.
const realWordIndex = "../../shared/data/imdb/" + dataset.WordIndexFile

// benchRun writes a run at the base shapes (model.DefaultConfig) with random weights (speed
// does not depend on trained values) and Keras's word index, or, without the data, a
// synthetic index of the same size. Its 256 texts draw words with log-uniform ranks (low
// ranks more often, as in real text), with punctuation and about 5 % unknown words.
func benchRun(b *testing.B) (dir string, texts []string) {
	b.Helper()
	index, err := dataset.LoadWordIndex(realWordIndex)
	if err != nil {
		index = dataset.WordIndex{}
		for r := 1; r <= dataset.KerasWordIndexSize; r++ {
			index[fmt.Sprintf("w%d", r)] = r
		}
	}
	byRank := make([]string, len(index)+1)
	for w, r := range index {
		if r < len(byRank) {
			byRank[r] = w
		}
	}
	dir = writeTestRun(b, model.DefaultConfig(), index, 1)

	rng := rand.New(rand.NewSource(1))
	texts = make([]string, 256)
	for i := range texts {
		var sb strings.Builder
		for range benchReviewWords {
			word := "zzzq"
			if rng.Float64() > 0.05 {
				word = byRank[int(math.Exp(rng.Float64()*math.Log(float64(len(byRank)-1))))]
			}
			sb.WriteString(word + ", ")
		}
		texts[i] = sb.String()
	}
	return dir, texts
}

// BenchmarkPredict measures scoring at the base shapes: a single review with a batch-1
// graph (a request), and 256 reviews through 64-row graphs, one or two side by side (a file).
// Run with
//
//	go test ./trainer/ -run '^$' -bench 'Predict$' -benchtime 10x
func BenchmarkPredict(b *testing.B) {
	dir, texts := benchRun(b)
	for _, bc := range []struct {
		name                    string
		batch, workers, reviews int
	}{
		{"one-review", 1, 1, 1},
		{"batch-64", 64, 1, len(texts)},
		{"batch-64-workers-2", 64, 2, len(texts)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := openTestPredictor(b, dir, PredictOptions{BatchSize: bc.batch,
				Workers: bc.workers})
			b.ResetTimer()
			for range b.N {
				for _, pr := range p.Predict(texts[:bc.reviews]) {
					if pr.Err != nil {
						b.Fatal(pr.Err)
					}
				}
			}
			b.ReportMetric(float64(b.N*bc.reviews)/b.Elapsed().Seconds(), "reviews/s")
		})
	}
}

// BenchmarkOpenPredictor measures start-up at the base shapes: read config, word index
// (Keras's 88,584 words) and weights, build the batch-1 graph.
func BenchmarkOpenPredictor(b *testing.B) {
	dir, _ := benchRun(b)
	b.ResetTimer()
	for range b.N {
		openTestPredictor(b, dir, PredictOptions{BatchSize: 1})
	}
}

// saveWeightsOf writes fresh weights of another model config over a run's weights.npz.
func saveWeightsOf(t *testing.T, dir string, cfg model.Config) {
	t.Helper()
	p, err := model.NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Save(filepath.Join(dir, WeightsFile)); err != nil {
		t.Fatal(err)
	}
}

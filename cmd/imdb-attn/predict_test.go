package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
	"github.com/imdb-attn/imdb-attn/trainer"
)

// predictTol bounds the difference between the command's probability for a review and the
// library's: both are float32 forward passes of the same ids, possibly in other batch rows,
// which can change the last few bits.
const predictTol = 1e-5

// writePredictRun writes a run folder with a tiny model (vocabulary 50, 8 ids a review,
// embeddings of 4, 3 hidden units) and random weights into dir.
func writePredictRun(t *testing.T, dir string, seed int64) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := trainer.DefaultConfig()
	cfg.Name = "predict-cli-test"
	cfg.Data.Dir = "/nonexistent/data" // a run must not need its data to predict
	cfg.Model.VocabSize, cfg.Model.SeqLen, cfg.Model.EmbedDim, cfg.Model.DenseUnits =
		50, 8, 4, 3
	if err := trainer.WriteConfig(dir, cfg); err != nil {
		t.Fatal(err)
	}
	index := dataset.WordIndex{"the": 1, "movie": 2, "great": 3, "bad": 4, "br": 5,
		"plot": 6, "good": 7, "awful": 8, "rare": 70}
	if err := trainer.WriteVocab(dir, index); err != nil {
		t.Fatal(err)
	}
	params, err := model.NewParams(cfg.Model, seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := params.Save(filepath.Join(dir, trainer.WeightsFile)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// referenceProbs scores texts with the library, the answers the command must print.
func referenceProbs(t *testing.T, dir string, texts []string) []float64 {
	t.Helper()
	run, err := trainer.OpenRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	params, err := run.LoadParams("best")
	if err != nil {
		t.Fatal(err)
	}
	p, err := trainer.NewPredictor(run, params, trainer.PredictOptions{BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	probs := make([]float64, len(texts))
	for i, pr := range p.Predict(texts) {
		if pr.Err != nil {
			t.Fatalf("reference for %q: %v", texts[i], pr.Err)
		}
		probs[i] = pr.Probability
	}
	return probs
}

// runPredict runs `imdb-attn predict args...` with stdin and returns its output and status.
func runPredict(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"imdb-attn", "predict"}, args...),
		strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// jsonAnswer is one line of predict --json.
type jsonAnswer struct {
	ID          any      `json:"id"`
	File        string   `json:"file"`
	Probability *float64 `json:"probability"`
	Label       string   `json:"label"`
	Tokens      *int     `json:"tokens"`
	Unknown     *int     `json:"unknown"`
	OOV         *int     `json:"oov"`
	Truncated   *int     `json:"truncated"`
	Error       string   `json:"error"`
}

func parseJSONAnswers(t *testing.T, stdout string) []jsonAnswer {
	t.Helper()
	var answers []jsonAnswer
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if line == "" {
			continue
		}
		var a jsonAnswer
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("output line %q is not JSON: %v", line, err)
		}
		answers = append(answers, a)
	}
	return answers
}

// textLine is one line of the text output: probability, label, start of the review.
var textLine = regexp.MustCompile(`^(\d\.\d{4})  (positive|negative)  (.*)$`)

func TestPredictArgumentsText(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 1)
	texts := []string{"Great movie!", "An awful, bad plot.<br /><br />The end",
		strings.Repeat("good ", 20)}
	want := referenceProbs(t, dir, texts)

	stdout, stderr, code := runPredict(t, "", append([]string{"--run", dir}, texts...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(texts) {
		t.Fatalf("%d lines for %d reviews:\n%s", len(lines), len(texts), stdout)
	}
	for i, line := range lines {
		m := textLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %q is not `probability  label  text`", line)
		}
		// Printed to 4 decimals: off by at most half of 1e-4, plus the batch tolerance.
		printed, err := strconv.ParseFloat(m[1], 64)
		if err != nil || math.Abs(printed-want[i]) > 0.5e-4+predictTol {
			t.Errorf("review %d: printed %s, want %.4f", i+1, m[1], want[i])
		}
		label := "negative"
		if want[i] > trainer.DefaultThreshold {
			label = "positive"
		}
		if m[2] != label {
			t.Errorf("review %d: label %s, want %s", i+1, m[2], label)
		}
		if want := snippet(texts[i]); m[3] != want {
			t.Errorf("review %d: text %q, want %q", i+1, m[3], want)
		}
	}
	if long := textLine.FindStringSubmatch(lines[2])[3]; !strings.HasSuffix(long, "...") ||
		len([]rune(long)) != snippetRunes+3 {
		t.Errorf("a long review shows as %q, want %d characters and ...", long, snippetRunes)
	}
}

// TestPredictInputPaths checks every way in: arguments, standard input, files of plain or
// JSON lines, and that each answer is the library's for the right text, with the right id.
func TestPredictInputPaths(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 2)
	files := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(files, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	plain := write("plain.txt", "great movie\nbad plot\n")
	jsonl := write("reviews.jsonl",
		`{"id": "a1", "text": "great movie"}`+"\n\n"+`{"text": "bad plot", "stars": 2}`+"\n"+
			`{"id": 17, "text": "the  good<br />movie"}`+"\n")
	sniffed := write("reviews.txt", `{"text": "awful"}`+"\n"+`{"id": null, "text": "good"}`)
	jsonText := `{"text": "good"}`

	tests := []struct {
		name  string
		args  []string
		stdin string
		want  []wantAnswer
	}{
		{"arguments", []string{"great movie", "", "bad"}, "",
			numbered("great movie", "", "bad")},
		{"dash reads stdin", []string{"-"}, "great movie\nbad plot\n",
			numbered("great movie", "bad plot")},
		{"piped stdin without arguments", nil, "great movie\nbad plot\n",
			numbered("great movie", "bad plot")},
		{"CRLF, blank line, no final newline", nil, "great movie\r\n\r\nbad plot",
			numbered("great movie", "", "bad plot")},
		{"JSON lines on stdin", []string{"--format", "jsonl"},
			`{"id":"x","text":"good"}` + "\n",
			[]wantAnswer{{"x", "", "good"}}},
		{"plain file", []string{"--file", plain}, "",
			[]wantAnswer{{1.0, plain, "great movie"}, {2.0, plain, "bad plot"}}},
		{"JSON lines file", []string{"--file", jsonl}, "",
			[]wantAnswer{{"a1", jsonl, "great movie"}, {3.0, jsonl, "bad plot"},
				{17.0, jsonl, "the  good<br />movie"}}},
		{"JSON lines found by the first line", []string{"-f", sniffed}, "",
			[]wantAnswer{{1.0, sniffed, "awful"}, {2.0, sniffed, "good"}}},
		{"format text keeps JSON as text", []string{"--format", "text", "--file", sniffed},
			"", []wantAnswer{{1.0, sniffed, `{"text": "awful"}`},
				{2.0, sniffed, `{"id": null, "text": "good"}`}}},
		{"two files and stdin", []string{"--file", plain, "--file", "-", "--file", jsonl},
			jsonText + "\n", []wantAnswer{{1.0, plain, "great movie"}, {2.0, plain, "bad plot"},
				{1.0, "", "good"}, {"a1", jsonl, "great movie"}, {3.0, jsonl, "bad plot"},
				{17.0, jsonl, "the  good<br />movie"}}},
		{"batches of two", []string{"--batch-size", "2", "--workers", "1", "-"},
			"great\nbad\nmovie\nplot\ngood\n", numbered("great", "bad", "movie", "plot", "good")},
		{"batches of two, three workers", []string{"--batch-size", "2", "--workers", "3"},
			strings.Repeat("great\nbad\nmovie\nplot\n", 4), numbered(strings.Split(
				strings.Repeat("great\nbad\nmovie\nplot\n", 4), "\n")[:16]...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--run", dir, "--json"}, tc.args...)
			stdout, stderr, code := runPredict(t, tc.stdin, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := parseJSONAnswers(t, stdout)
			if len(got) != len(tc.want) {
				t.Fatalf("%d answers, want %d:\n%s", len(got), len(tc.want), stdout)
			}
			texts := make([]string, len(tc.want))
			for i, w := range tc.want {
				texts[i] = w.text
			}
			probs := referenceProbs(t, dir, texts)
			for i, w := range tc.want {
				g := got[i]
				if g.Probability == nil || g.Error != "" {
					t.Fatalf("answer %d: %+v, want a probability", i, g)
				}
				if g.ID != w.id || g.File != w.file {
					t.Errorf("answer %d: id %v file %q, want %v %q", i, g.ID, g.File,
						w.id, w.file)
				}
				if math.Abs(*g.Probability-probs[i]) > predictTol {
					t.Errorf("answer %d (%q): probability %v, want %v", i, w.text,
						*g.Probability, probs[i])
				}
				label := "negative"
				if *g.Probability > trainer.DefaultThreshold {
					label = "positive"
				}
				if g.Label != label || g.Tokens == nil || g.Unknown == nil ||
					g.OOV == nil || g.Truncated == nil {
					t.Errorf("answer %d: %+v lacks fields or has label %q", i, g, g.Label)
				}
			}
		})
	}
}

// wantAnswer is what one answer of predict --json must say.
type wantAnswer struct {
	id   any // float64 for numbers, as encoding/json decodes them
	file string
	text string
}

// numbered expects texts from arguments or standard input, with ids 1, 2, ...
func numbered(texts ...string) []wantAnswer {
	out := make([]wantAnswer, len(texts))
	for i, text := range texts {
		out[i] = wantAnswer{float64(i + 1), "", text}
	}
	return out
}

// TestPredictCounts checks the token, unknown, oov and truncated counts of --json.
func TestPredictCounts(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 3)
	long := strings.Repeat("the ", 30) + "zzz"
	stdout, stderr, code := runPredict(t, "", "--run", dir, "--json",
		"The GREAT movie!", "zzz qqq, the rare", long, "", "?!...")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := [][4]int{{3, 0, 0, 0}, {4, 2, 1, 0}, {31, 1, 0, 22}, {0, 0, 0, 0}, {0, 0, 0, 0}}
	for i, a := range parseJSONAnswers(t, stdout) {
		got := [4]int{*a.Tokens, *a.Unknown, *a.OOV, *a.Truncated}
		if got != want[i] {
			t.Errorf("answer %d: tokens/unknown/oov/truncated %v, want %v", i+1, got, want[i])
		}
	}
}

// TestPredictBadLines checks that each bad review gets its own error line, that every other
// review is still answered, and that the command then exits with status 1.
func TestPredictBadLines(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 4)
	huge := strings.Repeat("bad movie ", 300_000) + "great" // 3 MB, crosses read buffers
	tests := []struct {
		name   string
		args   []string
		stdin  string
		texts  []string // "" placeholders at failed lines
		failed map[int]string
	}{
		{"not UTF-8", nil, "great movie\nbad\xffplot\n\xc3\ngood\n",
			[]string{"great movie", "", "", "good"},
			map[int]string{2: "offset 3", 3: "offset 0"}},
		{"empty, punctuation and unknown words are answered", nil, "\n?!...\nzzz qqq\n",
			[]string{"", "?!...", "zzz qqq"}, nil},
		{"megabytes on one line", nil, "good\n" + huge + "\nawful\n",
			[]string{"good", huge, "awful"}, nil},
		{"longer than --max-bytes", []string{"--max-bytes", "100000"},
			"good\n" + huge + "\nawful\n", []string{"good", "", "awful"},
			map[int]string{2: "max-bytes"}},
		{"bad JSON lines", []string{"--format", "jsonl"},
			`{"text": "good"}` + "\n" + `{"text": 3}` + "\n" + `{"review": "good"}` + "\n" +
				`not json` + "\n" + "{\"text\": \"bad\xffplot\"}\n" + `{"text": "awful"}`,
			[]string{"good", "", "", "", "", "awful"},
			map[int]string{2: "text", 3: `"text"`, 4: "JSON", 5: "UTF-8"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--run", dir, "--json"}, tc.args...)
			stdout, stderr, code := runPredict(t, tc.stdin, args...)
			got := parseJSONAnswers(t, stdout)
			if len(got) != len(tc.texts) {
				t.Fatalf("%d answers, want %d (stderr %s)", len(got), len(tc.texts), stderr)
			}
			wantCode := 0
			if len(tc.failed) > 0 {
				wantCode = 1
				msg := fmt.Sprintf("%d of %d reviews could not be scored", len(tc.failed),
					len(tc.texts))
				if !strings.Contains(stderr, msg) {
					t.Errorf("stderr %q does not say %q", stderr, msg)
				}
			}
			if code != wantCode {
				t.Errorf("exit %d, want %d (stderr %s)", code, wantCode, stderr)
			}
			probs := referenceProbs(t, dir, tc.texts)
			for i, a := range got {
				if a.ID != float64(i+1) {
					t.Errorf("answer %d has id %v", i+1, a.ID)
				}
				if hint, bad := tc.failed[i+1]; bad {
					if a.Error == "" || !strings.Contains(a.Error, hint) ||
						a.Probability != nil {
						t.Errorf("answer %d: %+v, want an error mentioning %q", i+1, a, hint)
					}
					continue
				}
				if a.Error != "" || a.Probability == nil {
					t.Fatalf("answer %d: %+v, want a probability", i+1, a)
				}
				if math.Abs(*a.Probability-probs[i]) > predictTol {
					t.Errorf("answer %d: %v, want %v", i+1, *a.Probability, probs[i])
				}
			}
		})
	}
}

func TestPredictBadLineText(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 5)
	stdout, stderr, code := runPredict(t, "good\nbad\xffplot\nawful\n", "--run", dir)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != 1 || len(lines) != 3 {
		t.Fatalf("exit %d with %d lines, want 1 and 3:\n%s%s", code, len(lines), stdout, stderr)
	}
	want := "error   line 2: text is not valid UTF-8: bad byte at offset 3"
	if lines[1] != want {
		t.Errorf("bad line printed as %q, want %q", lines[1], want)
	}
	for _, i := range []int{0, 2} {
		if !textLine.MatchString(lines[i]) {
			t.Errorf("good line %d printed as %q", i+1, lines[i])
		}
	}
}

func TestPredictThresholdFlag(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 6)
	texts := []string{"great movie", "bad plot", "good", "awful", "the", "br br"}
	probs := referenceProbs(t, dir, texts)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range probs {
		lo, hi = math.Min(lo, p), math.Max(hi, p)
	}
	if hi-lo < 1e-3 {
		t.Fatalf("random weights give probabilities %v too close to split", probs)
	}
	// A threshold between the lowest and the highest probability labels both ways.
	threshold := (lo + hi) / 2
	stdout, stderr, code := runPredict(t, "", append([]string{"--run", dir, "--json",
		"--threshold", strconv.FormatFloat(threshold, 'g', -1, 64)}, texts...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	labels := map[string]int{}
	for i, a := range parseJSONAnswers(t, stdout) {
		want := "negative"
		if probs[i] > threshold {
			want = "positive"
		}
		if a.Label != want {
			t.Errorf("%q: probability %v at threshold %v labelled %s", texts[i],
				probs[i], threshold, a.Label)
		}
		labels[a.Label]++
	}
	if labels["positive"] == 0 || labels["negative"] == 0 {
		t.Errorf("labels %v: want both at threshold %v", labels, threshold)
	}
}

// TestPredictRunFolder checks which run is used and what a missing or broken one gives.
func TestPredictRunFolder(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)

	_, stderr, code := runPredict(t, "", "good")
	if code == 0 || !strings.Contains(stderr, "imdb-attn train") {
		t.Errorf("without runs: exit %d, stderr %q; want an error saying how to train",
			code, stderr)
	}

	older := writePredictRun(t, filepath.Join(defaultRunsDir, "older"), 7)
	newer := writePredictRun(t, filepath.Join(defaultRunsDir, "newer"), 8)
	past := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(older, trainer.WeightsFile), past, past); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		dir  string
	}{{nil, newer}, {[]string{"--run", older}, older}} {
		stdout, stderr, code := runPredict(t, "", append(c.args, "--json", "good")...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		got := parseJSONAnswers(t, stdout)
		want := referenceProbs(t, c.dir, []string{"good"})[0]
		if len(got) != 1 || math.Abs(*got[0].Probability-want) > predictTol {
			t.Errorf("%v: answers %s, want the probability %v of %s", c.args, stdout, want,
				c.dir)
		}
	}

	// Moving the folder elsewhere keeps it working: it holds all predict needs.
	moved := filepath.Join(t.TempDir(), "moved")
	before, _, _ := runPredict(t, "", "--run", older, "--json", "good", "bad plot")
	if err := os.Rename(older, moved); err != nil {
		t.Fatal(err)
	}
	after, stderr, code := runPredict(t, "", "--run", moved, "--json", "good", "bad plot")
	if code != 0 || after != before {
		t.Errorf("after moving: exit %d, %q (stderr %s); before: %q", code, after, stderr,
			before)
	}

	broken := []struct {
		name  string
		spoil func(dir string) error
		hint  string
	}{
		{"no weights", func(dir string) error {
			return os.Remove(filepath.Join(dir, trainer.WeightsFile))
		}, trainer.WeightsFile},
		{"weights of another model", func(dir string) error {
			mc := model.DefaultConfig()
			mc.VocabSize, mc.SeqLen, mc.EmbedDim, mc.DenseUnits = 50, 8, 5, 3
			p, err := model.NewParams(mc, 1)
			if err != nil {
				return err
			}
			return p.Save(filepath.Join(dir, trainer.WeightsFile))
		}, trainer.WeightsFile},
		{"no word index", func(dir string) error {
			return os.Remove(filepath.Join(dir, trainer.VocabFile))
		}, trainer.VocabFile},
		{"no config", func(dir string) error {
			return os.Remove(filepath.Join(dir, trainer.ConfigFile))
		}, trainer.ConfigFile},
		{"no folder", func(dir string) error { return os.RemoveAll(dir) }, "does not exist"},
	}
	for _, b := range broken {
		t.Run(b.name, func(t *testing.T) {
			dir := writePredictRun(t, t.TempDir(), 9)
			if err := b.spoil(dir); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := runPredict(t, "", "--run", dir, "good")
			if code == 0 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want an error and no answers", code, stdout)
			}
			if !strings.Contains(stderr, b.hint) {
				t.Errorf("stderr %q does not mention %q", stderr, b.hint)
			}
		})
	}
}

func TestPredictUsageErrors(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 10)
	tests := []struct {
		name string
		args []string
		code int
		hint string
	}{
		{"threshold 0", []string{"--threshold", "0", "good"}, 2, "--threshold"},
		{"threshold above 1", []string{"--threshold", "1.5", "good"}, 2, "--threshold"},
		{"batch size 0", []string{"--batch-size", "0", "good"}, 2, "--batch-size"},
		{"max bytes 0", []string{"--max-bytes", "0", "good"}, 2, "--max-bytes"},
		{"workers 0", []string{"--workers", "0", "good"}, 2, "--workers"},
		{"unknown format", []string{"--format", "xml", "good"}, 2, "--format"},
		{"arguments and a file", []string{"--file", "x.txt", "good"}, 2, "not both"},
		{"missing file", []string{"--file", filepath.Join(dir, "none.txt")}, 1, "none.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runPredict(t, "", append([]string{"--run", dir},
				tc.args...)...)
			if code != tc.code || stdout != "" || !strings.Contains(stderr, tc.hint) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, stdout,
					stderr, tc.code, tc.hint)
			}
		})
	}
}

func TestPredictEmptyInput(t *testing.T) {
	dir := writePredictRun(t, t.TempDir(), 11)
	for _, stdin := range []string{"", "\n"} {
		stdout, stderr, code := runPredict(t, stdin, "--run", dir, "--json", "--format",
			"jsonl")
		if code != 0 || stdout != "" {
			t.Errorf("stdin %q: exit %d, stdout %q, stderr %q; want nothing", stdin, code,
				stdout, stderr)
		}
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", ""},
		{"short\ttext\nhere", "short text here"},
		{strings.Repeat("é", snippetRunes), strings.Repeat("é", snippetRunes)},
		{strings.Repeat("é", snippetRunes) + "x", strings.Repeat("é", snippetRunes) + "..."},
		{strings.Repeat("a", snippetRunes) + "   ", strings.Repeat("a", snippetRunes)},
	}
	for _, tc := range tests {
		if got := snippet(tc.text); got != tc.want {
			t.Errorf("snippet(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imdb-attn/imdb-attn/trainer"
)

// writeReviews makes a small data folder in the extracted aclImdb layout: reviews of filler
// words where "superb" marks a positive one and "dreadful" a negative one, plus a word index.
func writeReviews(t *testing.T, perGroup int) string {
	t.Helper()
	dir := t.TempDir()
	words := []string{"the", "a", "film", "plot", "actor", "scene", "story", "music", "end",
		"superb", "dreadful"}
	index := map[string]int{}
	for i, w := range words {
		index[w] = i + 1
	}
	raw, err := json.Marshal(index)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "imdb_word_index.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	for _, split := range []string{"train", "test"} {
		for _, label := range []string{"pos", "neg"} {
			folder := filepath.Join(dir, "aclImdb", split, label)
			if err := os.MkdirAll(folder, 0o755); err != nil {
				t.Fatal(err)
			}
			cue, rating := "superb", 9
			if label == "neg" {
				cue, rating = "dreadful", 2
			}
			for id := 0; id < perGroup; id++ {
				var text []string
				for range 8 + rng.Intn(8) {
					text = append(text, words[rng.Intn(9)])
				}
				text[rng.Intn(len(text))] = strings.ToUpper(cue[:1]) + cue[1:] + "!"
				name := filepath.Join(folder, fmt.Sprintf("%d_%d.txt", id, rating))
				if err := os.WriteFile(name, []byte(strings.Join(text, " ")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return dir
}

// runCLI runs the command line in-process and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"imdb-attn"}, args...),
		strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var smallModelFlags = []string{"--model.vocab_size", "20", "--model.seq_len", "16",
	"--model.embed_dim", "8", "--model.dense_units", "8", "--model.dropout", "0.1",
	"--train.epochs", "4",
	"--train.batch_size", "16", "--train.adam.learning_rate", "0.01"}

func TestTrainThenEvaluate(t *testing.T) {
	data := writeReviews(t, 100)
	out := filepath.Join(t.TempDir(), "run")
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the encoded-data cache goes there

	args := append([]string{"train", "--data", data, "--out", out, "--json",
		"--name", "cli"}, smallModelFlags...)
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("train exited %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("--json printed %d lines, want one per epoch (4):\n%s", len(lines), stdout)
	}
	var last trainer.EpochMetrics
	for _, line := range lines {
		if err := json.Unmarshal([]byte(line), &last); err != nil {
			t.Fatalf("epoch line %q is not JSON: %v", line, err)
		}
	}
	t.Logf("last epoch: %+v", last)
	if last.Epoch != 4 || last.ValAcc < 0.9 {
		t.Errorf("last epoch %+v: want epoch 4 with val_accuracy >= 0.9 on a cue-word task",
			last)
	}

	run, err := trainer.OpenRun(out)
	if err != nil {
		t.Fatal(err)
	}
	if run.Config.Name != "cli" || run.Config.Model.SeqLen != 16 {
		t.Errorf("run folder kept config %+v, not the overridden one", run.Config)
	}

	code, stdout, stderr = runCLI(t, "evaluate", out, "--data", data, "--json")
	if code != 0 {
		t.Fatalf("evaluate exited %d: %s", code, stderr)
	}
	var res evalResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("evaluate --json printed %q: %v", stdout, err)
	}
	if res.Reviews != 200 || res.Accuracy < 0.9 || res.Weights != trainer.BestFile {
		t.Errorf("evaluate = %+v, want 200 test reviews, accuracy >= 0.9, best.npz", res)
	}

	// A second train into the same folder must refuse and leave the run alone.
	before, err := os.ReadFile(filepath.Join(out, trainer.WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, append([]string{"train", "--data", data, "--out", out},
		smallModelFlags...)...)
	if code == 0 || !strings.Contains(stderr, "--force") {
		t.Errorf("retraining into an existing run: exit %d, stderr %q", code, stderr)
	}
	after, err := os.ReadFile(filepath.Join(out, trainer.WeightsFile))
	if err != nil || !bytes.Equal(before, after) {
		t.Error("a refused train changed the existing weights")
	}
}

func TestTrainRejectsBadConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("train:\n  epochz: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown key in file", []string{"train", "-c", bad}, "epochz"},
		{"missing file", []string{"train", "-c", "nope.yaml"}, "nope.yaml"},
		{"bad override", []string{"train", "--train.epochs", "zero"}, "train.epochs"},
		{"no data", []string{"train", "--data", "/nonexistent/imdb"}, "/nonexistent/imdb"},
		{"impossible override", []string{"train", "--model.dropout", "1.5"}, "dropout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			code, _, stderr := runCLI(t, append(tc.args, "--out", out)...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q: want a failure naming %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a rejected run still made the run folder")
			}
		})
	}
}

func TestEvaluateErrors(t *testing.T) {
	code, _, stderr := runCLI(t, "evaluate")
	if code == 0 || !strings.Contains(stderr, "run folder") {
		t.Errorf("no run: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "evaluate", filepath.Join(t.TempDir(), "none"))
	if code == 0 || !strings.Contains(stderr, "train") {
		t.Errorf("missing run: exit %d, %q", code, stderr)
	}
}

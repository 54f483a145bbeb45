package trainer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/model"
)

// Files of a run folder. predict and evaluate need only this folder.
const (
	ConfigFile  = "config.yaml"     // the resolved config
	VocabFile   = "word_index.json" // the word index the reviews were encoded with
	WeightsFile = "weights.npz"     // weights after the last finished epoch
	BestFile    = "best.npz"        // weights of the epoch with the lowest validation loss
	HistoryFile = "history.csv"     // one row of EpochMetrics per epoch
	MetricsFile = "metrics.json"    // summary of the run
	CurvesFile  = "curves.png"      // loss and accuracy curves
)

// runFiles are the files a run writes; --force removes them before a new run starts.
var runFiles = []string{ConfigFile, VocabFile, WeightsFile, BestFile, HistoryFile,
	MetricsFile, CurvesFile}

// ErrRunExists is returned when a run folder already holds a run and force is off.
var ErrRunExists = errors.New("run folder already holds a run")

// ErrNoRun is returned when a folder is not a usable run folder.
var ErrNoRun = errors.New("not a run folder")

// CheckRunDir reports, without touching anything, whether CreateRunDir would refuse dir:
// a folder that already holds run files is an error unless force is set.
func CheckRunDir(dir string, force bool) error {
	if force {
		return nil
	}
	for _, name := range runFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("%w: %s has %s (use --force to replace it, or --out "+
				"to choose another folder)", ErrRunExists, dir, name)
		}
	}
	return nil
}

// CreateRunDir makes dir ready for a new run. A folder that already holds run files is an
// error unless force is set, in which case those files are removed.
func CreateRunDir(dir string, force bool) error {
	if err := CheckRunDir(dir, force); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("run folder: %w", err)
	}
	for _, name := range runFiles {
		err := os.Remove(filepath.Join(dir, name))
		if err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("run folder: %w", err)
		}
	}
	return nil
}

// WriteConfig saves the resolved config as config.yaml.
func WriteConfig(dir string, cfg Config) error {
	raw, err := cfg.Marshal()
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, ConfigFile), raw)
}

// WriteVocab saves the word index as word_index.json, so predict encodes as training did.
func WriteVocab(dir string, index dataset.WordIndex) error {
	raw, err := json.Marshal(index)
	if err != nil {
		return fmt.Errorf("run folder: encode word index: %w", err)
	}
	return WriteFileAtomic(filepath.Join(dir, VocabFile), raw)
}

// WriteHistory saves the epochs as history.csv with a header row.
func WriteHistory(dir string, history []EpochMetrics) error {
	rows := [][]string{{"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"}}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	for _, m := range history {
		rows = append(rows, []string{strconv.Itoa(m.Epoch), f(m.Loss), f(m.Acc),
			f(m.ValLoss), f(m.ValAcc), f(m.Seconds)})
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("run folder: history: %w", err)
	}
	return WriteFileAtomic(filepath.Join(dir, HistoryFile), buf.Bytes())
}

// RunMetrics is the summary a finished run keeps in metrics.json.
type RunMetrics struct {
	Name         string       `json:"name"`
	Params       int          `json:"params"`
	TrainRows    int          `json:"train_rows"`
	ValRows      int          `json:"val_rows"`
	Epochs       int          `json:"epochs"`
	Final        EpochMetrics `json:"final"`
	BestEpoch    int          `json:"best_epoch"`
	Best         EpochMetrics `json:"best"`
	TotalSeconds float64      `json:"total_seconds"`
	Completed    bool         `json:"completed"`
}

// WriteMetrics saves metrics.json.
func WriteMetrics(dir string, m RunMetrics) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("run folder: metrics: %w", err)
	}
	return WriteFileAtomic(filepath.Join(dir, MetricsFile), append(raw, '\n'))
}

// Run is a trained run folder opened for evaluation or prediction.
type Run struct {
	Dir    string
	Config Config
	Index  dataset.WordIndex
}

// OpenRun reads a run folder's config and word index. Weights are loaded by LoadParams.
func OpenRun(dir string) (*Run, error) {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%w: %s does not exist (train one with "+
			"`imdb-attn train -c configs/base.yaml`)", ErrNoRun, dir)
	}
	cfg, err := LoadConfig(filepath.Join(dir, ConfigFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoRun, dir, err)
	}
	index, err := dataset.LoadWordIndex(filepath.Join(dir, VocabFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoRun, dir, err)
	}
	return &Run{Dir: dir, Config: cfg, Index: index}, nil
}

// WeightsPath maps "best", "last" or a file path to the weights file to load. "best" falls
// back to the last weights when the run kept no validation set.
func (r *Run) WeightsPath(which string) string {
	switch which {
	case "", "best":
		best := filepath.Join(r.Dir, BestFile)
		if _, err := os.Stat(best); err == nil {
			return best
		}
		return filepath.Join(r.Dir, WeightsFile)
	case "last":
		return filepath.Join(r.Dir, WeightsFile)
	default:
		return which
	}
}

// LoadParams loads the run's weights ("best", "last" or a path), checked against its config.
func (r *Run) LoadParams(which string) (*model.Params, error) {
	path := r.WeightsPath(which)
	p, err := model.LoadParams(path, r.Config.Model)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", r.Dir, err)
	}
	return p, nil
}

// LatestRun returns the most recently modified run folder under runsDir.
func LatestRun(runsDir string) (string, error) {
	entries, err := os.ReadDir(runsDir)
	if err != nil && !os.IsNotExist(err) {
		return "", fmt.Errorf("runs folder: %w", err)
	}
	type cand struct {
		dir  string
		time int64
	}
	var runs []cand
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(runsDir, e.Name())
		info, err := os.Stat(filepath.Join(dir, WeightsFile))
		if err != nil {
			continue
		}
		runs = append(runs, cand{dir, info.ModTime().UnixNano()})
	}
	if len(runs) == 0 {
		return "", fmt.Errorf("%w: no trained run under %s; train one first with "+
			"`imdb-attn train -c configs/base.yaml`, or name one with --run DIR",
			ErrNoRun, runsDir)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].time > runs[j].time })
	return runs[0].dir, nil
}

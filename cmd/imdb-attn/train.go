package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/imdb-attn/imdb-attn/trainer"
)

// defaultRunsDir is where runs go when --out is not given: runs/<config name>.
const defaultRunsDir = "runs"

func trainCommand() *cli.Command {
	flags := append(configFlags(),
		&cli.StringFlag{Name: "data", Usage: "data folder (default: $IMDB_ATTN_DATA, " +
			"the config's data.dir, then the per-user cache folder)"},
		&cli.StringFlag{Name: "out", Usage: "run folder (default: runs/<name>)"},
		&cli.BoolFlag{Name: "force", Usage: "replace an existing run in the run folder"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		&cli.BoolFlag{Name: "json", Usage: "print one JSON object per epoch on stdout"},
	)
	return &cli.Command{
		Name:      "train",
		Usage:     "train the model on the IMDB reviews and write a run folder",
		UsageText: "imdb-attn train -c configs/base.yaml [--out runs/base] [--train.epochs 3]",
		Flags:     flags,
		Action:    trainAction,
	}
}

// trainGCPercent makes the collector run less often while training: each step allocates
// about 90 MB of short-lived graph buffers (Gorgonia's TapeMachine.Reset drops them), and
// collecting after every few of them costs about a tenth of a step. Measured with
// model.BenchmarkTrainStep; GOGC in the environment still wins.
const trainGCPercent = 400

func trainAction(c *cli.Context) error {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(trainGCPercent)
	}
	cfg, err := resolveConfig(c)
	if err != nil {
		return err
	}
	out := c.String("out")
	if out == "" {
		out = filepath.Join(defaultRunsDir, cfg.Name)
	}
	stdout, stderr := c.App.Writer, c.App.ErrWriter
	quiet, asJSON := c.Bool("quiet"), c.Bool("json")
	log := stderr
	if quiet {
		log = io.Discard
	}

	// Check the run folder before the slow part, so a mistake costs nothing; make it only
	// once the data has loaded, so a data error leaves nothing behind.
	if err := trainer.CheckRunDir(out, c.Bool("force")); err != nil {
		return err
	}
	corpus, splits, err := openSplits(c, cfg, log)
	if err != nil {
		return err
	}
	if err := trainer.CreateRunDir(out, c.Bool("force")); err != nil {
		return err
	}
	fmt.Fprintf(log, "training %q on %d reviews, validating on %d, into %s\n",
		cfg.Name, splits.Train.Len(), splits.Val.Len(), out)

	ui := newEpochUI(cfg.Train.Epochs, stdout, stderr, quiet, asJSON)
	start := time.Now()
	metrics, err := trainer.TrainRun(c.Context, trainer.RunOptions{
		Config: cfg, Train: splits.Train, Val: splits.Val, Index: corpus.Index, Dir: out,
	}, ui.hooks())
	ui.finish()
	if errors.Is(err, c.Context.Err()) && c.Context.Err() != nil {
		return cli.Exit(fmt.Sprintf("interrupted: %s keeps the weights of the last "+
			"finished epoch (%d)", out, metrics.Epochs), 130)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "done in %s: best epoch %d (val_loss %.4f, val_accuracy %.4f); "+
		"evaluate with `imdb-attn evaluate %s`\n", time.Since(start).Round(time.Second),
		metrics.BestEpoch, metrics.Best.ValLoss, metrics.Best.ValAcc, out)
	return nil
}

// epochUI shows a progress bar per epoch (on a terminal) and one line per epoch.
type epochUI struct {
	epochs         int
	stdout, stderr io.Writer
	quiet, asJSON  bool
	bar            *progressbar.ProgressBar
	// Without a terminal (logs, CI) a plain line every tenth of an epoch replaces the bar.
	steps      int
	epochStart time.Time
}

func newEpochUI(epochs int, stdout, stderr io.Writer, quiet, asJSON bool) *epochUI {
	return &epochUI{epochs: epochs, stdout: stdout, stderr: stderr, quiet: quiet, asJSON: asJSON}
}

// showBar is true only for people: a terminal on stderr and no --quiet or --json.
func (u *epochUI) showBar() bool {
	if u.quiet || u.asJSON {
		return false
	}
	f, ok := u.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (u *epochUI) hooks() trainer.Hooks {
	return trainer.Hooks{
		EpochStart: func(epoch, steps int) {
			u.steps, u.epochStart = steps, time.Now()
			if !u.showBar() {
				return
			}
			u.bar = progressbar.NewOptions(steps,
				progressbar.OptionSetWriter(u.stderr),
				progressbar.OptionSetDescription(fmt.Sprintf("Epoch %d/%d", epoch, u.epochs)),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("steps"),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(200*time.Millisecond),
				progressbar.OptionSetWidth(30),
				progressbar.OptionClearOnFinish(),
			)
		},
		Step: func(epoch, step int, loss, acc float64) {
			if u.bar == nil {
				u.logLine(epoch, step, loss, acc)
				return
			}
			u.bar.Describe(fmt.Sprintf("Epoch %d/%d loss %.4f acc %.4f",
				epoch, u.epochs, loss, acc))
			_ = u.bar.Add(1)
		},
		EpochEnd: func(m trainer.EpochMetrics) error {
			u.finish()
			switch {
			case u.asJSON:
				line, err := json.Marshal(m)
				if err != nil {
					return err
				}
				fmt.Fprintf(u.stdout, "%s\n", line)
			case !u.quiet:
				fmt.Fprintf(u.stdout, "Epoch %d/%d - %.0fs - loss: %.4f - accuracy: %.4f - "+
					"val_loss: %.4f - val_accuracy: %.4f\n", m.Epoch, u.epochs, m.Seconds,
					m.Loss, m.Acc, m.ValLoss, m.ValAcc)
			}
			return nil
		},
	}
}

func (u *epochUI) finish() {
	if u.bar != nil {
		_ = u.bar.Finish()
		u.bar = nil
	}
}

// logLine prints progress as plain lines, ten per epoch, where no bar can be drawn.
func (u *epochUI) logLine(epoch, step int, loss, acc float64) {
	if u.quiet || u.asJSON || u.steps < 10 || step%(u.steps/10) != 0 || step == u.steps {
		return
	}
	elapsed := time.Since(u.epochStart)
	rate := float64(step) / elapsed.Seconds()
	left := time.Duration(float64(u.steps-step) / rate * float64(time.Second))
	fmt.Fprintf(u.stderr, "Epoch %d/%d step %d/%d - loss: %.4f - accuracy: %.4f - "+
		"%.2f steps/s - %s left\n", epoch, u.epochs, step, u.steps, loss, acc, rate,
		left.Round(time.Second))
}

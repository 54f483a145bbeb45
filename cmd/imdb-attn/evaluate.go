package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/model"
	"github.com/imdb-attn/imdb-attn/trainer"
)

// evalResult is what evaluate prints with --json.
type evalResult struct {
	Run      string  `json:"run"`
	Weights  string  `json:"weights"`
	Reviews  int     `json:"reviews"`
	Loss     float64 `json:"test_loss"`
	Accuracy float64 `json:"test_accuracy"`
	Seconds  float64 `json:"seconds"`
}

func evaluateCommand() *cli.Command {
	return &cli.Command{
		Name:      "evaluate",
		Usage:     "report test-set loss and accuracy of a trained run",
		ArgsUsage: "RUN_DIR",
		UsageText: "imdb-attn evaluate runs/base [--weights last] [--json]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "weights", Value: "best",
				Usage: "which weights: best (lowest validation loss), last, or a .npz path"},
			&cli.StringFlag{Name: "data", Usage: "data folder (as for train)"},
			&cli.IntFlag{Name: "limit", Value: -1,
				Usage: "evaluate the first N shuffled test reviews (default: the run's " +
					"data.test_limit; 0 means all)"},
			&cli.BoolFlag{Name: "json", Usage: "print the result as one JSON object"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress messages"},
		},
		Action: evaluateAction,
	}
}

func evaluateAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cli.Exit("evaluate needs one run folder, e.g. `imdb-attn evaluate runs/base`", 2)
	}
	run, err := trainer.OpenRun(c.Args().First())
	if err != nil {
		return err
	}
	params, err := run.LoadParams(c.String("weights"))
	if err != nil {
		return err
	}
	cfg := run.Config
	if limit := c.Int("limit"); limit >= 0 {
		cfg.Data.TestLimit = limit
	}
	log := c.App.ErrWriter
	if c.Bool("quiet") || c.Bool("json") {
		log = io.Discard
	}

	_, splits, err := openSplits(c, cfg, log)
	if err != nil {
		return err
	}
	net, err := model.NewNet(params, cfg.Train.EvalBatchSize, false)
	if err != nil {
		return err
	}
	start := time.Now()
	loss, acc, err := trainer.Evaluate(c.Context, net, cfg.Model, splits.Test)
	if err != nil {
		return err
	}
	res := evalResult{Run: run.Dir, Weights: filepath.Base(run.WeightsPath(c.String("weights"))),
		Reviews: splits.Test.Len(), Loss: loss, Accuracy: acc,
		Seconds: time.Since(start).Seconds()}
	if c.Bool("json") {
		line, err := json.Marshal(res)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.App.Writer, "%s\n", line)
		return nil
	}
	fmt.Fprintf(c.App.Writer, "test_loss: %.4f - test_accuracy: %.4f (%d reviews, %s, %.0fs)\n",
		res.Loss, res.Accuracy, res.Reviews, res.Weights, res.Seconds)
	return nil
}

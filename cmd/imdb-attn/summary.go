package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/model"
)

// summaryCommand prints the Keras-style summary of the network a run
// config describes: layers, output shapes, parameter counts and totals.
func summaryCommand() *cli.Command {
	return &cli.Command{
		Name:      "summary",
		Usage:     "print the network's layers and parameter counts, as Keras's model.summary()",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:     "config",
				Aliases:  []string{"c"},
				Usage:    "run configuration `FILE` (YAML), e.g. configs/base.yaml",
				Required: true,
			},
		},
		Action: func(c *cli.Context) error {
			cfg, err := loadModelConfig(c.String("config"))
			if err != nil {
				return fmt.Errorf("summary: %w", err)
			}
			return model.Summary(c.App.Writer, cfg)
		},
	}
}

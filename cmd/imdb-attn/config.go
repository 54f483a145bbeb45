package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/model"
	"github.com/imdb-attn/imdb-attn/trainer"
)

const overrideCategory = "config overrides (any key of the YAML file)"

// configFlags are -c and one flag per config key ("--train.epochs 3", "--model.residual=false").
func configFlags() []cli.Flag {
	flags := []cli.Flag{&cli.StringFlag{
		Name:    "config",
		Aliases: []string{"c"},
		Usage:   "YAML run configuration (default: the notebook's run, as configs/base.yaml)",
	}}
	defaults := trainer.DefaultConfig()
	for _, k := range trainer.Keys() {
		value, _ := defaults.Get(k.Key)
		flags = append(flags, &cli.StringFlag{
			Name:     k.Key,
			Usage:    fmt.Sprintf("override %s (%s, default %s)", k.Key, k.Kind, value),
			Category: overrideCategory,
		})
	}
	return flags
}

// resolveConfig loads -c (or the defaults) and applies every override flag that was set.
func resolveConfig(c *cli.Context) (trainer.Config, error) {
	cfg := trainer.DefaultConfig()
	if path := c.String("config"); path != "" {
		var err error
		if cfg, err = trainer.LoadConfig(path); err != nil {
			return trainer.Config{}, err
		}
	}
	for _, k := range trainer.Keys() {
		if !c.IsSet(k.Key) {
			continue
		}
		if err := cfg.Set(k.Key, c.String(k.Key)); err != nil {
			return trainer.Config{}, fmt.Errorf("flag --%s: %w", k.Key, err)
		}
	}
	return cfg, nil
}

// loadModelConfig returns the model part of a run configuration file.
func loadModelConfig(path string) (model.Config, error) {
	if path == "" {
		return trainer.DefaultConfig().Model, nil
	}
	cfg, err := trainer.LoadConfig(path)
	if err != nil {
		return model.Config{}, err
	}
	return cfg.Model, nil
}

package main

import (
	"fmt"
	"io"
	"net/http"

	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/trainer"
)

// openCorpus finds the data folder (--data, $IMDB_ATTN_DATA, the config, the cache folder),
// downloads the public files into the cache folder when that is where the data should be
// and they are missing, and loads the encoded reviews.
func openCorpus(c *cli.Context, cfg trainer.Config, log io.Writer) (*dataset.Corpus, error) {
	dir, source, err := dataset.ResolveDir(c.String("data"), cfg.Data.Dir)
	if err != nil {
		return nil, err
	}
	if err := dataset.CheckDir(dir); err != nil {
		if source != "cache" {
			return nil, fmt.Errorf("data folder from %s: %w", source, err)
		}
		fmt.Fprintf(log, "downloading the IMDB data into %s\n", dir)
		if err := dataset.Fetch(c.Context, dir, http.DefaultClient, nil,
			fetchProgress(log)); err != nil {
			return nil, err
		}
	}
	corpus, err := dataset.Load(dir, dataset.LoadOptions{CacheDir: cfg.Data.CacheDir})
	if err != nil {
		return nil, err
	}
	return corpus, nil
}

// openSplits loads the corpus and splits it as the config says (shuffle, limits, held-out
// validation tail).
func openSplits(c *cli.Context, cfg trainer.Config, log io.Writer) (*dataset.Corpus,
	trainer.Splits, error) {
	corpus, err := openCorpus(c, cfg, log)
	if err != nil {
		return nil, trainer.Splits{}, err
	}
	splits, err := trainer.Split(corpus, cfg.Data)
	if err != nil {
		return nil, trainer.Splits{}, err
	}
	return corpus, splits, nil
}

// fetchProgress prints a line per 10 % of each download.
func fetchProgress(log io.Writer) func(name string, done, total int64) {
	last := map[string]int64{}
	return func(name string, done, total int64) {
		if total <= 0 {
			return
		}
		tenth := done * 10 / total
		if prev, ok := last[name]; ok && prev == tenth {
			return
		}
		last[name] = tenth
		fmt.Fprintf(log, "  %s: %d%% of %d bytes\n", name, tenth*10, total)
	}
}

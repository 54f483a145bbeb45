package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/dataset"
	"github.com/imdb-attn/imdb-attn/trainer"
)

// Defaults of the data commands: the notebook's run.
const (
	// defaultNumWords is the notebook's vocabulary, Embedding(10000, 128)
	// with imdb.load_data(num_words=10000).
	defaultNumWords = 10000
	// defaultMaxLen is the notebook's pad_sequences(maxlen=200).
	defaultMaxLen = 200
	// maxMaxLen bounds --maxlen far above the longest review (2,494 ids) so
	// that a typo cannot ask for a padded row that exhausts memory.
	maxMaxLen = 1 << 20
)

// dataCommand returns `imdb-attn data` with its subcommands fetch, info and
// encode.
func dataCommand() *cli.Command {
	return &cli.Command{
		Name:  "data",
		Usage: "download, inspect and encode the IMDB review data",
		Description: "The data folder is the first of: --data DIR, $" + dataset.EnvDataDir +
			", the data.dir of --config FILE, the per-user cache folder.",
		Subcommands: []*cli.Command{
			{
				Name:  "fetch",
				Usage: "download the reviews and Keras's word index, and verify them (SHA-256)",
				Flags: []cli.Flag{dataDirFlag(), dataConfigFlag(), quietFlag(),
					&cli.StringFlag{Name: "mirror", Usage: "download from `URL`/<file name> " +
						"instead of the public addresses (the SHA-256 checks stay)"},
				},
				Action: runDataFetch,
			},
			{
				Name: "info",
				Usage: "counts per split and label, vocabulary coverage, lengths, " +
					"how many reviews maxlen truncates",
				Flags: []cli.Flag{dataDirFlag(), dataConfigFlag(), cacheDirFlag(), numWordsFlag(),
					maxLenFlag(),
					&cli.BoolFlag{Name: "json", Usage: "print the figures as JSON"},
					&cli.BoolFlag{Name: "no-cache",
						Usage: "encode afresh; neither read nor write the cache"},
				},
				Action: runDataInfo,
			},
			{
				Name: "encode",
				Usage: "show the tokens and ids of a text as JSON " +
					"(no text or \"-\": read stdin)",
				ArgsUsage: "\"text\"",
				Flags: []cli.Flag{dataDirFlag(), dataConfigFlag(), numWordsFlag(),
					maxLenFlag()},
				Action: runDataEncode,
			},
		},
	}
}

func dataDirFlag() cli.Flag {
	return &cli.StringFlag{Name: "data", Usage: "data folder (`DIR`) holding " +
		dataset.WordIndexFile + " and " + dataset.ArchiveFile}
}

func dataConfigFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "run configuration " +
		"(`FILE`) whose data.dir, data.cache_dir, model.vocab_size and model.seq_len " +
		"serve as defaults"}
}

func cacheDirFlag() cli.Flag {
	return &cli.StringFlag{Name: "cache-dir", Usage: "folder (`DIR`) for the encoded-data " +
		"cache (default: <per-user cache folder>/imdb-attn/encoded)"}
}

func numWordsFlag() cli.Flag {
	return &cli.IntFlag{Name: "num-words", Value: defaultNumWords,
		Usage: "vocabulary size: ids >= `N` become the out-of-vocabulary id 2 (0: no cut)"}
}

func maxLenFlag() cli.Flag {
	return &cli.IntFlag{Name: "maxlen", Value: defaultMaxLen,
		Usage: "sequence length `N` (pad and truncate at the front)"}
}

func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"}
}

// lineageString returns the value of the string flag name from the nearest
// command that set it (this one, then its parents), or "" when none did.
func lineageString(c *cli.Context, name string) string {
	for _, ctx := range c.Lineage() {
		if ctx.IsSet(name) {
			return ctx.String(name)
		}
	}
	return ""
}

// dataSettings are the data folder and sizes after flags and config.
type dataSettings struct {
	dir, dirFrom string
	cacheDir     string
	numWords     int
	maxLen       int
}

// resolveData picks the data folder from --data, $IMDB_ATTN_DATA, the
// config's data.dir and the cache folder, and the cache folder and sizes
// from their flags, else the config, else the defaults.
func resolveData(c *cli.Context) (dataSettings, error) {
	var ds dataSettings
	configDir := ""
	ds.cacheDir = lineageString(c, "cache-dir")
	ds.numWords, ds.maxLen = defaultNumWords, defaultMaxLen
	if path := lineageString(c, "config"); path != "" {
		cfg, err := trainer.LoadConfig(path)
		if err != nil {
			return ds, err
		}
		configDir = cfg.Data.Dir
		if ds.cacheDir == "" {
			ds.cacheDir = cfg.Data.CacheDir
		}
		ds.numWords, ds.maxLen = cfg.Model.VocabSize, cfg.Model.SeqLen
	}
	if commandHasFlag(c, "num-words") && c.IsSet("num-words") {
		ds.numWords = c.Int("num-words")
	}
	if commandHasFlag(c, "maxlen") && c.IsSet("maxlen") {
		ds.maxLen = c.Int("maxlen")
	}
	if ds.numWords < 0 {
		return ds, fmt.Errorf("--num-words %d: must be 0 (no cut) or positive", ds.numWords)
	}
	if ds.maxLen < 1 || ds.maxLen > maxMaxLen {
		return ds, fmt.Errorf("--maxlen %d: must be in 1..%d", ds.maxLen, maxMaxLen)
	}

	var err error
	ds.dir, ds.dirFrom, err = dataset.ResolveDir(lineageString(c, "data"), configDir)
	return ds, err
}

// commandHasFlag reports whether the running command defines the flag name.
func commandHasFlag(c *cli.Context, name string) bool {
	for _, f := range c.Command.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// withDataHint adds what the user can do when the data is missing.
func withDataHint(err error) error {
	if errors.Is(err, dataset.ErrNoData) {
		return fmt.Errorf("%w\nRun `imdb-attn data fetch` to download them, "+
			"or name a data folder with --data DIR", err)
	}
	return err
}

// runDataFetch downloads what the data folder lacks and verifies it.
func runDataFetch(c *cli.Context) error {
	ds, err := resolveData(c)
	if err != nil {
		return err
	}
	dir := ds.dir
	out := c.App.Writer
	fmt.Fprintf(out, "data folder: %s (from %s)\n", dir, ds.dirFrom)

	files := dataset.Downloads()
	if mirror := strings.TrimRight(c.String("mirror"), "/"); mirror != "" {
		for i := range files {
			files[i].URL = mirror + "/" + files[i].Name
		}
	}
	bars := newFetchBars(c.App.ErrWriter, c.Bool("quiet"))
	report, err := dataset.FetchFiles(c.Context, dir, dataset.FetchOptions{
		Files: files, Progress: bars.update})
	bars.finish()
	for _, f := range report {
		fmt.Fprintf(out, "  %-28s %s\n", f.Name, fetchStatusText(f.Status))
	}
	if err != nil {
		return err
	}
	if err := dataset.CheckDir(dir); err != nil {
		return err
	}
	fmt.Fprintln(out, "data ready")
	return nil
}

// fetchStatusText says in words what Fetch did with a file.
func fetchStatusText(status string) string {
	switch status {
	case dataset.FetchPresent:
		return "present, SHA-256 verified"
	case dataset.FetchDownloaded:
		return "downloaded, SHA-256 verified"
	case dataset.FetchStandIn:
		return "present, stands in for " + dataset.ArchiveFile
	default:
		return status
	}
}

// fetchBars shows one progress bar per download.
type fetchBars struct {
	w     io.Writer
	quiet bool
	name  string
	bar   *progressbar.ProgressBar
}

func newFetchBars(w io.Writer, quiet bool) *fetchBars {
	return &fetchBars{w: w, quiet: quiet}
}

// update moves the bar of name, starting a new bar for a new file.
func (b *fetchBars) update(name string, done, total int64) {
	if b.quiet {
		return
	}
	if name != b.name {
		b.finish()
		b.name = name
		b.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(b.w) }),
		)
	}
	_ = b.bar.Set64(done)
}

// finish closes the current bar, if any.
func (b *fetchBars) finish() {
	if b.bar != nil && !b.bar.IsFinished() {
		_ = b.bar.Finish()
	}
	b.bar, b.name = nil, ""
}

// runDataInfo loads the corpus and prints its figures.
func runDataInfo(c *cli.Context) error {
	ds, err := resolveData(c)
	if err != nil {
		return err
	}
	start := time.Now()
	corpus, err := dataset.Load(ds.dir, dataset.LoadOptions{
		CacheDir: ds.cacheDir,
		NoCache:  c.Bool("no-cache"),
	})
	if err != nil {
		return withDataHint(err)
	}
	elapsed := time.Since(start)
	if corpus.CacheWarning != "" {
		fmt.Fprintln(c.App.ErrWriter, "warning:", corpus.CacheWarning)
	}

	info := corpus.Info(ds.numWords, ds.maxLen)
	if c.Bool("json") {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			dataset.Info
			DirFrom     string  `json:"dir_from"`
			LoadSeconds float64 `json:"load_seconds"`
		}{info, ds.dirFrom, elapsed.Seconds()})
	}
	return printDataInfo(c.App.Writer, info, ds.dirFrom, elapsed)
}

// printDataInfo writes the figures as a table for people.
func printDataInfo(w io.Writer, info dataset.Info, dirFrom string, elapsed time.Duration) error {
	fmt.Fprintf(w, "data folder: %s (from %s)\n", info.Dir, dirFrom)
	fmt.Fprintf(w, "reviews:     %s\n", info.Source)
	switch {
	case info.FromCache:
		fmt.Fprintf(w, "encoded:     read from cache %s in %.2fs\n", info.CachePath,
			elapsed.Seconds())
	case info.CachePath != "":
		fmt.Fprintf(w, "encoded:     afresh in %.2fs, cached as %s\n", elapsed.Seconds(),
			info.CachePath)
	default:
		fmt.Fprintf(w, "encoded:     afresh in %.2fs, not cached\n", elapsed.Seconds())
	}
	cut := "none"
	if info.NumWords > 0 {
		cut = fmt.Sprint(info.NumWords)
	}
	fmt.Fprintf(w, "word index:  %d words; num_words %s; maxlen %d\n\n",
		info.WordIndexSize, cut, info.MaxLen)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "split\treviews\tpos\tneg\ttokens\tin index\tunder num_words\t"+
		"distinct\tmean len\tp50\tp90\tp95\tp99\tmax\ttruncated\t")
	for _, s := range info.Splits {
		p := s.Length.Percentiles
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.2f%%\t%.2f%%\t%d\t"+
			"%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d (%.1f%%)\t\n",
			s.Name, s.Reviews, s.Pos, s.Neg, s.Tokens, 100*s.Coverage, 100*s.VocabCoverage,
			s.DistinctWords, s.Length.Mean, p["p50"], p["p90"], p["p95"], p["p99"],
			s.Length.Max, s.Truncated, 100*shareOf(s.Truncated, s.Reviews))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nlengths count the start id and the tokens found in the word index; "+
		"truncated: longer than maxlen")
	return nil
}

// shareOf is num/den, 0 when den is 0.
func shareOf(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// encodeReport is what `data encode` prints.
type encodeReport struct {
	Text     string   `json:"text"`
	NumWords int      `json:"num_words"`
	MaxLen   int      `json:"maxlen"`
	Tokens   []string `json:"tokens"`
	// IDs is the sequence before padding: start id, then one id per known token.
	IDs    []int32 `json:"ids"`
	Padded []int32 `json:"padded"`
	// Unknown lists tokens not in the word index (dropped); OOV lists tokens
	// whose id is cut to the out-of-vocabulary id by num_words.
	Unknown   []string `json:"unknown"`
	OOV       []string `json:"oov"`
	Truncated bool     `json:"truncated"`
}

// runDataEncode encodes the text given (or read from stdin) and prints it.
func runDataEncode(c *cli.Context) error {
	text, err := encodeInput(c)
	if err != nil {
		return err
	}
	ds, err := resolveData(c)
	if err != nil {
		return err
	}
	index, err := dataset.LoadWordIndex(filepath.Join(ds.dir, dataset.WordIndexFile))
	if err != nil {
		if cerr := dataset.CheckDir(ds.dir); errors.Is(cerr, dataset.ErrNoData) {
			return withDataHint(cerr)
		}
		return err
	}

	numWords, maxLen := ds.numWords, ds.maxLen
	enc := dataset.NewEncoder(index, numWords).Encode(text)
	report := encodeReport{
		Text: text, NumWords: numWords, MaxLen: maxLen,
		Tokens: tokensOrEmpty(enc.Tokens), IDs: enc.IDs,
		Padded:    dataset.PadSequence(enc.IDs, maxLen),
		Unknown:   []string{},
		OOV:       []string{},
		Truncated: len(enc.IDs) > maxLen,
	}
	for _, tok := range enc.Tokens {
		rank, known := index[tok]
		switch {
		case !known:
			report.Unknown = append(report.Unknown, tok)
		case numWords > 0 && rank+dataset.IndexFrom >= numWords:
			report.OOV = append(report.OOV, tok)
		}
	}
	out := json.NewEncoder(c.App.Writer)
	out.SetIndent("", "  ")
	return out.Encode(report)
}

// encodeInput returns the text to encode: the arguments joined by spaces, or
// standard input when there are none or the only one is "-".
func encodeInput(c *cli.Context) (string, error) {
	text := strings.Join(c.Args().Slice(), " ")
	if c.NArg() == 0 || (c.NArg() == 1 && c.Args().First() == "-") {
		raw, err := io.ReadAll(c.App.Reader)
		if err != nil {
			return "", fmt.Errorf("read text from standard input: %w", err)
		}
		text = string(raw)
	}
	if !utf8.ValidString(text) {
		return "", fmt.Errorf("the text to encode is not valid UTF-8")
	}
	return text, nil
}

// tokensOrEmpty makes an empty list print as [] rather than null.
func tokensOrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

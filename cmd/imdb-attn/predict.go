package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/imdb-attn/imdb-attn/trainer"
)

// defaultMaxReviewBytes is the longest review predict reads (16 MiB): far above any real
// review (the longest IMDB review is about 14 KB), low enough that one runaway line cannot
// exhaust memory: encoding holds every token, about 13 bytes of memory per byte of text
// (a 50 MB line peaked at 660 MB of RSS, a 16 MB one at 270 MB).
const defaultMaxReviewBytes = 16 << 20

// snippetRunes is how much of each review the text output shows.
const snippetRunes = 60

// predictDescription is predict's help: inputs, output and what odd input gives.
const predictDescription = `
Scores movie reviews with a trained run: for each review, the probability
that it is positive and its label, one line each, in input order.

Reviews come from the arguments ("text" ...), from standard input ("-", or no
argument when input is piped: one review per line), or from files (--file,
repeatable; "--file -" is standard input). A file holds one review per line, or
JSON lines whose objects have a "text" field and, optionally, an "id" that the
output repeats. --format auto reads JSON lines when the file name ends in .jsonl
or .ndjson, or when the first line is a JSON object with a "text" field.

Each review is encoded exactly as the training reviews were (same tokenizer, the
run's word index and vocabulary size), padded or cut at the front to the run's
sequence length, and scored with dropout off: --batch-size reviews per run of a
graph, with --workers graphs side by side. Input is read that many reviews at a
time (batch size times workers); for an answer to each line of standard input as
it comes, use --batch-size 1.

Output: "0.9731  positive  <first 60 characters>" per review, or with --json one
object per review: {"id", "file" (for --file), "probability", "label", "tokens",
"unknown" (tokens not in the word index, dropped), "oov" (known tokens beyond
the vocabulary size), "truncated" (word ids cut from the front by the sequence
length)}. id is the argument number, the line number, or the JSON line's id.

Odd input:
  - An empty review, one of only punctuation, or one with no known word is
    scored as the start id alone (what the model answers for "nothing"); its
    tokens or unknown count shows it.
  - A blank line is an empty review in plain lines; JSON lines skip blank lines.
  - A very long review is encoded whole and its last words kept, as in training.
  - A review that is not valid UTF-8 (the error gives the offset of the first
    bad byte), one longer than --max-bytes, and a JSON line that is not an object
    with a string "text" each get an error on their own output line ("error" with
    --json); the other reviews are still scored, and the command exits with 1.

Without --run, the most recently trained run under runs/ is used.`

func predictCommand() *cli.Command {
	return &cli.Command{
		Name:      "predict",
		Usage:     "score raw review text: probability of positive and label",
		ArgsUsage: `["text" ...] | - `,
		UsageText: `imdb-attn predict [--run runs/base] [--json] "A great film." ["..."]` +
			"\n" + `imdb-attn predict [--run DIR] --file reviews.jsonl --json` +
			"\n" + `some-command | imdb-attn predict [--run DIR] -`,
		Description: strings.TrimSpace(predictDescription),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "run", Usage: "run folder (default: the latest run under " +
				defaultRunsDir + "/)"},
			&cli.StringFlag{Name: "weights", Value: "best",
				Usage: "which weights: best (lowest validation loss), last, or a .npz path"},
			&cli.StringSliceFlag{Name: "file", Aliases: []string{"f"},
				Usage: "read reviews from a file, one a line or JSON lines (- is stdin)"},
			&cli.StringFlag{Name: "format", Value: "auto",
				Usage: "input lines: auto, text or jsonl"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per review"},
			&cli.Float64Flag{Name: "threshold", Value: trainer.DefaultThreshold,
				Usage: "label positive when the probability is above this, in (0, 1]"},
			&cli.IntFlag{Name: "batch-size", Value: trainer.DefaultPredictBatchSize,
				Usage: "reviews per run of the graph"},
			&cli.IntFlag{Name: "workers", Value: 1,
				Usage: "graphs scoring batches side by side (each costs a graph's memory)"},
			&cli.IntFlag{Name: "max-bytes", Value: defaultMaxReviewBytes,
				Usage: "longest review accepted, in bytes; longer ones get an error"},
		},
		Action: predictAction,
	}
}

func predictAction(c *cli.Context) error {
	opts, err := predictFlags(c)
	if err != nil {
		return err
	}
	src, closeAll, err := openReviewSource(c, opts)
	if err != nil {
		return err
	}
	defer closeAll()

	// Find and load the model before reading any input, so that a missing run is reported
	// at once, not after a whole file has been read.
	runDir := c.String("run")
	if runDir == "" {
		if runDir, err = trainer.LatestRun(defaultRunsDir); err != nil {
			return err
		}
	}
	run, params, err := trainer.OpenRunWithParams(runDir, c.String("weights"))
	if err != nil {
		return err
	}

	// Input is read a batch per worker at a time. A graph of the full batch size costs as
	// much for one review as for a full batch, so when all the input fits in the first read
	// the graphs are cut to what it needs.
	perRead := opts.batchSize * opts.workers
	chunk, done, err := readReviews(src, perRead)
	if err != nil {
		return err
	}
	if len(chunk) == 0 {
		return nil
	}
	batch, workers := opts.batchSize, opts.workers
	if done {
		batch = min(batch, len(chunk))
		workers = min(workers, (len(chunk)+batch-1)/batch)
	}
	pred, err := trainer.NewPredictor(run, params, trainer.PredictOptions{
		BatchSize: batch, Workers: workers, Threshold: opts.threshold})
	if err != nil {
		return err
	}

	out := bufio.NewWriter(c.App.Writer)
	total, failed := 0, 0
	for {
		if err := c.Context.Err(); err != nil {
			out.Flush()
			return cli.Exit("predict: interrupted", 130)
		}
		n, err := scoreReviews(out, pred, chunk, opts.asJSON)
		if err != nil {
			return err
		}
		total, failed = total+len(chunk), failed+n
		if err := out.Flush(); err != nil {
			return fmt.Errorf("predict: write: %w", err)
		}
		if done {
			break
		}
		if chunk, done, err = readReviews(src, perRead); err != nil {
			return err
		}
	}
	if failed > 0 {
		return cli.Exit(fmt.Sprintf("predict: %d of %d reviews could not be scored",
			failed, total), 1)
	}
	return nil
}

// predictOptions are predict's flags, checked.
type predictOptions struct {
	batchSize, workers int
	maxBytes           int
	threshold          float64
	format             string
	asJSON             bool
}

func predictFlags(c *cli.Context) (predictOptions, error) {
	o := predictOptions{
		batchSize: c.Int("batch-size"),
		workers:   c.Int("workers"),
		maxBytes:  c.Int("max-bytes"),
		threshold: c.Float64("threshold"),
		format:    c.String("format"),
		asJSON:    c.Bool("json"),
	}
	switch {
	case o.batchSize < 1:
		return o, cli.Exit(fmt.Sprintf("predict: --batch-size %d: want at least 1",
			o.batchSize), 2)
	case o.workers < 1:
		return o, cli.Exit(fmt.Sprintf("predict: --workers %d: want at least 1",
			o.workers), 2)
	case o.maxBytes < 1:
		return o, cli.Exit(fmt.Sprintf("predict: --max-bytes %d: want at least 1",
			o.maxBytes), 2)
	case !(o.threshold > 0 && o.threshold <= 1):
		return o, cli.Exit(fmt.Sprintf("predict: --threshold %v: want a probability in "+
			"(0, 1]", o.threshold), 2)
	case o.format != "auto" && o.format != "text" && o.format != "jsonl":
		return o, cli.Exit(fmt.Sprintf("predict: --format %q: want auto, text or jsonl",
			o.format), 2)
	}
	return o, nil
}

// review is one input review, or the reason it could not be read.
type review struct {
	num    int             // argument number or line number, from 1
	isArg  bool            // num counts arguments, not lines
	jsonID json.RawMessage // the "id" of a JSON line, when it has one
	file   string          // the file it came from; empty for arguments and standard input
	text   string
	err    error
}

// id is what --json prints as the review's id: the JSON line's id, else its number.
func (r review) id() any {
	if r.jsonID != nil {
		return r.jsonID
	}
	return r.num
}

// where names the review in an error message.
func (r review) where() string {
	var at string
	switch {
	case r.isArg:
		at = fmt.Sprintf("argument %d", r.num)
	case r.file != "":
		at = fmt.Sprintf("%s:%d", r.file, r.num)
	default:
		at = fmt.Sprintf("line %d", r.num)
	}
	if r.jsonID != nil {
		at += " (id " + string(r.jsonID) + ")"
	}
	return at
}

// reviewSource yields reviews one at a time; ok is false at the end. err is an I/O error
// that stops the command; a review that cannot be read carries its own err instead.
type reviewSource interface {
	next() (r review, ok bool, err error)
}

// openReviewSource picks the input: arguments, standard input or files. Files are opened
// here, before the model is loaded, so a wrong name is reported at once.
func openReviewSource(c *cli.Context, opts predictOptions) (reviewSource, func(), error) {
	files, args := c.StringSlice("file"), c.Args().Slice()
	noop := func() {}
	if len(files) > 0 && len(args) > 0 {
		return nil, noop, cli.Exit("predict: give reviews as arguments or with --file, "+
			"not both", 2)
	}
	if len(args) == 1 && args[0] == "-" {
		files = []string{"-"}
	}
	if len(files) == 0 && len(args) == 0 {
		if isTerminal(c.App.Reader) {
			return nil, noop, cli.Exit("predict: no reviews: give them as arguments, "+
				"pipe them in (one a line), or use --file", 2)
		}
		files = []string{"-"}
	}
	if len(files) == 0 {
		return &argSource{args: args, maxBytes: opts.maxBytes}, noop, nil
	}

	var sources multiSource
	var closers []io.Closer
	closeAll := func() {
		for _, f := range closers {
			f.Close()
		}
	}
	for _, name := range files {
		if name == "-" {
			sources = append(sources, newLineSource(c.App.Reader, "", opts))
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			closeAll()
			return nil, noop, fmt.Errorf("predict: %w", err)
		}
		closers = append(closers, f)
		sources = append(sources, newLineSource(f, name, opts))
	}
	return &sources, closeAll, nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// argSource yields the command-line arguments, numbered from 1.
type argSource struct {
	args     []string
	at       int
	maxBytes int
}

func (s *argSource) next() (review, bool, error) {
	if s.at >= len(s.args) {
		return review{}, false, nil
	}
	s.at++
	r := review{num: s.at, isArg: true, text: s.args[s.at-1]}
	if len(r.text) > s.maxBytes {
		r.text, r.err = "", fmt.Errorf("longer than --max-bytes %d", s.maxBytes)
	}
	return r, true, nil
}

// multiSource yields the reviews of several sources one after the other.
type multiSource []reviewSource

func (m *multiSource) next() (review, bool, error) {
	for len(*m) > 0 {
		r, ok, err := (*m)[0].next()
		if err != nil || ok {
			return r, ok, err
		}
		*m = (*m)[1:]
	}
	return review{}, false, nil
}

// readReviews reads up to n reviews; done is true when the source is exhausted.
func readReviews(src reviewSource, n int) (chunk []review, done bool, err error) {
	for len(chunk) < n {
		r, ok, err := src.next()
		if err != nil {
			return chunk, true, err
		}
		if !ok {
			return chunk, true, nil
		}
		chunk = append(chunk, r)
	}
	return chunk, false, nil
}

// lineSource reads one review per line, as plain text or as JSON lines.
type lineSource struct {
	lines    *bufio.Reader
	file     string // empty for standard input
	format   string // auto until the first line decides, then text or jsonl
	maxBytes int
	lineNo   int
}

func newLineSource(r io.Reader, file string, opts predictOptions) *lineSource {
	format := opts.format
	if ext := strings.ToLower(filepath.Ext(file)); format == "auto" &&
		(ext == ".jsonl" || ext == ".ndjson") {
		format = "jsonl"
	}
	return &lineSource{lines: bufio.NewReaderSize(r, 1<<16), file: file, format: format,
		maxBytes: opts.maxBytes}
}

func (s *lineSource) next() (review, bool, error) {
	for {
		line, tooLong, err := readLine(s.lines, s.maxBytes)
		if errors.Is(err, io.EOF) {
			return review{}, false, nil
		}
		if err != nil {
			name := s.file
			if name == "" {
				name = "standard input"
			}
			return review{}, false, fmt.Errorf("predict: read %s: %w", name, err)
		}
		s.lineNo++
		r := review{num: s.lineNo, file: s.file}
		if tooLong {
			r.err = fmt.Errorf("longer than --max-bytes %d", s.maxBytes)
			return r, true, nil
		}
		if s.format == "auto" {
			s.format = "text"
			if looksLikeJSONLine(line) {
				s.format = "jsonl"
			}
		}
		if s.format == "text" {
			r.text = string(line)
			return r, true, nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue // JSON lines: a blank line is no record
		}
		r.jsonID, r.text, r.err = parseJSONLine(line)
		return r, true, nil
	}
}

// readLine returns the next line without its line ending ("\n" or "\r\n"), however long,
// unless it is longer than maxBytes: then the rest of the line is skipped and tooLong is
// set. It returns io.EOF when no bytes are left.
func readLine(br *bufio.Reader, maxBytes int) (line []byte, tooLong bool, err error) {
	read := false
	for {
		chunk, err := br.ReadSlice('\n')
		read = read || len(chunk) > 0
		if !tooLong {
			// The +2 leaves room for the line ending, trimmed below.
			if len(line)+len(chunk) > maxBytes+2 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && !read:
			return nil, false, io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return nil, false, err
		}
		break
	}
	if tooLong {
		return nil, true, nil
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > maxBytes {
		return nil, true, nil
	}
	if line == nil {
		line = []byte{}
	}
	return line, false, nil
}

// jsonReview is the part of a JSON line that predict reads.
type jsonReview struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// looksLikeJSONLine says whether a first line is a JSON object with a "text" string.
func looksLikeJSONLine(line []byte) bool {
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return false
	}
	var jr jsonReview
	return json.Unmarshal(trimmed, &jr) == nil && jr.Text != nil
}

// parseJSONLine reads one JSON line: its "text" and its "id" when it has one (nil when not).
// Bytes that are not UTF-8 are an error here too, as for plain lines: encoding/json would
// otherwise replace them silently.
func parseJSONLine(line []byte) (id json.RawMessage, text string, err error) {
	if off := firstInvalidUTF8(line); off >= 0 {
		return nil, "", fmt.Errorf("%w: bad byte at offset %d of the JSON line",
			trainer.ErrNotUTF8, off)
	}
	var jr jsonReview
	if err := json.Unmarshal(line, &jr); err != nil {
		return nil, "", fmt.Errorf("not a JSON object with a \"text\" field: %v", err)
	}
	if len(jr.ID) > 0 && string(jr.ID) != "null" {
		id = jr.ID
	}
	if jr.Text == nil {
		return id, "", errors.New(`no "text" string field`)
	}
	return id, *jr.Text, nil
}

// firstInvalidUTF8 returns the offset of the first byte of b that does not begin a valid
// UTF-8 sequence, or -1 when b is valid.
func firstInvalidUTF8(b []byte) int {
	for off := 0; off < len(b); {
		r, size := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && size == 1 {
			return off
		}
		off += size
	}
	return -1
}

// predictLine is predict's --json output for a scored review.
type predictLine struct {
	ID          any     `json:"id"`
	File        string  `json:"file,omitempty"`
	Probability float64 `json:"probability"`
	Label       string  `json:"label"`
	Tokens      int     `json:"tokens"`
	Unknown     int     `json:"unknown"`
	OOV         int     `json:"oov"`
	Truncated   int     `json:"truncated"`
}

// predictError is predict's --json output for a review that could not be scored.
type predictError struct {
	ID    any    `json:"id"`
	File  string `json:"file,omitempty"`
	Error string `json:"error"`
}

// scoreReviews predicts the readable reviews of chunk and writes one line per review, in
// order. It returns how many reviews failed.
func scoreReviews(w io.Writer, pred *trainer.Predictor, chunk []review, asJSON bool) (
	int, error) {
	var texts []string
	var at []int
	for i, r := range chunk {
		if r.err == nil {
			texts = append(texts, r.text)
			at = append(at, i)
		}
	}
	preds := make([]trainer.Prediction, len(chunk))
	for k, p := range pred.Predict(texts) {
		preds[at[k]] = p
	}

	failed := 0
	for i, r := range chunk {
		p := preds[i]
		if r.err != nil {
			p.Err = r.err
		}
		if p.Err != nil {
			failed++
		}
		if err := writePrediction(w, r, p, asJSON); err != nil {
			return failed, fmt.Errorf("predict: write: %w", err)
		}
	}
	return failed, nil
}

func writePrediction(w io.Writer, r review, p trainer.Prediction, asJSON bool) error {
	if !asJSON {
		if p.Err != nil {
			_, err := fmt.Fprintf(w, "error   %s: %v\n", r.where(), p.Err)
			return err
		}
		_, err := fmt.Fprintf(w, "%.4f  %-8s  %s\n", p.Probability, p.Label, snippet(r.text))
		return err
	}
	var v any = predictLine{ID: r.id(), File: r.file, Probability: p.Probability,
		Label: p.Label, Tokens: p.Tokens, Unknown: p.Unknown, OOV: p.OOV,
		Truncated: p.Truncated}
	if p.Err != nil {
		v = predictError{ID: r.id(), File: r.file, Error: p.Err.Error()}
	}
	line, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", line)
	return err
}

// snippet returns the first snippetRunes characters of text on one line, with "..." when
// there is more.
func snippet(text string) string {
	var b strings.Builder
	n := 0
	for i, r := range text {
		if n == snippetRunes {
			if strings.TrimSpace(text[i:]) != "" {
				b.WriteString("...")
			}
			break
		}
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

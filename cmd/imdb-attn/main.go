// Command imdb-attn trains, evaluates and serves a self-attention sentiment classifier for
// IMDB movie reviews, the model of Keras's "residual connections and layer normalization"
// teaching notebook, built on Gorgonia.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/urfave/cli/v2"

	"github.com/imdb-attn/imdb-attn/model/openblas"
)

func main() {
	openblas.Use() // a no-op unless built with -tags openblas
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it with their own arguments and streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	if err := app.RunContext(ctx, hoistFlags(app, args)); err != nil {
		fmt.Fprintf(stderr, "imdb-attn: %v\n", err)
		var coder cli.ExitCoder
		if errors.As(err, &coder) && coder.ExitCode() != 0 {
			return coder.ExitCode()
		}
		return 1
	}
	return 0
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:  "imdb-attn",
		Usage: "train, evaluate and serve a self-attention sentiment model for movie reviews",
		Commands: []*cli.Command{
			trainCommand(),
			evaluateCommand(),
			predictCommand(),
			summaryCommand(),
			dataCommand(),
		},
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are printed once, by run, not also by the library.
		ExitErrHandler:       func(*cli.Context, error) {},
		EnableBashCompletion: true,
	}
}

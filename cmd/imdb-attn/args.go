package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// hoistFlags moves each command's flags in front of its positional arguments, so that
// `imdb-attn evaluate runs/base --json` works like `imdb-attn evaluate --json runs/base`.
// urfave/cli v2 (like Go's flag package) stops reading flags at the first positional
// argument and would otherwise take "--json" as a second run folder. A lone "-" (stdin)
// stays positional, and everything after "--" is left alone.
func hoistFlags(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	commands := app.Commands
	var flags []cli.Flag
	for len(rest) > 0 {
		// Global flags and command names come first, as they are.
		cmd := findCommand(commands, rest[0])
		if cmd == nil {
			break
		}
		out = append(out, rest[0])
		rest = rest[1:]
		flags, commands = cmd.Flags, cmd.Subcommands
		if len(commands) == 0 {
			break
		}
	}
	if flags == nil {
		return append(out, rest...)
	}

	var positional []string
	for i := 0; i < len(rest); i++ {
		arg := rest[i]
		if arg == "--" {
			positional = append(positional, rest[i:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			positional = append(positional, arg)
			continue
		}
		out = append(out, arg)
		name := strings.TrimLeft(arg, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue(flags, name) && i+1 < len(rest) {
			out = append(out, rest[i+1])
			i++
		}
	}
	return append(out, positional...)
}

func findCommand(commands []*cli.Command, name string) *cli.Command {
	for _, c := range commands {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// takesValue reports whether the named flag reads the next argument as its value.
func takesValue(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if _, isBool := f.(*cli.BoolFlag); isBool {
				return false
			}
			return true
		}
	}
	return false
}

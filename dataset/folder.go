package dataset

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// reviewFolders are the four folders of labelled reviews inside aclImdb/.
var reviewFolders = []string{"train/neg", "train/pos", "test/neg", "test/pos"}

// readFolder reads the reviews of an extracted aclImdb folder to fn, folder
// by folder in name order. Files not named <id>_<rating>.txt are skipped. The
// review's Text is not reused.
func readFolder(root string, fn func(*review) error) error {
	name := filepath.Base(root)
	counter := newReviewCounter()
	for _, sub := range reviewFolders {
		dir := filepath.Join(root, filepath.FromSlash(sub))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("dataset: %s: read folder %s: %w", name, sub, err)
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if e.Type().IsRegular() {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)

		for _, file := range names {
			rel := name + "/" + sub + "/" + file
			split, label, id, rating, ok := parseReviewPath(rel)
			if !ok {
				continue
			}
			text, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				return fmt.Errorf("dataset: %s: read review: %w", name, err)
			}
			if err := checkUTF8(name, rel, text); err != nil {
				return err
			}
			r := review{Split: split, Label: label, ID: id, Rating: rating, Path: rel, Text: text}
			if err := counter.add(name, &r); err != nil {
				return err
			}
			if err := fn(&r); err != nil {
				return err
			}
		}
	}
	return counter.checkComplete(name)
}

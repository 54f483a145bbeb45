package dataset

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Split names as in the aclImdb folder layout.
const (
	SplitTrain = "train"
	SplitTest  = "test"
)

// Label values: the aclImdb folder pos is 1, neg is 0 (as in Keras's imdb).
const (
	LabelNeg int32 = 0
	LabelPos int32 = 1
)

// review is one labelled review read from the data set.
type review struct {
	Split  string // SplitTrain or SplitTest
	Label  int32  // LabelPos or LabelNeg
	ID     int32  // the <id> of <id>_<rating>.txt
	Rating int32  // the <rating> of <id>_<rating>.txt: 1-4 neg, 7-10 pos
	Path   string // the file's path inside the archive or folder
	Text   []byte // the review, valid UTF-8
}

// reviewKey identifies a review: one file per split, label and id.
type reviewKey struct {
	split string
	label int32
	id    int32
}

// parseReviewPath recognizes <prefix>/{train,test}/{pos,neg}/<id>_<rating>.txt
// and reports ok false for anything else (unsup/, urls_*.txt, README, ...).
func parseReviewPath(path string) (split string, label, id, rating int32, ok bool) {
	parts := strings.Split(strings.TrimPrefix(path, "./"), "/")
	if len(parts) < 3 {
		return "", 0, 0, 0, false
	}
	split, folder, file := parts[len(parts)-3], parts[len(parts)-2], parts[len(parts)-1]
	if split != SplitTrain && split != SplitTest {
		return "", 0, 0, 0, false
	}
	switch folder {
	case "pos":
		label = LabelPos
	case "neg":
		label = LabelNeg
	default:
		return "", 0, 0, 0, false
	}

	stem, found := strings.CutSuffix(file, ".txt")
	if !found {
		return "", 0, 0, 0, false
	}
	idText, ratingText, found := strings.Cut(stem, "_")
	if !found {
		return "", 0, 0, 0, false
	}
	id, okID := parseDigits(idText)
	rating, okRating := parseDigits(ratingText)
	if !okID || !okRating {
		return "", 0, 0, 0, false
	}
	return split, label, id, rating, true
}

// parseDigits parses a non-empty run of ASCII digits that fits an int32.
func parseDigits(s string) (int32, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 32)
	return int32(v), err == nil
}

// checkUTF8 returns an error naming source and path when text is not valid
// UTF-8.
func checkUTF8(source, path string, text []byte) error {
	if utf8.Valid(text) {
		return nil
	}
	off := 0
	for off < len(text) {
		r, size := utf8.DecodeRune(text[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	return fmt.Errorf("dataset: %s: %s: review is not valid UTF-8 (bad byte 0x%02x at offset %d)",
		source, path, text[off], off)
}

// reviewCounter checks that each review appears once and counts them per
// split and label, so that an empty split can be reported.
type reviewCounter struct {
	seen   map[reviewKey]string
	counts map[string]int // "train/pos" -> count
}

func newReviewCounter() *reviewCounter {
	return &reviewCounter{seen: map[reviewKey]string{}, counts: map[string]int{}}
}

// add records r, failing when its split, label and id were seen before.
func (c *reviewCounter) add(source string, r *review) error {
	key := reviewKey{r.Split, r.Label, r.ID}
	if prev, dup := c.seen[key]; dup {
		return fmt.Errorf("dataset: %s: %s repeats review %d of %s (first as %s)",
			source, r.Path, r.ID, groupName(r.Split, r.Label), prev)
	}
	c.seen[key] = r.Path
	c.counts[groupName(r.Split, r.Label)]++
	return nil
}

// checkComplete fails when a split and label has no reviews.
func (c *reviewCounter) checkComplete(source string) error {
	var empty []string
	for _, split := range []string{SplitTrain, SplitTest} {
		for _, label := range []int32{LabelNeg, LabelPos} {
			if g := groupName(split, label); c.counts[g] == 0 {
				empty = append(empty, g)
			}
		}
	}
	if len(empty) > 0 {
		return fmt.Errorf("dataset: %s: no reviews in %s (expected files named "+
			"aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt)",
			source, strings.Join(empty, ", "))
	}
	return nil
}

// groupName is "train/pos" and the like.
func groupName(split string, label int32) string {
	if label == LabelPos {
		return split + "/pos"
	}
	return split + "/neg"
}

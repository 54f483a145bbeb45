package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvDataDir names the environment variable that points at the data folder
// when no --data flag is given.
const EnvDataDir = "IMDB_ATTN_DATA"

// appDir is this program's folder inside the per-user cache folder.
const appDir = "imdb-attn"

// Where ResolveDir found the data folder.
const (
	DirFromFlag   = "flag"
	DirFromEnv    = "env"
	DirFromConfig = "config"
	DirFromCache  = "cache"
)

// ResolveDir picks the data folder: flagDir when set, then $IMDB_ATTN_DATA,
// then configDir, then DefaultDataDir(). source says which one won
// (DirFromFlag, DirFromEnv, DirFromConfig or DirFromCache). The folder need
// not exist; see CheckDir.
func ResolveDir(flagDir, configDir string) (dir, source string, err error) {
	switch {
	case strings.TrimSpace(flagDir) != "":
		return filepath.Clean(flagDir), DirFromFlag, nil
	case strings.TrimSpace(os.Getenv(EnvDataDir)) != "":
		return filepath.Clean(os.Getenv(EnvDataDir)), DirFromEnv, nil
	case strings.TrimSpace(configDir) != "":
		return filepath.Clean(configDir), DirFromConfig, nil
	}
	dir, err = DefaultDataDir()
	if err != nil {
		return "", "", err
	}
	return dir, DirFromCache, nil
}

// DefaultDataDir is the per-user data folder, os.UserCacheDir()/imdb-attn,
// where downloads go when no folder is named.
func DefaultDataDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("dataset: no per-user cache folder (%w); name a data folder "+
			"with $%s", err, EnvDataDir)
	}
	return filepath.Join(base, appDir), nil
}

// DefaultCacheDir is where encoded corpora are cached by default,
// os.UserCacheDir()/imdb-attn/encoded, kept apart from the data folder,
// which may be read-only.
func DefaultCacheDir() (string, error) {
	dir, err := DefaultDataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "encoded"), nil
}

// ErrNoData is matched (errors.Is) by the error CheckDir and Load return when
// the data folder lacks files.
var ErrNoData = errors.New("dataset: IMDB data not found")

// MissingDataError says which files a data folder lacks, where to get them
// and where to put them.
type MissingDataError struct {
	Dir     string   // the folder looked in
	Missing []string // the file names it lacks
}

// Error explains what to download, from where, and where to put it.
func (e *MissingDataError) Error() string {
	return fmt.Sprintf("dataset: IMDB data not found in %s: missing %s.\n%s\n"+
		"(%s or an extracted %s/ folder may stand in for %s.)",
		e.Dir, strings.Join(e.Missing, " and "), manualHint(e.Dir, Downloads()),
		LabelledArchiveFile, FolderName, ArchiveFile)
}

// Is reports that the error is an ErrNoData.
func (e *MissingDataError) Is(target error) bool { return target == ErrNoData }

// CheckDir checks that dir holds the word index (WordIndexFile) and the
// reviews (ArchiveFile, LabelledArchiveFile or a FolderName folder). When
// something is missing it returns a *MissingDataError naming the files,
// their addresses and dir.
func CheckDir(dir string) error {
	var missing []string
	info, err := os.Stat(filepath.Join(dir, WordIndexFile))
	switch {
	case err == nil && info.Mode().IsRegular():
	case err == nil || errors.Is(err, os.ErrNotExist):
		missing = append(missing, WordIndexFile)
	default:
		return fmt.Errorf("dataset: check data folder: %w", err)
	}

	if _, err := findSource(dir); errors.Is(err, errNoReviews) {
		missing = append(missing, ArchiveFile)
	} else if err != nil {
		return err
	}

	if len(missing) > 0 {
		return &MissingDataError{Dir: dir, Missing: missing}
	}
	return nil
}
